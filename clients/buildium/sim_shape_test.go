package buildium_test

import (
	"context"
	"strconv"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim/buildiumsim"
	"b2h/clients/sim/fault"
)

// TestShortRunThenWholeRun: a run whose pages all come back short ends in
// an *IncompleteListError after yielding what it read; the next run, with
// whole pages, reads everything in one request a page.
func TestShortRunThenWholeRun(t *testing.T) {
	e := newEnv(t, 250, nil, func(o *buildium.Options) { o.PageSize = 100 })
	n := len(e.sim.Snapshot().Tenants)
	ctx := context.Background()
	e.sim.SetShortPages(10)
	got, _, err := collect(t, e.client.Tenants(ctx, buildium.ListOptions{}))
	if !buildium.IsIncomplete(err) || len(got) >= n || len(got) == 0 {
		t.Fatalf("short run: %d of %d tenants, %v", len(got), n, err)
	}
	t.Log(err)
	e.sim.SetShortPages(0)
	before := e.client.Stats().Requests
	got, _, err = collect(t, e.client.Tenants(ctx, buildium.ListOptions{}))
	if err != nil || len(got) != n {
		t.Fatalf("whole run: %d of %d tenants, %v", len(got), n, err)
	}
	if req, want := e.client.Stats().Requests-before, int64((n+99)/100); req != want {
		t.Errorf("whole run: %d requests, want %d", req, want)
	}
}

// TestOddRecordsFromTheSimulator: every odd kind the simulator serves is a
// bad record, named by its place and Id; the list is complete and nothing
// is retried.
func TestOddRecordsFromTheSimulator(t *testing.T) {
	e := newEnv(t, 120, func(o *buildiumsim.Options) { o.Faults = fault.Profile{Odd: fault.OddAll} }, func(o *buildium.Options) { o.PageSize = 4 })
	snap := e.sim.Snapshot()
	ctx := context.Background()
	var items int
	var bad []buildium.BadRecord
	for p, err := range e.client.Tenants(ctx, buildium.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		items += len(p.Items)
		bad = append(bad, p.Bad...)
	}
	if items != len(snap.Tenants)-6 || len(bad) != 6 {
		t.Fatalf("%d items and %d bad of %d tenants", items, len(bad), len(snap.Tenants))
	}
	for i, b := range bad {
		t.Logf("%+v", b)
		if b.Offset != i {
			t.Errorf("bad record %d at offset %d", i, b.Offset)
		}
	}
	if bad[3].ID != strconv.Itoa(int(snap.Tenants[3].ID)) || bad[5].ID != strconv.Itoa(int(snap.Tenants[5].ID)) {
		t.Errorf("the string id is not named: %+v", bad[3])
	}
	if st := e.client.Stats(); st.Retries != 0 {
		t.Errorf("%d retries", st.Retries)
	}
	for _, o := range e.sim.OddRecords() {
		var err error
		switch o.Kind {
		case "tenant":
			_, err = e.client.Tenant(ctx, o.ID)
		case "unit":
			_, err = e.client.Unit(ctx, o.ID)
		case "rental":
			_, err = e.client.Rental(ctx, o.ID)
		default:
			continue
		}
		if !buildium.IsBadRecord(err) {
			t.Errorf("GET %s %d (%v): %v", o.Kind, o.ID, o.Odd, err)
		}
	}
	if st := e.client.Stats(); st.Retries != 0 {
		t.Errorf("%d retries", st.Retries)
	}
}
