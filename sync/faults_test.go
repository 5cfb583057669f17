package sync_test

import (
	"testing"

	"b2h/clients/sim"
	"b2h/clients/sim/fault"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestFaultsEveryRecordAccounted runs a full sync through a faulty network
// and HubSpot (429s, 5xx, resets, per-record 207 errors): the run finishes,
// every record is written or ledgered, and the counts add up to Buildium's.
func TestFaultsEveryRecordAccounted(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 600, Seed: 3, Tier: "enterprise",
		Faults: "hubspot.429=0.1,hubspot.5xx=0.05,hubspot.reset=0.02,hubspot.record=0.02,buildium.429=0.05,seed=9"})
	sum, rec, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatalf("run: %v (%+v)", err, sum)
	}
	shown := map[mapping.Entity]int{}
	for _, ev := range rec.events {
		if is, ok := ev.(sync.Issue); ok && is.Action == sync.ActFailed && shown[is.Entity] < 2 {
			shown[is.Entity]++
			t.Logf("failed %s %s: %s", is.Entity, is.SourceID, is.Message)
		}
	}
	if sum.HubSpot.RateLimited == 0 {
		t.Error("the fault profile injected no 429: the test proves nothing")
	}
	p := h.env.Buildium.Snapshot()
	totals := map[mapping.Entity]int{mapping.Properties: len(p.Rentals), mapping.Units: len(p.Units),
		mapping.Tenants: len(p.Tenants), mapping.Leases: len(p.Leases)}
	for ent, n := range totals {
		c := sum.Entities[ent]
		if c.Read != n {
			t.Errorf("%s: read %d, Buildium has %d", ent, c.Read, n)
		}
		if c.Accounted() != c.Read {
			t.Errorf("%s: outcomes add to %d, read %d (%+v)", ent, c.Accounted(), c.Read, c)
		}
	}
	failed := 0
	for _, c := range sum.Entities {
		failed += c.Failed
	}
	if failed == 0 {
		t.Error("record=0.02 should fail some records")
	}
	open, err := h.st.OpenLedger("")
	if err != nil {
		t.Fatal(err)
	}
	ledgered := map[state.Kind]int{}
	for _, e := range open {
		if e.ErrorType != "validation" && e.ErrorType != "skipped" {
			ledgered[e.Kind]++
		}
	}
	for ent, c := range sum.Entities {
		if ent == mapping.Leases {
			continue
		}
		if ledgered[state.Kind(ent)] < c.Failed {
			t.Errorf("%s: %d failed but %d in the ledger", ent, c.Failed, ledgered[state.Kind(ent)])
		}
	}
	// A second run, fault-free, lands what failed.
	h.env.HubSpot.SetFaults(zeroFaults())
	h.env.Buildium.SetFaults(zeroFaults())
	sum2, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	for ent, c := range sum2.Entities {
		if c.Failed != 0 {
			t.Errorf("second run %s: %d still failed", ent, c.Failed)
		}
	}
	t.Logf("run 1 failed %d (429s %d); run 2: %+v", failed, sum.HubSpot.RateLimited, sum2.Entities)
}

func zeroFaults() fault.Profile { return fault.Profile{} }
