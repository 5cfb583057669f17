package sync_test

import (
	"errors"
	"strconv"
	gosync "sync"
	"testing"
	"time"

	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/clients/sim/fault"
	"b2h/clients/sim/hubspotsim"
	"b2h/sync"
)

// simClock is a clock a test moves by hand, shared by the HubSpot
// simulator (its daily budget resets at the account's midnight) and the
// HubSpot client (its limiter and the reset time it reports).
type simClock struct {
	mu gosync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestDailyLimitPausesThenResumesAfterReset: a full sync whose HubSpot
// daily budget (fault daily=N) is smaller than the run needs pauses (status
// paused, which `b2h sync` exits 4 for, with ResumeAt at the account's next
// midnight); the next run before the reset pauses again without writing;
// once the simulated clock passes the account's midnight the budget is
// back and the next run resumes and ends exactly as one uninterrupted run:
// nothing lost, no duplicate.
func TestDailyLimitPausesThenResumesAfterReset(t *testing.T) {
	t.Parallel()                                     // it waits on the simulators, not on the CPU
	et, err := time.LoadLocation("America/New_York") // the simulated account's time zone
	if err != nil {
		t.Skip("no tz database: the account's midnight cannot be computed")
	}
	start := time.Date(2026, 3, 10, 15, 0, 0, 0, et)
	base := sim.Options{Scale: 250, Seed: 23, Tier: "enterprise"}
	ref := newHarness(t, base)
	refSum, _, err := ref.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	want := hubspotContents(t, ref)
	need := int(refSum.HubSpot.Requests)
	if need < 20 {
		t.Fatalf("the reference run made %d HubSpot requests: too few to split", need)
	}

	clock := &simClock{t: start}
	o := base
	// Only HubSpot's clock moves (sim.Options.Now would also move
	// Buildium's, and the portfolio's lease dates with it).
	o.HubSpot = &hubspotsim.Options{Now: clock.Now}
	// Three quarters of what the run needs (the schema set-up comes first):
	// the first day runs out mid-run, the second day finishes it.
	budget := need * 3 / 4
	o.Faults = "daily=" + strconv.Itoa(budget)
	h := newHarness(t, o)
	if h.hs, err = hubspot.New(hubspot.Options{BaseURL: h.env.HubSpotURL, Token: h.env.HubSpotToken, Now: clock.Now}); err != nil {
		t.Fatal(err)
	}

	midnight := time.Date(2026, 3, 11, 0, 0, 0, 0, et)
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	var dl *hubspot.DailyLimitError
	if !errors.As(err, &dl) || sum.Status != sync.StatusPaused {
		t.Fatalf("day 1 with a budget of %d of the %d requests needed: status %q, err %v; want paused (exit 4)", budget, need, sum.Status, err)
	}
	if sum.ResumeAt == nil {
		t.Fatal("a paused run says when it can resume: ResumeAt is unset")
	}
	if !sum.ResumeAt.Equal(midnight) || !sum.ResumeAt.Equal(h.env.HubSpot.DailyResetAt()) {
		t.Errorf("ResumeAt %v, want the account's next midnight %v (the simulator resets at %v)", sum.ResumeAt, midnight, h.env.HubSpot.DailyResetAt())
	}
	resumeAt := *sum.ResumeAt
	day1 := 0
	for _, c := range sum.Entities {
		day1 += c.Created + c.Updated
	}
	if day1 == 0 {
		t.Fatalf("the budget ran out before any write: not mid-run (%+v)", sum.Entities)
	}

	// Before the reset: still paused, and nothing more is written.
	clock.Set(midnight.Add(-time.Minute))
	h.connect()
	if h.hs, err = hubspot.New(hubspot.Options{BaseURL: h.env.HubSpotURL, Token: h.env.HubSpotToken, Now: clock.Now}); err != nil {
		t.Fatal(err)
	}
	sum, _, err = h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if sum.Status != sync.StatusPaused {
		t.Fatalf("a run a minute before the reset: status %q (%v), want paused", sum.Status, err)
	}
	for ent, c := range sum.Entities {
		if c.Created+c.Updated > 0 {
			t.Errorf("a run with no budget left wrote %d %s", c.Created+c.Updated, ent)
		}
	}

	// Past the account's midnight: the budget is back; the run resumes.
	clock.Set(midnight.Add(time.Minute))
	h.connect()
	if h.hs, err = hubspot.New(hubspot.Options{BaseURL: h.env.HubSpotURL, Token: h.env.HubSpotToken, Now: clock.Now}); err != nil {
		t.Fatal(err)
	}
	sum, _, err = h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if errors.As(err, &dl) {
		t.Fatalf("the run after the simulated midnight is still out of budget (the simulator's daily reset is missing?): %v", err)
	}
	if err != nil || (sum.Status != sync.StatusDone && sum.Status != sync.StatusDoneWithErrors) {
		t.Fatalf("the run after the reset: status %q, err %v", sum.Status, err)
	}
	h.env.HubSpot.SetFaults(fault.Profile{}) // the readback needs budget of its own
	compareContents(t, "a paused run resumed after the daily reset", hubspotContents(t, h), want)
	t.Logf("daily budget %d of %d requests: day 1 paused after %d records written (resume at %v); day 2 resumed and converged", budget, need, day1, resumeAt)
}
