package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// Conflict strategies (DESIGN.md §3).
const (
	BuildiumWins = "buildium_wins"
	HubSpotWins  = "hubspot_wins"
	ManualReview = "manual_review"
	MergeFields  = "merge_fields"
)

// Strategies lists the conflict strategies.
var Strategies = []string{BuildiumWins, HubSpotWins, ManualReview, MergeFields}

// hsSide prefixes snapshot keys that hold HubSpot's value of a field where
// it differs from Buildium's (a HubSpot-side edit that b2h left alone), so
// the next run compares each side with its own base.
const hsSide = "\x00hs:"

// FieldConflict is one field changed on both sides since b2h last wrote it.
type FieldConflict struct {
	Field    string `json:"field"`
	Base     string `json:"base"`
	Buildium string `json:"buildium"`
	HubSpot  string `json:"hubspot"`
}

// ConflictPayload is what a conflict review item carries for the review
// screen (stored encrypted).
type ConflictPayload struct {
	Entity    mapping.Entity  `json:"entity"`
	SourceID  string          `json:"source_id"`
	Name      string          `json:"name"`
	HubSpotID string          `json:"hubspot_id"`
	Fields    []FieldConflict `json:"fields"`
}

// ConflictID is the stable id of a record's conflict: a decision stored
// under it applies on the next run.
func ConflictID(ent mapping.Entity, sourceID string) string {
	return "conflict-" + string(ent) + "-" + sourceID
}

// sameValue compares a value b2h holds with HubSpot's, allowing for
// HubSpot's canonical forms (numbers, case of emails, surrounding space).
func sameValue(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == b || strings.EqualFold(a, b) && strings.Contains(a, "@") {
		return true
	}
	fa, ea := strconv.ParseFloat(a, 64)
	fb, eb := strconv.ParseFloat(b, 64)
	return ea == nil && eb == nil && fa == fb
}

