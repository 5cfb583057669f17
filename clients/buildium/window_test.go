package buildium

import (
	"context"
	"testing"
	"time"
)

// TestSlidingWindowNeverExceedsLimit: under a fake clock, with requests
// written some time after they are let go (a busy machine), no window of
// one second (reference/buildium-api.md §3) ever holds more than 10
// writes, and the limiter runs no slower than its guard requires.
func TestSlidingWindowNeverExceedsLimit(t *testing.T) {
	w := newPacer(10).(*slidingWindow)
	clock := time.Unix(0, 0)
	w.now = func() time.Time { return clock }
	var writes []time.Time
	for i := 0; len(writes) < 95; i++ {
		sent, err := waitFake(w, &clock)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			clock = clock.Add(35 * time.Millisecond) // held up before it is written
		}
		sent()
		writes = append(writes, clock)
		if len(writes)%7 == 0 {
			clock = clock.Add(350 * time.Millisecond) // the engine pauses now and then
		}
	}
	for i := range writes {
		n := 0
		for _, s := range writes[i:] {
			if s.Sub(writes[i]) < time.Second {
				n++
			}
		}
		if n > 10 {
			t.Fatalf("%d writes within one second from %v", n, writes[i].Sub(writes[0]))
		}
	}
	if span := w.span + w.guard; span != time.Second+windowGuard {
		t.Errorf("window %v, want 1s + %v", span, windowGuard)
	}
	if el := writes[len(writes)-1].Sub(writes[0]); el > 12*time.Second {
		t.Errorf("95 requests took %v: slower than the window needs", el)
	}
}

// waitFake is Wait under the fake clock: where Wait would sleep, the clock
// jumps to when it would wake.
func waitFake(w *slidingWindow, clock *time.Time) (func(), error) {
	for {
		w.mu.Lock()
		var wake time.Time
		if len(w.sent) == w.n {
			if !w.sent[0].written {
				w.mu.Unlock()
				panic("the oldest request is never written in this test")
			}
			wake = w.sent[0].at.Add(w.span + w.guard)
		}
		w.mu.Unlock()
		if clock.Before(wake) {
			*clock = wake
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		sent, err := w.Wait(ctx)
		cancel()
		return sent, err
	}
}

// TestSlidingWindowHonoursContext: a full window returns the context's
// error instead of waiting.
func TestSlidingWindowHonoursContext(t *testing.T) {
	w := newPacer(2).(*slidingWindow)
	ctx, cancel := context.WithCancel(context.Background())
	for range 2 {
		sent, err := w.Wait(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sent()
	}
	cancel()
	if _, err := w.Wait(ctx); err == nil {
		t.Fatal("a full window with a cancelled context did not fail")
	}
}

// TestSlidingWindowWaitsForUnwrittenOldest: while the oldest request of a
// full window is not on the wire, no new one goes.
func TestSlidingWindowWaitsForUnwrittenOldest(t *testing.T) {
	w := newPacer(1).(*slidingWindow)
	first, err := w.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*pendingPoll)
	defer cancel()
	if _, err := w.Wait(ctx); err == nil {
		t.Fatal("a request went while the one before it was not yet written")
	}
	first()
}

// TestSlidingWindowGuardAdapts: a 429 widens the guard (doubling, bounded),
// answers without one narrow it back to the least.
func TestSlidingWindowGuardAdapts(t *testing.T) {
	w := newPacer(10).(*slidingWindow)
	for range 10 {
		w.throttled()
	}
	if w.guard != maxWindowGuard {
		t.Fatalf("guard %v after ten 429s, want the bound %v", w.guard, maxWindowGuard)
	}
	w.answered()
	if w.guard != maxWindowGuard-time.Millisecond {
		t.Fatalf("guard %v after one answer", w.guard)
	}
	for range 1000 {
		w.answered()
	}
	if w.guard != windowGuard {
		t.Fatalf("guard %v after many answers, want %v", w.guard, windowGuard)
	}
}

// TestStartSpent: a client that starts spent waits a window before its
// first request (another process may have used the key's budget), then
// runs at the rate.
func TestStartSpent(t *testing.T) {
	now := time.Unix(1000, 0)
	w := newPacer(10).(*slidingWindow)
	w.now = func() time.Time { return now }
	w.spend()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := w.Wait(ctx); err == nil {
		t.Fatal("a spent window let a request go at once")
	}
	now = now.Add(time.Second + windowGuard)
	for i := range 10 {
		if _, err := w.Wait(context.Background()); err != nil {
			t.Fatalf("request %d after the window: %v", i, err)
		}
	}
}
