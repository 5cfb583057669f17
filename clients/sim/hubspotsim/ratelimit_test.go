package hubspotsim

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"b2h/clients/sim/fault"
)

// rateHeaders are the §9 headers sent on non-search responses.
var rateHeaders = []string{
	"X-HubSpot-RateLimit-Daily", "X-HubSpot-RateLimit-Daily-Remaining",
	"X-HubSpot-RateLimit-Interval-Milliseconds", "X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining",
}

// check429 asserts a §9 429 body with policy and message.
func check429(t *testing.T, r resp, policy, msg string) {
	t.Helper()
	r.want(t, 429)
	if r.str("status") != "error" || r.str("message") != msg || r.str("errorType") != "RATE_LIMIT" ||
		r.str("policyName") != policy || r.str("correlationId") == "" || r.str("requestId") == "" {
		t.Errorf("429 body = %s", r.raw)
	}
}

func TestTenSecondlyLimitPerTier(t *testing.T) {
	cases := []struct {
		tier      Tier
		max       int
		dailyHead string
	}{
		// ref: hubspot-api.md §9 table "Free / Starter 100 … 250,000; Professional 190 … 625,000; Enterprise 190 … 1,000,000"
		{TierFree, 100, "250000"},
		{TierStarter, 100, "250000"},
		{TierProfessional, 190, "625000"},
		{TierEnterprise, 190, "1000000"},
	}
	for _, tc := range cases {
		t.Run(string(tc.tier), func(t *testing.T) {
			h := newHarness(t, Options{Tier: tc.tier, RateLimits: true, ListingsEnabled: true})
			for i := 1; i <= tc.max; i++ {
				r := h.do("GET", "/crm/v3/objects/contacts?limit=1", nil).want(t, 200)
				if got := r.header.Get("X-HubSpot-RateLimit-Remaining"); got != strconv.Itoa(tc.max-i) {
					t.Fatalf("request %d: Remaining = %q, want %d", i, got, tc.max-i)
				}
			}
			// ref: hubspot-api.md §9 '429 … "You have reached your ten_secondly_rolling limit.","policyName":"TEN_SECONDLY_ROLLING"'
			r := h.do("GET", "/crm/v3/objects/contacts?limit=1", nil)
			check429(t, r, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.")
			// ref: hubspot-api.md §9 "Headers on (non-search) responses"
			for _, k := range rateHeaders {
				if r.header.Get(k) == "" {
					t.Errorf("429 lacks header %s", k)
				}
			}
			if r.header.Get("X-HubSpot-RateLimit-Max") != strconv.Itoa(tc.max) || r.header.Get("X-HubSpot-RateLimit-Interval-Milliseconds") != "10000" ||
				r.header.Get("X-HubSpot-RateLimit-Remaining") != "0" || r.header.Get("X-HubSpot-RateLimit-Daily") != tc.dailyHead {
				t.Errorf("headers = %v", r.header)
			}
			if st := h.s.Stats(); st.RateLimited != 1 || st.Errors[429] != 1 {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestRollingWindowIsExact(t *testing.T) {
	h := newHarness(t, Options{Tier: TierFree, RateLimits: true})
	get := func() resp { return h.do("GET", "/account-info/v3/details", nil) }
	// 50 requests at t0, 50 at t0+5s.
	for i := 0; i < 50; i++ {
		get().want(t, 200)
	}
	h.clock.Advance(5 * time.Second)
	for i := 0; i < 50; i++ {
		get().want(t, 200)
	}
	// ref: hubspot-api.md §9 (via brief) "EXACT rolling 10,000 ms window … (now-10s, now]"
	h.clock.Advance(5*time.Second - time.Millisecond) // t0+9.999s: all 100 still inside
	check429(t, get(), "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.")
	// A rejected request does not count (doc.go): a rejection storm must not extend the window.
	for i := 0; i < 20; i++ {
		get().want(t, 429)
	}
	h.clock.Advance(time.Millisecond) // t0+10s: the first 50 fall out of (now-10s, now]
	for i := 0; i < 50; i++ {
		if r := get(); r.status != 200 {
			t.Fatalf("request %d at t0+10s: %d", i, r.status)
		}
	}
	get().want(t, 429)
	if st := h.s.Stats(); st.RateLimited != 22 {
		t.Errorf("RateLimited = %d, want 22", st.RateLimited)
	}
}

func TestWindow(t *testing.T) {
	sec := int64(time.Second)
	cases := []struct {
		name  string
		max   int
		at    []int64 // request times in seconds ×1e9
		admit []bool
	}{
		{"under max", 3, []int64{0, 0, 0}, []bool{true, true, true}},
		{"over max", 2, []int64{0, 0, 0}, []bool{true, true, false}},
		{"boundary exclusive", 2, []int64{0, 1, 10, 10, 11}, []bool{true, true, true, false, true}},
		{"clock steps back", 2, []int64{5, 4, 4}, []bool{true, true, false}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWindow(tc.max, 10*time.Second)
			for i, at := range tc.at {
				if got := w.admit(at * sec); got != tc.admit[i] {
					t.Errorf("request %d at %ds: admit = %v, want %v", i, at, got, tc.admit[i])
				}
			}
		})
	}
	w := newWindow(5, 10*time.Second)
	for _, at := range []int64{0, 2, 4} {
		w.admit(at * sec)
	}
	if got := w.count(12*sec, w.span); got != 1 {
		t.Errorf("count at 12s = %d, want 1 (only the 4s request is inside (2s, 12s])", got)
	}
}

func TestDailyLimit(t *testing.T) {
	for _, limits := range []bool{true, false} {
		t.Run("ratelimits="+strconv.FormatBool(limits), func(t *testing.T) {
			// ref: hubspot-api.md §9 daily limit; fault.Profile.DailyLimit overrides (brief)
			h := newHarness(t, Options{Tier: TierProfessional, RateLimits: limits, Faults: fault.Profile{DailyLimit: 5}})
			for i := 0; i < 5; i++ {
				r := h.do("GET", "/account-info/v3/details", nil).want(t, 200)
				if r.header.Get("X-HubSpot-RateLimit-Daily") != "5" || r.header.Get("X-HubSpot-RateLimit-Daily-Remaining") != strconv.Itoa(4-i) {
					t.Fatalf("daily headers = %v", r.header)
				}
				if hasInterval := r.header.Get("X-HubSpot-RateLimit-Max") != ""; hasInterval != limits {
					t.Errorf("interval headers present = %v with RateLimits %v", hasInterval, limits)
				}
			}
			// ref: hubspot-api.md §9 '"You have reached your daily limit.","errorType":"RATE_LIMIT",…,"policyName":"DAILY"'
			check429(t, h.do("GET", "/account-info/v3/details", nil), "DAILY", "You have reached your daily limit.")
			check429(t, h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{}), "DAILY", "You have reached your daily limit.")
			// ref: hubspot-api.md §9 "the daily limit resets at midnight in the account's time zone" (US/Eastern)
			h.clock.Advance(4*time.Hour + 59*time.Minute) // 19:59 UTC = 14:59 EST, same day
			h.do("GET", "/account-info/v3/details", nil).want(t, 429)
			h.clock.Advance(10 * time.Hour) // 05:59 UTC next day = 00:59 EST
			h.do("GET", "/account-info/v3/details", nil).want(t, 200)
		})
	}
}

func TestTierDailyLimit(t *testing.T) {
	l := newLimiter(TierFree, true, 0)
	now := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	l.roll(now)
	l.used = 249_999 // ref: hubspot-api.md §9 "Free / Starter … 250,000" per day
	if p, _ := l.admit(now, false); p != "" {
		t.Fatalf("request 250,000 refused: %s", p)
	}
	if p, _ := l.admit(now.Add(time.Minute), false); p != policyDaily {
		t.Errorf("request 250,001 policy = %q, want DAILY", p)
	}
	off := newLimiter(TierFree, false, 0)
	off.roll(now)
	off.used = 1_000_000
	if p, h := off.admit(now, false); p != "" || len(h) != 0 {
		t.Errorf("limits off: policy %q headers %v", p, h)
	}
}

func TestSearchLimit(t *testing.T) {
	h := newHarness(t, Options{Tier: TierProfessional, RateLimits: true})
	search := func() resp { return h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{}) }
	for i := 0; i < 5; i++ {
		r := search().want(t, 200)
		// ref: hubspot-api.md §8 "Search responses carry no X-HubSpot-RateLimit-* headers"
		if k := rateHeaderIn(r.header); k != "" {
			t.Errorf("search response has %s", k)
		}
	}
	// ref: hubspot-api.md §8 "5 requests/second per account"; §9 "You have reached your secondly limit."
	r := search()
	check429(t, r, "SECONDLY", "You have reached your secondly limit.")
	if k := rateHeaderIn(r.header); k != "" {
		t.Errorf("search 429 has %s", k)
	}
	// ref: hubspot-api.md §8 "Search is marked exempt from the ten-secondly limit"
	g := h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200)
	if g.header.Get("X-HubSpot-RateLimit-Remaining") != "189" {
		t.Errorf("searches used the ten-secondly window: Remaining = %s", g.header.Get("X-HubSpot-RateLimit-Remaining"))
	}
	h.clock.Advance(time.Second)
	search().want(t, 200)
}

// rateHeaderIn returns the first X-HubSpot-RateLimit-* header of h, or "".
func rateHeaderIn(h http.Header) string {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-hubspot-ratelimit-") {
			return k
		}
	}
	return ""
}

