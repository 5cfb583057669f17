package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"

	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// listChrome is the number of list-view lines that are not item rows:
// title, two filter lines, a blank, the column header, a blank and the
// notice.
const listChrome = 7

// listRoom is how many item rows fit.
func (r *reviewScreen) listRoom() int { return max(1, r.height-listChrome) }

// display renders a Buildium- or HubSpot-derived value of entity e for the
// screen: cleaned of escapes, and masked when personal data is hidden.
func (r *reviewScreen) display(e mapping.Entity, v string) string {
	if personal(e) {
		return r.sess.show(v)
	}
	return safe(v)
}

// View implements Component.
func (r *reviewScreen) View() string {
	st := r.sess.styles
	switch {
	case r.loading && r.entries == nil:
		return st.Title.Render("Review") + "\n\n" + r.sess.spinFrame + " Reading the review queue…"
	case r.loadErr != nil:
		return st.Title.Render("Review") + "\n\n" + st.Err.Render(wrap(theme.SymErr+" The review queue could not be read: "+safe(r.loadErr.Error()), r.width, 2)) +
			"\n\n" + st.Subtle.Render("Press r to try again.")
	case r.detail != nil:
		return r.detailView()
	}
	return r.listView()
}

// headline is the screen's title with the queue's state.
func (r *reviewScreen) headline() string {
	st := r.sess.styles
	h := st.Title.Render("Review") + st.Subtle.Render(fmt.Sprintf("  %s open", num(len(r.entries))))
	if n := r.decided(); n > 0 {
		h += st.Subtle.Render(fmt.Sprintf(" %s %s decided, applied by the next sync", theme.SymDot, num(n)))
	}
	if r.syncBusy != nil && r.syncBusy() {
		h += st.Warn.Render(" " + theme.SymDot + " a sync is running")
	}
	return cut(h+r.search.line(st), r.width)
}

// filterLine renders one filter's choices with their counts; the active
// one is bracketed (and styled).
func (r *reviewScreen) filterLine(label string, names []string, counts []int, active int) string {
	st := r.sess.styles
	var b strings.Builder
	b.WriteString(st.Label.Render(pad(label, 8)))
	for i, n := range names {
		t := fmt.Sprintf("%s %s", n, num(counts[i]))
		if i == active {
			b.WriteString(st.TabNow.Render("[" + t + "]"))
		} else {
			b.WriteString(st.Tab.Render(" " + t + " "))
		}
	}
	return cut(b.String(), r.width)
}

