package sync_test

import (
	"fmt"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestScopedRunKeepsTheHolds: a run scoped to one property, whose tenant
// shares an email with a tenant of another property, writes neither until
// the duplicate group is decided, as a full run would hold them.
func TestScopedRunKeepsTheHolds(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 120, Seed: 4, Tier: "professional"})
	p := h.env.Buildium.Snapshot()
	propOf := map[int32]int32{} // tenant → property of one of their leases
	for _, l := range p.Leases {
		for _, lt := range l.Tenants {
			propOf[lt.ID] = l.PropertyID
		}
	}
	// Two tenants on leases of different properties, the second given the
	// first's email.
	var a, b buildium.Tenant
	for _, x := range p.Tenants {
		if propOf[x.ID] == 0 || !mapping.ValidEmail(mapping.NormalizeEmail(x.Email)) {
			continue
		}
		switch {
		case a.ID == 0:
			a = x
		case propOf[x.ID] != propOf[a.ID]:
			b = x
		}
		if b.ID != 0 {
			break
		}
	}
	if b.ID == 0 {
		t.Fatal("no two tenants on different properties")
	}
	if err := h.env.Buildium.UpdateTenant(b.ID, func(t *buildium.Tenant) { t.Email = strings.ToUpper(a.Email) }); err != nil {
		t.Fatal(err)
	}
	scope := []int32{propOf[b.ID]}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, PropertyIDs: scope, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant}) {
		if k := c.props[mapping.KeyTenant]; k == fmt.Sprint(a.ID) || k == fmt.Sprint(b.ID) {
			t.Errorf("tenant %s, one of two sharing an email, was written by a scoped run before the group was decided", k)
		}
	}
	items, err := h.st.ReviewItems("open")
	if err != nil {
		t.Fatal(err)
	}
	held := false
	for _, it := range items {
		if it.Kind == state.Kind(mapping.Tenants) && strings.Contains(strings.Join(it.SourceIDs, ","), fmt.Sprint(b.ID)) {
			held = true
		}
	}
	if !held {
		t.Errorf("no open review item holds tenant %d", b.ID)
	}
}
