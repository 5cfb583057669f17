package sync_test

import (
	"testing"

	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestIncrementalMovesOnlyWhatChanged: after a full sync, an incremental run
// with no Buildium change sends no write; after mutating 5 % of Buildium
// (names, emails, phones, rents, lease moves, new and ended leases) it
// writes only the changed records, and HubSpot then equals a fresh full
// sync of the mutated data.
func TestIncrementalMovesOnlyWhatChanged(t *testing.T) {
	o := sim.Options{Scale: 600, Seed: 21, Tier: "enterprise"}
	h := newHarness(t, o)
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}

	before := h.env.HubSpot.Stats()
	noop, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if w := h.env.HubSpot.Stats().Writes - before.Writes; w != 0 {
		t.Fatalf("no-op incremental sent %d writes (%+v)", w, noop.Entities)
	}

	mut := h.env.Buildium.Mutate(0.05, 99)
	if mut.Count() == 0 {
		t.Fatal("mutation changed nothing")
	}
	before = h.env.HubSpot.Stats()
	inc, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	after := h.env.HubSpot.Stats()
	t.Logf("mutated %d tenants, %d units, %d rentals, %d leases; incremental: %+v; writes by kind before %v after %v",
		len(mut.Tenants), len(mut.Units), len(mut.Rentals), len(mut.Leases), inc.Entities, before.ByKind, after.ByKind)

	// Only changed records were written: upserts = the batches of changed
	// records, and no more records than Buildium changed.
	upserts := after.ByKind["objects.batch.upsert"] - before.ByKind["objects.batch.upsert"]
	var want int64
	for _, ent := range []mapping.Entity{mapping.Properties, mapping.Units, mapping.Tenants, mapping.EmergencyContacts} {
		c := inc.Entities[ent]
		want += int64((c.Created + c.Updated + 99) / 100)
	}
	if upserts != want {
		t.Errorf("incremental sent %d upsert batches, want %d (one per 100 changed records)", upserts, want)
	}
	if c := inc.Entities[mapping.Tenants]; c.Created+c.Updated > len(mut.Tenants) {
		t.Errorf("wrote %d tenants, Buildium changed %d", c.Created+c.Updated, len(mut.Tenants))
	}
	if c := inc.Entities[mapping.Tenants]; c.Read >= 600 {
		t.Errorf("incremental read %d tenants: the window should hold only the changed ones", c.Read)
	}

	// HubSpot now equals a fresh full sync of the mutated portfolio.
	ref := newHarness(t, sim.Options{Portfolio: h.env.Buildium.Snapshot(), Tier: "enterprise"})
	if _, _, err := ref.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	got, wantFacts := hubspotContents(t, h), hubspotContents(t, ref)
	for k := range wantFacts {
		if !got[k] {
			t.Errorf("missing after incremental: %s", k)
		}
	}
	for k := range got {
		if !wantFacts[k] {
			t.Errorf("extra after incremental: %s", k)
		}
	}

	// And again nothing to do.
	before = h.env.HubSpot.Stats()
	if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if w := h.env.HubSpot.Stats().Writes - before.Writes; w != 0 {
		t.Errorf("second incremental after the mutation sent %d writes", w)
	}
}

// TestLedgeredFailuresRetriedNextRun: records HubSpot rejects in run 1 are
// ledgered; the cursor advances past them, yet run 2 (incremental, Buildium
// unchanged) fetches and lands them.
func TestLedgeredFailuresRetriedNextRun(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 300, Seed: 4, Tier: "professional", Faults: "hubspot.record=0.05,seed=3"})
	sum1, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	failed := map[string]bool{}
	open, err := h.st.OpenLedger(state.Kind(mapping.Tenants))
	if err != nil {
		t.Fatal(err)
	}
	for _, le := range open {
		if le.ErrorType == "hubspot_validation" || le.ErrorType == "hubspot" {
			failed[le.SourceID] = true
		}
	}
	if len(failed) == 0 || sum1.Entities[mapping.Tenants].Failed != len(failed) {
		t.Fatalf("run 1: %d tenants failed, %d ledgered", sum1.Entities[mapping.Tenants].Failed, len(failed))
	}
	h.env.HubSpot.SetFaults(zeroFaults())
	sum2, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := sum2.Entities[mapping.Tenants].Created; got != len(failed) {
		t.Errorf("run 2 created %d tenants, want the %d that failed (%+v)", got, len(failed), sum2.Entities[mapping.Tenants])
	}
	landed := map[string]bool{}
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant}) {
		landed[c.props[mapping.KeyTenant]] = true
	}
	for id := range failed {
		if !landed[id] {
			t.Errorf("tenant %s failed in run 1 and is still not in HubSpot", id)
		}
		if le, err := h.st.Ledger(state.Kind(mapping.Tenants), id); err != nil || !le.Resolved {
			t.Errorf("tenant %s: ledger entry not resolved (%+v, %v)", id, le, err)
		}
	}
}
