package sync_test

import (
	"fmt"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// conflictSetup syncs a small portfolio, then edits one tenant's phone in
// HubSpot (through the simulator's API) and in Buildium, and its last name
// in HubSpot only. It returns the tenant id, its contact id and both
// phones.
func conflictSetup(t *testing.T) (h *harness, tenant int32, contact, hsPhone, bdPhone string) {
	t.Helper()
	h = newHarness(t, sim.Options{Scale: 80, Seed: 31, Tier: "professional"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	byKey := map[string]object{}
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant, "phone", "lastname"}) {
		byKey[c.props[mapping.KeyTenant]] = c
	}
	for _, tn := range h.env.Buildium.Snapshot().Tenants {
		if c, ok := byKey[fmt.Sprint(tn.ID)]; ok && c.props["phone"] != "" {
			tenant, contact = tn.ID, c.id
			break
		}
	}
	if contact == "" {
		t.Fatal("no synced tenant with a phone")
	}
	hsPhone, bdPhone = "+14155550111", "+14155550122"
	if err := h.env.HubSpot.EditObject("contacts", contact, map[string]string{"phone": hsPhone, "lastname": "Edited-In-HubSpot"}); err != nil {
		t.Fatal(err)
	}
	if err := h.env.Buildium.UpdateTenant(tenant, func(tn *buildium.Tenant) {
		tn.PhoneNumbers = []buildium.PhoneNumber{{Number: "(415) 555-0122", Type: "Cell"}}
	}); err != nil {
		t.Fatal(err)
	}
	return h, tenant, contact, hsPhone, bdPhone
}

func (h *harness) contact(t *testing.T, id string) map[string]string {
	t.Helper()
	for _, c := range h.readAll("contacts", []string{"phone", "lastname", "mobilephone"}) {
		if c.id == id {
			return c.props
		}
	}
	t.Fatalf("contact %s not found", id)
	return nil
}

// TestConflictStrategies: a phone edited in HubSpot and in Buildium since the
// last sync is a conflict; each strategy gives its documented result, and
// the last name edited only in HubSpot survives under every strategy.
func TestConflictStrategies(t *testing.T) {
	cases := []struct {
		strategy  string
		rules     map[string]string
		wantPhone func(hs, bd string) string
		wantHeld  bool
	}{
		{strategy: "", wantPhone: func(hs, bd string) string { return hs }, wantHeld: true}, // default: manual_review
		{strategy: sync.ManualReview, wantPhone: func(hs, bd string) string { return hs }, wantHeld: true},
		{strategy: sync.BuildiumWins, wantPhone: func(hs, bd string) string { return bd }},
		{strategy: sync.HubSpotWins, wantPhone: func(hs, bd string) string { return hs }},
		{strategy: sync.MergeFields, rules: map[string]string{"phone": "buildium"}, wantPhone: func(hs, bd string) string { return bd }},
		{strategy: sync.MergeFields, rules: map[string]string{"phone": "hubspot"}, wantPhone: func(hs, bd string) string { return hs }},
		{strategy: sync.MergeFields, wantPhone: func(hs, bd string) string { return hs }, wantHeld: true}, // no rule: review
	}
	for _, c := range cases {
		name := c.strategy
		if name == "" {
			name = "default"
		}
		if c.rules != nil {
			name += "-" + c.rules["phone"]
		}
		t.Run(name, func(t *testing.T) {
			h, tenant, contact, hsPhone, bdPhone := conflictSetup(t)
			sum, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow, ConflictStrategy: c.strategy, FieldRules: c.rules})
			if err != nil {
				t.Fatal(err)
			}
			got := h.contact(t, contact)
			if want := c.wantPhone(hsPhone, bdPhone); got["phone"] != want {
				t.Errorf("phone %q, want %q", got["phone"], want)
			}
			if got["lastname"] != "Edited-In-HubSpot" {
				t.Errorf("the HubSpot-only edit of lastname was overwritten: %q", got["lastname"])
			}
			_, err = h.st.ReviewItem(sync.ConflictID(mapping.Tenants, fmt.Sprint(tenant)))
			if held := err == nil; held != c.wantHeld {
				t.Errorf("held for review: %v, want %v (err %v)", held, c.wantHeld, err)
			}
			if c.wantHeld && sum.Entities[mapping.Tenants].Conflicts != 1 {
				t.Errorf("conflicts %d, want 1", sum.Entities[mapping.Tenants].Conflicts)
			}
			// Settled: a second run finds nothing new to write for it.
			if !c.wantHeld {
				before := h.env.HubSpot.Stats().Writes
				if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow, ConflictStrategy: c.strategy, FieldRules: c.rules}); err != nil {
					t.Fatal(err)
				}
				if w := h.env.HubSpot.Stats().Writes - before; w != 0 {
					t.Errorf("a settled conflict wrote again (%d writes)", w)
				}
			}
		})
	}
}

// TestConflictDecisionAppliesNextRun: a conflict held for review and then
// decided by a person (stored decision) lands on the next run as decided,
// and the review item closes.
func TestConflictDecisionAppliesNextRun(t *testing.T) {
	for _, d := range []struct {
		resolution string
		fields     map[string]string
		want       func(hs, bd string) string
	}{
		{resolution: sync.BuildiumWins, want: func(hs, bd string) string { return bd }},
		{resolution: sync.HubSpotWins, want: func(hs, bd string) string { return hs }},
		{resolution: "merge", fields: map[string]string{"phone": "value:+14155550199"}, want: func(hs, bd string) string { return "+14155550199" }},
	} {
		t.Run(d.resolution, func(t *testing.T) {
			h, tenant, contact, hsPhone, bdPhone := conflictSetup(t)
			if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			id := sync.ConflictID(mapping.Tenants, fmt.Sprint(tenant))
			if _, err := h.st.ReviewItem(id); err != nil {
				t.Fatalf("no review item: %v", err)
			}
			if err := h.st.PutDecision(state.Decision{ID: id, Type: "conflict", Resolution: d.resolution, Fields: d.fields, DecidedBy: "test"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			if got := h.contact(t, contact)["phone"]; got != d.want(hsPhone, bdPhone) {
				t.Errorf("phone %q, want %q", got, d.want(hsPhone, bdPhone))
			}
			if _, err := h.st.ReviewItem(id); err == nil {
				t.Error("the review item is still open after its decision was applied")
			}
			dec, err := h.st.Decision(id)
			if err != nil || dec.AppliedByJob == "" {
				t.Errorf("decision not marked applied: %+v %v", dec, err)
			}
		})
	}
}