func TestRateLimitsOff(t *testing.T) {
	h := newHarness(t, Options{Tier: TierFree})
	for i := 0; i < 150; i++ {
		r := h.do("GET", "/crm/v3/objects/contacts?limit=1", nil).want(t, 200)
		if r.header.Get("X-HubSpot-RateLimit-Max") != "" {
			t.Fatalf("interval headers sent with limits off")
		}
	}
	for i := 0; i < 10; i++ {
		h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{}).want(t, 200)
	}
}

// TestDailyBudgetResetsAtTheAccountMidnight: the daily budget is spent
// until the simulated clock (Options.Now) reaches midnight in the
// account's time zone (US/Eastern), to the millisecond, and is whole again
// from then on: the headers, the usage endpoint and DailyResetAt agree.
func TestDailyBudgetResetsAtTheAccountMidnight(t *testing.T) {
	h := newHarness(t, Options{Tier: TierProfessional, Faults: fault.Profile{DailyLimit: 3}})
	et, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database")
	}
	// The clock starts at 2026-11-02 15:00 UTC = 10:00 EST.
	midnight := time.Date(2026, 11, 3, 0, 0, 0, 0, et)
	if got := h.s.DailyResetAt(); !got.Equal(midnight) {
		t.Errorf("DailyResetAt = %v, want %v", got, midnight)
	}
	for range 3 {
		h.do("GET", "/account-info/v3/details", nil).want(t, 200)
	}
	check429(t, h.do("GET", "/account-info/v3/details", nil), "DAILY", "You have reached your daily limit.")
	h.clock.Advance(midnight.Sub(h.clock.Now()) - time.Millisecond) // 23:59:59.999 EST
	check429(t, h.do("GET", "/crm/v3/objects/contacts", nil), "DAILY", "You have reached your daily limit.")
	h.clock.Advance(time.Millisecond) // midnight
	r := h.do("GET", "/account-info/v3/details", nil).want(t, 200)
	if got := r.header.Get("X-HubSpot-RateLimit-Daily-Remaining"); got != "2" {
		t.Errorf("after the reset Daily-Remaining = %s, want 2", got)
	}
	if got, want := h.s.DailyResetAt(), midnight.AddDate(0, 0, 1); !got.Equal(want) {
		t.Errorf("DailyResetAt after the reset = %v, want %v", got, want)
	}
	h.do("GET", "/account-info/v3/details", nil).want(t, 200)
	h.do("GET", "/account-info/v3/details", nil).want(t, 200)
	h.do("GET", "/account-info/v3/details", nil).want(t, 429) // the new day's budget is the same size
}

