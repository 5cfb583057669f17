package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"b2h/sync"
)

// key handles a key press in the list, the detail, an edit or a question.
func (r *reviewScreen) key(msg tea.KeyPressMsg) tea.Cmd {
	k := r.keys
	if c := r.confirm; c != nil {
		switch {
		case key.Matches(msg, k.Yes):
			r.confirm = nil
			return c.onYes()
		case key.Matches(msg, k.No):
			r.confirm = nil
		}
		return nil
	}
	if r.detail != nil && r.detail.editing {
		return r.editKey(msg)
	}
	r.notice, r.bad = "", false // each key's outcome replaces the last
	if r.detail != nil {
		return r.detailKey(msg)
	}
	if r.search.typing {
		r.searchKey(msg)
		return nil
	}
	return r.listKey(msg)
}

func (r *reviewScreen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.keys
	switch {
	case key.Matches(msg, k.Back) && r.search.query != "":
		r.search = listSearch{} // esc drops the search first
	case key.Matches(msg, k.Back) && r.hasFrom:
		return goToCmd(r.from)
	case key.Matches(msg, k.Refresh):
		return r.load()
	case key.Matches(msg, k.ApplyNow):
		return r.applyNow()
	case key.Matches(msg, k.Mask):
		r.sess.mask = !r.sess.mask
	case r.loading || len(r.entries) == 0:
	case key.Matches(msg, k.Down):
		r.move(1)
	case key.Matches(msg, k.Up):
		r.move(-1)
	case key.Matches(msg, k.PageDown):
		r.move(r.listRoom())
	case key.Matches(msg, k.PageUp):
		r.move(-r.listRoom())
	case msg.String() == "/":
		r.search = listSearch{typing: true, from: r.cursor}
	case msg.String() == "n" && r.search.query != "":
		r.jump(1)
	case msg.String() == "N" && r.search.query != "":
		r.jump(-1)
	case key.Matches(msg, k.Home):
		r.move(-len(r.view))
	case key.Matches(msg, k.End):
		r.move(len(r.view))
	case key.Matches(msg, k.NextTab):
		r.entFilter = (r.entFilter + 1) % (len(r.ents) + 1)
		r.cursor, r.top = 0, 0
		r.filter()
	case key.Matches(msg, k.PrevTab):
		n := len(r.ents) + 1
		r.entFilter = (r.entFilter + n - 1) % n
		r.cursor, r.top = 0, 0
		r.filter()
	case key.Matches(msg, k.KindFilter):
		r.kindFilter = (r.kindFilter + 1) % (int(numKinds) + 1)
		r.cursor, r.top = 0, 0
		r.filter()
	case key.Matches(msg, k.Open):
		if len(r.view) > 0 {
			r.open(r.view[r.cursor])
		}
	case key.Matches(msg, k.Undo):
		if e, ok := r.current(); ok {
			r.undo(e)
		}
	}
	return nil
}

// move moves the list cursor by d rows.
func (r *reviewScreen) move(d int) {
	r.cursor = max(0, min(len(r.view)-1, r.cursor+d))
}

// open shows entry idx in the detail view with its stored decision.
func (r *reviewScreen) open(idx int) {
	e := &r.entries[idx]
	det := &reviewDetail{idx: idx, d: draftOf(e).clone(), left: 0, right: 1}
	if e.kind == kindGroup && len(e.members()) < 2 {
		det.right = 0
	}
	in := textinput.New()
	in.SetStyles(r.sess.styles.Input)
	in.Prompt = "› "
	in.CharLimit = 4096
	in.SetWidth(max(10, r.width-24))
	det.input = in
	r.detail = det
	r.notice, r.bad = "", false
}

// entry returns the entry open in the detail view.
func (r *reviewScreen) entry() *reviewEntry { return &r.entries[r.detail.idx] }

// dirty reports unsaved choices in the detail view.
func (r *reviewScreen) dirty() bool {
	e := r.entry()
	return !r.detail.d.same(e, draftOf(e))
}

