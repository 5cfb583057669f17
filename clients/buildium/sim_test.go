package buildium_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/buildiumsim"
	"b2h/clients/sim/gen"
)

// Tests run the client against the simulator on loopback, never against
// mocks.

var simNow = gen.DefaultNow

// portfolios caches generated data per scale: generation is deterministic,
// and the server takes ownership, so each test gets a clone.
var (
	portfolioMu sync.Mutex
	portfolios  = map[int]*gen.Portfolio{}
)

func portfolio(scale int) *gen.Portfolio {
	portfolioMu.Lock()
	defer portfolioMu.Unlock()
	p, ok := portfolios[scale]
	if !ok {
		p = gen.Generate(gen.Options{Scale: scale, Seed: 1})
		portfolios[scale] = p
	}
	return p.Clone()
}

type env struct {
	sim    *buildiumsim.Server
	client *buildium.Client
	url    string
}

// newEnv starts a simulator and a client for it. The client runs fast
// (high rate, short backoff) unless a tweak says otherwise.
func newEnv(t *testing.T, scale int, simOpts func(*buildiumsim.Options), clientOpts func(*buildium.Options)) *env {
	t.Helper()
	so := buildiumsim.Options{Portfolio: portfolio(scale), Now: func() time.Time { return simNow }}
	if simOpts != nil {
		simOpts(&so)
	}
	sim := buildiumsim.New(so)
	url, err := sim.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	id, secret := sim.Credentials()
	co := buildium.Options{
		BaseURL: url, ClientID: id, ClientSecret: secret,
		RatePerSecond: 10_000, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	}
	if clientOpts != nil {
		clientOpts(&co)
	}
	c, err := buildium.New(co)
	if err != nil {
		t.Fatal(err)
	}
	return &env{sim: sim, client: c, url: url}
}

// collect drains a list, checking page offsets as it goes.
func collect[T any](t *testing.T, seq func(func(buildium.Page[T], error) bool)) ([]T, []buildium.Page[T], error) {
	t.Helper()
	var all []T
	var pages []buildium.Page[T]
	for page, err := range seq {
		if err != nil {
			return all, pages, err
		}
		if len(pages) > 0 && page.Offset != pages[len(pages)-1].Offset+len(pages[len(pages)-1].Items) {
			t.Errorf("page at offset %d follows page at %d with %d items", page.Offset, pages[len(pages)-1].Offset, len(pages[len(pages)-1].Items))
		}
		pages = append(pages, page)
		all = append(all, page.Items...)
	}
	return all, pages, nil
}

