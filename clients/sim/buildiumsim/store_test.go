package buildiumsim

import (
	"errors"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

func TestUpdateErrors(t *testing.T) {
	f := newFixture(t, 20)
	if err := f.s.UpdateTenant(1, func(*buildium.Tenant) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown tenant: %v", err)
	}
	id := f.s.Snapshot().Tenants[0].ID
	if err := f.s.UpdateTenant(id, func(t *buildium.Tenant) { t.ID++ }); !errors.Is(err, ErrIDChanged) {
		t.Errorf("id change: %v", err)
	}
	if err := f.s.UpdateLease(1, func(*buildium.Lease) {}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown lease: %v", err)
	}
	if _, err := f.s.AddTenant(buildium.Tenant{ID: id}); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("duplicate tenant: %v", err)
	}
}

func TestAddTenantAndLease(t *testing.T) {
	clock := simNow.Add(time.Hour)
	f := newFixture(t, 50, func(o *Options) { o.Now = func() time.Time { return clock } })
	snap := f.s.Snapshot()
	unit := snap.Units[0]

	tid, err := f.s.AddTenant(buildium.Tenant{FirstName: "New", LastName: "Person", Email: "new.person@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if want := snap.Tenants[len(snap.Tenants)-1].ID + 1; tid != want {
		t.Errorf("new tenant id %d, want %d", tid, want)
	}
	lid, err := f.s.AddLease(buildium.Lease{
		PropertyID: unit.PropertyID, UnitID: unit.ID, UnitNumber: unit.UnitNumber,
		LeaseFromDate: "2026-11-01", LeaseToDate: "2027-10-31", LeaseType: "Fixed", LeaseStatus: "Active", TermType: "Standard",
		CurrentTenants: []buildium.Tenant{{ID: tid}},
	})
	if err != nil {
		t.Fatal(err)
	}

	var lease buildium.Lease
	if resp, body := f.get("/v1/leases/" + itoa(lid)); resp.StatusCode != 200 {
		t.Fatalf("new lease: %d", resp.StatusCode)
	} else {
		lease = decodeStrict[buildium.Lease](t, body)
	}
	if len(lease.Tenants) != 1 || lease.Tenants[0].Status != gen.TenantCurrent || len(lease.CurrentTenants) != 1 ||
		lease.CurrentTenants[0].Email != "new.person@example.com" || !lease.LastUpdatedDateTime.Equal(clock) {
		t.Errorf("new lease as served: %+v", lease)
	}
	_, body := f.get("/v1/leases/tenants/" + itoa(tid))
	tn := decodeStrict[buildium.Tenant](t, body)
	if len(tn.Leases) != 1 || tn.Leases[0].ID != lid || tn.CreatedDateTime == nil || !tn.CreatedDateTime.Equal(clock) {
		t.Errorf("new tenant as served: %+v", tn)
	}
	_, body = f.get("/v1/rentals/units/" + itoa(unit.ID))
	if u := decodeStrict[buildium.RentalUnit](t, body); u.IsUnitOccupied == nil || !*u.IsUnitOccupied {
		t.Error("unit with an active lease is not occupied")
	}
	since := "?lastupdatedfrom=" + url.QueryEscape(clock.Format(UpdatedLayout))
	if _, n := list[buildium.Tenant](f, "/v1/leases/tenants"+since); n != 1 {
		t.Errorf("%d tenants updated since the add, want 1", n)
	}
	if _, n := list[buildium.Lease](f, "/v1/leases"+since); n != 1 {
		t.Errorf("%d leases updated since the add, want 1", n)
	}
}

func TestMutateThroughServer(t *testing.T) {
	clock := simNow.Add(48 * time.Hour)
	f := newFixture(t, 400, func(o *Options) { o.Now = func() time.Time { return clock } })
	sum := f.s.Mutate(0.05, 7)
	if sum.Count() == 0 {
		t.Fatal("nothing mutated")
	}
	since := "?orderby=Id&limit=1000&lastupdatedfrom=" + url.QueryEscape(clock.Format(UpdatedLayout))
	tenants, _ := list[buildium.Tenant](f, "/v1/leases/tenants"+since)
	var got []int32
	for _, tn := range tenants {
		got = append(got, tn.ID)
	}
	if !slices.Equal(got, sum.Tenants) {
		t.Errorf("tenants in window %v, mutated %v", got, sum.Tenants)
	}
	leases, _ := list[buildium.Lease](f, "/v1/leases"+since)
	got = got[:0]
	for _, l := range leases {
		got = append(got, l.ID)
	}
	if !slices.Equal(got, sum.Leases) {
		t.Errorf("leases in window %v, mutated %v", got, sum.Leases)
	}
}

func TestSnapshotIsDeepAndLinked(t *testing.T) {
	f := newFixture(t, 60)
	a := f.s.Snapshot()
	a.Tenants[0].FirstName = "Changed"
	a.Leases[0].Tenants[0].Status = "X"
	b := f.s.Snapshot()
	if b.Tenants[0].FirstName == "Changed" || b.Leases[0].Tenants[0].Status == "X" {
		t.Fatal("Snapshot shares memory with the server")
	}
	if len(b.Tenants[0].Leases) == 0 {
		t.Fatal("Snapshot lacks derived links")
	}
}

// TestConcurrentReadsAndWrites is for -race: readers page while writers
// mutate.
func TestConcurrentReadsAndWrites(t *testing.T) {
	f := newFixture(t, 200)
	snap := f.s.Snapshot()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 20 {
				id := snap.Tenants[(w*20+i)%len(snap.Tenants)].ID
				_ = f.s.UpdateTenant(id, func(t *buildium.Tenant) {
					t.PhoneNumbers = append(t.PhoneNumbers, buildium.PhoneNumber{Number: "(212) 555-0100", Type: "Other"})
				})
				_ = f.s.UpdateLease(snap.Leases[i].ID, func(l *buildium.Lease) { l.PaymentDueDay = int32(w + 1) })
			}
			f.s.Mutate(0.01, uint64(w))
		})
	}
	for range 4 {
		wg.Go(func() {
			for range 10 {
				list[buildium.Tenant](f, "/v1/leases/tenants?limit=1000")
				list[buildium.Lease](f, "/v1/leases?limit=1000")
				_ = f.s.Snapshot()
			}
		})
	}
	wg.Wait()
}
