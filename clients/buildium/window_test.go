package buildium

import (
	"context"
	"testing"
	"time"
)

// TestSlidingWindowNeverExceedsLimit: under a fake clock, no window of
// one second (reference/buildium-api.md §3) ever holds more than 10 starts,
// however the waits interleave, and the limiter does not go slower than
// its guard requires.
func TestSlidingWindowNeverExceedsLimit(t *testing.T) {
	w := newPacer(10).(*slidingWindow)
	clock := time.Unix(0, 0)
	w.now = func() time.Time { return clock }
	var starts []time.Time
	for len(starts) < 95 {
		w.mu.Lock()
		full := len(w.sent) == w.n
		var free time.Time
		if full {
			free = w.sent[0].Add(w.span)
		}
		w.mu.Unlock()
		if full && clock.Before(free) {
			clock = free // what the timer would wait for
		}
		if err := w.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clock)
		if len(starts)%7 == 0 {
			clock = clock.Add(350 * time.Millisecond) // the engine pauses now and then
		}
	}
	for i := range starts {
		n := 0
		for _, s := range starts[i:] {
			if s.Sub(starts[i]) < time.Second {
				n++
			}
		}
		if n > 10 {
			t.Fatalf("%d starts within one second from %v", n, starts[i].Sub(starts[0]))
		}
	}
	if span := w.span; span != time.Second+windowGuard {
		t.Errorf("window %v, want 1s + %v", span, windowGuard)
	}
}

// TestSlidingWindowHonoursContext: a full window returns the context's
// error instead of waiting.
func TestSlidingWindowHonoursContext(t *testing.T) {
	w := newPacer(2).(*slidingWindow)
	ctx, cancel := context.WithCancel(context.Background())
	for range 2 {
		if err := w.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if err := w.Wait(ctx); err == nil {
		t.Fatal("a full window with a cancelled context did not fail")
	}
}
