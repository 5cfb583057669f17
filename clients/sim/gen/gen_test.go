package gen

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/buildiumsim/spectest"
)

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenerateIsDeterministic(t *testing.T) {
	a := mustJSON(t, Generate(Options{Scale: 400, Seed: 7}))
	b := mustJSON(t, Generate(Options{Scale: 400, Seed: 7}))
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	c := mustJSON(t, Generate(Options{Scale: 400, Seed: 8}))
	if bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same portfolio")
	}
	d := mustJSON(t, Generate(Options{Scale: 400, Seed: 7, Now: DefaultNow.AddDate(0, 1, 0)}))
	if bytes.Equal(a, d) {
		t.Fatal("a different Now gave the same portfolio")
	}
}

func TestGenerateZeroScaleIsEmpty(t *testing.T) {
	p := Generate(Options{})
	if len(p.Rentals)+len(p.Units)+len(p.Tenants)+len(p.Leases) != 0 {
		t.Fatalf("scale 0 produced records: %d rentals, %d units, %d tenants, %d leases", len(p.Rentals), len(p.Units), len(p.Tenants), len(p.Leases))
	}
	if !p.AsOf.Equal(DefaultNow) {
		t.Fatalf("AsOf = %v, want %v", p.AsOf, DefaultNow)
	}
}

func TestGenerateProportions(t *testing.T) {
	for _, scale := range []int{1, 2, 7, 40, 250, 2000} {
		t.Run(strconv.Itoa(scale), func(t *testing.T) {
			p := Generate(Options{Scale: scale, Seed: uint64(scale)})
			if len(p.Tenants) != scale {
				t.Fatalf("%d tenants, want %d", len(p.Tenants), scale)
			}
			if want := max(1, (scale+10)/20); len(p.Rentals) != want {
				t.Errorf("%d rentals, want %d", len(p.Rentals), want)
			}
			if want := max(1, (scale+1)/2); len(p.Units) != want {
				t.Errorf("%d units, want %d", len(p.Units), want)
			}
			checkSorted(t, p)
			checkLinks(t, p)
			checkDates(t, p)

			perRental := map[int32]int32{}
			for _, u := range p.Units {
				perRental[u.PropertyID]++
			}
			for _, r := range p.Rentals {
				if perRental[r.ID] != r.NumberUnits {
					t.Errorf("rental %d: NumberUnits %d but %d units", r.ID, r.NumberUnits, perRental[r.ID])
				}
				if r.RentalSubType == "SingleFamily" && r.NumberUnits != 1 {
					t.Errorf("single-family rental %d has %d units", r.ID, r.NumberUnits)
				}
				if _, ok := p.Amenities[r.ID]; !ok {
					t.Errorf("rental %d has no amenities entry", r.ID)
				}
			}
			if scale >= 250 {
				var single, big int
				for _, r := range p.Rentals {
					if r.NumberUnits == 1 {
						single++
					}
					if r.NumberUnits >= 10 {
						big++
					}
				}
				if single == 0 || big == 0 {
					t.Errorf("want a mix of single-family and large buildings: %d single, %d with 10+ units", single, big)
				}
			}
		})
	}
}

func checkSorted(t *testing.T, p *Portfolio) {
	t.Helper()
	ascending := func(name string, ids []int32) {
		for i := 1; i < len(ids); i++ {
			if ids[i] <= ids[i-1] {
				t.Errorf("%s not sorted by unique Id at %d: %d after %d", name, i, ids[i], ids[i-1])
				return
			}
		}
	}
	ids := func(n int, id func(int) int32) []int32 {
		out := make([]int32, n)
		for i := range out {
			out[i] = id(i)
		}
		return out
	}
	ascending("rentals", ids(len(p.Rentals), func(i int) int32 { return p.Rentals[i].ID }))
	ascending("units", ids(len(p.Units), func(i int) int32 { return p.Units[i].ID }))
	ascending("tenants", ids(len(p.Tenants), func(i int) int32 { return p.Tenants[i].ID }))
	ascending("leases", ids(len(p.Leases), func(i int) int32 { return p.Leases[i].ID }))
}

