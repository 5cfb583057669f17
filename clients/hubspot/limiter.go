package hubspot

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Rate is a request budget: at most Max requests in any rolling Interval.
type Rate struct {
	Max      int
	Interval time.Duration
}

// Per-window defaults (hubspot-api.md §9).
const (
	// defaultMargin requests of the window are left unused: a cushion for
	// anything the client cannot see (a clock step, a proxy's retry).
	defaultMargin = 2
	// defaultSlack is added to the window for clock granularity.
	defaultSlack = 20 * time.Millisecond
	// pollInterval re-checks a window whose every slot is an in-flight
	// request (no known expiry yet).
	pollInterval = 20 * time.Millisecond
	// pruneFloor is the least history acquire keeps before counting.
	pruneFloor = 1024
)

// window is a rolling-window limiter: a request may be sent when fewer than
// max-margin requests are counted in the last interval. Unlike a token
// bucket it can never admit more than max requests in any rolling interval,
// which is how HubSpot counts (TEN_SECONDLY_ROLLING).
//
// A request takes its slot when it is admitted, so concurrent in-flight
// requests are all counted. HubSpot stamps a request when it arrives, at
// some moment between the client writing it and the first byte of the
// response; the only moment the client knows to be no earlier is that first
// byte (httptrace GotFirstResponseByte), or the failure of a request that
// got no response. The slot frees one interval (plus slack) after it. The
// price of never crossing the window is each request's latency: a slot is
// held for interval + latency, about 2–5 % of the budget against HubSpot's
// few-hundred-millisecond batch responses, nothing on loopback.
type window struct {
	mu       sync.Mutex
	now      func() time.Time
	max      int
	interval time.Duration
	margin   int
	slack    time.Duration
	slots    []*slot // admitted requests, live or expired for less than an interval (history for observe)
	blocked  time.Time
	gated    bool // before the first response: one request in flight at a time
	inFlight int
	pruneAt  int       // acquire counts live slots when there are this many (or the limit's)
	widened  time.Time // when the margin last grew
	// turn serialises waiting: only the goroutine holding it sleeps on the
	// window, the others queue on the channel (FIFO), so hundreds of
	// concurrent callers do not all wake and rescan at every expiry.
	turn chan struct{}
}

// slot is one admitted request.
type slot struct {
	start    time.Time // admitted
	wrote    time.Time // written to the connection; zero until then
	answered time.Time // first response byte; zero until then
	ended    time.Time // finished (answered or failed); zero until then
}

func newWindow(r Rate, margin int, now func() time.Time) *window {
	w := &window{
		now: now, max: r.Max, interval: r.Interval, margin: margin,
		slack: defaultSlack, turn: make(chan struct{}, 1), pruneAt: pruneFloor,
	}
	w.turn <- struct{}{}
	return w
}

// expiry returns when s stops counting, and false while it has no known
// expiry (in flight, no response yet).
func (w *window) expiry(s *slot) (time.Time, bool) {
	switch {
	case !s.answered.IsZero():
		return s.answered.Add(w.interval + w.slack), true
	case !s.ended.IsZero():
		return s.ended.Add(w.interval + w.slack), true
	}
	return time.Time{}, false
}

// limit is how many slots may be live at once.
func (w *window) limit() int { return max(1, w.max-w.margin) }

// live counts slots still counting at t and drops history older than one
// interval.
func (w *window) live(t time.Time) int {
	n := 0
	keep := w.slots[:0]
	for _, s := range w.slots {
		exp, ok := w.expiry(s)
		if ok && !exp.After(t.Add(-w.interval)) {
			continue
		}
		keep = append(keep, s)
		if !ok || exp.After(t) {
			n++
		}
	}
	clear(w.slots[len(keep):])
	w.slots = keep
	return n
}

// untilRoom returns how long until need more slots have expired at t, and
// false when fewer than need live slots have a known expiry.
func (w *window) untilRoom(t time.Time, need int) (time.Duration, bool) {
	var exps []time.Time
	for _, s := range w.slots {
		if exp, ok := w.expiry(s); ok && exp.After(t) {
			exps = append(exps, exp)
		}
	}
	need = max(need, 1)
	if len(exps) < need {
		return 0, false
	}
	slices.SortFunc(exps, func(a, b time.Time) int { return a.Compare(b) })
	return max(exps[need-1].Sub(t), time.Millisecond), true
}

// acquire waits until the window has room and takes a slot. It returns the
// time spent waiting.
func (w *window) acquire(ctx context.Context, sleep func(context.Context, time.Duration) error) (*slot, time.Duration, error) {
	start := w.now()
	select {
	case <-w.turn:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	defer func() { w.turn <- struct{}{} }()
	var waited time.Duration
	for {
		if err := ctx.Err(); err != nil {
			return nil, waited, err
		}
		w.mu.Lock()
		t := w.now()
		var wait time.Duration
		n, lim := len(w.slots), w.limit()
		if n >= lim || n >= w.pruneAt {
			// Count (and drop old history) only when it can matter: fewer
			// slots than the limit, live or not, leave room. Far below the
			// limit (a fast account, limits off) this keeps admission O(1),
			// not a scan of every request of the last two intervals.
			n = w.live(t)
			w.pruneAt = max(pruneFloor, 2*len(w.slots))
		}
		switch {
		case t.Before(w.blocked):
			wait = w.blocked.Sub(t)
		case w.gated && w.inFlight > 0:
			wait = pollInterval
		case n < lim:
			s := &slot{start: t}
			w.slots = append(w.slots, s)
			w.inFlight++
			w.mu.Unlock()
			return s, max(waited, t.Sub(start)), nil
		default:
			var ok bool
			if wait, ok = w.untilRoom(t, n-lim+1); !ok {
				wait = pollInterval
			}
		}
		w.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			return nil, waited, err
		}
		waited += wait
	}
}