func (r *reviewScreen) detailKey(msg tea.KeyPressMsg) tea.Cmd {
	k, det, e := r.keys, r.detail, r.entry()
	rows := len(e.fields)
	switch {
	case key.Matches(msg, k.Back):
		if r.dirty() {
			r.ask("Discard the choices you have not saved for this item?", func() tea.Cmd { r.closeDetail(); return nil })
			return nil
		}
		r.closeDetail()
	case key.Matches(msg, k.Mask):
		r.sess.mask = !r.sess.mask
	case key.Matches(msg, k.ApplyNow):
		if r.dirty() {
			r.say("Save (enter) or discard (esc) the choices for this item first.", true)
			return nil
		}
		return r.applyNow()
	case key.Matches(msg, k.Down):
		det.row = min(max(0, rows-1), det.row+1)
	case key.Matches(msg, k.Up):
		det.row = max(0, det.row-1)
	case key.Matches(msg, k.PageDown):
		det.row = min(max(0, rows-1), det.row+max(1, r.height/4))
	case key.Matches(msg, k.PageUp):
		det.row = max(0, det.row-max(1, r.height/4))
	case key.Matches(msg, k.NextItem), key.Matches(msg, k.PrevItem):
		if r.dirty() {
			r.say("Save (enter) or discard (esc) the choices for this item first.", true)
			return nil
		}
		d := 1
		if key.Matches(msg, k.PrevItem) {
			d = -1
		}
		r.step(d)
	case key.Matches(msg, k.Undo):
		r.undo(e)
		if r.detail != nil && e.dec == nil {
			r.detail.d = draftOf(e).clone()
		}
	case r.locked(e):
		r.sayErr(errLocked)
	case key.Matches(msg, k.Save):
		return r.save()
	case key.Matches(msg, k.ApplySimilar):
		r.askSimilar()
	case key.Matches(msg, k.Decide):
		res := e.resolutions()
		if i := int(msg.Code - '1'); i >= 0 && i < len(res) {
			det.d.decide(e, res[i])
			r.say("", false)
		}
	case key.Matches(msg, k.Primary) && e.kind == kindGroup:
		r.swapPrimary(e)
	case key.Matches(msg, k.NextMember) && e.kind == kindGroup:
		det.right = r.nextMember(e, det.right, det.left, 1)
	case key.Matches(msg, k.PrevMember) && e.kind == kindGroup:
		det.left = r.nextMember(e, det.left, det.right, 1)
	case rows == 0:
		if key.Matches(msg, k.TakeLeft, k.TakeRight, k.Edit, k.ClearChoice) {
			r.say("This item has no field-level detail (it was opened by an older run): decide the whole record, or run a sync to refresh it.", true)
		}
	case key.Matches(msg, k.TakeLeft), key.Matches(msg, k.TakeRight):
		ids := e.members()
		left, right := "", ""
		if e.kind == kindGroup && len(ids) > 0 {
			left, right = ids[det.left], ids[det.right]
		}
		note, err := det.d.choose(e, e.fields[det.row], key.Matches(msg, k.TakeRight), left, right)
		r.tell(note, err)
	case key.Matches(msg, k.Edit):
		return r.startEdit(e)
	case key.Matches(msg, k.ClearChoice):
		det.d.clearField(e, e.fields[det.row])
		r.say("", false)
	}
	return nil
}

// tell shows a note or an error from a choice.
func (r *reviewScreen) tell(note string, err error) {
	switch {
	case err != nil:
		r.sayErr(err)
	case note != "":
		r.say(capital(note)+".", false)
	default:
		r.say("", false)
	}
}

// nextMember cycles a member index by d, skipping the other side's.
func (r *reviewScreen) nextMember(e *reviewEntry, cur, other, d int) int {
	n := len(e.members())
	if n <= 2 {
		return cur
	}
	for i := 1; i < n; i++ {
		next := ((cur+d*i)%n + n) % n
		if next != other {
			return next
		}
	}
	return cur
}

