package hubspot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

const okUpsert = `{"status":"COMPLETE","results":[{"id":"1","properties":{},"new":true}]}`

func upsertOne(c *Client) (*BatchResult, error) {
	return c.BatchUpsert(context.Background(), "contacts", []UpsertInput{{ID: "1", IDProperty: "buildium_tenant_id", Properties: map[string]string{"firstname": "A"}, ObjectWriteTraceID: "t"}})
}

func createOne(c *Client) (*BatchResult, error) {
	return c.BatchCreate(context.Background(), "0-420", []CreateInput{{Properties: map[string]string{"hs_name": "A"}, ObjectWriteTraceID: "t"}})
}

// TestDecide pins the retry policy: which outcomes are retried, how long the
// client waits, and what error ends the call.
func TestDecide(t *testing.T) {
	h := func(kv ...string) http.Header {
		hd := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			hd.Set(kv[i], kv[i+1])
		}
		return hd
	}
	idem := call{op: "batch upsert contacts", idempotent: true}
	create := call{op: "batch create contacts"}
	search := call{op: "search contacts", search: true, idempotent: true}
	tests := []struct {
		name     string
		cl       call
		r        response
		attempt  int
		retry    bool
		minWait  time.Duration
		maxWait  time.Duration
		finalErr func(error) bool // for no-retry outcomes (nil: success)
	}{
		{name: "200 ok", cl: idem, r: response{status: 200, body: []byte(okUpsert)}},
		{name: "204 no body", cl: idem, r: response{status: 204}},
		{name: "400 no retry", cl: idem, r: response{status: 400, body: []byte(body400DupIDs)}, finalErr: isStatus(400)},
		{name: "401 no retry", cl: idem, r: response{status: 401, body: []byte(body401)}, finalErr: isStatus(401)},
		{name: "403 no retry", cl: idem, r: response{status: 403, body: []byte(body403Scopes)}, finalErr: isStatus(403)},
		{name: "404 no retry", cl: idem, r: response{status: 404}, finalErr: isStatus(404)},
		{name: "409 no retry", cl: create, r: response{status: 409, body: []byte(body409)}, finalErr: isStatus(409)},
		{name: "429 ten secondly", cl: idem, r: response{status: 429, body: []byte(body429Ten)}, attempt: 1, retry: true},
		{name: "429 unnamed", cl: create, r: response{status: 429}, attempt: 1, retry: true},
		{name: "429 search", cl: search, r: response{status: 429, body: []byte(body429Search)}, attempt: 3, retry: true, minWait: 3 * time.Second, maxWait: 3 * time.Second},
		{name: "429 secondly message", cl: idem, r: response{status: 429, body: []byte(`{"message":"You have reached your secondly limit."}`)}, attempt: 1, retry: true, minWait: time.Second, maxWait: time.Second},
		{name: "423", cl: create, r: response{status: 423}, attempt: 1, retry: true, minWait: 2 * time.Second, maxWait: 2 * time.Second},
		{name: "477 retry-after", cl: idem, r: response{status: 477, header: h("Retry-After", "7")}, attempt: 1, retry: true, minWait: 7 * time.Second, maxWait: 7 * time.Second},
		{name: "500 idempotent", cl: idem, r: response{status: 500}, attempt: 2, retry: true, minWait: 10 * time.Millisecond, maxWait: 500 * time.Millisecond},
		{name: "503 retry-after", cl: idem, r: response{status: 503, header: h("Retry-After", "3")}, attempt: 1, retry: true, minWait: 3 * time.Second, maxWait: 3 * time.Second},
		{name: "500 create maybe applied", cl: create, r: response{status: 500}, finalErr: isMaybeProcessed(true)},
		{name: "503 create retried", cl: create, r: response{status: 503}, attempt: 1, retry: true, maxWait: 250 * time.Millisecond},
		{name: "reset idempotent", cl: idem, r: response{err: io.ErrUnexpectedEOF, written: true}, attempt: 1, retry: true, maxWait: 250 * time.Millisecond},
		{name: "reset create unwritten", cl: create, r: response{err: errors.New("dial tcp: connection refused")}, attempt: 1, retry: true},
		{name: "reset create written", cl: create, r: response{err: io.ErrUnexpectedEOF, written: true}, finalErr: isMaybeProcessed(true)},
		{name: "truncated idempotent", cl: idem, r: response{status: 200, body: []byte(`{"status":"COMP`), err: io.ErrUnexpectedEOF}, attempt: 1, retry: true},
		{name: "garbled idempotent", cl: idem, r: response{status: 200, body: []byte(`{"status":`)}, attempt: 1, retry: true},
		{name: "empty 200 idempotent", cl: idem, r: response{status: 200}, attempt: 1, retry: true},
		{name: "truncated create", cl: create, r: response{status: 201, body: []byte(`{"status":"COMP`), err: io.ErrUnexpectedEOF}, finalErr: isMaybeProcessed(true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{Token: testToken})
			if err != nil {
				t.Fatal(err)
			}
			cl := tt.cl
			if cl.out == nil && tt.r.status != 204 {
				cl.out = &BatchResult{}
			}
			if tt.r.header == nil {
				tt.r.header = http.Header{}
			}
			d := c.decide(context.Background(), cl, tt.r, max(tt.attempt, 1), &slot{start: time.Now()})
			if d.retry != tt.retry {
				t.Fatalf("retry = %v, want %v (err %v)", d.retry, tt.retry, d.err)
			}
			if tt.retry {
				if d.err != nil || d.last == nil {
					t.Fatalf("retry with err %v / no final error", d.err)
				}
				if d.wait < tt.minWait || (tt.maxWait > 0 && d.wait > tt.maxWait) {
					t.Errorf("wait = %v, want in [%v, %v]", d.wait, tt.minWait, tt.maxWait)
				}
				return
			}
			if tt.finalErr == nil {
				if d.err != nil {
					t.Fatalf("err = %v, want success", d.err)
				}
				return
			}
			if !tt.finalErr(d.err) {
				t.Fatalf("err = %#v", d.err)
			}
		})
	}
}

