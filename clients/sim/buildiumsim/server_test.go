package buildiumsim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim/gen"
)

// simNow is the simulator's clock in tests: the generator's reference day.
var simNow = gen.DefaultNow

type fixture struct {
	t   *testing.T
	s   *Server
	url string
	hc  *http.Client
}

func newFixture(t *testing.T, scale int, tweak ...func(*Options)) *fixture {
	t.Helper()
	o := Options{
		Portfolio: gen.Generate(gen.Options{Scale: scale, Seed: 1}),
		Now:       func() time.Time { return simNow },
	}
	for _, f := range tweak {
		f(&o)
	}
	s := New(o)
	url, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return &fixture{t: t, s: s, url: url, hc: &http.Client{Timeout: 30 * time.Second}}
}

// request builds an authorised GET.
func (f *fixture) request(path string) *http.Request {
	req, err := http.NewRequest(http.MethodGet, f.url+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	id, secret := f.s.Credentials()
	req.Header.Set("x-buildium-client-id", id)
	req.Header.Set("x-buildium-client-secret", secret)
	return req
}

// do sends req and returns the response with its body read.
func (f *fixture) do(req *http.Request) (*http.Response, []byte) {
	f.t.Helper()
	resp, err := f.hc.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return resp, body
}

func (f *fixture) get(path string) (*http.Response, []byte) {
	f.t.Helper()
	return f.do(f.request(path))
}

// list GETs a list and decodes it, failing on a non-200.
func list[T any](f *fixture, path string) ([]T, int) {
	f.t.Helper()
	resp, body := f.get(path)
	if resp.StatusCode != http.StatusOK {
		f.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	var out []T
	if err := json.Unmarshal(body, &out); err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
	total, err := strconv.Atoi(resp.Header.Get("X-Total-Count"))
	if err != nil {
		f.t.Fatalf("GET %s: X-Total-Count %q", path, resp.Header.Get("X-Total-Count"))
	}
	return out, total
}

// apiErr decodes an ApiErrorResponse body strictly.
func apiErr(t *testing.T, body []byte) apiError {
	t.Helper()
	var e apiError
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("body %q is not an ApiErrorResponse: %v", body, err)
	}
	return e
}

func TestAuth(t *testing.T) {
	f := newFixture(t, 20, func(o *Options) { o.ClientID, o.ClientSecret = "the-id", "the-secret" })
	for _, tc := range []struct {
		name       string
		id, secret string // "-" omits the header
		want       int
	}{
		{"valid", "the-id", "the-secret", 200},
		{"no headers", "-", "-", 401},
		{"no secret", "the-id", "-", 401},
		{"wrong secret", "the-id", "the-secreT", 401},
		{"wrong id", "other", "the-secret", 401},
		{"swapped", "the-secret", "the-id", 401},
		{"empty", "", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, f.url+"/v1/rentals", nil)
			if tc.id != "-" {
				req.Header.Set("x-buildium-client-id", tc.id)
			}
			if tc.secret != "-" {
				req.Header.Set("x-buildium-client-secret", tc.secret)
			}
			resp, body := f.do(req)
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
			if tc.want == 401 {
				e := apiErr(t, body)
				if e.UserMessage == "" || e.Errors == nil {
					t.Errorf("401 body %s lacks UserMessage or Errors", body)
				}
				if strings.Contains(string(body), "the-secret") {
					t.Error("401 body echoes the secret")
				}
			}
		})
	}
	if got := f.s.Stats().Unauthorized; got != 6 {
		t.Errorf("Stats().Unauthorized = %d, want 6", got)
	}
}

func TestGeneratedCredentials(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	ida, seca := a.Credentials()
	idb, _ := b.Credentials()
	if len(ida) < 16 || len(seca) < 32 || ida == idb {
		t.Fatalf("weak or repeated credentials: %q %q %q", ida, seca, idb)
	}
}

func TestRouting(t *testing.T) {
	f := newFixture(t, 40)
	p := f.s.Snapshot()
	rid, uid, tid, lid := p.Rentals[0].ID, p.Units[0].ID, p.Tenants[0].ID, p.Leases[0].ID
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/v1/rentals", 200},
		{"/v1/rentals/" + itoa(rid), 200},
		{"/v1/rentals/" + itoa(rid) + "/amenities", 200},
		{"/v1/rentals/units", 200},
		{"/v1/rentals/units/" + itoa(uid), 200},
		{"/v1/leases/tenants", 200},
		{"/v1/leases/tenants/" + itoa(tid), 200},
		{"/v1/leases", 200},
		{"/v1/leases/" + itoa(lid), 200},
		// ref §1: paths are case-sensitive and need the version.
		{"/v1/Rentals", 404},
		{"/V1/rentals", 404},
		{"/rentals", 404},
		{"/v1/rentals/", 404},
		{"/v1/leases/Tenants", 404},
		// ref §5: these paths do not exist.
		{"/v1/tenants", 404},
		{"/v1/units", 404},
		{"/v1/rentals/" + itoa(rid) + "/units", 404},
		// unknown ids
		{"/v1/rentals/1", 404},
		{"/v1/rentals/units/1", 404},
		{"/v1/leases/tenants/1", 404},
		{"/v1/leases/1", 404},
		{"/v1/rentals/1/amenities", 404},
		// ids that are not int32
		{"/v1/rentals/abc", 404},
		{"/v1/leases/99999999999", 400},
	} {
		t.Run(tc.path, func(t *testing.T) {
			resp, body := f.get(tc.path)
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
			if tc.want != 200 {
				apiErr(t, body)
			}
		})
	}
	stats := f.s.Stats()
	if stats.ByEndpoint["GET /v1/rentals/{propertyId}"] != 2 || stats.ByEndpoint["other"] != 9 {
		t.Errorf("ByEndpoint = %v", stats.ByEndpoint)
	}
	f.s.ResetStats()
	if st := f.s.Stats(); st.Requests != 0 || len(st.ByEndpoint) != 0 {
		t.Errorf("after ResetStats: %+v", st)
	}
}

