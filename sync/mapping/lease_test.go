package mapping

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLeaseLabel(t *testing.T) {
	today := day("2025-06-15")
	lease := func(status, from, to string) buildium.Lease {
		return buildium.Lease{ID: 1, LeaseStatus: status, LeaseFromDate: from, LeaseToDate: to, LeaseType: "Fixed", TermType: "Standard"}
	}
	tests := []struct {
		name   string
		l      buildium.Lease
		tenant string
		want   string
	}{
		{"active in term", lease("Active", "2025-01-01", "2025-12-31"), "Current", LabelCurrentTenant},
		{"ends today is still current", lease("Active", "2025-01-01", "2025-06-15"), "", LabelCurrentTenant},
		{"ended but still Active in Buildium", lease("Active", "2024-01-01", "2025-06-14"), "Current", LabelPastTenant},
		{"rollover continues after end", func() buildium.Lease {
			l := lease("Active", "2024-01-01", "2025-01-31")
			l.LeaseType = "FixedWithRollover"
			return l
		}(), "Current", LabelCurrentTenant},
		{"at-will continues after end", func() buildium.Lease {
			l := lease("Active", "2024-01-01", "2025-01-31")
			l.LeaseType = "AtWill"
			return l
		}(), "", LabelCurrentTenant},
		{"month-to-month continues after end", func() buildium.Lease {
			l := lease("Active", "2024-01-01", "2025-01-31")
			l.TermType = "MonthToMonth"
			return l
		}(), "", LabelCurrentTenant},
		{"rollover lease marked Past is past", func() buildium.Lease {
			l := lease("Past", "2024-01-01", "2025-01-31")
			l.LeaseType = "AtWill"
			return l
		}(), "", LabelPastTenant},
		{"starts tomorrow", lease("Active", "2025-06-16", "2026-06-15"), "", LabelFutureTenant},
		{"Future status but start date reached", lease("Future", "2025-06-15", "2026-06-14"), "Future", LabelFutureTenant},
		{"Future status, started, tenant unknown", lease("Future", "2025-06-01", "2026-05-31"), "", LabelCurrentTenant},
		{"Future status without dates", lease("Future", "", ""), "", LabelFutureTenant},
		{"Past status with future end date (terminated early)", lease("Past", "2025-01-01", "2025-12-31"), "Current", LabelPastTenant},
		{"tenant moved out of an active lease", lease("Active", "2025-01-01", "2025-12-31"), "MovedOut", LabelPastTenant},
		{"tenant moved out of a future lease", lease("Future", "2025-07-01", "2026-06-30"), "MovedOut", LabelPastTenant},
		{"tenant joining later", lease("Active", "2025-01-01", "2025-12-31"), "Future", LabelFutureTenant},
		{"no end date", lease("Active", "2025-01-01", ""), "", LabelCurrentTenant},
		{"unparseable dates ignored", lease("Active", "soon", "later"), "", LabelCurrentTenant},
		{"date-time forms", lease("Active", "2024-01-01T00:00:00", "2025-06-14T00:00:00Z"), "", LabelPastTenant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LeaseLabel(tt.l, tt.tenant, today); got != tt.want {
				t.Errorf("LeaseLabel = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTenantLeaseStatus(t *testing.T) {
	today := day("2025-06-15")
	l := buildium.Lease{
		Tenants:        []buildium.LeaseTenant{{ID: 1, Status: "Current"}, {ID: 2, Status: "Future"}, {ID: 3, Status: "MovedOut"}, {ID: 4, Status: "Current"}, {ID: 6, Status: "Current"}},
		CurrentTenants: []buildium.Tenant{{ID: 5}},
		MoveOutData:    []buildium.MoveOut{{TenantID: 4, MoveOutDate: "2025-06-01"}, {TenantID: 6, MoveOutDate: "2025-06-30"}},
	}
	want := map[int32]string{1: "Current", 2: "Future", 3: "MovedOut", 4: "MovedOut", 5: "Current", 6: "Current", 7: ""}
	for id, w := range want {
		if got := TenantLeaseStatus(l, id, today); got != w {
			t.Errorf("tenant %d: %q, want %q", id, got, w)
		}
	}
}

func TestActiveLease(t *testing.T) {
	today := day("2025-06-15")
	leases := []buildium.Lease{
		{ID: 1, LeaseStatus: "Past", LeaseFromDate: "2023-01-01", LeaseToDate: "2023-12-31"},
		{ID: 2, LeaseStatus: "Active", LeaseFromDate: "2024-01-01", LeaseToDate: "2025-01-31", LeaseType: "Fixed"}, // ended
		{ID: 3, LeaseStatus: "Active", LeaseFromDate: "2025-02-01", LeaseToDate: "2026-01-31", LeaseType: "Fixed"},
		{ID: 4, LeaseStatus: "Future", LeaseFromDate: "2026-02-01", LeaseToDate: "2027-01-31"},
	}
	if got := ActiveLease(leases, today); got == nil || got.ID != 3 {
		t.Fatalf("ActiveLease = %+v, want lease 3", got)
	}
	if got := ActiveLease(leases[:2], today); got != nil {
		t.Fatalf("no current lease: got %d", got.ID)
	}
	tie := []buildium.Lease{{ID: 8, LeaseFromDate: "2025-01-01"}, {ID: 9, LeaseFromDate: "2025-01-01"}}
	if got := ActiveLease(tie, today); got.ID != 9 {
		t.Fatalf("tie goes to the highest id, got %d", got.ID)
	}
}

func TestUnitLeaseFields(t *testing.T) {
	l := &buildium.Lease{LeaseFromDate: "2024-02-01", LeaseToDate: "2025-01-31T00:00:00", AccountDetails: &buildium.AccountDetails{Rent: ptr(1450.0)}}
	got := UnitLeaseFields(l)
	want := map[string]string{"current_lease_start": "2024-02-01", "current_lease_end": "2025-01-31", "current_rent": "1450"}
	if len(got) != len(want) {
		t.Fatalf("UnitLeaseFields = %v", got)
	}
	assertProps(t, got, want)
	cleared := UnitLeaseFields(nil)
	assertProps(t, cleared, map[string]string{"current_lease_start": "", "current_lease_end": "", "current_rent": ""})
	if len(cleared) != 3 {
		t.Fatalf("nil lease must clear exactly the three fields: %v", cleared)
	}
	noRent := UnitLeaseFields(&buildium.Lease{LeaseFromDate: "2024-02-01"})
	assertProps(t, noRent, map[string]string{"current_lease_start": "2024-02-01", "current_lease_end": "", "current_rent": ""})
	fallback := Default(Options{UnitTarget: TargetListings}).LeaseFields(l)
	assertProps(t, fallback, map[string]string{"buildium_current_lease_start": "2024-02-01", "buildium_current_rent": "1450"})
}

// TestUnitWithLease: the record the units stage writes is Unit with the
// lease fields set over it (the two-step way), whatever the lease and the
// unit target, hash included; it also carries the lease fields' warnings
// (a lease date that is not a date), pointing at the lease.
func TestUnitWithLease(t *testing.T) {
	u := buildium.RentalUnit{ID: 2001, PropertyID: 1001, UnitNumber: "101", MarketRent: ptr(1200.0)}
	leases := []*buildium.Lease{nil, {LeaseFromDate: "2024-02-01", LeaseToDate: "2025-01-31T00:00:00", AccountDetails: &buildium.AccountDetails{Rent: ptr(1450.0)}},
		{LeaseFromDate: "not a date"}}
	for _, target := range []string{TargetUnit, TargetListings} {
		m := Default(Options{UnitTarget: target})
		for i, l := range leases {
			want := m.Unit(u, "Example Gardens")
			want.SetProperties(m.LeaseFields(l))
			got := m.UnitWithLease(u, "Example Gardens", l)
			if i == 2 {
				if len(got.WarningDetails) != 1 || !strings.Contains(got.Warnings[0], "Leases › lease 0 › Start date") {
					t.Errorf("%s, lease %d: warnings %v", target, i, got.Warnings)
				}
				got.Warnings, got.WarningDetails = nil, nil
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, lease %d:\n got %+v\nwant %+v", target, i, got, want)
			}
			if got.Hash != Hash(got.Target, got.Properties) {
				t.Errorf("%s, lease %d: hash is not the properties'", target, i)
			}
		}
	}
}