// checkLinks verifies that the derived fields agree with Lease.Tenants.
func checkLinks(t *testing.T, p *Portfolio) {
	t.Helper()
	tenants := map[int32]buildium.Tenant{}
	for _, tn := range p.Tenants {
		tenants[tn.ID] = tn
	}
	units := map[int32]buildium.RentalUnit{}
	for _, u := range p.Units {
		units[u.ID] = u
	}
	onLease := map[int32][]int32{}
	active := map[int32]bool{}
	for _, l := range p.Leases {
		u, ok := units[l.UnitID]
		if !ok {
			t.Errorf("lease %d: unit %d does not exist", l.ID, l.UnitID)
		} else if u.PropertyID != l.PropertyID || u.UnitNumber != l.UnitNumber {
			t.Errorf("lease %d: property/unit number %d/%q disagree with unit %d/%q", l.ID, l.PropertyID, l.UnitNumber, u.PropertyID, u.UnitNumber)
		}
		if l.LeaseStatus == StatusActive {
			active[l.UnitID] = true
		}
		var current []int32
		for _, lt := range l.Tenants {
			if _, ok := tenants[lt.ID]; !ok {
				t.Errorf("lease %d: tenant %d does not exist", l.ID, lt.ID)
			}
			onLease[lt.ID] = append(onLease[lt.ID], l.ID)
			if lt.Status == TenantCurrent {
				current = append(current, lt.ID)
			}
		}
		var got []int32
		for _, ct := range l.CurrentTenants {
			got = append(got, ct.ID)
			if ct.Leases != nil {
				t.Errorf("lease %d: current tenant %d carries nested leases", l.ID, ct.ID)
			}
		}
		if !slices.Equal(got, current) || int(l.CurrentNumberOfOccupants) != len(current) {
			t.Errorf("lease %d: CurrentTenants %v (occupants %d), want %v", l.ID, got, l.CurrentNumberOfOccupants, current)
		}
		if n := len(l.Tenants); n == 0 || n > 4 {
			t.Errorf("lease %d has %d tenants", l.ID, n)
		}
	}
	for _, tn := range p.Tenants {
		var got []int32
		for _, l := range tn.Leases {
			got = append(got, l.ID)
			if len(l.CurrentTenants) != 0 {
				t.Errorf("tenant %d: nested lease %d carries CurrentTenants", tn.ID, l.ID)
			}
		}
		want := onLease[tn.ID]
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("tenant %d: Leases %v, want %v", tn.ID, got, want)
		}
		if len(got) == 0 {
			t.Errorf("tenant %d is on no lease", tn.ID)
		}
	}
	for _, u := range p.Units {
		if u.IsUnitOccupied == nil || *u.IsUnitOccupied != active[u.ID] {
			t.Errorf("unit %d: IsUnitOccupied %v, want %v", u.ID, u.IsUnitOccupied, active[u.ID])
		}
	}
}

// checkDates verifies lease dates against statuses and hidden update times.
func checkDates(t *testing.T, p *Portfolio) {
	t.Helper()
	today := p.AsOf.Format(time.DateOnly)
	for _, l := range p.Leases {
		switch l.LeaseStatus {
		case StatusActive:
			if l.LeaseFromDate > today {
				t.Errorf("active lease %d starts in the future (%s)", l.ID, l.LeaseFromDate)
			}
		case StatusPast:
			if l.LeaseToDate == "" || l.LeaseToDate >= today {
				t.Errorf("past lease %d ends %q, not before %s", l.ID, l.LeaseToDate, today)
			}
		case StatusFuture:
			if l.LeaseFromDate <= today {
				t.Errorf("future lease %d starts %s, not after %s", l.ID, l.LeaseFromDate, today)
			}
		default:
			t.Errorf("lease %d: status %q", l.ID, l.LeaseStatus)
		}
		if l.LeaseToDate != "" && l.LeaseToDate < l.LeaseFromDate {
			t.Errorf("lease %d ends (%s) before it starts (%s)", l.ID, l.LeaseToDate, l.LeaseFromDate)
		}
		up := p.UpdatedAt(KindLease, l.ID)
		if l.LastUpdatedDateTime == nil || !l.LastUpdatedDateTime.Equal(up) {
			t.Errorf("lease %d: LastUpdatedDateTime %v, hidden time %v", l.ID, l.LastUpdatedDateTime, up)
		}
		if l.CreatedDateTime == nil || l.CreatedDateTime.After(up) || up.After(p.AsOf) {
			t.Errorf("lease %d: created %v, updated %v, as of %v", l.ID, l.CreatedDateTime, up, p.AsOf)
		}
	}
	for _, r := range p.Rentals {
		if p.UpdatedAt(KindRental, r.ID).IsZero() {
			t.Errorf("rental %d has no hidden update time", r.ID)
		}
	}
	for _, u := range p.Units {
		if p.UpdatedAt(KindUnit, u.ID).IsZero() {
			t.Errorf("unit %d has no hidden update time", u.ID)
		}
	}
	for _, tn := range p.Tenants {
		up := p.UpdatedAt(KindTenant, tn.ID)
		if up.IsZero() || up.After(p.AsOf) || (tn.CreatedDateTime != nil && tn.CreatedDateTime.After(up)) {
			t.Errorf("tenant %d: created %v, updated %v", tn.ID, tn.CreatedDateTime, up)
		}
	}
}

