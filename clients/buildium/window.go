package buildium

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// windowGuard is added to the limiter's window: requests reach Buildium a
// little later, and with a little more spread, than they leave here.
const windowGuard = 20 * time.Millisecond

// waiter paces requests.
type waiter interface {
	Wait(ctx context.Context) error
}

// newPacer returns the limiter for r requests per second. Buildium's limit
// is "10 concurrent requests per second" (reference/buildium-api.md §3):
// no more than 10 in any one-second window. A sliding window of the last
// sends honours exactly that, and unlike a token bucket of burst 1 it makes
// up a pause with a burst that stays under the limit. Rates above 100/s
// (benchmarks against simulators with limits off) use a token bucket.
func newPacer(r float64) waiter {
	if r > 100 {
		return rate.NewLimiter(rate.Limit(r), int(r))
	}
	n := max(1, int(math.Floor(r)))
	span := time.Duration(float64(n)/r*float64(time.Second)) + windowGuard
	return &slidingWindow{sent: make([]time.Time, 0, n), n: n, span: span, now: time.Now}
}

// slidingWindow lets at most n requests start in any span.
type slidingWindow struct {
	mu   sync.Mutex
	sent []time.Time // start times of the last n requests, oldest first
	n    int
	span time.Duration
	now  func() time.Time
}

// Wait blocks until a request may start, or ctx is done.
func (w *slidingWindow) Wait(ctx context.Context) error {
	for {
		w.mu.Lock()
		now := w.now()
		if len(w.sent) < w.n {
			w.sent = append(w.sent, now)
			w.mu.Unlock()
			return nil
		}
		free := w.sent[0].Add(w.span)
		if !now.Before(free) {
			copy(w.sent, w.sent[1:])
			w.sent[len(w.sent)-1] = now
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()
		t := time.NewTimer(free.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
