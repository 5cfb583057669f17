package buildiumsim

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

func TestPaging(t *testing.T) {
	f := newFixture(t, 300) // 300 tenants, 150 units
	p := f.s.Snapshot()
	n := len(p.Tenants)
	for _, tc := range []struct {
		query     string
		wantFirst int // index into p.Tenants, -1 for an empty page
		wantLen   int
	}{
		{"", 0, DefaultLimit},
		{"orderby=Id&limit=7", 0, 7},
		{"orderby=Id&offset=10&limit=7", 10, 7},
		{"orderby=Id&offset=295&limit=10", 295, 5},
		{"orderby=Id&offset=300&limit=10", -1, 0},
		{"orderby=Id&offset=5000", -1, 0},
		{"orderby=Id&limit=5000", 0, n}, // clamped to 1000 (ref §2), all 300 fit
		{"orderby=Id asc&limit=3", 0, 3},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got, total := list[buildium.Tenant](f, "/v1/leases/tenants?"+strings.ReplaceAll(tc.query, " ", "%20"))
			if total != n {
				t.Errorf("X-Total-Count %d, want %d", total, n)
			}
			if len(got) != tc.wantLen {
				t.Fatalf("%d records, want %d", len(got), tc.wantLen)
			}
			for i, tn := range got {
				if want := p.Tenants[tc.wantFirst+i].ID; tn.ID != want {
					t.Fatalf("record %d is tenant %d, want %d", i, tn.ID, want)
				}
			}
		})
	}
}

func TestLimitClampsAt1000(t *testing.T) {
	f := newFixture(t, 2100) // 1050 units
	got, total := list[buildium.RentalUnit](f, "/v1/rentals/units?orderby=Id&limit=1001")
	if total != 1050 || len(got) != MaxLimit {
		t.Fatalf("limit=1001: %d records of %d, want %d", len(got), total, MaxLimit)
	}
}

func TestOrderBy(t *testing.T) {
	f := newFixture(t, 120)
	ids := func(ls []buildium.Lease) []int32 {
		out := make([]int32, len(ls))
		for i, l := range ls {
			out[i] = l.ID
		}
		return out
	}
	asc, _ := list[buildium.Lease](f, "/v1/leases?orderby=Id&limit=1000")
	desc, _ := list[buildium.Lease](f, "/v1/leases?orderby=id%20DESC&limit=1000")
	if !slices.IsSorted(ids(asc)) {
		t.Error("orderby=Id is not ascending")
	}
	rev := ids(asc)
	slices.Reverse(rev)
	if !slices.Equal(ids(desc), rev) {
		t.Error("orderby=id DESC is not the reverse of Id")
	}
	multi, _ := list[buildium.Lease](f, "/v1/leases?orderby=LeaseFromDate%20desc,Id%20asc&limit=1000")
	for i := 1; i < len(multi); i++ {
		a, b := multi[i-1], multi[i]
		if a.LeaseFromDate < b.LeaseFromDate || (a.LeaseFromDate == b.LeaseFromDate && a.ID > b.ID) {
			t.Fatalf("orderby=LeaseFromDate desc,Id asc broken at %d: %s/%d then %s/%d", i, a.LeaseFromDate, a.ID, b.LeaseFromDate, b.ID)
		}
	}
	// Without orderby, units come in PropertyId order (ref §9), not by Id.
	units, _ := list[buildium.RentalUnit](f, "/v1/rentals/units?limit=1000")
	for i := 1; i < len(units); i++ {
		if units[i-1].PropertyID > units[i].PropertyID {
			t.Fatalf("default unit order not by PropertyId at %d", i)
		}
	}
}

func TestLastUpdatedWindow(t *testing.T) {
	clock := simNow
	f := newFixture(t, 200, func(o *Options) { o.Now = func() time.Time { return clock } })
	before, _ := list[buildium.Tenant](f, "/v1/leases/tenants?orderby=Id&limit=1000")

	// Touch three tenants, a unit, a rental and a lease one day later.
	clock = simNow.Add(24 * time.Hour)
	changed := []int32{before[3].ID, before[50].ID, before[199].ID}
	for _, id := range changed {
		if err := f.s.UpdateTenant(id, func(t *buildium.Tenant) { t.Comment = "updated" }); err != nil {
			t.Fatal(err)
		}
	}
	snap := f.s.Snapshot()
	if err := f.s.UpdateUnit(snap.Units[7].ID, func(u *buildium.RentalUnit) { u.Description = "new" }); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateRental(snap.Rentals[2].ID, func(r *buildium.Rental) { r.Name = "Renamed" }); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UpdateLease(snap.Leases[4].ID, func(l *buildium.Lease) { l.IsEvictionPending = true }); err != nil {
		t.Fatal(err)
	}

	at := clock.Format(UpdatedLayout)
	q := "?orderby=Id&limit=1000&lastupdatedfrom=" + url.QueryEscape(at)
	tenants, total := list[buildium.Tenant](f, "/v1/leases/tenants"+q)
	var got []int32
	for _, tn := range tenants {
		got = append(got, tn.ID)
		if tn.Comment != "updated" {
			t.Errorf("tenant %d in the window but not updated", tn.ID)
		}
	}
	if !slices.Equal(got, changed) || total != 3 {
		t.Errorf("tenants updated since %s: %v (total %d), want %v", at, got, total, changed)
	}
	if us, _ := list[buildium.RentalUnit](f, "/v1/rentals/units"+q); len(us) != 1 || us[0].ID != snap.Units[7].ID {
		t.Errorf("units in window: %d", len(us))
	}
	if rs, _ := list[buildium.Rental](f, "/v1/rentals"+q); len(rs) != 1 || rs[0].Name != "Renamed" {
		t.Errorf("rentals in window: %+v", rs)
	}
	ls, _ := list[buildium.Lease](f, "/v1/leases"+q)
	if len(ls) != 1 || ls[0].LastUpdatedDateTime == nil || !ls[0].LastUpdatedDateTime.Equal(clock) {
		t.Errorf("leases in window: %+v", ls)
	}

	// Both bounds are inclusive (ref §5): a window that ends exactly at
	// the update time still has it; one that ends a second earlier not.
	window := func(from, to time.Time) int {
		_, n := list[buildium.Tenant](f, "/v1/leases/tenants?limit=1&lastupdatedfrom="+url.QueryEscape(from.Format(UpdatedLayout))+
			"&lastupdatedto="+url.QueryEscape(to.Format(UpdatedLayout)))
		return n
	}
	if n := window(clock, clock); n != 3 {
		t.Errorf("window [t, t]: %d tenants, want 3", n)
	}
	if n := window(clock.Add(-time.Hour), clock.Add(-time.Second)); n != 0 {
		t.Errorf("window ending before t: %d tenants, want 0", n)
	}
	from, to := simNow.AddDate(0, -6, 0), simNow
	want := 0
	for _, tn := range snap.Tenants {
		if up := snap.UpdatedAt(gen.KindTenant, tn.ID); !up.Before(from) && !up.After(to) && !slices.Contains(changed, tn.ID) {
			want++
		}
	}
	if n := window(from, to); n != want || want == 0 {
		t.Errorf("window over six months: %d tenants, want %d", n, want)
	}
}

