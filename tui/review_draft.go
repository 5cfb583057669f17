package tui

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"b2h/state"
	"b2h/sync"
)

// The decision contract the engine applies (sync/conflicts.go,
// sync/tenants.go): a conflict decided field by field has the resolution
// resFields and one choice per conflicting field; a duplicate group names
// its primary member; an adopted contact names the existing contact.
const (
	resFields      = "fields"
	choiceBuildium = "buildium"
	choiceHubSpot  = "hubspot"
	valuePrefix    = "value:"
	fieldPrimary   = "primary"
	fieldExisting  = "existing_contact_id"
)

// draft is the decision a person is building in the detail view, before
// it is saved.
type draft struct {
	res string // "" = undecided
	// fields are the per-field choices as Decision.Fields stores them:
	// "buildium" | "hubspot" | "value:<text>" for conflicts, a member's
	// source id | "value:<text>" for groups, "buildium" | "hubspot" for an
	// adopted contact.
	fields  map[string]string
	primary string // groups: the member whose contact is kept ("" = the lowest id)
}

// draftOf is the stored decision of e as a draft (empty when undecided).
func draftOf(e *reviewEntry) draft {
	d := draft{fields: map[string]string{}}
	if e.dec == nil {
		return d
	}
	d.res = e.dec.Resolution
	for k, v := range e.dec.Fields {
		switch {
		case e.kind == kindGroup && k == fieldPrimary:
			d.primary = v
		case e.kind == kindExisting && k == fieldExisting:
		default:
			d.fields[k] = v
		}
	}
	if e.kind == kindConflict && d.res != sync.BuildiumWins && d.res != sync.HubSpotWins && len(d.fields) > 0 {
		d.res = resFields // e.g. a headless "merge" with per-field values
	}
	return d
}

// clone returns an independent copy.
func (d draft) clone() draft {
	d.fields = maps.Clone(d.fields)
	if d.fields == nil {
		d.fields = map[string]string{}
	}
	return d
}

// same reports whether two drafts decide e the same way.
func (d draft) same(e *reviewEntry, o draft) bool {
	if d.res != o.res || !maps.Equal(d.fields, o.fields) {
		return false
	}
	return e.kind != kindGroup || d.primaryID(e) == o.primaryID(e)
}

// primaryID is the member whose contact a merge keeps (and who keeps a
// shared email when kept separate): the chosen one, else the lowest id.
func (d draft) primaryID(e *reviewEntry) string {
	ids := e.members()
	for _, id := range ids {
		if id == d.primary {
			return id
		}
	}
	if len(ids) > 0 {
		return ids[0]
	}
	return ""
}

// hasEdits reports whether any field carries an edited value.
func (d draft) hasEdits() bool {
	for _, v := range d.fields {
		if strings.HasPrefix(v, valuePrefix) {
			return true
		}
	}
	return false
}

// errKeyField refuses a choice on a unique key.
var errKeyField = errors.New("the unique key is how b2h finds the record again: a review never changes it")

// decide sets the record-level resolution.
func (d *draft) decide(e *reviewEntry, res string) {
	d.res = res
	if e.kind == kindConflict {
		clear(d.fields) // the whole record one way
	}
}

// expand turns a conflict's record-level resolution into the same choice
// on every field, so one field can then differ.
func (d *draft) expand(e *reviewEntry) {
	side := ""
	switch d.res {
	case sync.BuildiumWins:
		side = choiceBuildium
	case sync.HubSpotWins:
		side = choiceHubSpot
	}
	if side != "" {
		for _, f := range e.fields {
			d.fields[f] = side
		}
	}
	d.res = resFields
}

