package buildium

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"b2h/internal/jsonx"
)

// maxBody caps a response body; a 1,000-record page is a few megabytes.
const maxBody = 64 << 20

// result is what get learned besides the decoded body.
type result struct {
	total    int  // X-Total-Count
	hasTotal bool // whether the header was present and numeric
}

// get sends GET base+path?query, retrying what a retry can fix, and
// decodes a 2xx JSON body into out. Every attempt waits for the shared
// limiter. It returns ctx.Err() (wrapped) as soon as ctx is done.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) (result, error) {
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		sent, err := c.limiter.Wait(ctx)
		if err != nil {
			return result{}, c.ctxErr(ctx, path, err)
		}
		res, retryAfter, err := c.once(ctx, u, path, out, sent)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return result{}, c.ctxErr(ctx, path, ctx.Err())
		}
		if !retryable(err) {
			return result{}, err
		}
		lastErr = err
		if attempt >= c.maxRetries {
			return result{}, fmt.Errorf("%w (gave up after %d attempts)", lastErr, attempt+1)
		}
		wait := c.backoff(attempt)
		if retryAfter > wait {
			wait = retryAfter
		}
		c.retries.Add(1)
		c.log.Warn("buildium: retrying", "path", path, "attempt", attempt+1, "wait", wait, "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return result{}, c.ctxErr(ctx, path, ctx.Err())
		case <-t.C:
		}
	}
}

func (c *Client) ctxErr(ctx context.Context, path string, err error) error {
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return fmt.Errorf("buildium: GET %s: %w", path, err)
}

// backoff is exponential with full jitter: uniform in [0, min(max, base·2^n)].
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.backoffMax
	if attempt < 30 {
		ceil = min(c.backoffMax, c.backoffBase<<attempt)
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// once makes one attempt. retryAfter is the server's Retry-After, if any.
// sent is called as soon as the request is on the wire (the limiter counts
// from then), and in any case before once returns.
func (c *Client) once(ctx context.Context, u, path string, out any, sent func()) (res result, retryAfter time.Duration, err error) {
	defer sent()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { sent() }})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return res, 0, err
	}
	req.Header.Set("x-buildium-client-id", c.id)
	req.Header.Set("x-buildium-client-secret", c.secret)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	start := time.Now()
	c.requests.Add(1)
	resp, err := c.hc.Do(req)
	if err != nil {
		c.log.Debug("buildium request", "path", path, "error", err)
		return res, 0, &netError{path: path, err: err}
	}
	defer resp.Body.Close()
	// Pages of 1,000 tenants run to megabytes: read into a pooled buffer
	// sized from Content-Length, not a fresh slice grown by doubling (it
	// was a fifth of a full sync's allocations). jsonx.Unmarshal copies what
	// it keeps, so the buffer goes back to the pool when this returns.
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooledBody {
			bodyPool.Put(buf)
		}
	}()
	if n := resp.ContentLength; n > 0 && n <= maxBody {
		buf.Grow(int(n) + bytes.MinRead)
	}
	_, readErr := buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	body := buf.Bytes()
	c.log.Debug("buildium request", "path", path, "status", resp.StatusCode, "bytes", len(body), "elapsed", time.Since(start))

	if fb, ok := c.limiter.(feedback); ok {
		if resp.StatusCode == http.StatusTooManyRequests {
			fb.throttled()
		} else {
			fb.answered()
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		c.rateLimited.Add(1)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return res, parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()), c.apiError(resp, path, body)
	}
	if readErr != nil {
		return res, 0, &DecodeError{Method: http.MethodGet, Path: path, Err: readErr}
	}
	if len(body) > maxBody {
		return res, 0, fmt.Errorf("buildium: GET %s: response larger than %d MB", path, maxBody>>20)
	}
	if err := decodeBody(body, out); err != nil {
		var bad *BadRecordError
		var dec *DecodeError
		switch {
		case errors.As(err, &bad):
			bad.Path = path
		case errors.As(err, &dec):
			dec.Method, dec.Path = http.MethodGet, path
		default:
			err = &DecodeError{Method: http.MethodGet, Path: path, Err: err, final: !isSyntax(err)}
		}
		return res, 0, err
	}
	if h := resp.Header.Get("X-Total-Count"); h != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && n >= 0 {
			res.total, res.hasTotal = n, true
		}
	}
	return res, 0, nil
}

