package hubspot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"b2h/internal/jsonx"
)

// maxResponseBytes bounds how much of one response body is read.
const maxResponseBytes = 64 << 20

// call describes one API request.
type call struct {
	op     string // for errors, e.g. "batch upsert contacts"; never record values
	kind   string // Stats.ByKind key
	method string
	path   string // escaped path plus query
	body   any    // JSON-encoded once; nil for no body
	out    any    // decoded from a 2xx body when non-nil
	search bool   // paced by the search limiter; no rate-limit headers expected
	write  bool   // counts in Stats.Writes
	// idempotent requests are retried after any transient failure; others
	// (batch create) only when HubSpot certainly did not apply them.
	idempotent bool
	// emptyOK: a 2xx with an empty body is success (association writes,
	// whose answer HubSpot has changed before).
	emptyOK bool
}

// response is what one attempt produced.
type response struct {
	status  int
	header  http.Header
	body    []byte
	written bool  // the request was fully written to the connection
	err     error // transport error, or body read error (truncated)
}

// do sends the call, retrying per the policy of DESIGN.md §3 and
// hubspot-api.md §9–§10, and decodes a 2xx body into cl.out. It returns the
// final HTTP status.
func (c *Client) do(ctx context.Context, cl call) (int, error) {
	var payload []byte
	if cl.body != nil {
		var err error
		if payload, err = jsonx.Marshal(cl.body); err != nil {
			return 0, fmt.Errorf("hubspot: %s: encode request: %w", cl.op, err)
		}
	}
	lim := c.win
	if cl.search {
		lim = c.search
	}
	for attempt := 1; ; attempt++ {
		s, waited, err := lim.acquire(ctx, c.sleep)
		c.addWait(waited, 0)
		if err != nil {
			return 0, err
		}
		c.countRequest(cl.kind, cl.write, attempt > 1)
		r := c.send(ctx, cl, payload, lim, s)
		if r.status != 0 && !cl.search {
			if n, ok := c.recordLimits(r.header); ok && r.status != http.StatusTooManyRequests {
				lim.observe(s, n)
			}
		}
		// A success stands even if ctx ended meanwhile: the caller must
		// learn the ids of what was written.
		d := c.decide(ctx, cl, r, attempt, s)
		if d.err != nil || !d.retry {
			if d.err == nil {
				releaseBody(r.body) // decoded: nothing refers to it
			}
			return r.status, d.err
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if attempt > c.maxRetries {
			return r.status, d.exhausted(attempt)
		}
		c.log.LogAttrs(ctx, levelFor(attempt), "hubspot: retrying",
			attrs(cl.kind, r.status, attempt, d.wait, d.reason)...)
		if d.wait > 0 {
			if err := c.sleep(ctx, d.wait); err != nil {
				return 0, err
			}
			c.addWait(0, d.wait)
		}
	}
}

// send performs one attempt. It always reads the whole body, so a body cut
// short shows up here as r.err with r.status set.
func (c *Client) send(ctx context.Context, cl call, payload []byte, lim *window, s *slot) response {
	var r response
	var written atomic.Bool
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				lim.written(s)
				written.Store(true)
			}
		},
		GotFirstResponseByte: func() { lim.answered(s) },
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	// A write, once on its way, is seen through even if ctx ends: HubSpot
	// may apply it anyway, and only its answer (the ids) lets the caller
	// record what landed. Cancelling it would leave records in HubSpot that
	// no state knows of. The HTTP client's own timeouts still bound it.
	sctx := ctx
	if cl.write {
		sctx = context.WithoutCancel(ctx)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(sctx, trace), cl.method, c.base+cl.path, body)
	if err != nil {
		lim.finish(s, false)
		r.err = err
		return r
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.ua)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		lim.finish(s, false)
		// *url.Error quotes the URL, which may hold a record value (an
		// email as idProperty value): keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = fmt.Errorf("%s: %w", cl.method, ue.Err)
		}
		r.written, r.err = written.Load(), err
		return r
	}
	r.status, r.header = resp.StatusCode, resp.Header
	r.body, r.err = readBody(resp, maxResponseBytes)
	_ = resp.Body.Close()
	lim.finish(s, true)
	r.written = true
	return r
}

// decision is what to do after one attempt.
type decision struct {
	retry  bool
	wait   time.Duration // extra wait before the retry (limiter waits come on top)
	reason string
	err    error                    // final error (no retry)
	last   func(attempts int) error // the error to return once retries are exhausted
}

