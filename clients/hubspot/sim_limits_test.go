package hubspot

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"b2h/clients/sim/hubspotsim"
)

// remainingRecorder is a transport that notes the lowest
// X-HubSpot-RateLimit-Remaining seen: HubSpot's own count of the requests
// in its rolling window.
type remainingRecorder struct {
	mu     sync.Mutex
	lowest int
	seen   int
}

func (r *remainingRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		if v, e := strconv.Atoi(resp.Header.Get("X-HubSpot-RateLimit-Remaining")); e == nil {
			r.mu.Lock()
			if r.seen == 0 || v < r.lowest {
				r.lowest = v
			}
			r.seen++
			r.mu.Unlock()
		}
	}
	return resp, err
}

// TestSimRateLimitFillsWindowWithout429 fires more than a window's worth of
// concurrent requests at a professional account (190 per rolling 10 s,
// enforced exactly by the simulator): none may be answered 429, and the
// simulator's own count must show the window was used to within the margin.
// It takes one window (about 10 s) of wall time.
func TestSimRateLimitFillsWindowWithout429(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierProfessional, RateLimits: true})
	rec := &remainingRecorder{}
	c, _ := simClient(t, sim, url, realTime, func(o *Options) { o.HTTPClient = &http.Client{Transport: rec} })
	const perWindow = 190 - defaultMargin
	const n = perWindow + 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			_, err := c.BatchRead(context.Background(), "contacts", ReadRequest{IDs: []string{strconv.Itoa(i + 1)}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := sim.Stats()
	if st.RateLimited != 0 || c.Stats().RateLimited != 0 {
		t.Fatalf("%d requests answered 429", st.RateLimited)
	}
	if st.Requests != n {
		t.Fatalf("simulator saw %d requests, want %d", st.Requests, n)
	}
	// HubSpot's window held at least perWindow of our requests at once.
	if rec.seen != n || 190-rec.lowest < perWindow {
		t.Fatalf("lowest Remaining %d over %d responses: the window was not filled", rec.lowest, rec.seen)
	}
}

// TestSimRateLimitSharedBudget: another client (another process, or this
// one before a restart) has used the window; a fresh client learns it from
// X-HubSpot-RateLimit-Remaining on its first response and waits instead of
// drawing 429s.
func TestSimRateLimitSharedBudget(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierFree, RateLimits: true})
	first, _ := simClient(t, sim, url, realTime)
	burst(t, first, 100-defaultMargin)
	second, _ := simClient(t, sim, url, realTime)
	burst(t, second, 10)
	if st := sim.Stats(); st.RateLimited != 0 || st.Requests != 108 {
		t.Fatalf("%+v", st)
	}
	if w := second.Stats().LimiterWait; w < 9e9 {
		t.Fatalf("second client waited %v, want about one window", w)
	}
}

// TestSimRateLimit429ThenSuccess: the window is full of someone else's
// requests; the client is answered 429 TEN_SECONDLY_ROLLING, backs off and
// succeeds once the window frees (about one window of wall time).
func TestSimRateLimit429ThenSuccess(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierFree, RateLimits: true})
	other, _ := simClient(t, sim, url, realTime, func(o *Options) { o.InitialRate = Rate{Max: 1000, Interval: 10e9} })
	other.win.margin = 0 // an impolite neighbour: uses the whole window
	other.win.gated = false
	start := time.Now()
	burst(t, other, 100)
	if time.Since(start) > 8*time.Second {
		// On a loaded machine the burst outlived most of the window, so the
		// client may find room without a 429: nothing to test.
		t.Skip("the neighbour's burst took longer than the window")
	}
	c, _ := simClient(t, sim, url, realTime, func(o *Options) { o.MaxRetries = 30 })
	if _, err := c.ListingsEnabled(context.Background()); err != nil {
		t.Fatal(err)
	}
	st := c.Stats()
	if st.RateLimited == 0 || st.RateLimited != sim.Stats().RateLimited || st.Retries != st.RateLimited {
		t.Fatalf("client %+v, simulator %+v", st, sim.Stats())
	}
}

// TestSimSearchLimit429ThenSuccess: search has its own limit of 5 per second
// (hubspot-api.md §8); a 429 "secondly limit" is retried after 1 s × attempt.
// A neighbour's five searches fill the second first (the scenario repeats if
// a loaded machine spread them over more than a second).
func TestSimSearchLimit429ThenSuccess(t *testing.T) {
	t.Parallel()
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierFree, RateLimits: true})
	other, _ := simClient(t, sim, url, realTime, func(o *Options) { o.SearchPerSecond = 1000 })
	c, _ := simClient(t, sim, url, realTime)
	for try := 0; try < 5 && c.Stats().RateLimited == 0; try++ {
		var wg sync.WaitGroup
		for range 5 {
			wg.Go(func() {
				if _, err := other.Search(context.Background(), "contacts", SearchRequest{}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if _, err := c.Search(context.Background(), "contacts", SearchRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	st := c.Stats()
	if st.RateLimited == 0 || st.Retries != st.RateLimited || st.RetryWait < time.Second || c.Limits().Known {
		t.Fatalf("client %+v, limits %+v", st, c.Limits())
	}
}

// burst sends n concurrent cheap requests and fails on any error.
func burst(t *testing.T, c *Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := c.ListPropertyGroups(context.Background(), "contacts")
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