// written records that s's request has been written to the connection.
func (w *window) written(s *slot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t := w.now(); t.After(s.wrote) {
		s.wrote = t
	}
}

// answered records that the first byte of s's response arrived.
func (w *window) answered(s *slot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s.answered.IsZero() {
		s.answered = w.now()
	}
}

// finish records that s's request is over; if response is true a response
// arrived, which ends the warm-up gate.
func (w *window) finish(s *slot, response bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s.ended.IsZero() {
		s.ended = w.now()
		if response && s.answered.IsZero() {
			s.answered = s.ended
		}
		w.inFlight--
	}
	if response {
		w.gated = false
	}
}

// resize applies the budget HubSpot announced in its headers.
func (w *window) resize(r Rate) {
	if r.Max <= 0 || r.Interval <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.max, w.interval = r.Max, r.Interval
}

// rate returns the budget in force.
func (w *window) rate() Rate {
	w.mu.Lock()
	defer w.mu.Unlock()
	return Rate{Max: w.max, Interval: w.interval}
}

// observe reconciles the window with HubSpot's own count: serverCount
// requests were in HubSpot's window when it processed the request of s.
// If that is more than this client sent, someone else is using the same
// app's budget (another process, or this one before a restart), and the
// difference is booked as phantom slots so that pacing leaves room for them.
func (w *window) observe(s *slot, serverCount int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ref := s.sentAt()
	ours := 0
	for _, o := range w.slots {
		if exp, ok := w.expiry(o); !ok || exp.After(ref) {
			ours++
		}
	}
	if extra := serverCount - ours; extra > 0 {
		t := w.now()
		for range extra {
			w.slots = append(w.slots, &slot{start: t, wrote: t, answered: t, ended: t})
		}
	}
}

// rateLimited reacts to a 429 TEN_SECONDLY_ROLLING answered to the
// attempt-th try of the request of s, whose slot it releases: HubSpot's
// window is full. Every request pauses:
//
//   - until the oldest request this client sent before s leaves the window
//     (the earliest moment HubSpot can have room if its window holds our
//     traffic), at least backoff(attempt);
//   - with no earlier request of ours in the window the 429 is someone
//     else's traffic (another process on the same app, or this one before a
//     restart) and its timing is unknown: a jittered eighth of the window,
//     doubling per attempt up to a whole window, so a saturated window costs
//     a handful of probes, not a storm.
//
// If our own window was (nearly) full, our pacing was too tight, and the
// margin grows by one (at most once per interval, up to a tenth of the
// window). It returns the pause.
func (w *window) rateLimited(s *slot, attempt int) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.now()
	n := w.live(t)
	w.removeLocked(s)
	if n >= w.limit()-1 && w.margin < max(defaultMargin, w.max/10) && !t.Before(w.widened.Add(w.interval)) {
		w.margin++
		w.widened = t
	}
	ref := s.sentAt()
	var oldest time.Time
	for _, o := range w.slots {
		if o == s || !o.sentAt().Before(ref) {
			continue
		}
		if exp, ok := w.expiry(o); ok && exp.After(t) && (oldest.IsZero() || exp.Before(oldest)) {
			oldest = exp
		}
	}
	var wait time.Duration
	if oldest.IsZero() {
		ceil := w.interval
		if attempt < 4 {
			ceil = w.interval >> (4 - attempt)
		}
		wait = ceil/2 + rand.N(ceil/2+1)
	} else {
		wait = max(oldest.Sub(t), backoff(attempt))
	}
	wait = min(wait, w.interval+w.slack)
	if until := t.Add(wait); until.After(w.blocked) {
		w.blocked = until
	}
	return w.blocked.Sub(t)
}

// release frees the slot of a request HubSpot rejected without counting
// it (a 429: the request was not admitted to its window). If HubSpot did
// count it after all, observe books it again from the next response's
// X-HubSpot-RateLimit-Remaining.
func (w *window) release(s *slot) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.removeLocked(s)
}

func (w *window) removeLocked(s *slot) {
	if i := slices.Index(w.slots, s); i >= 0 {
		w.slots = slices.Delete(w.slots, i, i+1)
	}
}

// sentAt is when the request was written, or admitted if not yet written.
func (s *slot) sentAt() time.Time {
	if !s.wrote.IsZero() {
		return s.wrote
	}
	return s.start
}

// perSecond converts a requests-per-second budget into a Rate.
func perSecond(f float64) Rate {
	if f <= 0 {
		f = 5
	}
	if f >= 1 {
		return Rate{Max: int(math.Floor(f)), Interval: time.Second}
	}
	return Rate{Max: 1, Interval: time.Duration(float64(time.Second) / f)}
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
