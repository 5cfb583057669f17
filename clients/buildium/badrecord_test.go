package buildium

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// oddPage is a page of tenants with one record of every odd shape among
// good ones.
const oddPage = `[{"Id":1,"FirstName":"Ann"},` +
	`{"Id":2,"EmergencyContact":[]},` +
	`{"Id":"3"},` +
	`{"Id":2147483648},` +
	`{"Id":0,"FirstName":"Zero"},` +
	`{"Id":-5},` +
	`null,` +
	`{"Id":8,"CreatedDateTime":"not a date"},` +
	`{"FirstName":"No id"},` +
	`{"Id":10,"PhoneNumbers":{"Home":"1"}},` +
	`{"Id":11,"FirstName":"Bob"}]`

// servePage answers every request with status and body (and
// X-Total-Count total when total ≥ 0), counting the requests.
func servePage(status int, body string, total string, n *atomic.Int64) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n.Add(1)
		if total != "" {
			w.Header().Set("X-Total-Count", total)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
}

// TestOddRecordsAreReportedNotFatal: a record that does not decode, or
// whose Id is not positive, is reported in Page.Bad with its place and its
// Id as written; the good records of the page are yielded; nothing is
// retried; the list is complete (the bad count as read).
func TestOddRecordsAreReportedNotFatal(t *testing.T) {
	var n atomic.Int64
	srv := servePage(200, oddPage, "11", &n)
	defer srv.Close()
	var items []int32
	var bad []BadRecord
	for p, err := range hostileClient(t, srv).Tenants(context.Background(), ListOptions{}) {
		if err != nil {
			t.Fatalf("the run stopped: %v", err)
		}
		for _, x := range p.Items {
			items = append(items, x.ID)
		}
		bad = append(bad, p.Bad...)
	}
	if len(items) != 2 || items[0] != 1 || items[1] != 11 {
		t.Errorf("items %v, want [1 11]", items)
	}
	want := []struct {
		offset int
		id     string
		reason string
	}{
		{1, "2", "EmergencyContact"},
		{2, "3", "string"},
		{3, "2147483648", "int32"},
		{4, "0", "positive"},
		{5, "-5", "positive"},
		{6, "", "null"},
		{7, "8", "date-time"},
		{8, "", "no Id"},
		{9, "10", "PhoneNumbers"},
	}
	for _, b := range bad {
		t.Logf("%+v", b)
	}
	if len(bad) != len(want) {
		t.Fatalf("bad records %+v, want %d", bad, len(want))
	}
	for i, w := range want {
		b := bad[i]
		if b.Kind != KindTenants || b.Offset != w.offset || b.ID != w.id || !strings.Contains(b.Reason, w.reason) {
			t.Errorf("bad[%d] = %+v, want offset %d, id %q, reason naming %q", i, b, w.offset, w.id, w.reason)
		}
	}
	if n.Load() != 1 {
		t.Errorf("%d requests: a deterministic decode error must not be retried", n.Load())
	}
}

// TestOddRecordsEveryList: the same holds for each list and its variants.
func TestOddRecordsEveryList(t *testing.T) {
	var n atomic.Int64
	srv := servePage(200, `[{"Id":1},{"Id":"x"},null,{"Id":0},{"Id":4}]`, "5", &n)
	defer srv.Close()
	c := hostileClient(t, srv)
	ctx := context.Background()
	check := func(name string, items int, bad []BadRecord, err error) {
		t.Helper()
		if err != nil || items != 2 || len(bad) != 3 || bad[0].ID != "x" || bad[1].Offset != 2 {
			t.Errorf("%s: %d items, bad %+v, %v", name, items, bad, err)
		}
	}
	check(list2(c.Rentals(ctx, ListOptions{})))
	check(list2(c.Units(ctx, ListOptions{})))
	check(list2(c.TenantsShallow(ctx, ListOptions{})))
	check(list2(c.TenantContacts(ctx, ListOptions{})))
	check(list2(c.Leases(ctx, ListOptions{})))
	check(list2(c.LeaseSummaries(ctx, ListOptions{})))
	if n.Load() != 6 {
		t.Errorf("%d requests for 6 lists", n.Load())
	}
}