// TestDailyResetAcrossDST: on the days the clocks change, the budget still
// resets at the local midnight (04:00 UTC in summer time, 05:00 in winter).
func TestDailyResetAcrossDST(t *testing.T) {
	et, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tz database")
	}
	for _, tc := range []struct {
		name       string
		start, mid time.Time
	}{
		{"spring forward", time.Date(2026, 3, 8, 12, 0, 0, 0, et), time.Date(2026, 3, 9, 4, 0, 0, 0, time.UTC)},
		{"fall back", time.Date(2026, 11, 1, 12, 0, 0, 0, et), time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC)},
	} {
		l := newLimiter(TierProfessional, false, 1)
		if p, _ := l.admit(tc.start, false); p != "" {
			t.Fatalf("%s: first request refused: %s", tc.name, p)
		}
		if p, _ := l.admit(tc.mid.Add(-time.Second), false); p != policyDaily {
			t.Errorf("%s: a second before midnight: policy %q, want DAILY", tc.name, p)
		}
		if p, _ := l.admit(tc.mid, false); p != "" {
			t.Errorf("%s: at midnight (%v): refused %q", tc.name, tc.mid, p)
		}
	}
}

// TestDailyBudgetDoesNotResetBackwards: a clock set back (a test reusing a
// simulator) does not hand out a fresh budget; only reaching the next
// midnight does.
func TestDailyBudgetDoesNotResetBackwards(t *testing.T) {
	l := newLimiter(TierProfessional, false, 1)
	now := time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)
	l.admit(now, false)
	if p, _ := l.admit(now.Add(-24*time.Hour), false); p != policyDaily {
		t.Errorf("a day back: policy %q, want DAILY (spent)", p)
	}
	if p, _ := l.admit(now.Add(24*time.Hour), false); p != "" {
		t.Errorf("a day on: refused %q", p)
	}
}