func tenantIDs(ts []buildium.Tenant) []int32 {
	out := make([]int32, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestPagingToTheEnd(t *testing.T) {
	e := newEnv(t, 2500, nil, nil)
	want := e.sim.Snapshot()
	ctx := context.Background()

	tenants, pages, err := collect(t, e.client.Tenants(ctx, buildium.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 || len(pages[0].Items) != 1000 || len(pages[2].Items) != 500 {
		t.Errorf("pages of %v, want 1000, 1000, 500", func() (n []int) {
			for _, p := range pages {
				n = append(n, len(p.Items))
			}
			return
		}())
	}
	for _, p := range pages {
		if p.Total != 2500 {
			t.Errorf("page at %d: Total %d, want 2500", p.Offset, p.Total)
		}
	}
	if !slices.Equal(tenantIDs(tenants), tenantIDs(want.Tenants)) {
		t.Fatal("tenant ids differ from the portfolio")
	}
	// Deep equality of decoded records with the source.
	for i := range tenants {
		if tenants[i].Email != want.Tenants[i].Email || len(tenants[i].Leases) != len(want.Tenants[i].Leases) ||
			len(tenants[i].PhoneNumbers) != len(want.Tenants[i].PhoneNumbers) {
			t.Fatalf("tenant %d differs after decoding", tenants[i].ID)
		}
	}
	if got := e.sim.Stats().ByEndpoint["GET /v1/leases/tenants"]; got != 3 {
		t.Errorf("%d tenant list requests, want 3 (stop at X-Total-Count, no empty page)", got)
	}

	units, _, err := collect(t, e.client.Units(ctx, buildium.ListOptions{}))
	if err != nil || len(units) != len(want.Units) {
		t.Fatalf("units: %d, %v; want %d", len(units), err, len(want.Units))
	}
	leases, _, err := collect(t, e.client.Leases(ctx, buildium.ListOptions{}))
	if err != nil || len(leases) != len(want.Leases) {
		t.Fatalf("leases: %d, %v; want %d", len(leases), err, len(want.Leases))
	}
	rentals, _, err := collect(t, e.client.Rentals(ctx, buildium.ListOptions{}))
	if err != nil || len(rentals) != len(want.Rentals) {
		t.Fatalf("rentals: %d, %v; want %d", len(rentals), err, len(want.Rentals))
	}
	for kind, n := range map[buildium.Kind]int{buildium.KindTenants: 2500, buildium.KindUnits: len(want.Units), buildium.KindLeases: len(want.Leases), buildium.KindRentals: len(want.Rentals)} {
		if got, err := e.client.Count(ctx, kind, buildium.ListOptions{}); err != nil || got != n {
			t.Errorf("Count(%s) = %d, %v; want %d", kind, got, err, n)
		}
	}
}

// TenantsShallow yields what Tenants does, pages and fields alike, except
// each tenant's Leases, which it leaves nil.
func TestTenantsShallowLeavesOnlyTheLeasesOut(t *testing.T) {
	e := newEnv(t, 1200, nil, nil)
	ctx := context.Background()
	full, fullPages, err := collect(t, e.client.Tenants(ctx, buildium.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	shallow, pages, err := collect(t, e.client.TenantsShallow(ctx, buildium.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != len(fullPages) || len(shallow) != len(full) {
		t.Fatalf("%d tenants in %d pages, want %d in %d", len(shallow), len(pages), len(full), len(fullPages))
	}
	onLeases := 0
	for i := range full {
		if len(full[i].Leases) > 0 {
			onLeases++
		}
		if shallow[i].Leases != nil {
			t.Fatalf("tenant %d: %d leases decoded, want none", shallow[i].ID, len(shallow[i].Leases))
		}
		want := full[i]
		want.Leases = nil
		if !reflect.DeepEqual(shallow[i], want) {
			t.Fatalf("tenant %d differs beyond its leases:\n%+v\n%+v", want.ID, shallow[i], want)
		}
	}
	if onLeases == 0 {
		t.Fatal("no tenant is on a lease: the test shows nothing")
	}
}

// LeaseSummaries yields the leases Leases does, each with its current
// tenants' ids and every field of the summary as the full lease has it.
func TestLeaseSummariesMatchTheLeases(t *testing.T) {
	e := newEnv(t, 1200, nil, nil)
	ctx := context.Background()
	full, _, err := collect(t, e.client.Leases(ctx, buildium.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	sums, _, err := collect(t, e.client.LeaseSummaries(ctx, buildium.ListOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(full) {
		t.Fatalf("%d summaries; want %d", len(sums), len(full))
	}
	withCurrent, withMoveOut := 0, 0
	for i, l := range full {
		s := sums[i]
		want := l
		want.CurrentTenants, want.CurrentNumberOfOccupants, want.IsEvictionPending, want.AutomaticallyMoveOutTenants = nil, 0, false, false
		want.CreatedDateTime, want.LastUpdatedDateTime, want.PaymentDueDay, want.UnitNumber = nil, nil, 0, ""
		if got := s.Lease(); !reflect.DeepEqual(got, want) {
			t.Fatalf("lease %d:\n%+v\nwant\n%+v", l.ID, got, want)
		}
		if len(s.CurrentTenants) != len(l.CurrentTenants) {
			t.Fatalf("lease %d: %d current tenants; want %d", l.ID, len(s.CurrentTenants), len(l.CurrentTenants))
		}
		for j, ct := range l.CurrentTenants {
			if s.CurrentTenants[j].ID != ct.ID {
				t.Fatalf("lease %d: current tenant %d is %d; want %d", l.ID, j, s.CurrentTenants[j].ID, ct.ID)
			}
		}
		if len(l.CurrentTenants) > 0 {
			withCurrent++
		}
		if len(l.MoveOutData) > 0 {
			withMoveOut++
		}
	}
	if withCurrent == 0 || withMoveOut == 0 {
		t.Fatalf("%d leases with current tenants, %d with move-outs: the test shows little", withCurrent, withMoveOut)
	}
}

func TestResumeFromOffsetAndSmallPages(t *testing.T) {
	e := newEnv(t, 300, nil, func(o *buildium.Options) { o.PageSize = 40 })
	want := e.sim.Snapshot()
	got, pages, err := collect(t, e.client.Tenants(context.Background(), buildium.ListOptions{Offset: 250}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tenantIDs(got), tenantIDs(want.Tenants[250:])) || pages[0].Offset != 250 {
		t.Fatalf("resume at 250: %d tenants from offset %d", len(got), pages[0].Offset)
	}
	// Past the end: one empty page carrying the total.
	_, pages, err = collect(t, e.client.Tenants(context.Background(), buildium.ListOptions{Offset: 5000}))
	if err != nil || len(pages) != 1 || len(pages[0].Items) != 0 || pages[0].Total != 300 {
		t.Fatalf("past the end: %+v, %v", pages, err)
	}
}

func TestFilters(t *testing.T) {
	e := newEnv(t, 400, nil, nil)
	want := e.sim.Snapshot()
	ctx := context.Background()
	props := []int32{want.Rentals[0].ID, want.Rentals[5].ID}
	leases, _, err := collect(t, e.client.Leases(ctx, buildium.ListOptions{PropertyIDs: props, LeaseStatuses: []string{"Active"}}))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range want.Leases {
		if slices.Contains(props, l.PropertyID) && l.LeaseStatus == "Active" {
			n++
		}
	}
	if len(leases) != n || n == 0 {
		t.Errorf("%d active leases at two properties, want %d", len(leases), n)
	}
	if _, _, err := collect(t, e.client.Tenants(ctx, buildium.ListOptions{LeaseStatuses: []string{"Active"}})); err == nil {
		t.Error("LeaseStatuses on tenants accepted")
	}
}

func TestLastUpdatedWindow(t *testing.T) {
	clock := simNow
	e := newEnv(t, 600, func(o *buildiumsim.Options) { o.Now = func() time.Time { return clock } }, nil)
	ctx := context.Background()
	clock = simNow.Add(6 * time.Hour)
	sum := e.sim.Mutate(0.03, 5)
	if len(sum.Tenants) == 0 || len(sum.Leases) == 0 {
		t.Fatalf("mutation too small: %+v", sum)
	}
	window := buildium.ListOptions{LastUpdatedFrom: clock, LastUpdatedTo: clock.Add(time.Minute)}
	tenants, _, err := collect(t, e.client.Tenants(ctx, window))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tenantIDs(tenants), sum.Tenants) {
		t.Errorf("tenants in window %v, want %v", tenantIDs(tenants), sum.Tenants)
	}
	leases, _, err := collect(t, e.client.Leases(ctx, window))
	if err != nil {
		t.Fatal(err)
	}
	var lids []int32
	for _, l := range leases {
		lids = append(lids, l.ID)
	}
	if !slices.Equal(lids, sum.Leases) {
		t.Errorf("leases in window %v, want %v", lids, sum.Leases)
	}
	before := buildium.ListOptions{LastUpdatedFrom: clock.Add(-time.Hour), LastUpdatedTo: clock.Add(-time.Second)}
	if n, err := e.client.Count(ctx, buildium.KindUnits, before); err != nil || n != 0 {
		t.Errorf("units updated in the hour before: %d, %v", n, err)
	}
	// A window over 365 days is refused with a typed 422 (3rd-party cap, ref §4).
	_, err = e.client.Count(ctx, buildium.KindTenants, buildium.ListOptions{LastUpdatedFrom: clock.AddDate(-2, 0, 0), LastUpdatedTo: clock})
	var api *buildium.APIError
	if !errors.As(err, &api) || api.StatusCode != 422 || !strings.Contains(err.Error(), "365 days") {
		t.Errorf("2-year window: %v", err)
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t, 10, nil, nil)
	id, _ := e.sim.Credentials()
	var logs bytes.Buffer
	c, err := buildium.New(buildium.Options{BaseURL: e.url, ClientID: id, ClientSecret: "wrong-secret-value",
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Ping(context.Background())
	var api *buildium.APIError
	if !errors.As(err, &api) || api.StatusCode != 401 || api.UserMessage == "" {
		t.Fatalf("Ping with a wrong secret: %v", err)
	}
	if !strings.Contains(err.Error(), "BUILDIUM_CLIENT_SECRET") {
		t.Errorf("401 message does not say what to check: %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") || strings.Contains(logs.String(), "wrong-secret-value") {
		t.Error("the secret leaked into an error or the log")
	}
	if st := c.Stats(); st.Requests != 1 || st.Retries != 0 {
		t.Errorf("a 401 was retried: %+v", st)
	}
	if err := e.client.Ping(context.Background()); err != nil {
		t.Errorf("Ping with the right key: %v", err)
	}
}

func TestSingleGets(t *testing.T) {
	e := newEnv(t, 50, nil, nil)
	want := e.sim.Snapshot()
	ctx := context.Background()
	r, err := e.client.Rental(ctx, want.Rentals[1].ID)
	if err != nil || r.Name != want.Rentals[1].Name {
		t.Errorf("Rental: %+v, %v", r, err)
	}
	u, err := e.client.Unit(ctx, want.Units[2].ID)
	if err != nil || u.UnitNumber != want.Units[2].UnitNumber || u.IsUnitOccupied == nil {
		t.Errorf("Unit: %+v, %v", u, err)
	}
	tn, err := e.client.Tenant(ctx, want.Tenants[3].ID)
	if err != nil || tn.Email != want.Tenants[3].Email || len(tn.Leases) == 0 {
		t.Errorf("Tenant: %+v, %v", tn, err)
	}
	l, err := e.client.Lease(ctx, want.Leases[4].ID)
	if err != nil || l.UnitID != want.Leases[4].UnitID || len(l.Tenants) == 0 {
		t.Errorf("Lease: %+v, %v", l, err)
	}
	a, err := e.client.Amenities(ctx, want.Rentals[0].ID)
	if err != nil || !slices.Equal(a.Features, want.Amenities[want.Rentals[0].ID].Features) {
		t.Errorf("Amenities: %+v, %v", a, err)
	}
	if _, err := e.client.Lease(ctx, 1); !buildium.IsNotFound(err) {
		t.Errorf("unknown lease: %v", err)
	}
	if st := e.client.Stats(); st.Retries != 0 {
		t.Errorf("a 404 was retried: %+v", st)
	}
}
