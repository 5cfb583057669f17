package hubspot

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// maxInWindow returns the most timestamps that fall in any half-open window
// [t, t+interval).
func maxInWindow(ts []time.Time, interval time.Duration) int {
	ts = slices.Clone(ts)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	best, j := 0, 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= interval {
			j++
		}
		best = max(best, i-j+1)
	}
	return best
}

// TestWindowNeverExceedsRollingLimit simulates HubSpot stamping each
// request at any moment between its write and its first response byte:
// however the stamps fall, no rolling interval holds more than Max − margin
// of them, and the window is still used.
func TestWindowNeverExceedsRollingLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	const maxLatency = 600 * time.Millisecond
	for _, r := range []Rate{{100, 10 * time.Second}, {190, 10 * time.Second}, {5, time.Second}} {
		clk := newFakeClock()
		w := newWindow(r, defaultMargin, clk.Now)
		var stamps []time.Time
		n := (r.Max - defaultMargin) * 6
		for range n {
			s, _, err := w.acquire(ctx, clk.Sleep)
			if err != nil {
				t.Fatal(err)
			}
			w.written(s)
			latency := time.Duration(rng.Int64N(int64(maxLatency)))
			stamps = append(stamps, s.wrote.Add(time.Duration(rng.Int64N(int64(latency)+1))))
			// The fake clock moves only through the limiter's waits, so the
			// response times are recorded directly.
			s.answered = s.wrote.Add(latency)
			s.ended = s.answered
			w.inFlight--
		}
		if got := maxInWindow(stamps, r.Interval); got > r.Max-defaultMargin {
			t.Errorf("%+v: %d requests in one rolling window", r, got)
		}
		span := clk.Now().Sub(stamps[0])
		if limit := 5 * (r.Interval + maxLatency + defaultSlack); span > limit {
			t.Errorf("%+v: %d requests took %v, want <= %v", r, n, span, limit)
		}
	}
}

