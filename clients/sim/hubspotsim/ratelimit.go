package hubspotsim

import (
	"sort"
	"strconv"
	"sync"
	"time"
)

// 429 policy names (hubspot-api.md §9).
const (
	policyTenSecondly = "TEN_SECONDLY_ROLLING"
	policyDaily       = "DAILY"
	policySecondly    = "SECONDLY" // the search limit's message (§8, §9)
)

// Window sizes (§9, §8).
const (
	burstInterval  = 10 * time.Second
	searchInterval = time.Second
	searchPerSec   = 5
)

// tierLimits is the per-10-s burst and the daily budget of a tier (§9 table,
// current figures).
func tierLimits(t Tier) (burst, daily int) {
	switch t {
	case TierFree, TierStarter:
		return 100, 250_000
	case TierEnterprise:
		return 190, 1_000_000
	default:
		return 190, 625_000
	}
}

// window counts admitted requests over an exact rolling interval: a request
// at t is admitted when fewer than cap(ring) admitted requests have
// timestamps in (t-span, t]. Timestamps are kept in a ring in arrival order
// (forced monotonic), so admitting is O(1) and counting O(log n).
type window struct {
	span int64   // ns
	ts   []int64 // ring of admitted timestamps, ns
	head int     // oldest entry
	n    int
	last int64
}

// newWindow returns a window admitting max requests per span.
func newWindow(max int, span time.Duration) *window {
	return &window{span: int64(span), ts: make([]int64, max)}
}

// clamp keeps timestamps monotonic even if the clock steps back.
func (w *window) clamp(t int64) int64 {
	if t < w.last {
		return w.last
	}
	return t
}

// admit records a request at t if the window has room.
func (w *window) admit(t int64) bool {
	t = w.clamp(t)
	w.last = t
	if w.n < len(w.ts) {
		w.ts[(w.head+w.n)%len(w.ts)] = t
		w.n++
		return true
	}
	if w.ts[w.head] > t-w.span { // the oldest of the last max is still inside
		return false
	}
	w.ts[w.head] = t
	w.head = (w.head + 1) % len(w.ts)
	return true
}

// count returns how many admitted requests fall in (t-span, t].
func (w *window) count(t int64, span int64) int {
	t = w.clamp(t)
	first := sort.Search(w.n, func(i int) bool { return w.ts[(w.head+i)%len(w.ts)] > t-span })
	return w.n - first
}

// limiter enforces one account's limits (§9): the ten-secondly burst
// window, the search window and the daily budget.
type limiter struct {
	mu            sync.Mutex
	on            bool
	max           int
	tierDaily     int
	dailyOverride int
	burst         *window
	search        *window
	loc           *time.Location
	resetAt       time.Time // the next midnight in loc; zero before the first request
	used          int
}

// newLimiter builds the limiter for a tier.
func newLimiter(t Tier, on bool, dailyOverride int) *limiter {
	max, daily := tierLimits(t)
	loc, err := time.LoadLocation("America/New_York") // the account time zone "US/Eastern"
	if err != nil {
		loc = time.FixedZone("EST", -5*3600)
	}
	return &limiter{
		on: on, max: max, tierDaily: daily, dailyOverride: dailyOverride,
		burst: newWindow(max, burstInterval), search: newWindow(searchPerSec, searchInterval), loc: loc,
	}
}

// setDailyOverride replaces the fault profile's daily limit.
func (l *limiter) setDailyOverride(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dailyOverride = n
}

// nominalDaily is the account's daily budget whether or not it is enforced.
func (l *limiter) nominalDaily() int {
	if l.dailyOverride > 0 {
		return l.dailyOverride
	}
	return l.tierDaily
}

// enforcedDaily is the enforced daily budget, 0 for none.
func (l *limiter) enforcedDaily() int {
	if l.dailyOverride > 0 {
		return l.dailyOverride
	}
	if l.on {
		return l.tierDaily
	}
	return 0
}

// roll resets the daily count when the clock reaches the next midnight of
// the account's time zone (§9), by the simulator's clock. Only reaching it
// resets: a clock set back keeps the day's count.
func (l *limiter) roll(now time.Time) {
	if !l.resetAt.IsZero() && now.Before(l.resetAt) {
		return
	}
	if !l.resetAt.IsZero() {
		l.used = 0
	}
	local := now.In(l.loc)
	l.resetAt = time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, l.loc)
}

// admit decides one request. policy is "" when it may proceed; headers are
// the X-HubSpot-RateLimit-* headers to send (none for search, §9).
func (l *limiter) admit(now time.Time, search bool) (policy string, headers [][2]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll(now)
	ns := now.UnixNano()
	switch {
	case l.enforcedDaily() > 0 && l.used >= l.enforcedDaily():
		policy = policyDaily
	case l.on && search && !l.search.admit(ns):
		policy = policySecondly
	case l.on && !search && !l.burst.admit(ns):
		policy = policyTenSecondly
	default:
		l.used++
	}
	if !search {
		headers = l.headersLocked(ns, false)
	}
	return policy, headers
}

// headers returns the rate-limit headers without admitting a request;
// exhausted reports Remaining 0 (an injected 429).
func (l *limiter) headers(now time.Time, exhausted bool) [][2]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll(now)
	return l.headersLocked(now.UnixNano(), exhausted)
}

// headersLocked builds the §9 headers. Interval headers only when limits are
// enforced; daily headers whenever a daily budget is enforced.
func (l *limiter) headersLocked(ns int64, exhausted bool) [][2]string {
	var h [][2]string
	if daily := l.enforcedDaily(); daily > 0 {
		h = append(h,
			[2]string{"X-HubSpot-RateLimit-Daily", strconv.Itoa(daily)},
			[2]string{"X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(0, daily-l.used))})
	}
	if l.on {
		rem := l.max - l.burst.count(ns, l.burst.span)
		secMax := l.max / 10
		secRem := secMax - l.burst.count(ns, int64(time.Second))
		if exhausted {
			rem = 0
		}
		h = append(h,
			[2]string{"X-HubSpot-RateLimit-Interval-Milliseconds", strconv.Itoa(int(burstInterval / time.Millisecond))},
			[2]string{"X-HubSpot-RateLimit-Max", strconv.Itoa(l.max)},
			[2]string{"X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(0, rem))},
			[2]string{"X-HubSpot-RateLimit-Secondly", strconv.Itoa(secMax)},
			[2]string{"X-HubSpot-RateLimit-Secondly-Remaining", strconv.Itoa(max(0, secRem))})
	}
	return h
}

// usage reports today's usage for the account-info endpoint.
func (l *limiter) usage(now time.Time) (used, limit int, resetsAt time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.roll(now)
	return l.used, l.nominalDaily(), l.resetAt
}

// DailyResetAt is when the daily budget is next whole again: the next
// midnight of the account's time zone by the simulator's clock
// (Options.Now), as the daily-usage endpoint's resetsAt says.
func (s *Server) DailyResetAt() time.Time {
	_, _, at := s.limits.usage(s.now())
	return at
}
