package buildiumsim

import (
	"sync"
	"time"
)

// RateLimitPerSecond is Buildium's documented limit: "10 concurrent
// requests per second" (ref §3). The simulator reads it strictly: at most
// 10 accepted requests in any one-second window.
const RateLimitPerSecond = 10

// window is a sliding-window limiter: it remembers the times of the last
// `limit` accepted requests and refuses a request if the oldest of them is
// less than `span` ago. Refused requests do not count.
type window struct {
	limit int
	span  time.Duration

	mu    sync.Mutex
	times []time.Time // ring of accepted request times
	next  int
}

func (w *window) allow(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.times) < w.limit {
		w.times = append(w.times, now)
		return true
	}
	if now.Sub(w.times[w.next]) < w.span {
		return false
	}
	w.times[w.next] = now
	w.next = (w.next + 1) % w.limit
	return true
}
