package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"b2h/sync/mapping"
	"b2h/tui/theme"
)

// minColumn is the narrowest value column of the side-by-side layout;
// narrower terminals stack each field's values instead.
const minColumn = 18

// detailColumn is one value column of the detail: its heading, and its
// label where the layout stacks the values.
type detailColumn struct {
	head  string
	label string // the label in the stacked layout
}

// detailView renders the open item: what it is, the decision, and one row
// per field with both sides, the diff highlighted, and the result.
func (r *reviewScreen) detailView() string {
	head := r.detailHead()
	st := r.sess.styles
	var foot []string
	switch {
	case r.confirm != nil:
		box := st.Modal.Render(wrap(r.confirm.text, min(r.width-6, 76), 0) + "\n\n" + st.Value.Render("y") + " yes   " + st.Value.Render("n") + " no")
		return strings.Join(head, "\n") + "\n\n" + box + "\n"
	case r.detail.editing:
		e := r.entry()
		foot = append(foot, st.Label.Render("Edit "+e.fields[r.detail.row]+" ")+r.detail.input.View())
	default:
		foot = append(foot, r.noticeLine())
	}
	room := max(1, r.height-len(head)-1-len(foot))
	body := r.fieldLines(room)
	return strings.Join(head, "\n") + "\n" + strings.Join(body, "\n") + "\n" + strings.Join(foot, "\n")
}

// detailHead is what the item is, its state, and the decision line.
func (r *reviewScreen) detailHead() []string {
	st, e, det := r.sess.styles, r.entry(), r.detail
	pos := 0
	for i, v := range r.view {
		if v == det.idx {
			pos = i + 1
		}
	}
	title := st.Title.Render("Review") + st.Subtle.Render(fmt.Sprintf(" › %s %s of %s %s %s", e.kind, num(pos), num(len(r.view)), theme.SymDot, entityTitle(e.entity)))
	switch {
	case r.dirty():
		title += "  " + st.Warn.Render(theme.SymWarn+" unsaved: enter saves, esc discards")
	case e.dec != nil:
		title += "  " + st.OK.Render(theme.SymOK+" decided: "+resolutionText(e.dec.Resolution)) + st.Subtle.Render(" (applied by the next sync)")
	default:
		title += "  " + st.Subtle.Render("undecided")
	}
	out := []string{cut(title, r.width)}
	show := func(v string) string { return r.display(e.entity, v) }
	out = append(out, cut(st.Value.Render(e.title(show)), r.width))
	var about string
	switch {
	case e.kind == kindConflict && e.conf != nil:
		about = fmt.Sprintf("Changed on both sides since b2h wrote %s %s; base is what it wrote.", hubspotNoun(e.entity), e.conf.HubSpotID)
	case e.kind == kindExisting && e.dup != nil:
		about = fmt.Sprintf("HubSpot contact %s has this email and was not created by b2h.", e.existingID())
		if e.dup.HubSpot == nil {
			about += " Its values could not be read (the next sync reads them again)."
		}
	case e.kind == kindGroup && e.dup != nil:
		ids := e.members()
		about = fmt.Sprintf("← %s %s → %s %s ★ primary %s (p swaps)", r.memberName(e, det.left), theme.SymDot,
			r.memberName(e, det.right), theme.SymDot, det.d.primaryID(e))
		if len(ids) > 2 {
			about += fmt.Sprintf(" %s %d members: tab, shift+tab show the others", theme.SymDot, len(ids))
		}
	default:
		about = "No field-level detail (opened by an older run): decide the whole record."
	}
	out = append(out, st.Subtle.Render(cut(about, r.width)))
	var b strings.Builder
	b.WriteString(st.Label.Render("Decision "))
	for i, res := range e.resolutions() {
		radio := "( ) "
		if det.d.res == res {
			radio = "(•) "
		}
		item := fmt.Sprintf("%s%d %s", radio, i+1, resolutionText(res))
		if det.d.res == res {
			item = st.Value.Render(item)
		}
		b.WriteString(item + "   ")
	}
	if e.kind == kindConflict && e.detailed() {
		radio := "( ) "
		if det.d.res == resFields {
			radio = "(•) "
		}
		b.WriteString(radio + "per field (← →, e)")
	}
	out = append(out, cut(b.String(), r.width), "")
	return out
}