// decodeBody decodes a 2xx body into out, a bodyDecoder or a pointer for
// jsonx.Unmarshal.
func decodeBody(body []byte, out any) error {
	if d, ok := out.(bodyDecoder); ok {
		return d.decodeBody(body)
	}
	return jsonx.Unmarshal(body, out)
}

// bodyPool holds response buffers for reuse.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody is the largest buffer kept for reuse.
const maxPooledBody = 16 << 20

// apiError builds an *APIError from a non-2xx answer.
func (c *Client) apiError(resp *http.Response, path string, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Method: http.MethodGet, Path: path, Host: c.host}
	var wire struct {
		UserMessage *string       `json:"UserMessage"`
		ErrorCode   *string       `json:"ErrorCode"`
		Errors      []ErrorDetail `json:"Errors"`
	}
	if err := json.Unmarshal(body, &wire); err == nil && (wire.UserMessage != nil || wire.ErrorCode != nil || wire.Errors != nil) {
		// Buildium's words end up on a terminal and in logs: printable,
		// and never the id or secret a misbehaving server might echo.
		if wire.UserMessage != nil {
			e.UserMessage = c.redact(printable(*wire.UserMessage, false))
		}
		if wire.ErrorCode != nil {
			e.ErrorCode = c.redact(printable(*wire.ErrorCode, false))
		}
		for _, d := range wire.Errors {
			e.Errors = append(e.Errors, ErrorDetail{Key: c.redact(printable(d.Key, false)), Value: c.redact(printable(d.Value, false))})
		}
		return e
	}
	// Redacted before the excerpt too: a credential cut at the excerpt's
	// end would no longer match whole.
	e.UserMessage = c.redact(excerpt([]byte(c.redact(string(body)))))
	return e
}

// redact replaces the client secret and the client id (BUILDIUM_CLIENT_ID
// is a credential too: half of the key) wherever s quotes them. The longer
// goes first, in case one holds the other.
func (c *Client) redact(s string) string {
	creds := [2][2]string{{c.secret, "[client secret]"}, {c.id, "[client id]"}}
	if len(c.id) > len(c.secret) {
		creds[0], creds[1] = creds[1], creds[0]
	}
	for _, cr := range creds {
		if cr[0] != "" && strings.Contains(s, cr[0]) {
			s = strings.ReplaceAll(s, cr[0], cr[1])
		}
	}
	return s
}

// excerpt makes a short, printable summary of a non-JSON body (an HTML
// error page from a proxy): tags, terminal escape sequences and control
// characters removed, so it is safe to show in a terminal.
func excerpt(body []byte) string {
	s := printable(string(body), true)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// printable returns s safe to show in a terminal: terminal escape
// sequences removed, control characters (C0, C1, DEL) and whitespace runs
// made one space, bidirectional controls dropped, invalid UTF-8 replaced;
// with tags, HTML tags are removed too.
func printable(s string, tags bool) string {
	var sb strings.Builder
	inTag, inEscape := false, false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d:
			inEscape = true // ESC, or the C1 CSI / OSC introducers
		case inEscape:
			// CSI and OSC sequences end with a letter or BEL.
			inEscape = !(unicode.IsLetter(r) || r == 0x07)
		case tags && r == '<':
			inTag = true
		case tags && r == '>':
			inTag = false
			sb.WriteByte(' ')
		case inTag:
		case unicode.Is(unicode.Bidi_Control, r):
		case unicode.IsControl(r) || unicode.IsSpace(r):
			sb.WriteByte(' ')
		default:
			sb.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(sb.String()), " ")
}

// netError is a request that got no HTTP answer.
type netError struct {
	path string
	err  error
}

// Error says which request got no answer.
func (e *netError) Error() string {
	return fmt.Sprintf("buildium: GET %s: no answer from Buildium: %v", e.path, e.err)
}

// Unwrap returns the transport error.
func (e *netError) Unwrap() error { return e.err }

// retryable reports whether repeating a GET can help. Every GET is
// idempotent, so a dropped connection, timeout or reset is retried; a
// certificate problem or a malformed URL is not.
func retryable(err error) bool {
	var api *APIError
	if errors.As(err, &api) {
		switch api.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		return false
	}
	var dec *DecodeError
	if errors.As(err, &dec) {
		return !dec.final
	}
	var ne *netError
	if !errors.As(err, &ne) {
		return false
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var urlErr *url.Error
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &record):
		return false
	case errors.As(err, &urlErr) && strings.Contains(urlErr.Err.Error(), "unsupported protocol scheme"):
		return false
	}
	return true
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date; zero when
// absent or unreadable. Waits are capped at five minutes.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), 5*time.Minute)
}
