package gen

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"b2h/clients/buildium"
)

// recordJSON renders each record without its derived fields, so that a
// change to a lease does not count as a change to its tenants.
func recordJSON(t *testing.T, p *Portfolio) map[Ref]string {
	t.Helper()
	q := p.Clone()
	q.Strip()
	out := map[Ref]string{}
	put := func(k Kind, id int32, v any) { out[Ref{k, id}] = string(mustJSON(t, v)) }
	for _, r := range q.Rentals {
		put(KindRental, r.ID, r)
	}
	for _, u := range q.Units {
		u.IsUnitOccupied = nil
		put(KindUnit, u.ID, u)
	}
	for _, tn := range q.Tenants {
		put(KindTenant, tn.ID, tn)
	}
	for _, l := range q.Leases {
		l.CurrentNumberOfOccupants = 0
		put(KindLease, l.ID, l)
	}
	return out
}

func TestMutate(t *testing.T) {
	p := Generate(Options{Scale: 1000, Seed: 11})
	before := recordJSON(t, p)
	beforeUpdated := p.Clone().Updated
	at := DefaultNow.Add(36 * time.Hour)
	s := Mutate(p, 0.05, 42, at)

	total := len(before)
	if n := s.Count(); n < total*4/100 || n > total*6/100+5 {
		t.Fatalf("changed %d of %d records, want about 5%%", n, total)
	}
	for _, sub := range []struct {
		name string
		ids  []int32
	}{{"NewLeases", s.NewLeases}, {"EndedLeases", s.EndedLeases}, {"MovedLeases", s.MovedLeases}, {"NewTenants", s.NewTenants}} {
		if len(sub.ids) == 0 {
			t.Errorf("no %s at 5%% of 1000 tenants", sub.name)
		}
	}
	for _, sub := range [][]int32{s.NewLeases, s.EndedLeases, s.MovedLeases} {
		for _, id := range sub {
			if !slices.Contains(s.Leases, id) {
				t.Errorf("lease %d in a subset but not in Leases", id)
			}
		}
	}

	changed := map[Ref]bool{}
	for _, r := range s.Refs() {
		changed[r] = true
		if got := p.Updated[r]; !got.Equal(at) {
			t.Errorf("%v: hidden update time %v, want %v", r, got, at)
		}
	}
	after := recordJSON(t, p)
	for r, js := range after {
		old, existed := before[r]
		switch {
		case !existed && !changed[r]:
			t.Errorf("%v is new but not reported", r)
		case existed && old != js && !changed[r]:
			t.Errorf("%v changed but not reported", r)
		case existed && old == js && changed[r]:
			t.Errorf("%v reported but unchanged", r)
		case !changed[r] && !p.Updated[r].Equal(beforeUpdated[r]):
			t.Errorf("%v: hidden time moved without a change", r)
		}
	}
	ix := p.BuildIndex()
	for _, id := range s.EndedLeases {
		l := p.Leases[ix.Lease[id]]
		if l.LeaseStatus != StatusPast || l.LeaseToDate >= at.Format(time.DateOnly) {
			t.Errorf("ended lease %d: status %s, to %s", id, l.LeaseStatus, l.LeaseToDate)
		}
	}
	checkSorted(t, p)
	checkLinks(t, p)
}

func TestMutateIsDeterministic(t *testing.T) {
	base := Generate(Options{Scale: 300, Seed: 2})
	a, b := base.Clone(), base.Clone()
	at := DefaultNow.Add(time.Hour)
	sa, sb := Mutate(a, 0.1, 9, at), Mutate(b, 0.1, 9, at)
	if !bytes.Equal(mustJSON(t, a), mustJSON(t, b)) || !bytes.Equal(mustJSON(t, sa), mustJSON(t, sb)) {
		t.Fatal("same seed, different mutations")
	}
	c := base.Clone()
	Mutate(c, 0.1, 10, at)
	if bytes.Equal(mustJSON(t, a), mustJSON(t, c)) {
		t.Fatal("different seeds, same mutations")
	}
}

func TestMutateEdgeCases(t *testing.T) {
	empty := Generate(Options{})
	if s := Mutate(empty, 0.5, 1, DefaultNow); s.Count() != 0 {
		t.Errorf("empty portfolio: %d changes", s.Count())
	}
	p := Generate(Options{Scale: 50, Seed: 1})
	if s := Mutate(p, 0, 1, DefaultNow); s.Count() != 0 {
		t.Errorf("fraction 0: %d changes", s.Count())
	}
	if s := Mutate(p, 0.0001, 1, DefaultNow); s.Count() != 1 {
		t.Errorf("tiny fraction: %d changes, want 1", s.Count())
	}
}

func TestMutateKeepsRecordsValid(t *testing.T) {
	p := Generate(Options{Scale: 200, Seed: 8})
	Mutate(p, 0.3, 3, DefaultNow.Add(time.Hour))
	var fresh []buildium.Tenant
	if err := json.Unmarshal(mustJSON(t, p.Tenants), &fresh); err != nil {
		t.Fatal(err)
	}
	for _, tn := range fresh {
		for _, ph := range tn.PhoneNumbers {
			if !slices.Contains(PhoneTypes, ph.Type) {
				t.Errorf("tenant %d: phone type %q", tn.ID, ph.Type)
			}
		}
	}
}