// memberName is "1000012 Jane Doe" for member i of a group.
func (r *reviewScreen) memberName(e *reviewEntry, i int) string {
	id := r.memberID(e, i)
	if m := e.member(id); m != nil && m.Name != "" {
		return id + " " + r.display(e.entity, m.Name)
	}
	return id
}

// columns are the detail's value columns for e.
func (r *reviewScreen) columns(e *reviewEntry) []detailColumn {
	switch e.kind {
	case kindConflict:
		return []detailColumn{{"Base (last sync)", "base"}, {"Buildium now", "Buildium"}, {"HubSpot now", "HubSpot"}, {"Result", "result"}}
	case kindExisting:
		var id string
		if e.dup != nil && len(e.dup.Members) > 0 {
			id = e.dup.Members[0].SourceID
		}
		return []detailColumn{{"Buildium " + id, "Buildium"}, {"HubSpot contact " + e.existingID(), "HubSpot"}, {"Result", "result"}}
	}
	l, rt := r.memberID(e, r.detail.left), r.memberID(e, r.detail.right)
	return []detailColumn{{"← " + l, "← " + l}, {"→ " + rt, "→ " + rt}, {"Result", "result"}}
}

// fieldLines renders the field rows into at most room lines, scrolled so
// the field under the cursor is in view.
func (r *reviewScreen) fieldLines(room int) []string {
	st, e, det := r.sess.styles, r.entry(), r.detail
	if !e.detailed() {
		return strings.Split(wrap(r.display(e.entity, e.item.Summary), r.width, 2), "\n")
	}
	cols := r.columns(e)
	fieldW := 8
	for _, f := range e.fields {
		fieldW = max(fieldW, len(f)+6) // room for " ⚷ ≠"
	}
	fieldW = min(fieldW, 26)
	const sep = " │ "
	colW := (r.width - 2 - fieldW - len(cols)*3) / len(cols)
	stacked := colW < minColumn
	if stacked {
		fieldW = min(fieldW, 24)
	}
	var lines []string
	var starts []int // where each field's block begins
	start, end := 0, 0
	if !stacked {
		h := "  " + pad("field", fieldW)
		for _, c := range cols {
			h += sep + pad(c.head, colW)
		}
		lines = append(lines, st.Header.Render(cut(h, r.width)))
	}
	labelW := 0
	for _, c := range cols {
		labelW = max(labelW, ansi.StringWidth(c.label)+1)
	}
	valueW := either(stacked, r.width-2-fieldW-labelW, colW)
	for i, f := range e.fields {
		cells, differs := r.fieldCells(e, f, max(1, valueW))
		name := f
		if isKeyProperty(f) {
			name += " ⚷"
		}
		if differs {
			name += " ≠"
		}
		marker := "  "
		starts = append(starts, len(lines))
		name = pad(name, fieldW-1) // a cut name keeps a space before the values
		if i == det.row {
			marker = "› "
			name = st.Selected.Render(name)
			start = len(lines)
		}
		if stacked {
			// One line per value, the field's name beside the first.
			for j, c := range cols {
				for n, l := range cells[j] {
					lead := pad("", 2+fieldW)
					if j == 0 && n == 0 {
						lead = marker + pad(name, fieldW)
					}
					lines = append(lines, strings.TrimRight(lead+st.Label.Render(pad(either(n == 0, c.label, ""), labelW))+l, " "))
				}
			}
		} else {
			height := 1
			for _, c := range cells {
				height = max(height, len(c))
			}
			for n := range height {
				line := marker + pad(either(n == 0, name, ""), fieldW)
				marker = "  "
				for j := range cols {
					v := ""
					if n < len(cells[j]) {
						v = cells[j][n]
					}
					line += st.Subtle.Render(sep) + pad(v, colW)
				}
				lines = append(lines, strings.TrimRight(line, " "))
			}
		}
		if i == det.row {
			end = len(lines)
		}
	}
	head := 0
	if !stacked {
		head = 1 // the column header stays
	}
	body := lines[head:]
	start, end = start-head, end-head
	avail := max(1, room-head)
	if len(body) > avail {
		avail-- // a line says what is out of view
	}
	if start < det.off {
		det.off = start
	}
	if end > det.off+avail {
		det.off = min(start, end-avail)
		// Start the view at a field's first line when the cursor's field
		// still fits: no field is shown cut in half at the top.
		for _, b := range starts {
			if b -= head; b >= det.off && b <= start {
				det.off = b
				break
			}
		}
	}
	det.off = max(0, min(det.off, len(body)-avail))
	shown := body[det.off:min(len(body), det.off+avail)]
	out := append(lines[:head:head], shown...)
	if below, above := len(body)-det.off-len(shown), det.off; below > 0 || above > 0 {
		out = append(out, st.Subtle.Render(fmt.Sprintf("  %d line(s) above, %d below: ↑/↓ moves between fields", above, below)))
	}
	return out
}

