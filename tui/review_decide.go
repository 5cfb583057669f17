package tui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"b2h/state"
	"b2h/sync"
	"b2h/tui/theme"
)

// stillOpen checks that the item is still in the queue: a sync may have
// settled it since the list was read, and a decision for an item that is
// gone would settle a later conflict on the same record unseen.
func (r *reviewScreen) stillOpen(e *reviewEntry) error {
	it, err := r.sess.deps.Store.ReviewItem(e.item.ID)
	if errors.Is(err, state.ErrNotFound) || err == nil && it.Status != state.ReviewOpen {
		return fmt.Errorf("%s was settled meanwhile (a sync applied it): press esc, then r to reload the list", e.item.ID)
	}
	return err
}

// save stores the detail's decision (PutDecision) and moves on to the
// next item of the list.
func (r *reviewScreen) save() tea.Cmd {
	e, det := r.entry(), r.detail
	dec, err := det.d.decision(e, r.who, r.sess.deps.now())
	if err == nil {
		err = r.stillOpen(e)
	}
	if err == nil {
		err = r.sess.deps.Store.PutDecision(dec)
	}
	if err != nil {
		r.sayErr(err)
		return nil
	}
	e.dec = &dec
	r.tally()
	what := fmt.Sprintf("%s Saved %s %s: %s. The next sync applies it.", theme.SymOK, e.kind, e.item.ID, resolutionText(dec.Resolution))
	if !r.step(1) {
		r.closeDetail()
	}
	r.say(what, false)
	return nil
}

// undo deletes e's decision before a sync applies it.
func (r *reviewScreen) undo(e *reviewEntry) {
	switch {
	case e.dec == nil:
		r.say("Nothing to undo: this item has no decision waiting for a sync.", false)
		return
	case r.locked(e):
		r.sayErr(errLocked)
		return
	}
	if err := r.sess.deps.Store.DeleteDecision(e.item.ID); err != nil {
		r.sayErr(err)
		return
	}
	e.dec = nil
	r.tally()
	r.say("Decision undone: the item is open again.", false)
}

// similar returns the undecided items like e (same kind and entity, and
// for conflicts the same fields), and how many like it are decided already.
func (r *reviewScreen) similar(e *reviewEntry) (undecided []int, decided int) {
	for i := range r.entries {
		x := &r.entries[i]
		if x == e || x.sig != e.sig {
			continue
		}
		if x.dec != nil {
			decided++
			continue
		}
		undecided = append(undecided, i)
	}
	return undecided, decided
}

// askSimilar previews "apply this decision to all similar items" and asks.
func (r *reviewScreen) askSimilar() {
	e, d := r.entry(), r.detail.d
	if _, err := d.decision(e, r.who, r.sess.deps.now()); err != nil {
		r.sayErr(err)
		return
	}
	if d.hasEdits() {
		r.say("Edited values belong to this record: apply to similar carries ← / → choices only. Choose a side for the edited fields first.", true)
		return
	}
	idx, decided := r.similar(e)
	var decs []state.Decision
	skipped := 0
	for _, i := range idx {
		x := &r.entries[i]
		cd, ok := d.carry(e, x)
		if !ok {
			skipped++
			continue
		}
		dec, err := cd.decision(x, r.who, r.sess.deps.now())
		if err != nil {
			skipped++
			continue
		}
		decs = append(decs, dec)
	}
	self, _ := d.decision(e, r.who, r.sess.deps.now())
	what := fmt.Sprintf("%s of %s", e.kind.plural(), strings.ToLower(entityTitle(e.entity)))
	if e.kind == kindConflict {
		what = fmt.Sprintf("conflicts of %s on %s", strings.ToLower(entityTitle(e.entity)), strings.Join(e.fields, ", "))
	}
	q := fmt.Sprintf("Apply %q to this item and %s other undecided %s?", resolutionText(d.res), num(len(decs)), what)
	if e.kind == kindGroup && (len(d.fields) > 0 || d.res != sync.DupSkip) {
		q += " Member choices carry by position (1st, 2nd… member)."
	}
	if decided > 0 {
		q += fmt.Sprintf(" %s already decided stay as they are.", num(decided))
	}
	if skipped > 0 {
		q += fmt.Sprintf(" %s cannot take it (no contact named; a sync refreshes them).", num(skipped))
	}
	r.ask(q, func() tea.Cmd { r.applyAll(append([]state.Decision{self}, decs...)); return nil })
}

// applyAll stores decisions in one transaction, for the items still open.
func (r *reviewScreen) applyAll(decs []state.Decision) {
	open, err := r.sess.deps.Store.ReviewItems(state.ReviewOpen)
	if err != nil {
		r.sayErr(err)
		return
	}
	live := make(map[string]bool, len(open))
	for _, it := range open {
		live[it.ID] = true
	}
	keep := decs[:0:0]
	for _, d := range decs {
		if live[d.ID] {
			keep = append(keep, d)
		}
	}
	if len(keep) == 0 {
		r.say("These items were settled meanwhile (a sync applied them): press esc, then r to reload the list.", true)
		return
	}
	if err := r.sess.deps.Store.Commit(state.Batch{Decisions: keep}); err != nil {
		r.sayErr(err)
		return
	}
	byID := make(map[string]int, len(r.entries))
	for i := range r.entries {
		byID[r.entries[i].item.ID] = i
	}
	for _, d := range keep {
		dd := d
		r.entries[byID[d.ID]].dec = &dd
	}
	r.tally()
	r.closeDetail()
	msg := fmt.Sprintf("Decided %s item(s) with %q. The next sync applies them; u undoes one.", num(len(keep)), resolutionText(keep[0].Resolution))
	if gone := len(decs) - len(keep); gone > 0 {
		msg += fmt.Sprintf(" %s were settled meanwhile and left alone.", num(gone))
	}
	r.say(msg, false)
}

// applyNow hands over to the Sync screen (its own confirmation and flow)
// with an incremental sync chosen: it fetches the records of decided items
// (and what Buildium changed), so the decisions apply without reading the
// whole portfolio again. Without connected accounts it starts at Connect.
func (r *reviewScreen) applyNow() tea.Cmd {
	if r.syncBusy != nil && r.syncBusy() {
		r.say("A sync is running: decisions saved now apply on the next one.", true)
		return nil
	}
	r.sess.mode = sync.Incremental
	if r.sess.accounts == nil || r.sess.check == nil || r.sess.mapping == nil {
		return goToCmd(scrConnect)
	}
	return goToCmd(scrSync)
}
