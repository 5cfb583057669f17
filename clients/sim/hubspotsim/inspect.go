package hubspotsim

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Test and inspection helpers. They bypass HTTP, authentication, rate
// limits, faults and Stats; the public API remains the main way to read.

// Object is a snapshot of one CRM record.
type Object struct {
	ID         string            // the record id, a numeric string
	Properties map[string]string // set values only, plus the derived system properties
	CreatedAt  time.Time         // createdAt (UTC)
	UpdatedAt  time.Time         // updatedAt (UTC)
	Archived   bool              // in the recycle bin
}

// Association is one associated pair in one direction and the association
// types between them (the pair's unlabelled default type included).
type Association struct {
	FromID, ToID string   // record ids
	TypeIDs      []int    // association type ids, ascending
	Labels       []string // labels of the labelled types, in type-id order
}

// ErrUnknownObjectType is returned by EditObject for a type the account
// does not have.
var ErrUnknownObjectType = errors.New("hubspotsim: unknown object type")

// ErrNoRecord is returned by EditObject for a missing or archived record.
var ErrNoRecord = errors.New("hubspotsim: no such record")

// Objects returns copies of every record of objectType ("contacts", "0-1",
// "0-420", "listings", "2-…", a custom object's name or fullyQualifiedName),
// archived ones included, sorted by numeric id. Unknown types give nil.
func (s *Server) Objects(objectType string) []Object {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := s.aliases[lower(objectType)]
	if t == nil {
		return nil
	}
	out := make([]Object, 0, len(t.order))
	for _, id := range t.order {
		r := t.records[id]
		o := Object{ID: idString(r.id), Properties: map[string]string{},
			CreatedAt: time.UnixMilli(r.created).UTC(), UpdatedAt: time.UnixMilli(r.updated).UTC(), Archived: r.archived}
		for _, p := range t.props {
			if v := t.value(r, r.vals, r.updated, p); v != "" && !p.archived {
				o.Properties[p.name] = v
			}
		}
		out = append(out, o)
	}
	return out
}

// Associations returns every association from fromType to toType, sorted
// by from and to id. Unknown types give nil.
func (s *Server) Associations(fromType, toType string) []Association {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ft, tt := s.aliases[lower(fromType)], s.aliases[lower(toType)]
	if ft == nil || tt == nil {
		return nil
	}
	m := s.links[pairKey{ft.id, tt.id}]
	froms := make([]int64, 0, len(m))
	for id := range m {
		froms = append(froms, id)
	}
	slices.Sort(froms)
	var out []Association
	for _, from := range froms {
		for _, e := range m[from] {
			if len(e.types) == 0 {
				continue
			}
			a := Association{FromID: idString(from), ToID: idString(e.to), Labels: s.labelsOf(e.types)}
			for _, t := range e.types {
				a.TypeIDs = append(a.TypeIDs, int(t))
			}
			out = append(out, a)
		}
	}
	return out
}

// EditObject simulates a person editing a record in HubSpot: the values are
// validated like an API write (a person may also set hs_additional_emails),
// unique values are enforced, and updatedAt always moves forward.
func (s *Server) EditObject(objectType, id string, props map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.aliases[lower(objectType)]
	if t == nil {
		return fmt.Errorf("%w: %q", ErrUnknownObjectType, objectType)
	}
	n, ok := parseID(id)
	r := t.live(n)
	if !ok || r == nil {
		return fmt.Errorf("%w: %s %s", ErrNoRecord, t.name, id)
	}
	w := s.newWriteCtx(t, s.now().UnixMilli())
	w.ui = true
	pl := w.planWrite(r, flexMap(props), false)
	if pl.fail != nil {
		return fmt.Errorf("hubspotsim: edit %s %s: %s", t.name, id, pl.fail.body.Message)
	}
	w.apply(pl)
	return nil
}

// SeedContact creates a contact that b2h did not create, as a person or
// another integration would: hs_additional_emails may be set. It panics if
// the properties are invalid or an email is taken, which is a mistake in
// the calling test.
func (s *Server) SeedContact(props map[string]string) (id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.types["0-1"]
	w := s.newWriteCtx(t, s.now().UnixMilli())
	w.ui = true
	pl := w.planWrite(nil, flexMap(props), true)
	if pl.fail != nil {
		panic("hubspotsim: SeedContact: " + pl.fail.body.Message)
	}
	return idString(w.apply(pl).id)
}

// flexMap converts plain values to write inputs.
func flexMap(props map[string]string) map[string]flex {
	out := make(map[string]flex, len(props))
	for k, v := range props {
		out[k] = flex{s: v}
	}
	return out
}

// SetTier changes the account's subscription tier, as an upgrade or a
// downgrade between two runs would: custom objects, custom association
// labels, sensitive data and the daily budget follow the new tier (the
// ten-secondly burst of a running limiter stays). Existing custom objects
// and labels stay readable.
func (s *Server) SetTier(t Tier) {
	s.tierMu.Lock()
	s.tier = t
	s.tierMu.Unlock()
	_, daily := tierLimits(t)
	s.limits.mu.Lock()
	s.limits.tierDaily = daily
	s.limits.mu.Unlock()
}

// currentTier is the account's tier now.
func (s *Server) currentTier() Tier {
	s.tierMu.Lock()
	defer s.tierMu.Unlock()
	return s.tier
}
