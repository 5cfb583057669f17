package buildiumsim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim/fault"
	"b2h/clients/sim/gen"
)

// rawList GETs a list as raw records with its X-Total-Count.
func rawList(f *fixture, path string) ([]json.RawMessage, int) {
	f.t.Helper()
	resp, body := f.get(path)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var out []json.RawMessage
	if err := json.Unmarshal(body, &out); err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
	total, _ := strconv.Atoi(resp.Header.Get("X-Total-Count"))
	return out, total
}

func TestShortPages(t *testing.T) {
	f := newFixture(t, 100)
	n := len(f.s.Snapshot().Tenants)
	f.s.SetShortPages(7)
	for _, tc := range []struct {
		path  string
		want  int
		total int
	}{
		{"/v1/leases/tenants?limit=20&offset=0", 13, n},
		{"/v1/leases/tenants?limit=20&offset=" + strconv.Itoa(n-10), 3, n},
		{"/v1/leases/tenants?limit=20&offset=" + strconv.Itoa(n-5), 0, n},
		{"/v1/leases/tenants?limit=20&offset=0&leasetermstatuses=Active", 13, -1}, // the filtered path too
	} {
		recs, total := rawList(f, tc.path)
		if len(recs) != tc.want {
			t.Errorf("%s: %d records, want %d", tc.path, len(recs), tc.want)
		}
		if tc.total >= 0 && total != tc.total {
			t.Errorf("%s: X-Total-Count %d, want the true %d", tc.path, total, tc.total)
		}
	}
	f.s.SetShortPages(0)
	if recs, _ := rawList(f, "/v1/leases/tenants?limit=20"); len(recs) != 20 {
		t.Errorf("SetShortPages(0): %d records", len(recs))
	}
	// A number of short requests, then whole pages: one run short, the next whole.
	f.s.SetShortPagesFor(5, 2)
	for i, want := range []int{15, 15, 20, 20} {
		if recs, _ := rawList(f, "/v1/rentals/units?limit=20"); len(recs) != want {
			t.Errorf("request %d: %d records, want %d", i+1, len(recs), want)
		}
	}
	// Through the SPEC of b2h demo serve --faults.
	p, err := fault.Parse("buildium.short=4,buildium.shortfor=1", "buildium")
	if err != nil {
		t.Fatal(err)
	}
	f.s.SetFaults(p)
	for i, want := range []int{16, 20} {
		if recs, _ := rawList(f, "/v1/leases?limit=20"); len(recs) != want {
			t.Errorf("spec, request %d: %d records, want %d", i+1, len(recs), want)
		}
	}
}

func TestOddRecords(t *testing.T) {
	p, err := fault.Parse("buildium.odd=all", "buildium")
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, 100, func(o *Options) { o.Faults = p })
	snap := f.s.Snapshot()
	odd := f.s.OddRecords()
	if len(odd) != 6+5*3 {
		t.Fatalf("%d odd records, want 6 tenants and 5 of each other kind: %+v", len(odd), odd)
	}
	if odd[0].Kind != gen.KindRental || odd[0].ID != snap.Rentals[0].ID || odd[0].Odd != fault.OddNull {
		t.Errorf("the first odd record is %+v", odd[0])
	}
	recs, total := rawList(f, "/v1/leases/tenants?limit=10")
	if total != len(snap.Tenants) || len(recs) != 10 {
		t.Fatalf("%d records of %d", len(recs), total)
	}
	id0 := snap.Tenants[3].ID
	want := []string{`null`, `"Id":0`, `"Id":-5`, `"Id":"` + strconv.Itoa(int(id0)) + `"`, `"Id":2147483648`, `"EmergencyContact":[]`}
	for i, w := range want {
		if !json.Valid(recs[i]) || !contains(recs[i], w) {
			t.Errorf("tenant %d: %s, want %s", i, recs[i], w)
		}
	}
	for _, r := range recs[6:] {
		var x buildium.Tenant
		if err := json.Unmarshal(r, &x); err != nil || x.ID <= 0 {
			t.Errorf("a record after the odd ones: %s (%v)", r, err)
		}
	}
	// The same record is odd in its by-id GET, and in a filtered list.
	_, body := f.get("/v1/leases/tenants/" + strconv.Itoa(int(snap.Tenants[5].ID)))
	if !contains(body, `"EmergencyContact":[]`) {
		t.Errorf("by-id GET of the emergency record: %s", body)
	}
	if _, body := f.get("/v1/rentals/" + strconv.Itoa(int(snap.Rentals[0].ID))); string(body) != "null" {
		t.Errorf("by-id GET of the null rental: %s", body)
	}
	units, _ := rawList(f, "/v1/rentals/units?limit=10&propertyids="+strconv.Itoa(int(snap.Units[0].PropertyID)))
	if string(units[0]) != "null" {
		t.Errorf("filtered units start %s", units[0])
	}
	// Offsets past the odd ones are whole, and the counts stay true.
	if recs, _ := rawList(f, "/v1/leases/tenants?limit=10&offset=10"); len(recs) != 10 || string(recs[0]) == "null" {
		t.Errorf("page two: %d records", len(recs))
	}
	f.s.SetOddRecords(0)
	if recs, _ := rawList(f, "/v1/leases/tenants?limit=3"); string(recs[0]) == "null" || len(f.s.OddRecords()) != 0 {
		t.Errorf("SetOddRecords(0) still serves %s", recs[0])
	}
	f.s.SetOddRecords(fault.OddZeroID | fault.OddEmergency)
	if recs, _ := rawList(f, "/v1/leases?limit=3"); !contains(recs[0], `"Id":0`) || contains(recs[1], `"Id":0`) {
		t.Errorf("leases get only the zero id: %s %s", recs[0], recs[1])
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
