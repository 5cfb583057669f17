package buildium_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/buildiumsim"
	"b2h/clients/sim/fault"
)

func TestRetriesRecoverFromFaults(t *testing.T) {
	for _, spec := range []string{"429=0.4", "5xx=0.4", "reset=0.3", "truncate=0.3", "429=0.1,5xx=0.1,reset=0.1,truncate=0.1"} {
		t.Run(spec, func(t *testing.T) {
			p, err := fault.Parse(spec+",seed=9", "buildium")
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, 1200, func(o *buildiumsim.Options) { o.Faults = p }, func(o *buildium.Options) {
				o.PageSize = 100
				o.MaxRetries = 12
			})
			want := e.sim.Snapshot()
			got, _, err := collect(t, e.client.Tenants(context.Background(), buildium.ListOptions{}))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tenantIDs(got), tenantIDs(want.Tenants)) {
				t.Fatalf("%d tenants after faults, want %d", len(got), len(want.Tenants))
			}
			st := e.client.Stats()
			if st.Retries == 0 || st.Requests != 12+st.Retries {
				t.Errorf("stats %+v: want retries, and requests = 12 pages + retries", st)
			}
			if strings.HasPrefix(spec, "429") && st.RateLimited == 0 {
				t.Errorf("stats %+v: no 429 counted", st)
			}
		})
	}
}

func TestRetriesRunOut(t *testing.T) {
	for _, tc := range []struct {
		spec  string
		check func(t *testing.T, err error)
	}{
		{"truncate=1", func(t *testing.T, err error) {
			var dec *buildium.DecodeError
			if !errors.As(err, &dec) || !strings.Contains(err.Error(), "unreadable response") {
				t.Errorf("err = %v, want a DecodeError", err)
			}
		}},
		{"429=1", func(t *testing.T, err error) {
			var api *buildium.APIError
			if !errors.As(err, &api) || api.StatusCode != 429 {
				t.Errorf("err = %v, want a 429 APIError", err)
			}
		}},
		{"reset=1", func(t *testing.T, err error) {
			if err == nil || !strings.Contains(err.Error(), "no answer from Buildium") {
				t.Errorf("err = %v", err)
			}
		}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			p, _ := fault.Parse(tc.spec, "buildium")
			e := newEnv(t, 10, func(o *buildiumsim.Options) { o.Faults = p }, func(o *buildium.Options) { o.MaxRetries = 2 })
			_, err := e.client.Tenant(context.Background(), 1000001)
			tc.check(t, err)
			if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") {
				t.Errorf("err = %v, want 3 attempts", err)
			}
			if st := e.client.Stats(); st.Requests != 3 || st.Retries != 2 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestCancellationStopsTheStream(t *testing.T) {
	e := newEnv(t, 300, nil, func(o *buildium.Options) { o.PageSize = 50 })
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	var last error
	for page, err := range e.client.Tenants(ctx, buildium.ListOptions{}) {
		if err != nil {
			last = err
			continue
		}
		pages++
		if page.Offset == 50 {
			cancel()
		}
	}
	if pages != 2 || !errors.Is(last, context.Canceled) {
		t.Fatalf("%d pages then %v; want 2 pages then context.Canceled", pages, last)
	}
	// The page after the last one yielded may be in flight (read-ahead):
	// at most one request beyond what the caller used.
	if st := e.client.Stats(); st.Requests < 2 || st.Requests > 3 {
		t.Errorf("%d requests after cancel, want 2 or 3", st.Requests)
	}

	// Cancelled while backing off: the wait would be an hour.
	p, _ := fault.Parse("5xx=1", "buildium")
	e = newEnv(t, 10, func(o *buildiumsim.Options) { o.Faults = p }, func(o *buildium.Options) {
		o.BackoffBase, o.BackoffMax = time.Hour, time.Hour
	})
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- e.client.Ping(ctx) }()
	for e.sim.Stats().Requests == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Ping during backoff: %v", err)
	}

	// Stopping the loop early sends at most the one read-ahead request,
	// and none after the loop has returned.
	e = newEnv(t, 300, nil, func(o *buildium.Options) { o.PageSize = 50 })
	for range e.client.Tenants(context.Background(), buildium.ListOptions{}) {
		break
	}
	n := e.client.Stats().Requests
	if n < 1 || n > 2 {
		t.Errorf("break after one page: %d requests", n)
	}
	time.Sleep(50 * time.Millisecond)
	if after := e.client.Stats().Requests; after != n {
		t.Errorf("%d requests after the loop returned, %d when it did", after, n)
	}
}

// TestRateLimitedSimulator runs at Buildium's real limit against the
// simulator's strict 10-per-second window: the data must come out whole
// (429s, if jitter causes any, are retried).
func TestRateLimitedSimulator(t *testing.T) {
	e := newEnv(t, 400, func(o *buildiumsim.Options) { o.RateLimits = true }, func(o *buildium.Options) {
		o.RatePerSecond = 0 // the default, 10/s
		o.PageSize = 30
		o.BackoffBase, o.BackoffMax = 0, 0
	})
	got, _, err := collect(t, e.client.Tenants(context.Background(), buildium.ListOptions{}))
	if err != nil || len(got) != 400 {
		t.Fatalf("%d tenants, %v", len(got), err)
	}
	t.Logf("client %+v, simulator 429s %d", e.client.Stats(), e.sim.Stats().RateLimited)
}

// TestMissingTotalCount serves the simulator through a proxy that drops
// X-Total-Count: the client must stop on the short page.
func TestMissingTotalCount(t *testing.T) {
	sim := buildiumsim.New(buildiumsim.Options{Portfolio: portfolio(130)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sim.ServeHTTP(dropTotal{w}, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	id, secret := sim.Credentials()
	c, _ := buildium.New(buildium.Options{BaseURL: "http://" + ln.Addr().String(), ClientID: id, ClientSecret: secret, RatePerSecond: 1000, PageSize: 65})
	got, pages, err := collect(t, c.Tenants(context.Background(), buildium.ListOptions{}))
	if err != nil || len(got) != 130 || pages[0].Total != -1 {
		t.Fatalf("%d tenants in %d pages (total %d), %v", len(got), len(pages), pages[0].Total, err)
	}
	if st := c.Stats(); st.Requests != 3 { // 65, 65, then an empty page ends it
		t.Errorf("%d requests, want 3", st.Requests)
	}
	if _, err := c.Count(context.Background(), buildium.KindTenants, buildium.ListOptions{}); !errors.Is(err, buildium.ErrNoTotalCount) {
		t.Errorf("Count without the header: %v", err)
	}
}

type dropTotal struct{ http.ResponseWriter }

func (d dropTotal) WriteHeader(code int) {
	d.Header().Del("X-Total-Count")
	d.ResponseWriter.WriteHeader(code)
}