func (d decision) exhausted(attempts int) error {
	if d.last != nil {
		return d.last(attempts)
	}
	return fmt.Errorf("hubspot: gave up after %d attempts (%s)", attempts, d.reason)
}

// decide classifies one attempt's outcome.
func (c *Client) decide(ctx context.Context, cl call, r response, attempt int, s *slot) decision {
	netErr := func(cause error, maybe bool) func(int) error {
		return func(n int) error {
			return &NetworkError{Op: cl.op, Attempts: n, MaybeProcessed: maybe && !cl.idempotent, Err: cause}
		}
	}
	// No response at all: reset, EOF, timeout, refused.
	if r.status == 0 {
		if !cl.idempotent && r.written {
			return decision{err: netErr(r.err, true)(attempt)}
		}
		return decision{retry: true, wait: backoff(attempt), reason: "connection failed", last: netErr(r.err, r.written)}
	}
	ok := r.status >= 200 && r.status < 300
	if ok {
		err := r.err
		if err == nil && cl.out != nil && r.status != http.StatusNoContent {
			if len(bytes.TrimSpace(r.body)) == 0 {
				if !cl.emptyOK {
					err = io.ErrUnexpectedEOF
				}
			} else if jerr := decodeOut(r.body, cl.out); jerr != nil {
				err = fmt.Errorf("unreadable %d body: %w", r.status, jerr)
			}
		}
		if err == nil {
			return decision{}
		}
		// A 2xx whose body is cut short or garbled: the request was applied.
		if !cl.idempotent {
			return decision{err: netErr(err, true)(attempt)}
		}
		return decision{retry: true, wait: backoff(attempt), reason: "truncated or unreadable response", last: netErr(err, false)}
	}

	ae := parseAPIError(r.status, r.body, cl.op)
	apiErr := func(n int) error { ae.Attempts = n; return ae }
	// Wraps a 5xx on a non-idempotent write: HubSpot may have applied it.
	maybeApplied := func(n int) error {
		ae.Attempts = n
		return &NetworkError{Op: cl.op, Attempts: n, MaybeProcessed: true, Err: ae}
	}
	switch {
	case r.status == http.StatusTooManyRequests:
		c.countRateLimited()
		switch {
		case ae.PolicyName == PolicyDaily:
			return decision{err: c.dailyLimitError(ctx, cl.op, ae.CorrelationID)}
		case cl.search || ae.PolicyName == PolicySecondly || isSecondlyMessage(ae.Message):
			// Search's per-second limit: 1 s × attempt, as HubSpot's SDK (§9).
			if cl.search {
				c.search.release(s)
			}
			return decision{retry: true, wait: time.Duration(attempt) * time.Second, reason: "429 " + nonEmpty(ae.PolicyName, "SECONDLY"), last: apiErr}
		default:
			// TEN_SECONDLY_ROLLING (or unnamed): the limiter pauses every
			// request until HubSpot's window has room (§9).
			paused := c.win.rateLimited(s, attempt)
			c.log.LogAttrs(ctx, levelFor(attempt+1), "hubspot: rate limited, pausing",
				attrs(cl.kind, r.status, attempt, paused, nonEmpty(ae.PolicyName, PolicyTenSecondly))...)
			return decision{retry: true, reason: "429 " + nonEmpty(ae.PolicyName, PolicyTenSecondly), last: apiErr}
		}
	case r.status == http.StatusLocked:
		// 423: high-volume writes; wait at least 2 s (§3).
		return decision{retry: true, wait: max(2*time.Second, backoff(attempt)), reason: "423 locked", last: apiErr}
	case r.status == 477:
		// Migration in progress: honour Retry-After (§10).
		return decision{retry: true, wait: retryAfter(r.header, c.now(), backoff(attempt)), reason: "477 migration in progress", last: apiErr}
	case r.status >= 500:
		// A 503 means HubSpot did not take the request; other 5xx on a
		// non-idempotent write may come after it was applied.
		if !cl.idempotent && r.status != http.StatusServiceUnavailable {
			return decision{err: maybeApplied(attempt)}
		}
		return decision{retry: true, wait: retryAfter(r.header, c.now(), backoff(attempt)), reason: fmt.Sprintf("%d server error", r.status), last: apiErr}
	}
	return decision{err: apiErr(attempt)}
}