// fieldCells renders one field's value columns, each wrapped to width,
// and reports whether the two sides differ.
func (r *reviewScreen) fieldCells(e *reviewEntry, f string, width int) ([][]string, bool) {
	st, det := r.sess.styles, r.detail
	show := func(v string) string { return r.display(e.entity, v) }
	plain := func(s ...string) string { return strings.Join(s, "") }
	empty := []string{st.Subtle.Render("—")}
	cellOf := func(spans []span, hl func(...string) string) []string {
		if len(spans) == 0 {
			return empty
		}
		return layoutSpans(spans, width, plain, hl)
	}
	l, rt := r.sides(e, f)
	differs := !sameShown(l, rt)
	ls, rs := diffSpans(show(l), show(rt))
	var cols [][]string
	if e.kind == kindConflict {
		base := ""
		if fc := e.conflictField(f); fc != nil {
			base = fc.Base
		}
		cols = append(cols, cellOf([]span{{text: show(base)}}, plain))
		if base == "" {
			cols[0] = []string{st.Subtle.Render("(empty)")}
		}
	}
	cols = append(cols, cellOf(ls, st.Old.Render))
	right := cellOf(rs, st.New.Render)
	if e.kind == kindExisting && (e.dup == nil || e.dup.HubSpot == nil) {
		right, differs = []string{st.Subtle.Render("(not read)")}, false
	}
	cols = append(cols, right)
	res := det.d.result(e, f, r.memberID(e, det.left), r.memberID(e, det.right))
	var rc []string
	switch {
	case res.note:
		rc = layoutSpans([]span{{text: strings.TrimSpace(res.mark + " " + res.text)}}, width, st.Subtle.Render, st.Subtle.Render)
	case res.text == "":
		rc = []string{strings.TrimSpace(res.mark + " " + st.Subtle.Render("(empty)"))}
	default:
		rc = layoutSpans([]span{{text: res.mark + " "}, {text: show(res.text), hl: true}}, width, plain, st.Value.Render)
	}
	cols = append(cols, rc)
	return cols, differs
}

// sameShown compares two values as the engine would for a duplicate's
// fields: emails ignore case and surrounding space.
func sameShown(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a == b || strings.Contains(a, "@") && strings.EqualFold(a, b)
}

// hubspotNoun names the HubSpot record an entity's record becomes.
func hubspotNoun(e mapping.Entity) string {
	switch e {
	case mapping.Tenants, mapping.EmergencyContacts:
		return "contact"
	case mapping.Properties:
		return "listing"
	}
	return "record"
}
