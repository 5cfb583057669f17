package mapping

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"b2h/clients/buildium"
)

func TestTenantLeaseFields(t *testing.T) {
	const (
		lincoln = "1272 Lincoln Rd – Unit 3"
		oak     = "9 Oak Ave"
		elm     = "5 Elm St – Unit 1"
	)
	tests := []struct {
		name                 string
		leases               []TenantLease
		status, unit, listed string
	}{
		{name: "no leases clears all three"},
		{name: "unknown statuses are left out", leases: []TenantLease{{Status: "Draft", Unit: oak}}},
		{name: "one current lease", leases: []TenantLease{{Status: LabelCurrentTenant, Unit: lincoln, Start: "2024-02-01", End: "2025-01-31"}},
			status: "current", unit: lincoln, listed: "current: " + lincoln + ", 2024-02-01–2025-01-31"},
		{name: "current beats future and past", leases: []TenantLease{
			{Status: LabelPastTenant, Unit: elm, Start: "2020-01-01", End: "2020-12-31"},
			{Status: LabelFutureTenant, Unit: oak, Start: "2025-03-01"},
			{Status: LabelCurrentTenant, Unit: lincoln, Start: "2024-02-01T00:00:00", End: "2025-01-31"},
		}, status: "current", unit: lincoln,
			listed: "current: " + lincoln + ", 2024-02-01–2025-01-31\nfuture: " + oak + ", from 2025-03-01\npast: " + elm + ", 2020-01-01–2020-12-31"},
		{name: "future beats past", leases: []TenantLease{{Status: "past", Unit: elm, End: "2020-12-31"}, {Status: "Future", Unit: oak}},
			status: "future", unit: oak, listed: "future: " + oak + "\npast: " + elm + ", until 2020-12-31"},
		{name: "several units of the best status, sorted", leases: []TenantLease{
			{Status: LabelCurrentTenant, Unit: oak, Start: "2023-01-01"}, {Status: LabelCurrentTenant, Unit: elm, Start: "2024-01-01"},
		}, status: "current", unit: elm + "; " + oak, listed: "current: " + elm + ", from 2024-01-01\ncurrent: " + oak + ", from 2023-01-01"},
		{name: "Buildium's moved-out status is past; repeats collapse", leases: []TenantLease{
			{Status: TenantMovedOut, Unit: oak, Start: "2019-01-01", End: "bad date"}, {Status: TenantMovedOut, Unit: oak, Start: "2019-01-01"},
		}, status: "past", unit: oak, listed: "past: " + oak + ", from 2019-01-01"},
		{name: "unit names are cleaned", leases: []TenantLease{{Status: "current", Unit: "A\n\x1b[31mB"}}, status: "current", unit: "A B", listed: "current: A B"},
	}
	for _, tt := range tests {
		got := TenantLeaseFields(tt.leases)
		want := map[string]string{PropLeaseStatus: tt.status, PropLeaseUnit: tt.unit, PropLeases: tt.listed}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, want)
		}
		// Order does not matter.
		for range 5 {
			shuffled := append([]TenantLease(nil), tt.leases...)
			rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			if again := TenantLeaseFields(shuffled); !reflect.DeepEqual(again, got) {
				t.Fatalf("%s: depends on order: %q vs %q", tt.name, again, got)
			}
		}
	}
}

// FuzzTenantLeaseFields: any leases give a known status (or none), one
// line per distinct lease at most, clean text, and the same values in any
// order.
func FuzzTenantLeaseFields(f *testing.F) {
	f.Add("Current tenant", "1 Main St – Unit 2", "2024-01-01", "2024-12-31", "past", "x\ny", "bad", "")
	f.Add("MovedOut", "", "", "2020-02-30", "Future", "\x1b[2J", "2030-01-01", "2020-01-01")
	f.Fuzz(func(t *testing.T, s1, u1, a1, b1, s2, u2, a2, b2 string) {
		leases := []TenantLease{{s1, u1, a1, b1}, {s2, u2, a2, b2}}
		got := TenantLeaseFields(leases)
		if again := TenantLeaseFields([]TenantLease{leases[1], leases[0]}); !reflect.DeepEqual(got, again) {
			t.Fatalf("order matters: %q vs %q", got, again)
		}
		if _, ok := leaseStatusRank[got[PropLeaseStatus]]; !ok && got[PropLeaseStatus] != "" {
			t.Fatalf("status %q", got[PropLeaseStatus])
		}
		if (got[PropLeaseStatus] == "") != (got[PropLeases] == "") || len(got) != 3 {
			t.Fatalf("inconsistent %q", got)
		}
		if n := strings.Count(got[PropLeases], "\n"); got[PropLeases] != "" && n > 1 {
			t.Fatalf("%d lines for two leases: %q", n+1, got[PropLeases])
		}
		for k, v := range got {
			checkClean(t, k, v, k == PropLeases)
		}
	})
}

