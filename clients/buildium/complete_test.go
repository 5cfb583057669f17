package buildium

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// listServer serves tenants 1..total by offset and limit with a true
// X-Total-Count; short(offset, request) says how many records to leave out
// of a page (as a proxy cutting a body, or edits shifting offsets, would).
type listServer struct {
	total    int
	noTotal  bool
	short    func(offset, request int) int
	mu       sync.Mutex
	requests []int    // offsets asked for, in order
	orders   []string // orderby of each request
}

func (s *listServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	s.mu.Lock()
	s.requests = append(s.requests, off)
	s.orders = append(s.orders, r.URL.Query().Get("orderby"))
	n := len(s.requests)
	s.mu.Unlock()
	hi := min(off+lim, s.total)
	if s.short != nil {
		hi = max(off, hi-s.short(off, n))
	}
	var recs []string
	for id := off + 1; id <= hi; id++ {
		recs = append(recs, fmt.Sprintf(`{"Id":%d}`, id))
	}
	if !s.noTotal {
		w.Header().Set("X-Total-Count", strconv.Itoa(s.total))
	}
	fmt.Fprintf(w, "[%s]", strings.Join(recs, ","))
}

// readAll drains a tenant list: the ids of every item, the pages, and the
// errors in the order yielded.
func readAll(c *Client) (ids []int32, pages []Page[Tenant], errs []error) {
	for p, err := range c.Tenants(context.Background(), ListOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		pages = append(pages, p)
		for _, t := range p.Items {
			ids = append(ids, t.ID)
		}
	}
	return ids, pages, errs
}