func TestCensusFindsEveryCategory(t *testing.T) {
	for _, tc := range []struct {
		scale int
		seed  uint64
	}{{1000, 1}, {1000, 2}, {1000, 99}, {250, 5}} {
		t.Run(strconv.Itoa(tc.scale)+"/"+strconv.FormatUint(tc.seed, 10), func(t *testing.T) {
			c := Census(Generate(Options{Scale: tc.scale, Seed: tc.seed}))
			for _, k := range DirtCategories {
				if c[k] == 0 {
					t.Errorf("category %q absent", k)
				}
			}
			for _, typ := range PhoneTypes {
				if c["phone-type:"+typ] == 0 {
					t.Errorf("phone type %q absent", typ)
				}
			}
			// Dirt stays a minority: a demo is mostly clean data.
			for _, k := range []string{DirtInvalidEmail, DirtMissingName, DirtHostileString, DirtGarbagePhone, DirtOrphanedUnit, DirtEndedButActive} {
				if c[k]*50 > tc.scale {
					t.Errorf("category %q: %d of %d tenants, want rare", k, c[k], tc.scale)
				}
			}
		})
	}
}

func TestCensusDetectsHandMadeDirt(t *testing.T) {
	p := &Portfolio{
		AsOf:    DefaultNow,
		Rentals: []buildium.Rental{{ID: 1}},
		Units:   []buildium.RentalUnit{{ID: 10, PropertyID: 1, UnitBedrooms: "OneBed", UnitBathrooms: "OneBath"}, {ID: 11, PropertyID: 2, UnitBedrooms: "OneBed"}},
		Tenants: []buildium.Tenant{
			{ID: 100, FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", PhoneNumbers: []buildium.PhoneNumber{{Number: "(415) 555-0101", Type: "Cell"}}},
			{ID: 101, FirstName: "Jane", LastName: "Doe", Email: "  Jane.Doe@Example.COM ", PhoneNumbers: []buildium.PhoneNumber{{Number: "call me", Type: "Fax"}}},
			{ID: 102, FirstName: "Jane", LastName: "Doe", Email: "jd@example.com", AlternateEmail: "JANE.DOE@example.com", PhoneNumbers: []buildium.PhoneNumber{{Number: "415.555.0101", Type: "Home"}}},
			{ID: 103, FirstName: "\x1b[31mX", Email: "jane@", EmergencyContact: &buildium.EmergencyContact{Name: "Jane Doe", Email: "jane.doe@example.com"}},
			{ID: 104, FirstName: "Zoë", LastName: "Ng", TaxID: "123-12-1234", EmergencyContact: &buildium.EmergencyContact{Name: "Jane Doe", Email: "JANE.DOE@example.com"}},
		},
		Leases: []buildium.Lease{
			{ID: 1000, UnitID: 10, LeaseStatus: StatusActive, LeaseToDate: "2026-10-31", Tenants: []buildium.LeaseTenant{{ID: 100}, {ID: 101}}},
			{ID: 1001, UnitID: 10, LeaseStatus: StatusPast, Tenants: []buildium.LeaseTenant{{ID: 100}}},
			{ID: 1002, UnitID: 11, LeaseStatus: StatusFuture, Tenants: []buildium.LeaseTenant{{ID: 102}}},
		},
	}
	want := map[string]int{
		DirtSharedEmail: 0, DirtEmailVariant: 1, DirtEmailIsAlternate: 2, DirtInvalidEmail: 1,
		DirtMissingEmail: 1, DirtMissingName: 1, DirtUnicodeName: 1, DirtUncommonPhoneType: 1,
		DirtOddPhoneFormat: 1, DirtGarbagePhone: 1, DirtSameNamePhone: 2, DirtNullRooms: 1,
		DirtOrphanedUnit: 1, DirtMultiTenantLease: 1, DirtPastLease: 1, DirtFutureLease: 1,
		DirtEndedButActive: 1, DirtTenantOnSeveralLeases: 1, DirtEmergencyIsTenant: 2,
		DirtSharedEmergency: 2, DirtTaxID: 1, DirtHostileString: 1,
		"phone-type:Cell": 1, "phone-type:Fax": 1, "phone-type:Home": 1,
	}
	got := Census(p)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %d, want %d", k, got[k], w)
		}
	}
}