func list2[T any](seq func(func(Page[T], error) bool)) (string, int, []BadRecord, error) {
	name := ""
	items := 0
	var bad []BadRecord
	for p, err := range seq {
		if err != nil {
			return name, items, bad, err
		}
		items += len(p.Items)
		bad = append(bad, p.Bad...)
		if len(p.Bad) > 0 {
			name = string(p.Bad[0].Kind)
		}
	}
	return name, items, bad, nil
}

// TestOddSingleRecord: a by-id GET of a record that does not decode, or
// has no positive Id, returns a *BadRecordError at once, unretried.
func TestOddSingleRecord(t *testing.T) {
	ctx := context.Background()
	for _, body := range []string{`{"Id":7,"EmergencyContact":[]}`, `{"Id":"7"}`, `{"Id":2147483648}`, `{"Id":0}`, `{"Id":-5}`, `null`} {
		var n atomic.Int64
		srv := servePage(200, body, "", &n)
		c := hostileClient(t, srv)
		calls := map[string]func() error{
			"tenant": func() error { _, err := c.Tenant(ctx, 7); return err },
			"unit":   func() error { _, err := c.Unit(ctx, 7); return err },
			"rental": func() error { _, err := c.Rental(ctx, 7); return err },
			"lease":  func() error { _, err := c.Lease(ctx, 7); return err },
		}
		for name, call := range calls {
			if name != "tenant" && strings.Contains(body, "Emergency") {
				continue // only tenants have one
			}
			n.Store(0)
			err := call()
			var be *BadRecordError
			if !errors.As(err, &be) || !IsBadRecord(err) {
				t.Errorf("%s %s: %T %v, want *BadRecordError", name, body, err, err)
				continue
			}
			if n.Load() != 1 {
				t.Errorf("%s %s: %d requests, want 1 (no retry)", name, body, n.Load())
			}
			if !strings.Contains(err.Error(), "/7") {
				t.Errorf("%s %s: %q does not name the record", name, body, err)
			}
		}
		srv.Close()
	}
}

// TestPageLevelDecodeErrors: a body cut short may be a dropped connection
// and is retried; a body that is well-formed JSON but not a list is
// deterministic and is not.
func TestPageLevelDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		body     string
		requests int64
	}{{`[{"Id":1},{"Id":2`, 2}, {`<html>proxy</html>`, 2}, {`{"Id":1}`, 1}, {`"x"`, 1}} {
		var n atomic.Int64
		srv := servePage(200, tc.body, "2", &n)
		var de *DecodeError
		err := drain(hostileClient(t, srv).Tenants(context.Background(), ListOptions{}))
		if !errors.As(err, &de) {
			t.Errorf("%s: %T %v, want *DecodeError", tc.body, err, err)
		}
		if n.Load() != tc.requests {
			t.Errorf("%s: %d requests, want %d", tc.body, n.Load(), tc.requests)
		}
		srv.Close()
	}
}

// TestClientIDIsRedacted: an error body that quotes the request headers
// never puts the client id or the secret in an error or a log line.
func TestClientIDIsRedacted(t *testing.T) {
	quote := "x-buildium-client-id: " + hostileID + "; x-buildium-client-secret: " + hostileSecret
	long := strings.Repeat("padding ", 24) + quote // the quote straddles the 200-character excerpt
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"json", 400, `{"UserMessage":"bad request with ` + quote + `","Errors":[{"Key":"` + hostileID + `","Value":"` + quote + `"}]}`},
		{"json 503", 503, `{"UserMessage":"` + quote + `"}`},
		{"html", 502, "<html><body>" + quote + "</body></html>"},
		{"html long", 502, "<html><body>" + long + "</body></html>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int64
			srv := servePage(tc.status, tc.body, "", &n)
			defer srv.Close()
			var logs bytes.Buffer
			c, err := New(Options{BaseURL: srv.URL, ClientID: hostileID, ClientSecret: hostileSecret, MaxRetries: 1,
				BackoffBase: 1, BackoffMax: 2, RatePerSecond: 1000,
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Tenant(context.Background(), 1)
			if err == nil {
				t.Fatal("no error")
			}
			for _, where := range []string{err.Error(), logs.String()} {
				for _, cred := range []string{hostileID, hostileSecret, hostileSecret[:12], hostileID[:10]} {
					if strings.Contains(where, cred) {
						t.Errorf("%q quotes %q", where, cred)
					}
				}
			}
			if tc.name == "json" && !strings.Contains(err.Error(), "[client id]") {
				t.Errorf("%q does not say what was redacted", err)
			}
		})
	}
}
