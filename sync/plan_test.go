package sync_test

import (
	"fmt"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestDryRunIsThePlanAndWritesNothing: a dry run goes through the same code
// path as the live run, sends no write, and predicts the live run's actions
// and request count.
func TestDryRunIsThePlanAndWritesNothing(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 300, Seed: 5, Tier: "enterprise"})
	plan, rec, err := h.run(sync.Options{Mode: sync.Full, DryRun: true, PlanDetail: true, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if w := h.env.HubSpot.Stats().Writes; w != 0 {
		t.Fatalf("dry run sent %d HubSpot writes", w)
	}
	planned := 0
	for _, ev := range rec.events {
		if p, ok := ev.(sync.RecordPlanned); ok {
			planned++
			if p.Action == sync.ActCreate && p.Entity == mapping.Tenants {
				for _, c := range p.Changes {
					if c.Old != "" || c.New == "" {
						t.Errorf("a create's diff is every new value against nothing: %+v", c)
					}
				}
			}
		}
	}
	if planned == 0 {
		t.Fatal("no per-record plan events")
	}
	if plan.Predicted == nil || plan.Predicted.Requests == 0 {
		t.Fatalf("no prediction: %+v", plan.Predicted)
	}
	live, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range mapping.Entities() {
		p, l := plan.Entities[ent], live.Entities[ent]
		if p != l {
			t.Errorf("%s: plan %+v, live %+v", ent, p, l)
		}
	}
	writes := live.HubSpot.Writes
	if int64(plan.Predicted.Requests) != writes {
		t.Errorf("plan predicted %d write requests, the live run sent %d (%v)", plan.Predicted.Requests, writes, h.env.HubSpot.Stats().ByKind)
	}
	// After the live run, a plan shows field-level diffs for what changed.
	tenants := h.env.Buildium.Snapshot().Tenants
	var target int32
	for _, tn := range tenants {
		if tn.FirstName != "" && mapping.ValidEmail(mapping.NormalizeEmail(tn.Email)) {
			target = tn.ID
			break
		}
	}
	if err := h.env.Buildium.UpdateTenant(target, func(tn *buildium.Tenant) { tn.FirstName = "Renamed" }); err != nil {
		t.Fatal(err)
	}
	_, rec, err = h.run(sync.Options{Mode: sync.Full, DryRun: true, PlanDetail: true, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range rec.events {
		if p, ok := ev.(sync.RecordPlanned); ok && p.SourceID == fmt.Sprint(target) {
			if p.Action != sync.ActUpdate || len(p.Changes) != 1 || p.Changes[0].Field != "firstname" || p.Changes[0].New != "Renamed" {
				t.Errorf("plan for the renamed tenant: %+v", p)
			}
			found = true
		}
	}
	if !found {
		t.Error("the renamed tenant is not in the plan")
	}
}

// TestPropertyScopeNeverWidens: a run restricted to some properties touches
// only those properties and what is under them.
func TestPropertyScopeNeverWidens(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 400, Seed: 8, Tier: "professional"})
	p := h.env.Buildium.Snapshot()
	scope := []int32{p.Rentals[1].ID, p.Rentals[3].ID}
	in := map[int32]bool{scope[0]: true, scope[1]: true}
	sum, _, err := h.run(sync.Options{Mode: sync.Full, PropertyIDs: scope, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum.Entities[mapping.Properties].Read; got != 2 {
		t.Fatalf("properties read %d, want 2", got)
	}
	wantUnits := map[string]bool{}
	for _, u := range p.Units {
		if in[u.PropertyID] {
			wantUnits[fmt.Sprint(u.ID)] = true
		}
	}
	for _, l := range h.readAll("0-420", []string{mapping.KeyProperty, mapping.KeyUnit, mapping.RecordTypeProperty}) {
		switch l.props[mapping.RecordTypeProperty] {
		case "property":
			var id int32
			fmt.Sscan(l.props[mapping.KeyProperty], &id)
			if !in[id] {
				t.Errorf("property %d outside the scope reached HubSpot", id)
			}
		case "unit":
			if !wantUnits[l.props[mapping.KeyUnit]] {
				t.Errorf("unit %s outside the scope reached HubSpot", l.props[mapping.KeyUnit])
			}
		}
	}
	inScopeTenant := map[string]bool{}
	for _, l := range p.Leases {
		if in[l.PropertyID] {
			for _, lt := range l.Tenants {
				inScopeTenant[fmt.Sprint(lt.ID)] = true
			}
		}
	}
	n := 0
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant}) {
		if k := c.props[mapping.KeyTenant]; k != "" {
			n++
			if !inScopeTenant[k] {
				t.Errorf("tenant %s outside the scope reached HubSpot", k)
			}
		}
	}
	if n == 0 {
		t.Error("no tenant of the scoped properties landed")
	}
}