func isStatus(code int) func(error) bool {
	return func(err error) bool {
		var ae *APIError
		return errors.As(err, &ae) && ae.StatusCode == code && ae.Attempts == 1
	}
}

func isMaybeProcessed(want bool) func(error) bool {
	return func(err error) bool {
		var ne *NetworkError
		return errors.As(err, &ne) && ne.MaybeProcessed == want
	}
}

func TestRetry429TenSecondlyThenSuccess(t *testing.T) {
	limits := []string{"X-HubSpot-RateLimit-Max", "190", "X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Remaining", "150"}
	srv := newCannedServer(t, reply(200, okUpsert, limits...), reply(429, body429Ten, limits...), reply(200, okUpsert, limits...))
	c, clk := newTestClient(t, srv)
	if _, err := upsertOne(c); err != nil {
		t.Fatal(err)
	}
	clk.Sleep(context.Background(), 3*time.Second)
	if _, err := upsertOne(c); err != nil {
		t.Fatal(err)
	}
	st := c.Stats()
	if st.Requests != 3 || st.RateLimited != 1 || st.Retries != 1 || st.ByKind["batch_upsert"] != 3 || st.Writes != 3 {
		t.Fatalf("stats %+v", st)
	}
	// The limiter paused every request until our earlier request left
	// HubSpot's window: 10 s + slack after it was written, 3 s ago.
	if want := 7*time.Second + defaultSlack; st.LimiterWait != want {
		t.Fatalf("limiter waited %v, want %v", st.LimiterWait, want)
	}
	if r := c.Rate(); r.Max != 190 || r.Interval != 10*time.Second {
		t.Fatalf("rate %+v", r)
	}
}

func TestRetry429WithoutOwnTrafficBacksOff(t *testing.T) {
	srv := newCannedServer(t, reply(429, body429Ten), reply(429, body429Ten), reply(200, okUpsert))
	c, clk := newTestClient(t, srv)
	if _, err := upsertOne(c); err != nil {
		t.Fatal(err)
	}
	// No request of ours was in the window: the 429 is someone else's
	// traffic; the pauses are an eighth, then a quarter of the window
	// (jittered down to half), not a storm of immediate retries.
	if total := clk.Total(); total < 1875*time.Millisecond || total > 3750*time.Millisecond {
		t.Fatalf("paused %v", total)
	}
}

