package tui

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// reviewKind is what a review item is about, as the Review screen filters
// it: a duplicate group, a record colliding with a HubSpot contact b2h did
// not create, or a conflict.
type reviewKind int

// Review item kinds, in the order the kind filter cycles through them.
const (
	kindGroup reviewKind = iota
	kindExisting
	kindConflict
	numKinds
)

// String is the kind's name on screen.
func (k reviewKind) String() string {
	return [...]string{"duplicate", "existing", "conflict"}[k]
}

// plural names several items of the kind in a sentence.
func (k reviewKind) plural() string {
	return [...]string{"duplicate groups", "existing-contact items", "conflicts"}[k]
}

// existingPrefix starts the ids of existing-contact items (sync.ExistingID).
const existingPrefix = "dup-existing-"

// kindOf classifies a review item by its type and id.
func kindOf(it state.ReviewItem) reviewKind {
	switch {
	case it.Type == state.ReviewConflict:
		return kindConflict
	case strings.HasPrefix(it.ID, existingPrefix):
		return kindExisting
	}
	return kindGroup
}

// reviewEntry is one open review item with its payload decoded and the
// person's pending decision, if any.
type reviewEntry struct {
	item   state.ReviewItem
	kind   reviewKind
	entity mapping.Entity
	// conf is the conflict's payload; nil when the item predates payloads
	// or it does not decode (the item is then decided record by record).
	conf *sync.ConflictPayload
	// dup is a duplicate item's payload (group or existing contact); nil
	// likewise. An existing-contact item from an older run may carry only
	// the contact id (no members).
	dup *sync.DuplicatePayload
	// fields are the detail's rows: the conflicting fields, or every
	// property the members (and HubSpot's contact) have, the key first.
	fields []string
	// sig groups similar items: same kind and entity, and for conflicts
	// the same set of fields.
	sig string
	// dec is the stored decision not yet applied by a sync (nil: none). A
	// decision an earlier sync applied settled an earlier item with the
	// same id, so it does not count for this one.
	dec *state.Decision
}

// newEntry decodes one review item. Payloads that do not decode leave the
// item decidable by record only.
func newEntry(it state.ReviewItem, dec *state.Decision) reviewEntry {
	e := reviewEntry{item: it, kind: kindOf(it), entity: mapping.Entity(it.Kind)}
	if dec != nil && dec.AppliedByJob == "" {
		d := *dec
		e.dec = &d
	}
	switch e.kind {
	case kindConflict:
		var p sync.ConflictPayload
		if len(it.Payload) > 0 && json.Unmarshal(it.Payload, &p) == nil && len(p.Fields) > 0 {
			e.conf = &p
			for _, f := range p.Fields {
				e.fields = append(e.fields, f.Field)
			}
			if p.Entity != "" {
				e.entity = p.Entity
			}
		}
	default:
		var p sync.DuplicatePayload
		if len(it.Payload) > 0 && json.Unmarshal(it.Payload, &p) == nil && (len(p.Members) > 0 || p.ExistingContactID != "") {
			e.dup = &p
			if p.Entity != "" {
				e.entity = p.Entity
			}
			props := map[string]bool{}
			for _, m := range p.Members {
				for k := range m.Properties {
					props[k] = true
				}
			}
			for k := range p.HubSpot {
				props[k] = true
			}
			e.fields = slices.SortedFunc(maps.Keys(props), func(a, b string) int {
				switch ka, kb := isKeyProperty(a), isKeyProperty(b); {
				case ka && !kb:
					return -1
				case kb && !ka:
					return 1
				}
				return strings.Compare(a, b)
			})
		}
	}
	e.sig = e.kind.String() + "|" + string(e.entity)
	if e.kind == kindConflict {
		e.sig += "|" + strings.Join(slices.Sorted(slices.Values(e.fields)), ",")
	}
	return e
}

// isKeyProperty reports whether a property is a unique Buildium key: b2h
// upserts on it, so a review never changes it.
func isKeyProperty(p string) bool {
	return p == mapping.KeyTenant || p == mapping.KeyProperty || p == mapping.KeyUnit
}

// members returns the source ids of a duplicate item's records: the
// payload's members, else the item's source ids (older payloads).
func (e *reviewEntry) members() []string {
	if e.dup != nil && len(e.dup.Members) > 0 {
		ids := make([]string, len(e.dup.Members))
		for i, m := range e.dup.Members {
			ids[i] = m.SourceID
		}
		return ids
	}
	return e.item.SourceIDs
}

// member returns the payload member with a source id, or nil.
func (e *reviewEntry) member(id string) *sync.DuplicateMember {
	if e.dup == nil {
		return nil
	}
	for i := range e.dup.Members {
		if e.dup.Members[i].SourceID == id {
			return &e.dup.Members[i]
		}
	}
	return nil
}

// existingID is the HubSpot contact an existing-contact item collided with.
func (e *reviewEntry) existingID() string {
	if e.dup != nil {
		return e.dup.ExistingContactID
	}
	return ""
}

// detailed reports whether the payload carries field-level detail.
func (e *reviewEntry) detailed() bool { return len(e.fields) > 0 }

// resolutions are the record-level decisions that fit the item, in the
// order the keys 1-3 choose them.
func (e *reviewEntry) resolutions() []string {
	switch e.kind {
	case kindConflict:
		return []string{sync.BuildiumWins, sync.HubSpotWins}
	case kindExisting:
		return []string{sync.DupAdopt, sync.DupKeepSeparate, sync.DupSkip}
	}
	return []string{sync.DupMerge, sync.DupKeepSeparate, sync.DupSkip}
}

// resolutionText is a resolution as people read it.
func resolutionText(r string) string {
	switch r {
	case sync.BuildiumWins:
		return "Buildium wins"
	case sync.HubSpotWins:
		return "HubSpot wins"
	case resFields:
		return "per field"
	case sync.DupKeepSeparate:
		return "keep separate"
	case sync.DupAdopt:
		return "adopt contact"
	}
	return r
}

// title names the item's record(s) in one line, for the list and the
// detail: built from the payload so masking hides only the personal part.
func (e *reviewEntry) title(show func(string) string) string {
	switch {
	case e.kind == kindConflict && e.conf != nil:
		name := singularTitle(e.entity) + " " + e.conf.SourceID
		if e.conf.Name != "" {
			name += " " + show(e.conf.Name)
		}
		return name + ": " + strings.Join(e.fields, ", ") + " changed on both sides"
	case e.kind == kindExisting && e.dup != nil && len(e.dup.Members) > 0:
		m := e.dup.Members[0]
		return singularTitle(e.entity) + " " + m.SourceID + " " + show(m.Name) + ": email of HubSpot contact " + e.dup.ExistingContactID
	case e.kind == kindGroup && e.dup != nil && len(e.dup.Members) > 0:
		names := make([]string, len(e.dup.Members))
		for i, m := range e.dup.Members {
			names[i] = m.SourceID + " " + show(m.Name)
		}
		s := strings.Join(names, " / ")
		if e.dup.Reason != "" {
			s += ": " + show(e.dup.Reason) // it can quote an email or a name
		}
		return s
	}
	return show(e.item.Summary)
}

// singularTitle is one record of an entity, capitalised.
func singularTitle(e mapping.Entity) string {
	switch e {
	case mapping.Properties:
		return "Property"
	case mapping.Units:
		return "Unit"
	case mapping.Tenants:
		return "Tenant"
	case mapping.EmergencyContacts:
		return "Emergency contact"
	case mapping.Leases:
		return "Lease"
	}
	return capital(string(e))
}
