package buildium_test

import (
	"context"
	"net/http"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim/buildiumsim/spectest"
)

// TestRequestsMatchOpenAPI validates every request the client sends, and
// every response it reads, against Buildium's OpenAPI document.
func TestRequestsMatchOpenAPI(t *testing.T) {
	checker := spectest.Load(t)
	tr := &spectest.Transport{Checker: checker, Responses: true}
	e := newEnv(t, 120, nil, func(o *buildium.Options) {
		o.HTTPClient = &http.Client{Transport: tr}
		o.PageSize = 50
	})
	want := e.sim.Snapshot()
	ctx := context.Background()
	window := buildium.ListOptions{LastUpdatedFrom: simNow.AddDate(0, -3, 0), LastUpdatedTo: simNow, PropertyIDs: []int32{want.Rentals[0].ID, want.Rentals[1].ID}}
	for _, err := range e.client.Rentals(ctx, window) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, err := range e.client.Units(ctx, buildium.ListOptions{Offset: 10}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, err := range e.client.Tenants(ctx, window) {
		if err != nil {
			t.Fatal(err)
		}
	}
	leaseOpts := window
	leaseOpts.LeaseStatuses = []string{"Active", "Past", "Future"}
	for _, err := range e.client.Leases(ctx, leaseOpts) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, _ = e.client.Count(ctx, buildium.KindLeases, window)
	_, _ = e.client.Rental(ctx, want.Rentals[0].ID)
	_, _ = e.client.Unit(ctx, want.Units[0].ID)
	_, _ = e.client.Tenant(ctx, want.Tenants[0].ID)
	_, _ = e.client.Lease(ctx, want.Leases[0].ID)
	_, _ = e.client.Amenities(ctx, want.Rentals[0].ID)
	_, _ = e.client.Lease(ctx, 1) // a 404, also validated
	_ = e.client.Ping(ctx)
	problems, n := tr.Problems()
	for _, p := range problems {
		t.Error(p)
	}
	if n < 12 {
		t.Errorf("only %d requests checked", n)
	}
}