// TestRecordsMatchOpenAPI checks generated records against Buildium's own
// schemas (enums, formats, nullability, additionalProperties: false) by
// validating them as list responses.
func TestRecordsMatchOpenAPI(t *testing.T) {
	c := spectest.Load(t)
	p := Generate(Options{Scale: 300, Seed: 3})
	check := func(path string, body any) {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/"+path[1:], nil)
		resp := &http.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"application/json"}, "X-Total-Count": {"1"}},
			Body:       io.NopCloser(bytes.NewReader(mustJSON(t, body))),
			Request:    req,
		}
		for _, prob := range c.Response(req, resp) {
			t.Error(prob)
		}
	}
	check("/v1/rentals", p.Rentals)
	check("/v1/rentals/units", p.Units)
	check("/v1/leases/tenants", p.Tenants)
	check("/v1/leases", p.Leases)
	for id, a := range p.Amenities {
		check("/v1/rentals/"+strconv.Itoa(int(id))+"/amenities", a)
		break
	}
}

func TestRefText(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Ref
		wantErr bool
	}{
		{"tenant/1000001", Ref{KindTenant, 1000001}, false},
		{"lease/5", Ref{KindLease, 5}, false},
		{"rental/x", Ref{}, true},
		{"owner/5", Ref{}, true},
		{"tenant", Ref{}, true},
		{"unit/99999999999", Ref{}, true},
	} {
		var r Ref
		err := r.UnmarshalText([]byte(tc.in))
		if (err != nil) != tc.wantErr || (!tc.wantErr && r != tc.want) {
			t.Errorf("UnmarshalText(%q) = %v, %v", tc.in, r, err)
		}
		if !tc.wantErr && r.String() != tc.in {
			t.Errorf("String() = %q, want %q", r.String(), tc.in)
		}
	}
}

func TestCloneSharesNothing(t *testing.T) {
	p := Generate(Options{Scale: 60, Seed: 4})
	before := mustJSON(t, p)
	q := p.Clone()
	if !bytes.Equal(before, mustJSON(t, q)) {
		t.Fatal("clone differs from the original")
	}
	for i := range q.Tenants {
		q.Tenants[i].PhoneNumbers = append(q.Tenants[i].PhoneNumbers[:0:0], buildium.PhoneNumber{Number: "x", Type: "Cell"})
		if q.Tenants[i].Address != nil {
			q.Tenants[i].Address.City = "Elsewhere"
		}
		if len(q.Tenants[i].Leases) > 0 {
			q.Tenants[i].Leases[0].Tenants[0].Status = "X"
		}
	}
	for i := range q.Leases {
		*q.Leases[i].AccountDetails.Rent = -1
		if len(q.Leases[i].CurrentTenants) > 0 {
			q.Leases[i].CurrentTenants[0].EmergencyContact = nil
		}
	}
	for k := range q.Updated {
		q.Updated[k] = time.Time{}
	}
	if !bytes.Equal(before, mustJSON(t, p)) {
		t.Fatal("changing the clone changed the original")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, scale := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Generate(Options{Scale: scale, Seed: 1})
			}
		})
	}
}
