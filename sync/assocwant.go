package sync

import (
	"cmp"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"b2h/state"
	"b2h/sync/mapping"
)

// This file holds the compact forms of the association pass's inputs and
// results. At 100,000 tenants there are some 150,000 tenant ↔ unit pairs
// and as many emergency-contact links; holding each as an assoc (seven
// strings), its outcome in a map by key, and every key again in a keep set
// cost tens of megabytes. Here a pair is 12 bytes, an outcome one byte, and
// assocs are built a chunk at a time as reconcile pulls them.

// tenantUnit is one tenant ↔ unit association the leases support, with
// the rank (labelRank) of its most current label.
type tenantUnit struct {
	tenant, unit int32
	rank         uint8
}

// rankLabels is labelRank inverted: the label of each rank.
var rankLabels = func() map[uint8]string {
	out := map[uint8]string{}
	for l, r := range labelRank {
		out[uint8(r)] = l
	}
	return out
}()

// tenantUnitSet is the tenant ↔ unit associations of a run, sorted by
// (tenant, unit), one per pair.
type tenantUnitSet struct{ pairs []tenantUnit }

// tenantUnits lists the pair of every lease tenant with the lease's unit,
// labelled from the lease's status and dates as of today; a tenant with
// several leases on one unit gets the most current label (labelRank).
func tenantUnits(leases []leaseLite, today time.Time) tenantUnitSet {
	n := 0
	for _, l := range leases {
		n += len(l.tenants)
	}
	pairs := make([]tenantUnit, 0, n)
	for _, l := range leases {
		bl := l.lease()
		for _, t := range l.tenants {
			if r := labelRank[mapping.LeaseLabel(bl, t.status, today)]; r > 0 {
				pairs = append(pairs, tenantUnit{tenant: t.id, unit: l.unitID, rank: uint8(r)})
			}
		}
	}
	// By pair, the highest rank first; then keep the first of each pair.
	slices.SortFunc(pairs, func(a, b tenantUnit) int {
		return cmp.Or(cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.unit, b.unit), cmp.Compare(b.rank, a.rank))
	})
	pairs = slices.CompactFunc(pairs, func(a, b tenantUnit) bool { return a.tenant == b.tenant && a.unit == b.unit })
	return tenantUnitSet{pairs: slices.Clip(pairs)}
}

// assocs yields the set's associations in order (tenant contact → unit).
func (s tenantUnitSet) assocs(unitObj string) iter.Seq[assoc] {
	return func(yield func(assoc) bool) {
		for _, p := range s.pairs {
			t, u := id32(p.tenant), id32(p.unit)
			a := assoc{key: "T" + t + ">U" + u, fromKind: state.Kind(mapping.Tenants), toKind: state.Kind(mapping.Units),
				fromSrc: t, toSrc: u, fromObj: objContacts, toObj: unitObj, label: rankLabels[p.rank]}
			if !yield(a) {
				return
			}
		}
	}
}

// index finds the pair (tenant, unit) in the set.
func (s tenantUnitSet) index(tenant, unit int32) (int, bool) {
	return slices.BinarySearchFunc(s.pairs, tenantUnit{tenant: tenant, unit: unit}, func(a, b tenantUnit) int {
		return cmp.Or(cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.unit, b.unit))
	})
}

// wanted reports whether key ("T<tenant>>U<unit>") is one of the set's
// associations.
func (s tenantUnitSet) wanted(key string) bool {
	t, u, ok := strings.Cut(key, ">")
	if !ok || !strings.HasPrefix(t, "T") || !strings.HasPrefix(u, "U") {
		return false
	}
	tid, ok1 := parseID32(t[1:])
	uid, ok2 := parseID32(u[1:])
	if !ok1 || !ok2 {
		return false
	}
	_, found := s.index(tid, uid)
	return found
}

// parseID32 parses a Buildium id as id32 formats it (and only so: "007"
// is not 7, as no key b2h writes holds it).
func parseID32(s string) (int32, bool) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || id32(int32(n)) != s {
		return 0, false
	}
	return int32(n), true
}