func TestDailyLimit(t *testing.T) {
	reset := "2026-11-03T05:00:00Z"
	srv := newCannedServer(t, reply(429, body429Daily),
		reply(200, `{"results":[{"name":"private-apps-api-calls-daily","usageLimit":5000,"currentUsage":5000,"resetsAt":"`+reset+`"}]}`))
	c, clk := newTestClient(t, srv)
	_, err := upsertOne(c)
	de, ok := IsDailyLimit(err)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if de.ResetAt.Format(time.RFC3339) != reset || !strings.Contains(de.Error(), reset) || de.CorrelationID == "" {
		t.Fatalf("%+v %q", de, de.Error())
	}
	if n := len(srv.Requests()); n != 2 || len(clk.Slept()) != 0 {
		t.Fatalf("requests %d, sleeps %v: a daily 429 must not be retried", n, clk.Slept())
	}
	// The reset time is remembered: the next daily 429 costs one request.
	srv.script = []http.HandlerFunc{reply(429, body429Daily)}
	_, err = upsertOne(c)
	if de2, ok := IsDailyLimit(err); !ok || !de2.ResetAt.Equal(de.ResetAt) || len(srv.Requests()) != 3 {
		t.Fatalf("second: %v, %d requests", err, len(srv.Requests()))
	}
}

func TestDailyLimitFallsBackToMidnight(t *testing.T) {
	// Without account details: midnight UTC.
	srv := newCannedServer(t, reply(429, body429Daily))
	c, clk := newTestClient(t, srv)
	_, err := upsertOne(c)
	de, ok := IsDailyLimit(err)
	if want := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC); !ok || !de.ResetAt.Equal(want) || !clk.Now().Before(want) {
		t.Fatalf("%v", err)
	}
	// With the account's time zone known: midnight there (§9).
	srv = newCannedServer(t, reply(200, `{"portalId":1,"timeZone":"US/Eastern","utcOffset":"-05:00","utcOffsetMilliseconds":-18000000}`), reply(429, body429Daily))
	c, _ = newTestClient(t, srv)
	if _, err := c.AccountDetails(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = upsertOne(c)
	de, ok = IsDailyLimit(err)
	if want := time.Date(2026, 11, 3, 5, 0, 0, 0, time.UTC); !ok || !de.ResetAt.Equal(want) {
		t.Fatalf("%v, want reset at %v", de.ResetAt, want)
	}
}

func TestSearchSecondlyBackoff(t *testing.T) {
	srv := newCannedServer(t, reply(429, body429Search), reply(429, body429Search), reply(200, `{"total":1,"results":[{"id":"5","properties":{"email":"a@b.c"}}],"paging":{"next":{"after":"1"}}}`))
	c, clk := newTestClient(t, srv)
	res, err := c.Search(context.Background(), "contacts", SearchRequest{FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "email", Operator: "EQ", Value: "a@b.c"}}}}})
	if err != nil || res.Total != 1 || res.Results[0].ID != "5" || res.After != "1" {
		t.Fatalf("%+v %v", res, err)
	}
	if got := clk.Slept(); len(got) != 2 || got[0] != time.Second || got[1] != 2*time.Second {
		t.Fatalf("sleeps %v, want [1s 2s]", got)
	}
	if c.Rate().Max != 100 {
		t.Fatal("a search 429 must not touch the ten-secondly window")
	}
}