// choose records a per-field choice: take the left (right false) or the
// right side's value. left and right are the members shown (groups). It
// returns a note for the person, or an error when the choice does not fit.
func (d *draft) choose(e *reviewEntry, field string, right bool, left, rightID string) (string, error) {
	if isKeyProperty(field) {
		return "", errKeyField
	}
	switch e.kind {
	case kindConflict:
		d.expand(e)
		d.fields[field] = either(right, choiceHubSpot, choiceBuildium)
		return "", nil
	case kindExisting:
		d.fields[field] = either(right, choiceHubSpot, choiceBuildium)
		return d.become(sync.DupAdopt, "a per-field choice makes this an adoption of the HubSpot contact"), nil
	}
	d.fields[field] = either(right, rightID, left)
	return d.become(sync.DupMerge, "a per-field choice makes this a merge"), nil
}

// edit records an edited value for a field.
func (d *draft) edit(e *reviewEntry, field, value string) (string, error) {
	switch {
	case e.kind == kindExisting:
		return "", errors.New("adopting writes Buildium's value or keeps HubSpot's (← →): edited values are not supported")
	case isKeyProperty(field):
		return "", errKeyField
	case e.kind == kindConflict:
		d.expand(e)
		d.fields[field] = valuePrefix + value
		return "", nil
	}
	d.fields[field] = valuePrefix + value
	return d.become(sync.DupMerge, "an edited value makes this a merge"), nil
}

// clearField removes a field's choice (a conflict's field is then held).
func (d *draft) clearField(e *reviewEntry, field string) {
	if e.kind == kindConflict && d.res != "" && d.res != resFields {
		d.expand(e)
	}
	delete(d.fields, field)
	if e.kind == kindConflict && len(d.fields) == 0 {
		d.res = ""
	}
}

// become switches the resolution to res, saying so when it changes a
// decision the person had made.
func (d *draft) become(res, why string) string {
	prev := d.res
	d.res = res
	if prev != "" && prev != res {
		return why
	}
	return ""
}