// listView renders the filters and the visible rows only: the list costs
// the same with 50 or 50,000 items.
func (r *reviewScreen) listView() string {
	st := r.sess.styles
	var b strings.Builder
	b.WriteString(r.headline() + "\n")
	if len(r.entries) == 0 {
		b.WriteString("\n" + st.OK.Render(theme.SymOK) + " Nothing to review: no duplicate or conflict is waiting for a decision.\n")
		b.WriteString(st.Subtle.Render(wrap("A sync holds records back here when it finds duplicates or fields changed on both sides.", r.width, 0)) + "\n")
		b.WriteString(r.noticeLine())
		return b.String()
	}
	entNames, entCounts := []string{"All"}, []int{r.count(0, r.kindFilter)}
	for i, e := range r.ents {
		entNames = append(entNames, entityShort(e))
		entCounts = append(entCounts, r.count(i+1, r.kindFilter))
	}
	kindNames, kindCounts := []string{"All"}, []int{r.count(r.entFilter, 0)}
	for k := range numKinds {
		kindNames = append(kindNames, k.String())
		kindCounts = append(kindCounts, r.count(r.entFilter, int(k)+1))
	}
	b.WriteString(r.filterLine("Entity", entNames, entCounts, r.entFilter) + "\n")
	b.WriteString(r.filterLine("Kind", kindNames, kindCounts, r.kindFilter) + "\n\n")
	room := r.listRoom()
	if r.cursor < r.top {
		r.top = r.cursor
	}
	if r.cursor >= r.top+room {
		r.top = r.cursor - room + 1
	}
	r.top = max(0, min(r.top, len(r.view)-room))
	const statusW, kindW, entW = 16, 11, 11
	titleW := max(10, r.width-2-statusW-kindW-entW)
	pos := ""
	if len(r.view) > 0 {
		pos = fmt.Sprintf("%s–%s of %s", num(r.top+1), num(min(len(r.view), r.top+room)), num(len(r.view)))
	}
	b.WriteString(st.Header.Render(cut("  "+pad("status", statusW)+pad("kind", kindW)+pad("entity", entW)+pad("record(s)", titleW-len(pos)-1)+" "+pos, r.width)) + "\n")
	if len(r.view) == 0 {
		b.WriteString(st.Subtle.Render("  No item matches these filters (tab: entity, f: kind).") + "\n")
	}
	for i := r.top; i < len(r.view) && i < r.top+room; i++ {
		e := &r.entries[r.view[i]]
		status := "open"
		if e.dec != nil {
			status = theme.SymOK + " " + resolutionText(e.dec.Resolution)
		}
		// Each cell keeps a space before the next, even when cut.
		statusCell := pad(status, statusW-1) + " "
		rest := pad(e.kind.String(), kindW-1) + " " + pad(entityShort(e.entity), entW-1) + " " + cut(e.title(func(v string) string { return r.display(e.entity, v) }), titleW)
		switch {
		case i == r.cursor:
			b.WriteString(st.Selected.Render("› "+pad(statusCell+rest, r.width-2)) + "\n")
		case e.dec != nil:
			b.WriteString("  " + st.OK.Render(statusCell) + rest + "\n")
		default:
			b.WriteString("  " + statusCell + rest + "\n")
		}
	}
	for range room - (min(len(r.view), r.top+room) - r.top) {
		b.WriteString("\n")
	}
	b.WriteString("\n" + r.noticeLine())
	return b.String()
}

// noticeLine is the last line: what just happened, or a hint.
func (r *reviewScreen) noticeLine() string {
	st := r.sess.styles
	switch {
	case r.notice != "" && r.bad:
		return st.Warn.Render(cut(theme.SymWarn+" "+r.notice, r.width))
	case r.notice != "":
		return cut(r.notice, r.width)
	case r.detail == nil && len(r.entries) > 0:
		return st.Subtle.Render(cut("enter: side by side · decisions apply with the next sync (s: sync now)", r.width))
	}
	return ""
}

// ShortHelp implements help.KeyMap.
func (r *reviewScreen) ShortHelp() []key.Binding {
	k := r.bindings()
	switch {
	case r.confirm != nil:
		return []key.Binding{k.Yes, k.No}
	case r.detail != nil && r.detail.editing:
		k.Save.SetHelp("enter", "set value")
		k.Back.SetHelp("esc", "cancel")
		return []key.Binding{k.Save, k.Back}
	case r.detail != nil:
		k.TakeLeft.SetHelp("←/→", "take left/right")
		k.Decide.SetHelp(k.Decide.Help().Key, "decide")
		k.Edit.SetHelp("e", "edit")
		return []key.Binding{k.Save, k.Decide, k.TakeLeft, k.Edit, k.ApplySimilar, k.Undo, k.Back}
	}
	if r.search.typing {
		return []key.Binding{searchDone, searchCancel}
	}
	return []key.Binding{k.Open, searchKey, k.NextTab, k.KindFilter, k.Undo, k.ApplyNow, k.Back}
}