func TestRetryExhaustion(t *testing.T) {
	srv := newCannedServer(t, reply(502, "<html>bad gateway</html>"))
	c, _ := newTestClient(t, srv, func(o *Options) { o.MaxRetries = 3 })
	_, err := upsertOne(c)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 502 || ae.Attempts != 4 {
		t.Fatalf("err = %#v", err)
	}
	if n := len(srv.Requests()); n != 4 {
		t.Fatalf("requests = %d", n)
	}
	if st := c.Stats(); st.Retries != 3 || st.RetryWait == 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestTransientFailuresThenSuccess(t *testing.T) {
	tests := []struct {
		name     string
		script   []http.HandlerFunc
		do       func(*Client) (*BatchResult, error)
		requests int
		maybe    bool // expect a MaybeProcessed NetworkError
		minSleep time.Duration
	}{
		{name: "5xx upsert", script: []http.HandlerFunc{reply(500, ""), reply(503, ""), reply(200, okUpsert)}, do: upsertOne, requests: 3},
		{name: "423 upsert", script: []http.HandlerFunc{reply(423, `{"status":"error","message":"locked"}`), reply(200, okUpsert)}, do: upsertOne, requests: 2, minSleep: 2 * time.Second},
		{name: "477 upsert", script: []http.HandlerFunc{reply(477, "", "Retry-After", "4"), reply(200, okUpsert)}, do: upsertOne, requests: 2, minSleep: 4 * time.Second},
		{name: "reset upsert", script: []http.HandlerFunc{resetConn, reply(200, okUpsert)}, do: upsertOne, requests: 2},
		{name: "truncated upsert", script: []http.HandlerFunc{truncated(200, okUpsert), reply(200, okUpsert)}, do: upsertOne, requests: 2},
		{name: "garbled upsert", script: []http.HandlerFunc{reply(200, `{"status":"COMPLETE","results":[{"id":`), reply(200, okUpsert)}, do: upsertOne, requests: 2},
		{name: "503 create", script: []http.HandlerFunc{reply(503, ""), reply(201, okUpsert)}, do: createOne, requests: 2},
		{name: "429 create", script: []http.HandlerFunc{reply(429, body429Ten), reply(201, okUpsert)}, do: createOne, requests: 2},
		{name: "500 create", script: []http.HandlerFunc{reply(500, ""), reply(201, okUpsert)}, do: createOne, requests: 1, maybe: true},
		{name: "reset create", script: []http.HandlerFunc{resetConn, reply(201, okUpsert)}, do: createOne, requests: 1, maybe: true},
		{name: "truncated create", script: []http.HandlerFunc{truncated(201, okUpsert), reply(201, okUpsert)}, do: createOne, requests: 1, maybe: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCannedServer(t, tt.script...)
			c, clk := newTestClient(t, srv)
			r, err := tt.do(c)
			if n := len(srv.Requests()); n != tt.requests {
				t.Fatalf("requests = %d, want %d", n, tt.requests)
			}
			if tt.maybe {
				if !isMaybeProcessed(true)(err) {
					t.Fatalf("err = %v, want MaybeProcessed", err)
				}
				return
			}
			if err != nil || len(r.Results) != 1 || r.Results[0].ID != "1" {
				t.Fatalf("%+v %v", r, err)
			}
			if clk.Total() < tt.minSleep {
				t.Fatalf("slept %v, want >= %v", clk.Total(), tt.minSleep)
			}
		})
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	srv := newCannedServer(t, reply(400, body400DupIDs))
	c, clk := newTestClient(t, srv)
	_, err := upsertOne(c)
	if !IsValidation(err) || len(srv.Requests()) != 1 || len(clk.Slept()) != 0 {
		t.Fatalf("err %v, %d requests", err, len(srv.Requests()))
	}
}

func TestContextCancelStopsRetries(t *testing.T) {
	srv := newCannedServer(t, reply(503, "", "Retry-After", "60"))
	c, err := New(Options{BaseURL: srv.URL, Token: testToken}) // real sleeps
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "1", IDProperty: "k"}})
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestContextCancelStopsLimiterWait(t *testing.T) {
	srv := newCannedServer(t, reply(200, okUpsert))
	c, err := New(Options{BaseURL: srv.URL, Token: testToken, InitialRate: Rate{Max: 3, Interval: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "1", IDProperty: "k"}}); err != nil {
		t.Fatal(err)
	}
	// The window (3 − margin 2 = 1 per hour) is now full: the next call waits.
	done := make(chan error, 1)
	go func() {
		_, err := c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "1", IDProperty: "k"}})
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || len(srv.Requests()) != 1 {
		t.Fatalf("err = %v, requests %d", err, len(srv.Requests()))
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	srv := newCannedServer(t, reply(500, ""), reply(429, body429Ten), resetConn, reply(401, body401))
	var logs bytes.Buffer
	c, _ := newTestClient(t, srv, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	_, err := upsertOne(c)
	if !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(logs.String(), testToken) || strings.Contains(logs.String(), "Bearer") {
		t.Fatalf("token leaked: %s | %s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "retrying") {
		t.Fatalf("expected retry logs, got %s", logs.String())
	}
	if _, err := New(Options{}); err == nil || !strings.Contains(err.Error(), "HUBSPOT_ACCESS_TOKEN") {
		t.Fatalf("New without token: %v", err)
	}
}

func TestLimitsSnapshot(t *testing.T) {
	srv := newCannedServer(t, reply(200, okUpsert,
		"X-HubSpot-RateLimit-Max", "190", "X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Remaining", "189",
		"X-HubSpot-RateLimit-Daily", "625000", "X-HubSpot-RateLimit-Daily-Remaining", "624000",
		"X-HubSpot-RateLimit-Secondly", "19"))
	c, _ := newTestClient(t, srv)
	if got := c.Limits(); got.Known || got.DailyKnown {
		t.Fatalf("before any response: %+v", got)
	}
	if _, err := upsertOne(c); err != nil {
		t.Fatal(err)
	}
	got := c.Limits()
	if !got.Known || got.Max != 190 || got.IntervalMs != 10000 || got.Remaining != 189 || !got.DailyKnown || got.Daily != 625000 || got.DailyRemaining != 624000 {
		t.Fatalf("%+v", got)
	}
	if r := c.Rate(); r != (Rate{190, 10 * time.Second}) {
		t.Fatalf("rate %+v", r)
	}
}

func TestNetworkErrorsHideURL(t *testing.T) {
	srv := newCannedServer(t, resetConn)
	c, _ := newTestClient(t, srv, func(o *Options) { o.MaxRetries = -1 })
	_, err := c.GetObjectByProperty(context.Background(), "contacts", "email", "jane.doe@example.com", nil)
	var ne *NetworkError
	if !errors.As(err, &ne) || ne.Attempts != 1 {
		t.Fatalf("err = %#v", err)
	}
	if strings.Contains(err.Error(), "jane.doe") || strings.Contains(err.Error(), srv.URL) {
		t.Fatalf("error quotes the URL: %v", err)
	}
}

// TestCancelLetsAnInFlightWriteFinish: a write on its way when ctx ends is
// seen through, and its answer returned, so the caller records what landed
// (HubSpot may apply it anyway); a read is cut short; and no write starts
// once ctx has ended.
func TestCancelLetsAnInFlightWriteFinish(t *testing.T) {
	got, answer := make(chan struct{}, 1), make(chan struct{})
	srv := newCannedServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
		select {
		case <-answer:
		case <-r.Context().Done():
			return // the client gave up on the request
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		_, _ = io.WriteString(w, okUpsert)
	})
	c, _ := newTestClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	type out struct {
		res *BatchResult
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "1", IDProperty: "k"}})
		done <- out{res, err}
	}()
	<-got
	cancel()
	select {
	case o := <-done:
		t.Fatalf("the write returned before its answer: %+v %v", o.res, o.err)
	case <-time.After(50 * time.Millisecond):
	}
	close(answer)
	o := <-done
	if o.err != nil || o.res == nil || len(o.res.Results) == 0 {
		t.Fatalf("the in-flight write's answer was lost: %+v %v", o.res, o.err)
	}
	// A read on its way is cut short by the cancel.
	answer2 := make(chan struct{})
	srv2 := newCannedServer(t, func(w http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
		select {
		case <-answer2:
		case <-r.Context().Done():
		}
	})
	defer close(answer2)
	c2, _ := newTestClient(t, srv2)
	ctx2, cancel2 := context.WithCancel(context.Background())
	rd := make(chan error, 1)
	go func() {
		_, err := c2.BatchRead(ctx2, "contacts", ReadRequest{IDs: []string{"1"}})
		rd <- err
	}()
	<-got
	cancel2()
	if err := <-rd; !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled read: %v", err)
	}
	// And no write starts after the cancel.
	n := len(srv.Requests())
	if _, err := c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "2", IDProperty: "k"}}); !errors.Is(err, context.Canceled) || len(srv.Requests()) != n {
		t.Fatalf("a write after the cancel: %v, %d requests (was %d)", err, len(srv.Requests()), n)
	}
}