// resolveConflicts compares, for records b2h wrote before, the base (what
// b2h last wrote), ours (Buildium now) and theirs (HubSpot now, one batch
// read for the whole batch), and decides per field what to send. Fields
// only HubSpot changed are left alone; fields both changed are settled by
// the strategy or a person's decision, or the record is held for review.
// It returns the items still to write.
func (l *loader) resolveConflicts(ctx context.Context, items []item) ([]item, error) {
	e := l.e
	var upd []int
	props := map[string]bool{}
	for i, it := range items {
		if it.prior == nil || it.prior.HubSpotID == "" {
			continue
		}
		upd = append(upd, i)
		for k := range it.rec.Properties {
			props[k] = true
		}
		for k := range it.prior.Snapshot {
			if !strings.HasPrefix(k, hsSide) {
				props[k] = true
			}
		}
	}
	if len(upd) == 0 {
		return items, nil
	}
	ids := make([]string, len(upd))
	for j, i := range upd {
		ids[j] = items[i].prior.HubSpotID
	}
	res, err := e.hs.BatchRead(ctx, l.obj, hubspot.ReadRequest{IDs: ids, Properties: slices.Sorted(maps.Keys(props))})
	if err != nil {
		return nil, err
	}
	if e.opt.DryRun {
		e.mu.Lock()
		e.planReqs++ // the live run reads the same batch
		e.mu.Unlock()
	}
	theirs := map[string]hubspot.Object{}
	for _, o := range res.Results {
		theirs[o.ID] = o
	}
	out := items[:0:0]
	var held []item
	var heldConf [][]FieldConflict
	var quiet []item // nothing left to send: bookkeeping only
	hold := map[int]bool{}
	for _, i := range upd {
		hold[i] = true
	}
	for i, it := range items {
		if !hold[i] {
			out = append(out, it)
			continue
		}
		o, ok := theirs[it.prior.HubSpotID]
		if !ok {
			out = append(out, it) // gone from HubSpot: the upsert recreates it
			continue
		}
		it, conf := e.mergeThreeWay(l.entity, it, o)
		switch {
		case len(conf) > 0:
			held = append(held, it)
			heldConf = append(heldConf, conf)
		case len(it.send) == 0:
			quiet = append(quiet, it)
		default:
			out = append(out, it)
		}
	}
	if err := l.commitHeld(held, heldConf, quiet); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeThreeWay settles one record's fields. It returns the item with what
// to send and the snapshot to keep, and the conflicts left for a person.
func (e *Engine) mergeThreeWay(ent mapping.Entity, it item, o hubspot.Object) (item, []FieldConflict) {
	snap := it.prior.Snapshot
	dec, hasDec := e.decisions[ConflictID(ent, it.rec.SourceID)]
	if hasDec && dec.AppliedByJob != "" {
		hasDec = false // settled an earlier conflict; this one is new
	}
	send := map[string]string{}
	next := map[string]string{}
	var conf []FieldConflict
	fields := map[string]bool{}
	for k := range it.rec.Properties {
		fields[k] = true
	}
	for k := range snap {
		if !strings.HasPrefix(k, hsSide) {
			fields[k] = true
		}
	}
	for _, f := range slices.Sorted(maps.Keys(fields)) {
		baseB := snap[f]
		baseH, diverged := snap[hsSide+f]
		if !diverged {
			baseH = baseB
		}
		ours := it.rec.Properties[f]
		th := o.Prop(f)
		oursChanged := !sameValue(ours, baseB)
		theirsChanged := !sameValue(th, baseH)
		keepOurs := func() { send[f], next[f] = ours, ours }
		keepTheirs := func() {
			next[f] = ours
			if !sameValue(th, ours) {
				next[hsSide+f] = th
			}
		}
		switch {
		case f == it.rec.KeyProperty:
			send[f], next[f] = ours, ours
		case !oursChanged:
			// Only HubSpot changed it (or nobody): leave HubSpot's value.
			if ours != "" || baseB != "" {
				next[f] = ours
			}
			if theirsChanged || diverged {
				if !sameValue(th, ours) {
					next[hsSide+f] = th
				}
			}
		case !theirsChanged || sameValue(th, ours):
			keepOurs()
		default:
			rule := e.strategyFor(f)
			if hasDec {
				rule = decisionRule(dec, f)
			}
			switch {
			case rule == BuildiumWins:
				keepOurs()
			case rule == HubSpotWins:
				keepTheirs()
			case strings.HasPrefix(rule, "value:"):
				v := strings.TrimPrefix(rule, "value:")
				send[f], next[f] = v, ours
				if v != ours {
					next[hsSide+f] = v
				}
			default:
				conf = append(conf, FieldConflict{Field: f, Base: baseB, Buildium: ours, HubSpot: th})
			}
		}
	}
	it.send, it.snap = send, next
	// The audit names what this write changes in HubSpot: the fields sent
	// whose value differs from HubSpot's now (not from what b2h wrote last:
	// a HubSpot-side edit overwritten by a rule is part of the change, and
	// undo restores it).
	it.changes = it.changes[:0:0]
	for _, f := range slices.Sorted(maps.Keys(send)) {
		if th := o.Prop(f); !sameValue(th, send[f]) {
			it.changes = append(it.changes, FieldChange{Field: f, Old: th, New: send[f]})
		}
	}
	if hasDec && len(conf) == 0 {
		it.decision = &dec
	}
	return it, conf
}

// strategyFor returns the strategy for a field both sides changed.
func (e *Engine) strategyFor(field string) string {
	s := e.opt.ConflictStrategy
	if s == "" {
		s = ManualReview
	}
	if s == MergeFields {
		if r, ok := e.opt.FieldRules[field]; ok {
			switch r {
			case "buildium":
				return BuildiumWins
			case "hubspot":
				return HubSpotWins
			}
		}
		return ManualReview
	}
	return s
}

// decisionRule reads a person's decision for one field: the record-level
// resolution, overridden per field by Fields[field] = "buildium",
// "hubspot" or "value:<text>".
func decisionRule(d state.Decision, field string) string {
	if v, ok := d.Fields[field]; ok {
		switch {
		case v == "buildium":
			return BuildiumWins
		case v == "hubspot":
			return HubSpotWins
		case strings.HasPrefix(v, "value:"):
			return v
		}
	}
	switch d.Resolution {
	case BuildiumWins, HubSpotWins:
		return d.Resolution
	}
	return ManualReview
}

// commitHeld records conflicts held for review and records that need no
// write (every changed field settled in HubSpot's favour).
func (l *loader) commitHeld(held []item, conf [][]FieldConflict, quiet []item) error {
	if len(held) == 0 && len(quiet) == 0 {
		return nil
	}
	e := l.e
	now := e.now()
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	var c Counters
	var issues []Issue
	for i, it := range held {
		c.Conflicts++
		p := ConflictPayload{Entity: l.entity, SourceID: it.rec.SourceID, Name: it.name, HubSpotID: it.prior.HubSpotID, Fields: conf[i]}
		raw, _ := json.Marshal(p)
		names := make([]string, len(conf[i]))
		for j, fc := range conf[i] {
			names[j] = fc.Field
		}
		b.Review = append(b.Review, state.ReviewItem{ID: ConflictID(l.entity, it.rec.SourceID), Type: "conflict", Kind: l.kind,
			SourceIDs: []string{it.rec.SourceID}, Summary: fmt.Sprintf("%s: %s changed in Buildium and in HubSpot", recordLabel(l.entity, it), strings.Join(names, ", ")),
			Payload: raw, JobID: e.jobID, OpenedAt: now, Status: "open"})
		issues = append(issues, Issue{Entity: l.entity, SourceID: it.rec.SourceID, Action: ActConflict,
			Message: fmt.Sprintf("%s: %s changed in both Buildium and HubSpot since the last sync; held for review (`b2h review`)", recordLabel(l.entity, it), strings.Join(names, ", ")),
			Name:    it.name})
	}
	for _, it := range quiet {
		c.Unchanged++
		b.Mappings = append(b.Mappings, state.Mapping{Kind: l.kind, SourceID: it.rec.SourceID, HubSpotType: l.obj,
			HubSpotID: it.prior.HubSpotID, SyncHash: it.rec.Hash, LastSynced: now, JobID: e.jobID,
			CreatedByJob: it.prior.CreatedByJob, Snapshot: it.snap})
		b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "skip", Kind: l.kind,
			SourceID: it.rec.SourceID, HubSpotType: l.obj, HubSpotID: it.prior.HubSpotID})
		if it.decision != nil {
			d := *it.decision
			d.AppliedByJob = e.jobID
			b.Decisions = append(b.Decisions, d)
			b.DeleteReview = append(b.DeleteReview, d.ID)
		}
	}
	b.Counters[l.kind] = toStateCounter(c)
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit conflicts: %w", err)
		}
	}
	for _, is := range issues {
		e.rep.Report(is)
	}
	e.progress(l.entity, c)
	return nil
}
