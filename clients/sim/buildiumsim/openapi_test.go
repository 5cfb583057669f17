package buildiumsim

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"b2h/clients/sim/buildiumsim/spectest"
)

// TestResponsesMatchOpenAPI validates the simulator's answers for every
// endpoint, success and declared errors, against Buildium's own OpenAPI
// document (status declared, body schema with additionalProperties:
// false, enums, nullability, date formats, X-Total-Count).
func TestResponsesMatchOpenAPI(t *testing.T) {
	c := spectest.Load(t)
	f := newFixture(t, 400)
	p := f.s.Snapshot()
	rid, uid, tid, lid := itoa(p.Rentals[0].ID), itoa(p.Units[0].ID), itoa(p.Tenants[0].ID), itoa(p.Leases[0].ID)
	type tc struct {
		path   string
		want   int
		noAuth bool
	}
	cases := []tc{
		{"/v1/rentals?orderby=Id&limit=1000", 200, false},
		{"/v1/rentals/" + rid, 200, false},
		{"/v1/rentals/" + rid + "/amenities", 200, false},
		{"/v1/rentals/units?orderby=Id&limit=1000", 200, false},
		{"/v1/rentals/units/" + uid, 200, false},
		{"/v1/leases/tenants?orderby=Id&limit=1000", 200, false},
		{"/v1/leases/tenants/" + tid, 200, false},
		{"/v1/leases?orderby=Id&limit=1000", 200, false},
		{"/v1/leases/" + lid, 200, false},
		{"/v1/leases?leasestatuses=Active&propertyids=" + rid + "&lastupdatedfrom=2026-06-01T00:00:00Z&lastupdatedto=2026-11-01T00:00:00Z", 200, false},
		{"/v1/rentals", 401, true},
		{"/v1/leases/tenants/" + tid, 401, true},
		{"/v1/rentals/1", 404, false},
		{"/v1/leases/tenants/1", 404, false},
		{"/v1/rentals/1/amenities", 404, false},
		{"/v1/leases/99999999999", 400, false},
		{"/v1/leases?orderby=Nope", 400, false},
		{"/v1/rentals/units?lastupdatedfrom=2020-01-01T00:00:00Z&lastupdatedto=2026-01-01T00:00:00Z", 422, false},
	}
	// Every tenant and lease, not only the first page: dirt is rare.
	for off := 1000; off < len(p.Tenants); off += 1000 {
		cases = append(cases, tc{"/v1/leases/tenants?orderby=Id&limit=1000&offset=" + itoa(int32(off)), 200, false})
	}
	for _, k := range cases {
		t.Run(strings.TrimPrefix(k.path, "/v1/"), func(t *testing.T) {
			req := f.request(k.path)
			if k.noAuth {
				req.Header.Del("x-buildium-client-secret")
			}
			resp, body := f.do(req)
			if resp.StatusCode != k.want {
				t.Fatalf("status %d, want %d: %.300s", resp.StatusCode, k.want, body)
			}
			isList := strings.Contains(k.path, "?")
			if hasTotal := resp.Header.Get("X-Total-Count") != ""; k.want == 200 && hasTotal != isList {
				t.Errorf("X-Total-Count %q on %s", resp.Header.Get("X-Total-Count"), k.path)
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			vreq, _ := http.NewRequest(http.MethodGet, f.url+k.path, nil)
			for _, prob := range c.Response(vreq, resp) {
				t.Error(prob)
			}
		})
	}
}

// TestRequestsOfTheTestsMatchOpenAPI keeps the tests honest: the query
// strings they send are valid per the document.
func TestRequestsOfTheTestsMatchOpenAPI(t *testing.T) {
	c := spectest.Load(t)
	f := newFixture(t, 10)
	for _, path := range []string{
		"/v1/rentals?orderby=Id&limit=1000&offset=0&propertyids=1&propertyids=2",
		"/v1/rentals/units?lastupdatedfrom=2026-01-01T00:00:00Z&lastupdatedto=2026-02-01T00:00:00Z",
		"/v1/leases?leasestatuses=Active&leasestatuses=Future",
		"/v1/leases/tenants?leasetermstatuses=Past&unitids=3",
	} {
		for _, prob := range c.Request(f.request(path)) {
			t.Errorf("%s: %s", path, prob)
		}
	}
	bad := f.request("/v1/leases?leasestatuses=Closed")
	if len(c.Request(bad)) == 0 {
		t.Error("the validator accepted an invalid enum; the check is not working")
	}
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"Id":1,"UnitBedrooms":"","Extra":true}`))}
	if probs := c.Response(f.request("/v1/rentals/units/1"), resp); len(probs) == 0 {
		t.Error("the validator accepted an invalid unit; the check is not working")
	}
}
