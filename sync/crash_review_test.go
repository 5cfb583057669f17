package sync_test

import (
	"testing"
	"time"

	"b2h/clients/sim"
	"b2h/sync"
)

// TestCrashReviewApply: a full sync holds duplicate groups and existing
// contacts for review; `b2h review --apply` (TestCrashChildRun's review
// mode: every open item decided by crashDecision, one decision per
// commit) is SIGKILLed at random decisions and run again, then the sync
// that applies the decisions (merging duplicate groups in HubSpot) is
// SIGKILLed at random events and run again. HubSpot must end exactly as
// after the same steps uninterrupted, every decision applied, the state
// sound after every kill; undoing every job leaves HubSpot as it was.
func TestCrashReviewApply(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	// Kills aim at event lines, not at times: it runs beside the other
	// parallel tests (TestCrashConverges, timed, runs alone before them).
	t.Parallel()
	points := crashPoints(4)
	o := sim.Options{Scale: 200, Seed: 11, Tier: "enterprise"}
	full := sync.Options{Mode: sync.Full, Today: fixedNow}

	ref := newHarness(t, o)
	if _, _, err := ref.run(full); err != nil {
		t.Fatal(err)
	}
	items, err := ref.st.ReviewItems("open")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 2 {
		t.Fatalf("%d open review items after the first sync: the test proves nothing", len(items))
	}
	for _, it := range items {
		if err := ref.st.PutDecision(crashDecision(it)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := ref.run(full); err != nil {
		t.Fatal(err)
	}
	want := hubspotContents(t, ref)

	o.Faults = "hubspot.latency=2ms" // slower writes: more kills land mid-batch
	rig := newCrashRig(t, o)
	defer rig.fig.report(t, "review-apply")
	pre := hubspotContentsEnv(t, rig.env)
	rig.inProcess(func(h *harness) {
		if _, _, err := h.run(full); err != nil {
			t.Fatal(err)
		}
	})
	// review --apply, killed between (and during) its decisions.
	applyKills := max(1, points/2)
	for i := 0; i < applyKills; i++ {
		rig.child("review", 1+rig.rng.IntN(len(items)), time.Duration(rig.rng.Int64N(int64(2*time.Millisecond))))
		rig.checkState()
	}
	rig.child("review", 0, 0)
	rig.checkState()
	// The sync that applies them, killed anywhere.
	for i := applyKills; i < points; i++ {
		rig.child("full", 1+rig.rng.IntN(rig.eventRange(40)), time.Duration(rig.rng.Int64N(int64(15*time.Millisecond))))
		rig.checkState()
	}
	rig.child("full", 0, 0)
	rig.checkState()
	t.Logf("review apply: %d kill points over %d decisions and the sync applying them, %d landed mid-run", points, len(items), rig.killed)
	if rig.killed == 0 {
		t.Fatal("no kill landed during a run")
	}
	rig.fig.compare(t, "crashed review --apply and sync", hubspotContentsEnv(t, rig.env), want)
	rig.inProcess(func(h *harness) {
		decs, err := h.st.Decisions()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range decs {
			if d.AppliedByJob == "" {
				t.Errorf("decision %s (%s) was never applied", d.ID, d.Resolution)
			}
		}
		if len(decs) != len(items) {
			t.Errorf("%d decisions recorded for %d items", len(decs), len(items))
		}
		rig.fig.undoAll(t, h, pre)
	})
}