// either is a when cond holds, else b.
func either[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// decision is the draft as the decision the engine applies, or an error
// saying what is still missing.
func (d draft) decision(e *reviewEntry, who string, now time.Time) (state.Decision, error) {
	dec := state.Decision{ID: e.item.ID, Type: e.item.Type, Resolution: d.res, DecidedAt: now, DecidedBy: who}
	if d.res == "" {
		return dec, fmt.Errorf("nothing decided yet: choose %s", keysHint(e))
	}
	switch e.kind {
	case kindConflict:
		if d.res != resFields {
			return dec, nil
		}
		var missing []string
		for _, f := range e.fields {
			if _, ok := d.fields[f]; !ok {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return dec, fmt.Errorf("%d of %d fields chosen: choose %s too (or 1/2 for the whole record)",
				len(e.fields)-len(missing), len(e.fields), strings.Join(missing, ", "))
		}
		dec.Fields = maps.Clone(d.fields)
	case kindGroup:
		switch d.res {
		case sync.DupMerge:
			dec.Fields = maps.Clone(d.fields)
			dec.Fields[fieldPrimary] = d.primaryID(e)
		case sync.DupKeepSeparate:
			dec.Fields = map[string]string{fieldPrimary: d.primaryID(e)}
		}
	case kindExisting:
		if d.res == sync.DupAdopt {
			id := e.existingID()
			if id == "" {
				return dec, errors.New("this item does not name the HubSpot contact, so it cannot be adopted yet: a sync refreshes it")
			}
			dec.Fields = maps.Clone(d.fields)
			dec.Fields[fieldExisting] = id
		}
	}
	if len(dec.Fields) == 0 {
		dec.Fields = nil
	}
	return dec, nil
}

// keysHint lists the record-level keys for e.
func keysHint(e *reviewEntry) string {
	var parts []string
	for i, r := range e.resolutions() {
		parts = append(parts, fmt.Sprintf("%d %s", i+1, resolutionText(r)))
	}
	s := strings.Join(parts, ", ")
	if e.detailed() {
		s += ", or per field with ← →"
	}
	return s
}

// carry returns the draft applied to another item of the same signature
// ("apply to all similar"): member choices are carried by position (the
// 1st, 2nd… member), an adoption takes the other item's own contact. It
// reports false when the decision cannot apply to that item.
func (d draft) carry(from, to *reviewEntry) (draft, bool) {
	out := draft{res: d.res, fields: map[string]string{}}
	switch from.kind {
	case kindConflict:
		maps.Copy(out.fields, d.fields)
	case kindExisting:
		if d.res == sync.DupAdopt && to.existingID() == "" {
			return out, false
		}
		maps.Copy(out.fields, d.fields)
	case kindGroup:
		src, dst := from.members(), to.members()
		at := func(id string) (string, bool) {
			for i, s := range src {
				if s == id && i < len(dst) {
					return dst[i], true
				}
			}
			return "", false
		}
		out.primary, _ = at(d.primaryID(from))
		for f, v := range d.fields {
			if id, ok := at(v); ok {
				out.fields[f] = id
			}
		}
	}
	return out, true
}

// cell is what the result column shows for one field.
type cell struct {
	text string
	mark string // where it comes from: ←, →, ✎, ★ (the primary), or ""
	note bool   // text is an explanation, not a value
}

// result is what the engine will write for field under the draft.
func (d draft) result(e *reviewEntry, field, left, right string) cell {
	switch d.res {
	case "":
		return cell{text: "(held for review)", note: true}
	case sync.DupSkip:
		return cell{text: "(not written)", note: true}
	}
	switch e.kind {
	case kindConflict:
		fc := e.conflictField(field)
		if fc == nil {
			return cell{}
		}
		ch := d.fields[field]
		switch d.res {
		case sync.BuildiumWins:
			ch = choiceBuildium
		case sync.HubSpotWins:
			ch = choiceHubSpot
		}
		switch {
		case ch == choiceBuildium:
			return cell{text: fc.Buildium, mark: "←"}
		case ch == choiceHubSpot:
			return cell{text: fc.HubSpot, mark: "→"}
		case strings.HasPrefix(ch, valuePrefix):
			return cell{text: strings.TrimPrefix(ch, valuePrefix), mark: "✎"}
		}
		return cell{text: "(held for review)", note: true}
	case kindExisting:
		var bd, hs string
		if e.dup != nil && len(e.dup.Members) > 0 {
			bd = e.dup.Members[0].Properties[field]
		}
		if e.dup != nil {
			hs = e.dup.HubSpot[field]
		}
		switch {
		case d.res == sync.DupKeepSeparate && field == "email":
			return cell{text: "(not sent: the existing contact keeps it)", note: true}
		case d.res == sync.DupKeepSeparate:
			return cell{text: bd, mark: "←"}
		case d.fields[field] == choiceHubSpot:
			return cell{text: hs, mark: "→"}
		}
		return cell{text: bd, mark: "←"}
	}
	prim := d.primaryID(e)
	from := func(id string) cell {
		m := e.member(id)
		v := ""
		if m != nil {
			v = m.Properties[field]
		}
		mark := id
		switch id {
		case left:
			mark = "←"
		case right:
			mark = "→"
		}
		if v == "" {
			return cell{text: "(none)", mark: mark, note: true}
		}
		return cell{text: v, mark: mark}
	}
	if d.res == sync.DupKeepSeparate {
		if field == "email" {
			return cell{text: "only " + prim + " keeps a shared email", note: true}
		}
		return cell{text: "(each record its own)", note: true}
	}
	ch, ok := d.fields[field]
	switch {
	case ok && strings.HasPrefix(ch, valuePrefix):
		return cell{text: strings.TrimPrefix(ch, valuePrefix), mark: "✎"}
	case ok:
		return from(ch)
	}
	c := from(prim)
	c.mark = "★"
	return c
}

// conflictField returns the conflict's detail for field, or nil.
func (e *reviewEntry) conflictField(field string) *sync.FieldConflict {
	if e.conf == nil {
		return nil
	}
	for i := range e.conf.Fields {
		if e.conf.Fields[i].Field == field {
			return &e.conf.Fields[i]
		}
	}
	return nil
}