// FullHelp implements help.KeyMap: every key of the view shown.
func (r *reviewScreen) FullHelp() [][]key.Binding {
	k := r.bindings()
	switch {
	case r.confirm != nil:
		return [][]key.Binding{{k.Yes, k.No}}
	case r.detail != nil && r.detail.editing:
		k.Save.SetHelp("enter", "set the value")
		k.Back.SetHelp("esc", "cancel the edit")
		return [][]key.Binding{{k.Save, k.Back}}
	case r.detail != nil:
		return [][]key.Binding{
			{k.Save, k.Decide, k.TakeLeft, k.TakeRight, k.Edit, k.ClearChoice, k.Primary, k.NextMember, k.PrevMember},
			{k.ApplySimilar, k.Undo, k.Up, k.Down, k.PageUp, k.NextItem, k.PrevItem, k.ApplyNow, k.Mask, k.Back},
		}
	}
	return [][]key.Binding{
		{k.Open, k.NextTab, k.PrevTab, k.KindFilter, k.Undo, k.ApplyNow, k.Refresh},
		{k.Up, k.Down, k.PageUp, k.Home, k.End, searchKey, searchNext, k.Mask, k.Back},
	}
}

// bindings are the screen's keys, with the help text and availability of
// the current view and item.
func (r *reviewScreen) bindings() KeyMap {
	k := r.keys
	k.Back.SetHelp("esc", "back")
	k.Back.SetEnabled(r.hasFrom)
	k.NextTab.SetHelp("tab", "entity filter")
	k.PrevTab.SetHelp("shift+tab", "entity filter back")
	k.Open.SetHelp("enter", "open side by side")
	k.Up.SetHelp("↑/k", "up")
	k.PageUp.SetHelp("pgup/pgdn", "page")
	k.Undo.SetHelp("u", "undo decision")
	k.ApplyNow.SetHelp("s", "sync now: apply decisions")
	k.Yes.SetHelp("y", "yes")
	k.No.SetHelp("n/esc", "no")
	if r.detail == nil {
		k.Undo.SetEnabled(len(r.view) > 0)
		k.Open.SetEnabled(len(r.view) > 0)
		return k
	}
	e := r.entry()
	k.Back.SetHelp("esc", "list")
	k.Back.SetEnabled(true)
	k.Up.SetHelp("↑/↓", "field")
	k.Down.SetEnabled(false)
	k.PageUp.SetHelp("pgup/pgdn", "scroll")
	k.Save.SetHelp("enter", "save, next item")
	decide := fmt.Sprintf("1-%d", len(e.resolutions()))
	switch e.kind {
	case kindConflict:
		k.Decide.SetHelp(decide, "Buildium / HubSpot wins")
		k.TakeLeft.SetHelp("←", "field: Buildium's")
		k.TakeRight.SetHelp("→", "field: HubSpot's")
	case kindExisting:
		k.Decide.SetHelp(decide, "adopt / separate / skip")
		k.TakeLeft.SetHelp("←", "field: Buildium's")
		k.TakeRight.SetHelp("→", "field: keep HubSpot's")
	default:
		k.Decide.SetHelp(decide, "merge / separate / skip")
		k.TakeLeft.SetHelp("←", "field: left member's")
		k.TakeRight.SetHelp("→", "field: right member's")
	}
	k.Edit.SetHelp("e", "field: edit value")
	k.ClearChoice.SetHelp("⌫", "field: clear choice")
	detailed := e.detailed()
	k.TakeLeft.SetEnabled(detailed)
	k.TakeRight.SetEnabled(detailed)
	k.Edit.SetEnabled(detailed && e.kind != kindExisting)
	k.ClearChoice.SetEnabled(detailed)
	group := e.kind == kindGroup
	k.Primary.SetEnabled(group)
	k.NextMember.SetEnabled(group && len(e.members()) > 2)
	k.PrevMember.SetEnabled(group && len(e.members()) > 2)
	k.NextMember.SetHelp("tab", "another member right")
	k.PrevMember.SetHelp("shift+tab", "another member left")
	k.ApplySimilar.SetHelp("A", "apply to all similar")
	k.Undo.SetEnabled(e.dec != nil)
	return k
}
