package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"b2h/sync"
	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// planHeadLines is the height of everything above the record list.
func (p *planScreen) headLines() []string {
	st := p.sess.styles
	sc := p.sess.scope()
	scope := "all entities"
	if sc.only != "" {
		scope = sc.only
	}
	out := []string{st.Title.Render("Plan") + st.Subtle.Render(fmt.Sprintf("  %s sync of %s %s dry run: nothing is written", sc.mode, scope, theme.SymDot))}
	sum := p.sess.plan
	if sum == nil {
		return out
	}
	out = append(out, "")
	out = append(out, countsTable(st, p.width, sum.Entities, planColumns)...)
	if pr := sum.Predicted; pr != nil {
		line := fmt.Sprintf("Predicted: %s HubSpot calls, at least %s", num(pr.Requests), seconds(pr.MinDurationS))
		if c := p.sess.check; c != nil {
			if c.RatePer10s > 0 {
				line += fmt.Sprintf(" at %s calls per 10 s", num(c.RatePer10s))
			}
			if c.DailyRemaining > 0 {
				line += "; " + share(pr.Requests, c.DailyRemaining) + " of today's budget"
			}
			if pr.Requests > c.DailyRemaining {
				line += st.Warn.Render(" " + theme.SymWarn + " more than today's budget: the sync pauses at the limit and resumes after the reset")
			}
		}
		out = append(out, strings.Split(wrap(line+".", p.width, 0), "\n")...)
	}
	return out
}

// listRoom is how many record rows fit under the head.
func (p *planScreen) listRoom() int { return max(1, p.height-len(p.headLines())-2) }

// share writes part/whole as a percentage people read at a glance.
func share(part, whole int) string {
	pc := 100 * float64(part) / float64(whole)
	switch {
	case pc < 0.1:
		return "under 0.1%"
	case pc < 10:
		return fmt.Sprintf("%.1f%%", pc)
	}
	return fmt.Sprintf("%.0f%%", pc)
}