func TestWindowConcurrentAdmissions(t *testing.T) {
	r := Rate{Max: 20, Interval: 150 * time.Millisecond}
	w := newWindow(r, defaultMargin, time.Now)
	var mu sync.Mutex
	var slots []*slot
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			for range 3 {
				s, _, err := w.acquire(context.Background(), sleepCtx)
				if err != nil {
					t.Error(err)
					return
				}
				w.written(s)
				w.answered(s)
				w.finish(s, true)
				mu.Lock()
				slots = append(slots, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var sent []time.Time
	for _, s := range slots {
		sent = append(sent, s.wrote)
	}
	if len(sent) != 90 {
		t.Fatalf("%d admissions", len(sent))
	}
	if got := maxInWindow(sent, r.Interval); got > r.Max-defaultMargin {
		t.Fatalf("%d requests in one rolling window of %v, limit %d", got, r.Interval, r.Max-defaultMargin)
	}
}

func TestWindowCountsInFlightRequests(t *testing.T) {
	clk := newFakeClock()
	w := newWindow(Rate{Max: 4, Interval: 10 * time.Second}, defaultMargin, clk.Now)
	a, _, _ := w.acquire(context.Background(), clk.Sleep)
	b, _, _ := w.acquire(context.Background(), clk.Sleep)
	// Both in flight, never written: no slot frees, however long we wait.
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, _, err := w.acquire(ctx, func(ctx context.Context, d time.Duration) error {
		if n++; n == 1000 {
			cancel()
		}
		return clk.Sleep(ctx, d)
	})
	if err == nil {
		t.Fatal("a third request was admitted while two were in flight")
	}
	// Written but unanswered, they still count; once answered (or
	// failed), they free an interval after that.
	w.written(a)
	w.written(b)
	clk.Sleep(context.Background(), 300*time.Millisecond)
	if _, ok := w.expiry(a); ok {
		t.Fatal("a written request without a response has an expiry")
	}
	w.finish(a, true)
	w.finish(b, false)
	start := clk.Now()
	if _, _, err := w.acquire(context.Background(), clk.Sleep); err != nil {
		t.Fatal(err)
	}
	if waited := clk.Now().Sub(start); waited != 10*time.Second+defaultSlack {
		t.Fatalf("waited %v after the responses", waited)
	}
}

func TestWindowGateBeforeFirstResponse(t *testing.T) {
	clk := newFakeClock()
	w := newWindow(Rate{Max: 100, Interval: 10 * time.Second}, defaultMargin, clk.Now)
	w.gated = true
	first, _, _ := w.acquire(context.Background(), clk.Sleep)
	ctx, cancel := context.WithCancel(context.Background())
	polls := 0
	_, _, err := w.acquire(ctx, func(ctx context.Context, d time.Duration) error {
		if polls++; polls == 3 {
			cancel()
		}
		return clk.Sleep(ctx, d)
	})
	if err == nil {
		t.Fatal("second request admitted before the first response")
	}
	// A failure without a response keeps the gate but lets the next one go.
	w.finish(first, false)
	s, _, err := w.acquire(context.Background(), clk.Sleep)
	if err != nil {
		t.Fatal(err)
	}
	w.finish(s, true)
	for range 50 {
		if _, _, err := w.acquire(context.Background(), clk.Sleep); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWindowObserveBooksOtherUsers(t *testing.T) {
	clk := newFakeClock()
	w := newWindow(Rate{Max: 10, Interval: 10 * time.Second}, defaultMargin, clk.Now)
	s, _, _ := w.acquire(context.Background(), clk.Sleep)
	w.written(s)
	w.answered(s)
	w.finish(s, true)
	// HubSpot says 7 requests are in its window; we sent 1.
	w.observe(s, 7)
	admitted := 0
	for {
		t0 := clk.Now()
		if _, _, err := w.acquire(context.Background(), clk.Sleep); err != nil {
			t.Fatal(err)
		}
		if clk.Now() != t0 {
			break
		}
		admitted++
	}
	if admitted != 10-defaultMargin-7 {
		t.Fatalf("admitted %d without waiting, want %d", admitted, 10-defaultMargin-7)
	}
	// Agreeing counts book nothing.
	w2 := newWindow(Rate{Max: 10, Interval: 10 * time.Second}, defaultMargin, clk.Now)
	s2, _, _ := w2.acquire(context.Background(), clk.Sleep)
	w2.written(s2)
	w2.observe(s2, 1)
	if n := len(w2.slots); n != 1 {
		t.Fatalf("%d slots", n)
	}
}

func TestWindowRateLimitedPausesAndWidensMargin(t *testing.T) {
	clk := newFakeClock()
	ctx := context.Background()
	w := newWindow(Rate{Max: 100, Interval: 10 * time.Second}, defaultMargin, clk.Now)
	send := func() *slot {
		s, _, err := w.acquire(ctx, clk.Sleep)
		if err != nil {
			t.Fatal(err)
		}
		w.written(s)
		w.answered(s)
		w.finish(s, true)
		return s
	}
	// One earlier request of ours, 4 s old: HubSpot's window (if it holds
	// our traffic) has room when it leaves, in 6 s + slack.
	send()
	clk.Sleep(ctx, 4*time.Second)
	limited := send()
	wait := w.rateLimited(limited, 1)
	if want := 6*time.Second + defaultSlack; wait != want {
		t.Fatalf("wait %v, want %v (until the oldest earlier request leaves the window)", wait, want)
	}
	if w.margin != defaultMargin {
		t.Fatalf("margin %d: a mostly empty window must not widen it", w.margin)
	}
	start := clk.Now()
	send()
	if clk.Now().Sub(start) != wait {
		t.Fatalf("acquire waited %v, want %v", clk.Now().Sub(start), wait)
	}
	// No earlier request of ours: someone else's traffic, a jittered
	// eighth of the window, doubling per attempt up to the window.
	for attempt, ceil := range map[int]time.Duration{1: 1250 * time.Millisecond, 2: 2500 * time.Millisecond, 3: 5 * time.Second, 4: 10 * time.Second, 9: 10 * time.Second} {
		clk.Sleep(ctx, time.Minute)
		if wait := w.rateLimited(send(), attempt); wait < ceil/2 || wait > ceil {
			t.Fatalf("attempt %d: wait %v, want in [%v, %v]", attempt, wait, ceil/2, ceil)
		}
	}
	// A 429 with our window full: our pacing was too tight, widen once per
	// interval, up to a tenth of the window.
	clk.Sleep(ctx, time.Minute)
	for i := range 30 {
		var last *slot
		for w.live(clk.Now()) < w.limit() {
			last = send()
		}
		w.rateLimited(last, 1)
		w.rateLimited(last, 1) // a second 429 of the same episode does not widen again
		if want := min(defaultMargin+1+i, 10); w.margin != want {
			t.Fatalf("round %d: margin %d, want %d", i, w.margin, want)
		}
		clk.Sleep(ctx, 11*time.Second)
	}
}

func TestPerSecond(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		want Rate
	}{{5, Rate{5, time.Second}}, {0, Rate{5, time.Second}}, {4.5, Rate{4, time.Second}}, {0.5, Rate{1, 2 * time.Second}}} {
		if got := perSecond(tt.f); got != tt.want {
			t.Errorf("perSecond(%v) = %+v, want %+v", tt.f, got, tt.want)
		}
	}
}

// TestWindowFarBelowTheLimitKeepsLittleHistory: with a limit far above the
// traffic (limits off), admission does not count the window at every
// request, yet the history of answered requests stays bounded, and it is
// still exact when the traffic does reach the limit.
func TestWindowFarBelowTheLimitKeepsLittleHistory(t *testing.T) {
	ctx := context.Background()
	clk := newFakeClock()
	w := newWindow(Rate{Max: 1_000_000, Interval: 10 * time.Millisecond}, defaultMargin, clk.Now)
	for range 20_000 {
		s, _, err := w.acquire(ctx, clk.Sleep)
		if err != nil {
			t.Fatal(err)
		}
		clk.Sleep(ctx, time.Millisecond)
		w.answered(s)
		w.finish(s, true)
		if len(w.slots) > 2*pruneFloor {
			t.Fatalf("%d slots of history kept for a 10 ms window at one request a millisecond", len(w.slots))
		}
	}
	// A small limit with the same history: still never more than it allows.
	w.resize(Rate{Max: 10, Interval: 10 * time.Millisecond})
	var stamps []time.Time
	for range 50 {
		s, _, err := w.acquire(ctx, clk.Sleep)
		if err != nil {
			t.Fatal(err)
		}
		stamps = append(stamps, clk.Now())
		w.answered(s)
		w.finish(s, true)
	}
	if got := maxInWindow(stamps, 10*time.Millisecond); got > 10-defaultMargin {
		t.Errorf("%d requests in one rolling window of a limit of 10", got)
	}
}