func TestLastUpdatedRangeCap(t *testing.T) {
	f := newFixture(t, 10)
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 200}, // exactly 365 days
		{"2025-01-01T00:00:00Z", "2026-01-01T00:00:01Z", 422},
		{"2020-01-01T00:00:00Z", "", 422}, // open end: measured to now
		{"2026-06-01T00:00:00Z", "", 200},
		{"", "2020-01-01T00:00:00Z", 200},
	} {
		q := "/v1/leases?limit=1"
		if tc.from != "" {
			q += "&lastupdatedfrom=" + tc.from
		}
		if tc.to != "" {
			q += "&lastupdatedto=" + tc.to
		}
		resp, body := f.get(q)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d: %s", q, resp.StatusCode, tc.want, body)
			continue
		}
		if tc.want == 422 {
			// [3rd-party] blackwaxxx/Buildium-MCP: the text carries these words (ref §4).
			if e := apiErr(t, body); !strings.Contains(e.UserMessage, "time range must be") || !strings.Contains(e.UserMessage, "365 days") {
				t.Errorf("422 message %q", e.UserMessage)
			}
		}
	}
}

func TestFilters(t *testing.T) {
	f := newFixture(t, 400)
	p := f.s.Snapshot()
	a, b := p.Rentals[1].ID, p.Rentals[3].ID
	inAB := func(id int32) bool { return id == a || id == b }
	props := "propertyids=" + itoa(a) + "&propertyids=" + itoa(b)

	units, total := list[buildium.RentalUnit](f, "/v1/rentals/units?limit=1000&"+props)
	want := 0
	for _, u := range p.Units {
		if inAB(u.PropertyID) {
			want++
		}
	}
	if total != want || len(units) != want || want == 0 {
		t.Errorf("units of two properties: %d (total %d), want %d", len(units), total, want)
	}
	for _, u := range units {
		if !inAB(u.PropertyID) {
			t.Errorf("unit %d of property %d", u.ID, u.PropertyID)
		}
	}

	leases, _ := list[buildium.Lease](f, "/v1/leases?limit=1000&leasestatuses=Active&leasestatuses=Future&"+props)
	want = 0
	for _, l := range p.Leases {
		if inAB(l.PropertyID) && l.LeaseStatus != gen.StatusPast {
			want++
		}
	}
	if len(leases) != want {
		t.Errorf("active+future leases of two properties: %d, want %d", len(leases), want)
	}

	tenants, _ := list[buildium.Tenant](f, "/v1/leases/tenants?limit=1000&"+props)
	for _, tn := range tenants {
		if !slices.ContainsFunc(tn.Leases, func(l buildium.Lease) bool { return inAB(l.PropertyID) }) {
			t.Errorf("tenant %d has no lease at property %d or %d", tn.ID, a, b)
		}
	}
	if len(tenants) == 0 {
		t.Error("no tenants at two properties")
	}

	rentals, _ := list[buildium.Rental](f, "/v1/rentals?limit=1000&status=InActive")
	for _, r := range rentals {
		if r.IsActive {
			t.Errorf("rental %d is active", r.ID)
		}
	}
}

func TestNestingStopsAfterOneLevel(t *testing.T) {
	f := newFixture(t, 100)
	tenants, _ := list[buildium.Tenant](f, "/v1/leases/tenants?limit=1000")
	for _, tn := range tenants {
		if len(tn.Leases) == 0 {
			t.Errorf("tenant %d has no leases", tn.ID)
		}
		for _, l := range tn.Leases {
			if len(l.CurrentTenants) != 0 {
				t.Errorf("tenant %d: nested lease %d has CurrentTenants", tn.ID, l.ID)
			}
		}
	}
	leases, _ := list[buildium.Lease](f, "/v1/leases?limit=1000&leasestatuses=Active")
	for _, l := range leases {
		for _, ct := range l.CurrentTenants {
			if ct.Leases != nil {
				t.Errorf("lease %d: current tenant %d has nested leases", l.ID, ct.ID)
			}
		}
	}
	resp, _ := f.get("/v1/leases?limit=1")
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}