// swapPrimary makes the other shown member the primary.
func (r *reviewScreen) swapPrimary(e *reviewEntry) {
	det, ids := r.detail, e.members()
	if len(ids) < 2 {
		return
	}
	l, rt := ids[det.left], ids[det.right]
	if det.d.primaryID(e) == l {
		det.d.primary = rt
	} else {
		det.d.primary = l
	}
	if det.d.res == "" || det.d.res == sync.DupSkip {
		r.say("The primary matters for a merge (whose contact is kept) and for keep separate (who keeps a shared email).", false)
	}
}

// startEdit opens the text input on the field under the cursor, filled
// with the value the field would get now.
func (r *reviewScreen) startEdit(e *reviewEntry) tea.Cmd {
	det := r.detail
	f := e.fields[det.row]
	if e.kind == kindExisting || isKeyProperty(f) {
		tmp := det.d.clone()
		_, err := tmp.edit(e, f, "")
		r.sayErr(err)
		return nil
	}
	l, rt := r.sides(e, f)
	c := det.d.result(e, f, r.memberID(e, det.left), r.memberID(e, det.right))
	v := c.text
	if c.note {
		v = l
		if v == "" {
			v = rt
		}
	}
	det.input.SetValue(v)
	det.input.CursorEnd()
	det.editing = true
	r.say("", false)
	return det.input.Focus()
}

func (r *reviewScreen) editKey(msg tea.KeyPressMsg) tea.Cmd {
	det, e := r.detail, r.entry()
	switch {
	case key.Matches(msg, r.keys.ForceQuit):
		return nil // the root quits
	case msg.Code == tea.KeyEnter:
		det.editing = false
		det.input.Blur()
		note, err := det.d.edit(e, e.fields[det.row], det.input.Value())
		r.tell(note, err)
		return nil
	case msg.Code == tea.KeyEscape:
		det.editing = false
		det.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	det.input, cmd = det.input.Update(msg)
	return cmd
}

// closeDetail goes back to the list, on the item that was open.
func (r *reviewScreen) closeDetail() {
	idx := r.detail.idx
	r.detail = nil
	for i, v := range r.view {
		if v == idx {
			r.cursor = i
		}
	}
}

// step opens the next (d=1) or previous item of the list.
func (r *reviewScreen) step(d int) bool {
	pos := -1
	for i, v := range r.view {
		if v == r.detail.idx {
			pos = i
		}
	}
	next := pos + d
	if next < 0 || next >= len(r.view) {
		return false
	}
	r.cursor = next
	r.open(r.view[next])
	return true
}

// ask puts a yes/no question.
func (r *reviewScreen) ask(text string, onYes func() tea.Cmd) {
	r.confirm = &reviewConfirm{text: text, onYes: onYes}
}

// sides returns a field's left and right values as shown (Buildium and
// HubSpot, or the two members shown).
func (r *reviewScreen) sides(e *reviewEntry, f string) (string, string) {
	switch e.kind {
	case kindConflict:
		if fc := e.conflictField(f); fc != nil {
			return fc.Buildium, fc.HubSpot
		}
	case kindExisting:
		if e.dup == nil {
			return "", ""
		}
		var l string
		if len(e.dup.Members) > 0 {
			l = e.dup.Members[0].Properties[f]
		}
		return l, e.dup.HubSpot[f]
	default:
		var l, rt string
		if m := e.member(r.memberID(e, r.detail.left)); m != nil {
			l = m.Properties[f]
		}
		if m := e.member(r.memberID(e, r.detail.right)); m != nil {
			rt = m.Properties[f]
		}
		return l, rt
	}
	return "", ""
}

// memberID is the source id of member i of a group ("" out of range).
func (r *reviewScreen) memberID(e *reviewEntry, i int) string {
	if e.kind != kindGroup {
		return ""
	}
	ids := e.members()
	if i < 0 || i >= len(ids) {
		return ""
	}
	return ids[i]
}
