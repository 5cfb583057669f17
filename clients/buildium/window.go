package buildium

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// windowGuard is the least added to the limiter's window: requests reach
// Buildium a little later, and with a little more spread, than they are
// written here. Buildium counts a request when it handles it; at 20 ms a
// 100,000-tenant sync on a busy two-core machine (the simulators beside
// b2h) drew one 429 in 5,300 requests, the first of ten handled late. 40
// ms costs 2 % of the rate.
const windowGuard = 40 * time.Millisecond

// pendingPoll is how often a full window whose oldest request is not yet
// on the wire looks again.
const pendingPoll = 10 * time.Millisecond

// waiter paces requests. Wait returns sent, to be called once the request
// is on the wire (or has failed to get there).
type waiter interface {
	Wait(ctx context.Context) (sent func(), err error)
}

// newPacer returns the limiter for r requests per second. Buildium's limit
// is "10 concurrent requests per second" (reference/buildium-api.md §3):
// no more than 10 in any one-second window. A sliding window of the last
// requests honours exactly that, and unlike a token bucket of burst 1 it
// makes up a pause with a burst that stays under the limit. Rates above
// 100/s (benchmarks against simulators with limits off) use a token bucket.
func newPacer(r float64) waiter {
	if r > 100 {
		return bucket{rate.NewLimiter(rate.Limit(r), int(r))}
	}
	n := max(1, int(math.Floor(r)))
	span := time.Duration(float64(n) / r * float64(time.Second))
	return &slidingWindow{sent: make([]*slot, 0, n), n: n, span: span, guard: windowGuard, now: time.Now}
}

// maxWindowGuard bounds how far 429s widen the guard.
const maxWindowGuard = 320 * time.Millisecond

// feedback is what a limiter learns from Buildium's answers.
type feedback interface {
	throttled() // Buildium answered 429
	answered()  // Buildium answered something else
}

// bucket adapts a token bucket to waiter.
type bucket struct{ l *rate.Limiter }

func (b bucket) Wait(ctx context.Context) (func(), error) { return func() {}, b.l.Wait(ctx) }

// slidingWindow lets a request go when the request n places before it
// went on the wire at least span ago. It counts from when requests were
// written, not from when they were let go: a request held up between the
// two (a busy machine, a slow connection) would otherwise arrive close to
// the ones after it, and Buildium would count n+1 in one second.
type slidingWindow struct {
	mu   sync.Mutex
	sent []*slot // the last n requests, oldest first
	n    int
	span time.Duration // n requests per span is the rate
	// guard is added to span. Buildium counts requests when they arrive,
	// and their delay varies (the network; a busy server): each 429 says
	// the variation outgrew the guard, which doubles; answers without a
	// 429 shrink it back, a millisecond each, to windowGuard.
	guard time.Duration
	now   func() time.Time
}

func (w *slidingWindow) throttled() {
	w.mu.Lock()
	w.guard = min(2*w.guard, maxWindowGuard)
	w.mu.Unlock()
}

func (w *slidingWindow) answered() {
	w.mu.Lock()
	w.guard = max(w.guard-time.Millisecond, windowGuard)
	w.mu.Unlock()
}

// slot is one request: when it was let go, then when it was written.
type slot struct {
	at      time.Time
	written bool
}

// Wait blocks until a request may go, or ctx is done.
func (w *slidingWindow) Wait(ctx context.Context) (func(), error) {
	for {
		w.mu.Lock()
		now := w.now()
		var wait time.Duration
		switch {
		case len(w.sent) < w.n:
		case !w.sent[0].written:
			wait = pendingPoll // it counts from a time still to come
		default:
			wait = w.sent[0].at.Add(w.span + w.guard).Sub(now)
		}
		if wait <= 0 {
			s := &slot{at: now}
			if len(w.sent) == w.n {
				copy(w.sent, w.sent[1:])
				w.sent = w.sent[:w.n-1]
			}
			w.sent = append(w.sent, s)
			w.mu.Unlock()
			return func() { w.written(s) }, nil
		}
		w.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// spend fills the window with requests written now (see
// Options.StartSpent).
func (w *slidingWindow) spend() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	w.sent = w.sent[:0]
	for range w.n {
		w.sent = append(w.sent, &slot{at: now, written: true})
	}
}

// written stamps a request as on the wire now (the first call counts).
func (w *slidingWindow) written(s *slot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !s.written {
		s.at, s.written = w.now(), true
	}
}