func TestTenantWithLeases(t *testing.T) {
	m := Default(Options{Unlabelled: true})
	leases := []TenantLease{{Status: LabelCurrentTenant, Unit: "1272 Lincoln Rd – Unit 3", Start: "2024-02-01"}, {Status: LabelPastTenant, Unit: "9 Oak Ave"}}
	r := m.TenantWithLeases(baseTenant(), leases)
	assertProps(t, r.Properties, map[string]string{PropLeaseStatus: "current", PropLeaseUnit: "1272 Lincoln Rd – Unit 3",
		PropLeases: "current: 1272 Lincoln Rd – Unit 3, from 2024-02-01\npast: 9 Oak Ave", "firstname": "Jane"})
	if r.Hash != Hash(r.Target, r.Properties) || !r.Valid() {
		t.Errorf("record: %+v", r)
	}
	plain := m.Tenant(baseTenant())
	plain.SetProperties(TenantLeaseFields(leases))
	if plain.Hash != r.Hash {
		t.Error("TenantWithLeases must equal Tenant then SetProperties")
	}
	for _, d := range UnlabelledProperties() {
		if !hasDef(m.Properties(TargetContacts), d.Name) || hasDef(Default(Options{}).Properties(TargetContacts), d.Name) {
			t.Errorf("%s is listed with Unlabelled, and only then", d.Name)
		}
		if d.Group != PropertyGroup || d.BuiltIn || d.Unique {
			t.Errorf("definition %+v", d)
		}
	}
	if d := UnlabelledProperties()[0]; d.Type != "enumeration" || len(d.Options) != 3 || d.Options[2].Value != LeaseStatusPast {
		t.Errorf("lease status options %+v", d)
	}
}

func TestTenantLeasesOf(t *testing.T) {
	today := day("2024-06-01")
	leases := []buildium.Lease{
		{ID: 1, UnitID: 10, UnitNumber: "3", LeaseFromDate: "2024-01-01", LeaseToDate: "2024-12-31", Tenants: []buildium.LeaseTenant{{ID: 7, Status: "Current"}}},
		{ID: 2, UnitID: 11, UnitNumber: "4", LeaseFromDate: "2022-01-01", LeaseToDate: "2022-12-31", Tenants: []buildium.LeaseTenant{{ID: 7, Status: "Current"}}},
		{ID: 3, UnitID: 12, UnitNumber: "5", Tenants: []buildium.LeaseTenant{{ID: 8}}},
	}
	got := TenantLeasesOf(7, leases, func(l *buildium.Lease) string { return "Unit " + l.UnitNumber }, today)
	want := []TenantLease{{Status: LabelCurrentTenant, Unit: "Unit 3", Start: "2024-01-01", End: "2024-12-31"},
		{Status: LabelPastTenant, Unit: "Unit 4", Start: "2022-01-01", End: "2022-12-31"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TenantLeasesOf = %+v", got)
	}
	if f := TenantLeaseFields(got); f[PropLeaseStatus] != "current" || f[PropLeaseUnit] != "Unit 3" {
		t.Errorf("fields %v", f)
	}
}

func TestEmergencyContactForFields(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Jane Doe"}, "Jane Doe"},
		{[]string{"Zoe Park", " Jane  Doe ", "Jane Doe", "", "Al\x1b[2J Ng"}, "Al Ng; Jane Doe; Zoe Park"},
	}
	for _, tt := range tests {
		if got := EmergencyContactForFields(tt.in); !reflect.DeepEqual(got, map[string]string{PropEmergencyContactFor: tt.want}) {
			t.Errorf("EmergencyContactForFields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
