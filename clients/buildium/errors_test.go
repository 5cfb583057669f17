package buildium

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  APIError
		want []string
	}{
		{APIError{StatusCode: 401, Method: "GET", Path: "/v1/rentals", Host: "api.buildium.com", UserMessage: "Authorization has been denied."},
			[]string{"401", "BUILDIUM_CLIENT_ID", "BUILDIUM_CLIENT_SECRET", "production", "sandbox", "Authorization has been denied."}},
		{APIError{StatusCode: 401, Host: "apisandbox.buildium.com"}, []string{"is the sandbox"}},
		{APIError{StatusCode: 403, Method: "GET", Path: "/v1/leases/tenants"}, []string{"403", "Rentals > Tenants: View"}},
		{APIError{StatusCode: 403, Method: "GET", Path: "/v1/leases"}, []string{"Rentals > Leases: View"}},
		{APIError{StatusCode: 403, Method: "GET", Path: "/v1/rentals/units/5"}, []string{"Rentals > Rental properties and units: View"}},
		{APIError{StatusCode: 404, Method: "GET", Path: "/v1/leases/7"}, []string{"no such record", "/v1/leases/7"}},
		{APIError{StatusCode: 422, Method: "GET", Path: "/v1/leases", UserMessage: "The time range must be 365 days or less."},
			[]string{"at most 365 days", "Buildium says: The time range"}},
		{APIError{StatusCode: 400, Method: "GET", Path: "/v1/leases", Errors: []ErrorDetail{{"orderby", "bad"}}}, []string{"400", "[orderby: bad]"}},
		{APIError{StatusCode: 503, Method: "GET", Path: "/v1/rentals"}, []string{"maintenance", "retry later"}},
		{APIError{StatusCode: 502, Method: "GET", Path: "/v1/rentals"}, []string{"server error (502)"}},
		{APIError{StatusCode: 429, Method: "GET", Path: "/v1/rentals"}, []string{"429", "same API key"}},
	} {
		msg := tc.err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%d: %q lacks %q", tc.err.StatusCode, msg, w)
			}
		}
	}
	wrapped := fmt.Errorf("sync: %w", &APIError{StatusCode: 404})
	if !IsNotFound(wrapped) || IsNotFound(errors.New("x")) {
		t.Error("IsNotFound does not see through wrapping")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"2", 2 * time.Second},
		{" 0 ", 0},
		{"-5", 0},
		{"soon", 0},
		{"86400", 5 * time.Minute},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second},
		{"Fri, 02 Jan 2026 03:04:15 GMT", 10 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	got := excerpt([]byte("<html><head><title>502 Bad Gateway</title></head>\n<body>\x1b[31m<h1>Bad</h1></body></html>"))
	if got != "502 Bad Gateway Bad" {
		t.Errorf("excerpt = %q", got)
	}
	if long := excerpt([]byte(strings.Repeat("x", 500))); len(long) > 210 {
		t.Errorf("excerpt not shortened: %d bytes", len(long))
	}
}

func TestBackoffIsBoundedAndJittered(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	seen := map[time.Duration]bool{}
	for attempt := range 40 {
		for range 20 {
			d := c.backoff(attempt)
			ceil := min(time.Second, 100*time.Millisecond<<min(attempt, 20))
			if d < 0 || d > ceil {
				t.Fatalf("attempt %d: %v outside [0, %v]", attempt, d, ceil)
			}
			seen[d] = true
		}
	}
	if len(seen) < 100 {
		t.Errorf("only %d distinct waits: no jitter?", len(seen))
	}
}

func TestListOptionsQuery(t *testing.T) {
	from := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("X", 3600))
	q, err := ListOptions{LastUpdatedFrom: from, LastUpdatedTo: from.Add(time.Hour), PropertyIDs: []int32{3, 1},
		LeaseStatuses: []string{"Active", "Future"}}.query(KindLeases)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Encode(); got != "lastupdatedfrom=2026-03-04T04%3A06%3A07Z&lastupdatedto=2026-03-04T05%3A06%3A07Z&leasestatuses=Active&leasestatuses=Future&propertyids=3&propertyids=1" {
		t.Errorf("query = %s", got)
	}
	for _, tc := range []struct {
		name string
		opts ListOptions
		kind Kind
	}{
		{"statuses on tenants", ListOptions{LeaseStatuses: []string{"Active"}}, KindTenants},
		{"unknown status", ListOptions{LeaseStatuses: []string{"active"}}, KindLeases},
		{"reversed window", ListOptions{LastUpdatedFrom: from, LastUpdatedTo: from.Add(-time.Second)}, KindUnits},
		{"negative offset", ListOptions{Offset: -1}, KindRentals},
	} {
		if _, err := tc.opts.query(tc.kind); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestNewValidates(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     Options
		wantErr  string
		wantBase string
	}{
		{"defaults", Options{ClientID: "i", ClientSecret: "s"}, "", "https://api.buildium.com"},
		{"sandbox with slash and version", Options{ClientID: "i", ClientSecret: "s", BaseURL: "https://apisandbox.buildium.com/v1/"}, "", "https://apisandbox.buildium.com"},
		{"loopback http", Options{ClientID: "i", ClientSecret: "s", BaseURL: "http://127.0.0.1:8080"}, "", "http://127.0.0.1:8080"},
		{"no id", Options{ClientSecret: "s"}, "client id and secret are required", ""},
		{"blank secret", Options{ClientID: "i", ClientSecret: "  "}, "client id and secret are required", ""},
		{"plain http remote", Options{ClientID: "i", ClientSecret: "s", BaseURL: "http://api.buildium.com"}, "plain http", ""},
		{"not a URL", Options{ClientID: "i", ClientSecret: "s", BaseURL: "api.buildium.com"}, "not an http(s) URL", ""},
		{"ftp", Options{ClientID: "i", ClientSecret: "s", BaseURL: "ftp://x"}, "not an http(s) URL", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "s\"") {
					t.Errorf("error mentions the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.base != tc.wantBase || c.pageSize != DefaultPageSize || c.maxRetries != DefaultMaxRetries {
				t.Errorf("base %q page %d retries %d", c.base, c.pageSize, c.maxRetries)
			}
		})
	}
}

func TestDateTimeJSON(t *testing.T) {
	d := DateTime{time.Date(2026, 5, 6, 9, 8, 7, 654321, time.FixedZone("X", -5*3600))}
	b, err := json.Marshal(struct {
		A DateTime
		B *DateTime
	}{d, nil})
	if err != nil || string(b) != `{"A":"2026-05-06T14:08:07Z","B":null}` {
		t.Fatalf("got %s, %v", b, err)
	}
	var back struct{ A, B *DateTime }
	if err := json.Unmarshal([]byte(`{"A":"2022-05-10T15:12:46.2317653Z","B":""}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.A.Nanosecond() != 231765300 || back.B == nil || !back.B.IsZero() {
		t.Errorf("decoded %v, %v", back.A, back.B)
	}
}