func pagedClient(t *testing.T, srv *httptest.Server, pageSize int) *Client {
	t.Helper()
	c, err := New(Options{BaseURL: srv.URL, ClientID: hostileID, ClientSecret: hostileSecret, PageSize: pageSize,
		RatePerSecond: 10_000, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShortPageIsReRequested: a short page while offset+len < X-Total-Count
// is asked for again once; when the second answer is whole, the list is
// complete and nothing is missing.
func TestShortPageIsReRequested(t *testing.T) {
	ls := &listServer{total: 250, short: func(off, n int) int {
		if n == 2 { // the second request (offset 100) comes back short once
			return 30
		}
		return 0
	}}
	srv := httptest.NewServer(ls)
	defer srv.Close()
	ids, _, errs := readAll(pagedClient(t, srv, 100))
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	if len(ids) != 250 || ids[0] != 1 || ids[249] != 250 {
		t.Fatalf("read %d tenants, want 1..250", len(ids))
	}
	for i, id := range ids {
		if id != int32(i+1) {
			t.Fatalf("tenant %d is %d: records skipped or repeated", i, id)
		}
	}
	if want := []int{0, 100, 100, 200}; fmt.Sprint(ls.requests) != fmt.Sprint(want) {
		t.Errorf("offsets asked %v, want %v", ls.requests, want)
	}
}

// TestShortPagesEndIncomplete: pages that stay short are read on by offset
// to the end; the records read fall short of X-Total-Count, and the last
// thing yielded, after every page, is an *IncompleteListError.
func TestShortPagesEndIncomplete(t *testing.T) {
	ls := &listServer{total: 250, short: func(int, int) int { return 10 }}
	srv := httptest.NewServer(ls)
	defer srv.Close()
	var seq []string // "page" or "error", in the order yielded
	var ids []int32
	var last error
	for p, err := range pagedClient(t, srv, 100).Tenants(context.Background(), ListOptions{}) {
		if err != nil {
			seq, last = append(seq, "error"), err
			if len(p.Items) != 0 || len(p.Bad) != 0 {
				t.Errorf("the error came with %d items", len(p.Items))
			}
			continue
		}
		seq = append(seq, "page")
		for _, x := range p.Items {
			ids = append(ids, x.ID)
		}
	}
	if len(seq) == 0 || seq[len(seq)-1] != "error" || strings.Count(strings.Join(seq, " "), "error") != 1 {
		t.Fatalf("yielded %v: want pages, then one error last", seq)
	}
	for i, id := range ids {
		if id != int32(i+1) {
			t.Fatalf("tenant %d is %d: continuing by offset must skip nothing", i, id)
		}
	}
	// 90 at 0, 90 at 90, 90 at 180 (250-180=70 left, 60 served), 0 at 240.
	if len(ids) != 240 {
		t.Errorf("read %d tenants, want 240", len(ids))
	}
	var inc *IncompleteListError
	if !errors.As(last, &inc) || !IsIncomplete(last) {
		t.Fatalf("last error %T %v, want *IncompleteListError", last, last)
	}
	if inc.Kind != KindTenants || inc.Read != 240 || inc.Expected != 250 {
		t.Errorf("IncompleteListError %+v, want tenants 240 of 250", *inc)
	}
	msg := last.Error()
	for _, want := range []string{"tenants", "240", "250", "next run"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %q", msg, want)
		}
	}
	if IsIncomplete(errors.New("other")) {
		t.Error("IsIncomplete of a plain error")
	}
}

// TestEmptyPageBeforeTheTotal: an empty page before X-Total-Count is
// reached is asked for once more, then ends the list as incomplete.
func TestEmptyPageBeforeTheTotal(t *testing.T) {
	ls := &listServer{total: 150, short: func(off, _ int) int {
		if off >= 100 {
			return 100
		}
		return 0
	}}
	srv := httptest.NewServer(ls)
	defer srv.Close()
	ids, _, errs := readAll(pagedClient(t, srv, 100))
	if len(ids) != 100 || len(errs) != 1 || !IsIncomplete(errs[0]) {
		t.Fatalf("%d tenants, errors %v", len(ids), errs)
	}
	if want := []int{0, 100, 100}; fmt.Sprint(ls.requests) != fmt.Sprint(want) {
		t.Errorf("offsets asked %v, want %v", ls.requests, want)
	}
}

// TestCompleteListsSendNoExtraRequest: a list read whole costs one request
// a page, as before: the last (short) page reaches X-Total-Count.
func TestCompleteListsSendNoExtraRequest(t *testing.T) {
	for _, tc := range []struct{ total, want int }{{0, 1}, {1, 1}, {99, 1}, {100, 1}, {101, 2}, {250, 3}, {300, 3}} {
		ls := &listServer{total: tc.total}
		srv := httptest.NewServer(ls)
		ids, _, errs := readAll(pagedClient(t, srv, 100))
		srv.Close()
		if len(ids) != tc.total || len(errs) != 0 {
			t.Errorf("total %d: read %d, errors %v", tc.total, len(ids), errs)
		}
		if len(ls.requests) != tc.want {
			t.Errorf("total %d: %d requests %v, want %d", tc.total, len(ls.requests), ls.requests, tc.want)
		}
		for _, o := range ls.orders {
			if o != "Id" { // a stable order: ref §2, and the OpenAPI document's orderby on every list
				t.Errorf("total %d: orderby %q, want Id", tc.total, o)
			}
		}
	}
}

// TestShortPageWithoutTotal: with no X-Total-Count a short page ends the
// list as it always did: no request more, no error.
func TestShortPageWithoutTotal(t *testing.T) {
	ls := &listServer{total: 250, noTotal: true, short: func(off, _ int) int {
		if off == 100 {
			return 30
		}
		return 0
	}}
	srv := httptest.NewServer(ls)
	defer srv.Close()
	ids, pages, errs := readAll(pagedClient(t, srv, 100))
	if len(ids) != 170 || len(errs) != 0 || pages[0].Total != -1 {
		t.Fatalf("%d tenants, errors %v", len(ids), errs)
	}
	if len(ls.requests) != 2 {
		t.Errorf("offsets asked %v, want [0 100]", ls.requests)
	}
}