// dailyLimitError builds the error for a 429 DAILY. The reset time comes from
// DailyUsage when that one cheap call answers, else the next midnight in the
// account's time zone (HubSpot resets then, §9) if AccountDetails has been
// read, else the next midnight UTC.
func (c *Client) dailyLimitError(ctx context.Context, op, correlationID string) error {
	c.mu.Lock()
	reset := c.dailyMemo
	c.mu.Unlock()
	now := c.now()
	if !reset.After(now) {
		reset = time.Time{}
		uctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		var out dailyUsageBody
		_, err := c.doOnce(uctx, call{op: "read daily API usage", kind: "account_daily_usage", method: http.MethodGet,
			path: c.accountInfoPath("api-usage", "daily", "private-apps"), out: &out, idempotent: true})
		cancel()
		if err == nil {
			if u, ok := out.pick(); ok && u.ResetsAt.After(now) {
				reset = u.ResetsAt
			}
		}
		if reset.IsZero() {
			c.mu.Lock()
			loc := c.accountTZ
			c.mu.Unlock()
			reset = nextMidnight(now, loc)
		}
		c.mu.Lock()
		c.dailyMemo = reset
		c.mu.Unlock()
	}
	return &DailyLimitError{ResetAt: reset, Op: op, CorrelationID: correlationID}
}

// doOnce sends a call with no retries.
func (c *Client) doOnce(ctx context.Context, cl call) (int, error) {
	lim := c.win
	s, waited, err := lim.acquire(ctx, c.sleep)
	c.addWait(waited, 0)
	if err != nil {
		return 0, err
	}
	c.countRequest(cl.kind, cl.write, false)
	r := c.send(ctx, cl, nil, lim, s)
	if r.status != 0 {
		c.recordLimits(r.header)
	}
	if r.status < 200 || r.status > 299 {
		if r.status == 0 {
			return 0, &NetworkError{Op: cl.op, Attempts: 1, Err: r.err}
		}
		return r.status, parseAPIError(r.status, r.body, cl.op)
	}
	if r.err != nil {
		return r.status, r.err
	}
	if cl.out != nil {
		return r.status, decodeOut(r.body, cl.out)
	}
	return r.status, nil
}

// bodyDecoder is a call's out that decodes the body itself: a
// json.Unmarshaler is handed a copy of its bytes.
type bodyDecoder interface{ decodeBody(b []byte) error }

// decodeOut decodes a 2xx body into out. Neither way keeps b: the body
// goes back to a pool once decoded.
func decodeOut(b []byte, out any) error {
	if d, ok := out.(bodyDecoder); ok {
		return d.decodeBody(b)
	}
	return jsonx.Unmarshal(b, out)
}

// nextMidnight returns the first midnight after t in loc (UTC when nil).
func nextMidnight(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

func isSecondlyMessage(msg string) bool {
	return msg == "You have reached your secondly limit."
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// readBody reads at most limit bytes of a response body, in one allocation
// when the server sent Content-Length (io.ReadAll grows by doubling).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if n := resp.ContentLength; n >= 0 && n < limit {
		b := takeBody(int(n))
		got, err := io.ReadFull(resp.Body, b)
		if errors.Is(err, io.EOF) && n == 0 {
			err = nil
		}
		return b[:got], err
	}
	return io.ReadAll(io.LimitReader(resp.Body, limit))
}

// Response bodies of batch calls run to a hundred kilobytes: one read as
// a request succeeds goes back to bodyPool (releaseBody) for the next, not
// to the garbage collector (they were 4 % of a full sync's allocations).
var bodyPool sync.Pool // *[]byte

// maxPooledBody is the largest body kept for reuse.
const maxPooledBody = 1 << 20

// takeBody returns a slice of length n, from the pool when one fits.
func takeBody(n int) []byte {
	if n > 0 && n <= maxPooledBody {
		if p, ok := bodyPool.Get().(*[]byte); ok {
			if cap(*p) >= n {
				return (*p)[:n]
			}
		}
	}
	return make([]byte, n)
}

// releaseBody gives a body read by readBody back for reuse. The caller
// must hold no reference into it.
func releaseBody(b []byte) {
	if c := cap(b); c > 0 && c <= maxPooledBody {
		b = b[:0]
		bodyPool.Put(&b)
	}
}