func TestReadOnly(t *testing.T) {
	f := newFixture(t, 5)
	req := f.request("/v1/rentals")
	req.Method = http.MethodPost
	resp, body := f.do(req)
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
		t.Fatalf("POST: %d %s", resp.StatusCode, body)
	}
	apiErr(t, body)
}

func TestQueryStringLimit(t *testing.T) {
	f := newFixture(t, 5)
	// ref §1: a query string over 4096 characters gets a 500.
	long := "/v1/rentals?propertyids=1" + strings.Repeat("&propertyids=1", (MaxQueryLength)/14)
	if resp, _ := f.get(long); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("%d-character query: status %d, want 500", len(long), resp.StatusCode)
	}
	ok := "/v1/rentals?propertyids=1" + strings.Repeat("&propertyids=1", (MaxQueryLength-30)/14)
	if resp, body := f.get(ok); resp.StatusCode != http.StatusOK {
		t.Errorf("%d-character query: status %d: %s", len(ok), resp.StatusCode, body)
	}
}

func TestParameterNames(t *testing.T) {
	f := newFixture(t, 30)
	for _, tc := range []struct {
		query string
		want  int
		key   string
	}{
		{"limit=5", 200, ""},
		{"Limit=5", 404, ""},    // ref §2: names are case-sensitive
		{"OrderBy=Id", 404, ""}, // likewise
		{"unknownthing=1", 200, ""},
		{"location=Austin", 400, "location"}, // declared, not implemented: loud
		{"offset=-1", 400, "offset"},
		{"limit=0", 400, "limit"},
		{"limit=ten", 400, "limit"},
		{"orderby=Nope", 400, "orderby"},
		{"orderby=Id sideways", 400, "orderby"},
		{"propertyids=1,2", 400, "propertyids"}, // arrays repeat the key
		{"status=Closed", 400, "status"},
		{"lastupdatedfrom=2026-01-01", 400, "lastupdatedfrom"},
		{"lastupdatedfrom=2026-01-01T00:00:00.5Z", 400, "lastupdatedfrom"},
		{"lastupdatedto=2026-01-01T00:00:00+01:00", 400, "lastupdatedto"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, body := f.get("/v1/rentals?" + strings.ReplaceAll(tc.query, " ", "%20"))
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.want, body)
			}
			if tc.key != "" {
				if e := apiErr(t, body); len(e.Errors) != 1 || e.Errors[0].Key != tc.key {
					t.Errorf("errors %+v, want one for %q", e.Errors, tc.key)
				}
			}
		})
	}
}

func TestWindowLimiter(t *testing.T) {
	w := &window{limit: 10, span: time.Second}
	t0 := time.Unix(1000, 0)
	for i := range 10 {
		if !w.allow(t0.Add(time.Duration(i) * 10 * time.Millisecond)) {
			t.Fatalf("request %d refused", i)
		}
	}
	if w.allow(t0.Add(999 * time.Millisecond)) {
		t.Fatal("11th request within one second allowed")
	}
	if !w.allow(t0.Add(time.Second)) {
		t.Fatal("request one second after the first refused")
	}
	if w.allow(t0.Add(time.Second + 5*time.Millisecond)) {
		t.Fatal("request allowed while 10 are still inside the window")
	}
	// Spaced at exactly 100 ms, a steady stream never trips it.
	w = &window{limit: 10, span: time.Second}
	for i := range 100 {
		if !w.allow(t0.Add(time.Duration(i) * 100 * time.Millisecond)) {
			t.Fatalf("request %d of a 10/s stream refused", i)
		}
	}
}

func TestRateLimit429UnderLoad(t *testing.T) {
	f := newFixture(t, 10, func(o *Options) { o.RateLimits = true })
	frozen := time.Unix(5000, 0)
	f.s.wallClock = func() time.Time { return frozen } // every request in the same instant
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			resp, body := f.get("/v1/rentals?limit=1")
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
			if resp.StatusCode == http.StatusTooManyRequests {
				if e := apiErr(t, body); !strings.Contains(e.UserMessage, "rate limit") {
					t.Errorf("429 message %q", e.UserMessage)
				}
			}
		})
	}
	wg.Wait()
	if codes[200] != 10 || codes[429] != 15 {
		t.Fatalf("status counts %v, want 10×200 and 15×429", codes)
	}
	if st := f.s.Stats(); st.RateLimited != 15 || st.Requests != 25 {
		t.Errorf("stats %+v", st)
	}
	frozen = frozen.Add(time.Second)
	if resp, _ := f.get("/v1/rentals?limit=1"); resp.StatusCode != 200 {
		t.Errorf("after the window: status %d", resp.StatusCode)
	}
}

func itoa(id int32) string { return strconv.Itoa(int(id)) }

// decodeStrict checks that a body decodes into the Buildium wire type.
func decodeStrict[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
	return v
}

var _ = decodeStrict[buildium.Rental]