// View implements Component.
func (p *planScreen) View() string {
	st := p.sess.styles
	var b strings.Builder
	switch {
	case p.state == nil:
		return ""
	case p.running():
		b.WriteString(p.headLines()[0] + "\n\n")
		b.WriteString(p.sess.spinFrame + " Planning: " + p.state.phase + "…\n\n")
		for _, l := range p.state.barLines(st, p.width, p.inScope, p.sess.deps.now()) {
			b.WriteString(l + "\n")
		}
		b.WriteString("\n" + st.Subtle.Render(wrap(fmt.Sprintf("%s records planned so far %s Buildium %s calls %s HubSpot %s calls (%s writes)",
			num(len(p.items)), theme.SymDot, num(p.stats.bd.Requests), theme.SymDot, num(p.stats.hs.Requests), num(p.stats.hs.Writes)), p.width, 0)) + "\n")
		return b.String()
	case p.state.err != nil:
		b.WriteString(p.headLines()[0] + "\n\n")
		if errors.Is(p.state.err, context.Canceled) {
			b.WriteString(st.Warn.Render(theme.SymWarn+" The plan was interrupted. Press r to plan again.") + "\n")
			return b.String()
		}
		b.WriteString(st.Err.Render(theme.SymErr+" The plan failed") + "\n")
		b.WriteString(wrap(safe(p.state.err.Error()), p.width, 2) + "\n\n")
		b.WriteString(st.Subtle.Render("Press r to plan again once it is fixed.") + "\n")
		return b.String()
	}
	if p.detail != nil {
		b.WriteString(p.headLines()[0] + "\n\n")
		b.WriteString(p.detailView())
		return b.String()
	}
	for _, l := range p.headLines() {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	b.WriteString(p.listView())
	return b.String()
}

func (p *planScreen) inScope(e mapping.Entity) bool {
	only := p.sess.onlyList()
	if only == nil {
		return true
	}
	for _, o := range only {
		if o == e {
			return true
		}
	}
	return false
}

// listView renders the filter line and only the visible record rows (the
// list can hold every record of a large portfolio). The filter line always
// says which rows are shown: "x–y of N".
func (p *planScreen) listView() string {
	st := p.sess.styles
	list := p.view
	ent, act := "all entities", "all actions"
	if p.entFilter > 0 {
		ent = strings.ToLower(entityTitle(mapping.Entities()[p.entFilter-1]))
	}
	if acts := p.actions(); p.actFilter > 0 && p.actFilter <= len(acts) {
		act = string(acts[p.actFilter-1])
	}
	room := p.listRoom()
	p.cursor = max(0, min(p.cursor, len(list)-1))
	if p.cursor < p.top {
		p.top = p.cursor
	}
	if p.cursor >= p.top+room {
		p.top = p.cursor - room + 1
	}
	p.top = max(0, min(p.top, len(list)-room))
	span := "0 of 0"
	if len(list) > 0 {
		span = fmt.Sprintf("%s–%s of %s", num(p.top+1), num(min(len(list), p.top+room)), num(len(list)))
	}
	head := st.Header.Render(fmt.Sprintf("Records: %s, %s", ent, act)) + "  " + st.Value.Render(span)
	var b strings.Builder
	b.WriteString(cut(head+p.searchLine(), p.width) + "\n")
	if len(list) == 0 {
		b.WriteString(st.Subtle.Render(wrap("  "+p.emptyListReason(), p.width, 2)) + "\n")
		return b.String()
	}
	const actW, entW, infoW = 10, 16, 12
	idW := 10
	nameW := max(8, p.width-2-actW-entW-idW-infoW-1)
	for i := p.top; i < len(list) && i < p.top+room; i++ {
		it := p.items[list[i]]
		info := ""
		switch {
		case it.action == sync.ActUpdate:
			info = fmt.Sprintf("%d change(s)", len(it.changes))
		case len(it.changes) > 0:
			info = fmt.Sprintf("%d field(s)", len(it.changes))
		case it.message != "":
			info = "see message"
		}
		name := it.name
		if name == "" {
			name = it.message
		}
		name = p.display(it.entity, name)
		line := pad(string(it.action), actW-1) + " " + pad(entityShort(it.entity), entW-1) + " " + pad(it.id, idW-1) + " " + pad(name, nameW) + " " + padLeft(info, infoW)
		line = cut(line, p.width-2)
		if i == p.cursor {
			b.WriteString(st.Selected.Render("› "+pad(line, p.width-2)) + "\n")
		} else {
			b.WriteString("  " + actionStyle(st, it.action)(line) + "\n")
		}
	}
	return b.String()
}

// searchLine is the search's part of the filter line, and a note when the
// plan held more records than the list keeps.
func (p *planScreen) searchLine() string {
	st := p.sess.styles
	out := ""
	if p.dropped > 0 {
		out += st.Warn.Render(fmt.Sprintf("  %s list cut: %s more records are in the report", theme.SymWarn, num(p.dropped)))
	}
	return out + p.search.line(st)
}

// actionStyle colours a row by its action.
func actionStyle(st *theme.Styles, a sync.Action) func(...string) string {
	switch a {
	case sync.ActInvalid, sync.ActFailed:
		return st.Err.Render
	case sync.ActDuplicate, sync.ActConflict, sync.ActSkip:
		return st.Warn.Render
	}
	return func(s ...string) string { return strings.Join(s, "") }
}

// display renders a Buildium-derived value of entity e for the screen.
func (p *planScreen) display(e mapping.Entity, v string) string {
	if personal(e) {
		return p.sess.show(v)
	}
	return safe(v)
}

// detailView renders one record's field-level diff or its message.
func (p *planScreen) detailView() string {
	st, it := p.sess.styles, p.detail
	var lines []string
	title := fmt.Sprintf("%s %s %s", it.action, strings.ToLower(entityTitle(it.entity)), it.id)
	if it.name != "" {
		title += "  " + p.display(it.entity, it.name)
	}
	lines = append(lines, st.Value.Render(cut(title, p.width)))
	if it.message != "" {
		lines = append(lines, strings.Split(wrap(safe(it.message), p.width, 2), "\n")...)
	}
	fieldW := 0
	for _, c := range it.changes {
		fieldW = max(fieldW, len(c.Field))
	}
	fieldW = min(fieldW, 30) + 2
	for _, c := range it.changes {
		old, nw := p.display(it.entity, c.Old), p.display(it.entity, c.New)
		var v string
		switch {
		case it.action == sync.ActCreate || c.Old == "":
			v = st.New.Render(nw)
		case c.New == "":
			v = st.Old.Render(old) + " → " + st.Subtle.Render("(cleared)")
		default:
			v = st.Old.Render(old) + " → " + st.New.Render(nw)
		}
		lines = append(lines, cut("  "+pad(c.Field, fieldW)+v, p.width))
	}
	if len(it.changes) == 0 && it.message == "" {
		lines = append(lines, st.Subtle.Render("  no field-level detail"))
	}
	room := max(1, p.height-2)
	if len(lines) > room {
		room-- // keep a line for "more"
	}
	p.dOffset = min(p.dOffset, max(0, len(lines)-room))
	end := min(len(lines), p.dOffset+room)
	out := strings.Join(lines[p.dOffset:end], "\n") + "\n"
	if more := len(lines) - end; more > 0 {
		out += st.Subtle.Render(fmt.Sprintf("  … %d more line(s): ↓ to scroll", more)) + "\n"
	}
	return out
}

// emptyListReason says why the record list shows nothing for the current
// filters: the list holds every record the engine reports one by one
// (planned writes, and the issues: invalid, duplicate, skip, warning), so
// leases written as associations never appear in it, though the table
// counts them.
func (p *planScreen) emptyListReason() string {
	if p.entFilter > 0 && mapping.Entities()[p.entFilter-1] == mapping.Leases {
		return "Leases are written as labelled associations (tenant ↔ unit and listing), counted in the table above; only leases skipped are listed one by one."
	}
	if len(p.items) == 0 {
		return "Nothing to write: no record would be created or updated."
	}
	return "No record for this filter: records the engine does not report one by one are counted in the table above and listed in the report."
}