// outcomeActions are the actions an association can end with, by code.
var outcomeActions = []Action{ActUnchanged, ActCreate, ActUpdate, ActSkip, ActFailed}

// pairOutcomes holds the outcome of each association of a want list by
// index: one byte of action, the reason only where there is one.
type pairOutcomes struct {
	act []uint8
	why map[int]string
}

func newPairOutcomes(n int) *pairOutcomes {
	return &pairOutcomes{act: make([]uint8, n), why: map[int]string{}}
}

// set records the outcome of the i-th association (reconcile's done).
func (p *pairOutcomes) set(i int, _ assoc, o assocOutcome) {
	code := slices.Index(outcomeActions, o.act)
	if code < 0 { // not an outcome reconcile gives; kept as a skip would be
		code = slices.Index(outcomeActions, ActSkip)
	}
	p.act[i] = uint8(code)
	if o.why != "" {
		p.why[i] = o.why
	} else {
		delete(p.why, i)
	}
}

// get returns the outcome of the i-th association.
func (p *pairOutcomes) get(i int) assocOutcome {
	return assocOutcome{act: outcomeActions[p.act[i]], why: p.why[i]}
}

// assocs yields the emergency-contact associations, in collection order:
// each naming tenant → the person's contact, or → the tenant they are
// (never a tenant to themself).
func (c *ecCollector) assocs() iter.Seq[assoc] {
	return func(yield func(assoc) bool) {
		for i := range c.entries {
			en := &c.entries[i]
			if en.rejected {
				continue
			}
			k := en.key.String()
			more := c.more[int32(i)]
			for j := -1; j < len(more); j++ {
				t := en.first
				if j >= 0 {
					t = more[j]
				}
				a := assoc{key: "T" + id32(t) + ">E" + k, fromKind: state.Kind(mapping.Tenants), fromSrc: id32(t),
					toKind: state.Kind(mapping.EmergencyContacts), toSrc: k, fromObj: objContacts, toObj: objContacts,
					label: LabelEmergencyContact}
				if en.owner != 0 {
					if en.owner == t {
						continue // a tenant who names themself
					}
					a.toKind, a.toSrc = state.Kind(mapping.Tenants), id32(en.owner) // same key: the link is the tenant's
				}
				if !yield(a) {
					return
				}
			}
		}
	}
}

// wanted reports whether key is one of assocs' keys ("T<tenant>>E<person>").
func (c *ecCollector) wanted(key string) bool {
	t, rest, ok := strings.Cut(key, ">")
	if !ok || !strings.HasPrefix(t, "T") || !strings.HasPrefix(rest, "E") {
		return false
	}
	tid, ok := parseID32(t[1:])
	if !ok {
		return false
	}
	k, ok := parseECKey(rest[1:])
	if !ok {
		return false
	}
	i, ok := c.at[k]
	return ok && c.named(int(i), tid) && c.entries[i].owner != tid
}

// idSet is a set of source ids, compact for Buildium's numeric ones.
type idSet struct {
	nums  map[int32]struct{}
	other map[string]struct{}
}

func newIDSet() *idSet { return &idSet{nums: map[int32]struct{}{}} }

// add puts id in the set.
func (s *idSet) add(id string) {
	if n, ok := parseID32(id); ok {
		s.nums[n] = struct{}{}
		return
	}
	if s.other == nil {
		s.other = map[string]struct{}{}
	}
	s.other[id] = struct{}{}
}

// len is how many ids the set holds (0 for a nil set).
func (s *idSet) len() int {
	if s == nil {
		return 0
	}
	return len(s.nums) + len(s.other)
}

// has reports whether id is in the set (false for a nil set).
func (s *idSet) has(id string) bool {
	if s == nil {
		return false
	}
	if n, ok := parseID32(id); ok {
		_, in := s.nums[n]
		return in
	}
	_, in := s.other[id]
	return in
}
