// Package hubspot is b2h's client for the HubSpot CRM REST API: batch
// upsert/create/update/read/archive of CRM objects (contacts, listings
// 0-420, custom objects), associations v4 and their labels, properties and
// property groups, custom-object schemas, search, and the account endpoints
// b2h's preflight needs. It follows reference/hubspot-api.md; the section
// enforcing a rule is cited next to it.
//
// All requests to one HubSpot account must share one *Client: the client
// owns the account's rate limiter (a rolling window sized from HubSpot's
// X-HubSpot-RateLimit-* headers, and a separate per-second limiter for
// search), and two clients for the same account would each spend the whole
// budget. A Client is safe for concurrent use.
//
// Retries are the client's job (429, 423, 477, 5xx, resets, truncated
// bodies), policy is the engine's: a whole-batch 400 comes back as an
// *APIError for the engine to split, a spent daily budget as a
// *DailyLimitError for the engine to pause on.
package hubspot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is HubSpot's production API host.
const DefaultBaseURL = "https://api.hubapi.com"

// DefaultAPIVersion is the date-based API version used with PathDated
// when Options.APIVersion is empty.
const DefaultAPIVersion = "2026-03"

// Batch limits (hubspot-api.md §3, §4).
const (
	// MaxBatchInputs is the most inputs one object batch request takes.
	MaxBatchInputs = 100
	// MaxAssociationCreateInputs is the most inputs one association batch
	// create (labelled or default), archive or labels-archive request takes.
	MaxAssociationCreateInputs = 2000
	// MaxAssociationReadInputs is the most ids one association batch read
	// takes (since 2025-02-10).
	MaxAssociationReadInputs = 1000
)

// PathStyle selects the URL scheme of CRM endpoints (hubspot-api.md §0).
type PathStyle int

const (
	// PathDated (the default) uses date-versioned paths:
	// /crm/objects/{APIVersion}/..., /crm/associations/{APIVersion}/...,
	// /crm/properties/{APIVersion}/..., /crm-object-schemas/{APIVersion}/...,
	// /crm/object-library/{APIVersion}/..., /crm/limits/{APIVersion}/...,
	// /account-info/{APIVersion}/....
	PathDated PathStyle = iota
	// PathV3 uses /crm/v3/..., /crm/v4/..., /crm-object-schemas/v3/... and
	// /account-info/v3/... (v4 unsupported by HubSpot from 2027-03-30, v1–v3
	// from September 2027).
	PathV3
)

// APIVersionV3 is the ParseAPIVersion name of PathV3.
const APIVersionV3 = "v3"

// ParseAPIVersion reads a HubSpot API setting: "v3" selects PathV3, a date
// version "YYYY-MM" (DefaultAPIVersion when s is empty) selects PathDated
// with that version.
func ParseAPIVersion(s string) (PathStyle, string, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch {
	case s == "":
		return PathDated, DefaultAPIVersion, nil
	case s == APIVersionV3:
		return PathV3, "", nil
	case len(s) == 7 && s[4] == '-' && allDigits(s[:4]) && allDigits(s[5:]) && s[5:] >= "01" && s[5:] <= "12":
		return PathDated, s, nil
	}
	return 0, "", errors.New("hubspot: unknown API version " + strconv.Quote(s) + " (use " + DefaultAPIVersion + " or " + APIVersionV3 + ")")
}

// Options configures a Client.
type Options struct {
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// Token is the private-app access token or service key. It is sent
	// only in the Authorization header and never appears in errors or logs.
	Token string
	// PathStyle selects date-versioned paths (the zero value) or v3/v4.
	PathStyle PathStyle
	// APIVersion is the date version used with PathDated (default
	// DefaultAPIVersion).
	APIVersion string
	// HTTPClient defaults to a client with a 90 s timeout and a pool sized
	// for concurrent batch writers.
	HTTPClient *http.Client
	// MaxRetries bounds the retries of one request (default 8; negative
	// means none).
	MaxRetries int
	// Logger receives retry and rate-limit events at debug/warn level,
	// never request bodies or the token (default: discard).
	Logger *slog.Logger
	// UserAgent defaults to "b2h-hubspot-client".
	UserAgent string
	// InitialRate paces requests until HubSpot's headers size the window
	// (default 100 per 10 s, the lowest tier; hubspot-api.md §9).
	InitialRate Rate
	// SearchPerSecond paces search requests (default 5; §8).
	SearchPerSecond float64
	// Sleep waits for d or until ctx is done (for tests; default a timer).
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the limiter's clock (for tests; default time.Now).
	Now func() time.Time
}

// Client talks to one HubSpot account. Create one per account and share it.
type Client struct {
	base       string
	token      string
	style      PathStyle
	version    string
	http       *http.Client
	maxRetries int
	log        *slog.Logger
	ua         string
	sleep      func(context.Context, time.Duration) error
	now        func() time.Time

	win    *window // the account's ten-secondly budget
	search *window // search's per-second budget

	mu        sync.Mutex
	stats     Stats
	limits    LimitsSnapshot
	dailyMemo time.Time      // last resetsAt learnt from DailyUsage
	accountTZ *time.Location // from AccountDetails, for the daily reset
}

// New returns a Client for one HubSpot account.
func New(opts Options) (*Client, error) {
	if strings.TrimSpace(opts.Token) == "" {
		return nil, errors.New("hubspot: no access token: set HUBSPOT_ACCESS_TOKEN to a private-app access token or service key")
	}
	base := opts.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("hubspot: base URL " + strings.TrimSpace(base) + " is not an http(s) URL")
	}
	c := &Client{
		base:       strings.TrimRight(base, "/"),
		token:      opts.Token,
		style:      opts.PathStyle,
		version:    opts.APIVersion,
		http:       opts.HTTPClient,
		maxRetries: opts.MaxRetries,
		log:        opts.Logger,
		ua:         opts.UserAgent,
		sleep:      opts.Sleep,
		now:        opts.Now,
		stats:      Stats{ByKind: map[string]int64{}},
	}
	if c.version == "" {
		c.version = DefaultAPIVersion
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = 8
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.ua == "" {
		c.ua = "b2h-hubspot-client"
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.now == nil {
		c.now = time.Now
	}
	initial := opts.InitialRate
	if initial.Max <= 0 || initial.Interval <= 0 {
		initial = Rate{Max: 100, Interval: 10 * time.Second}
	}
	c.win = newWindow(initial, defaultMargin, c.now)
	c.win.gated = true
	c.search = newWindow(perSecond(opts.SearchPerSecond), 0, c.now)
	return c, nil
}

// defaultHTTPClient keeps enough idle connections for concurrent batch
// writers (the default transport keeps two per host).
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 128
	t.MaxIdleConnsPerHost = 64
	t.ResponseHeaderTimeout = 75 * time.Second
	t.DialContext = (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	return &http.Client{Timeout: 90 * time.Second, Transport: t}
}

// Rate returns the ten-secondly budget the limiter currently paces to.
func (c *Client) Rate() Rate { return c.win.rate() }

// path helpers (hubspot-api.md §0): every CRM area has a v3/v4 and a dated
// form with the same shapes.

func (c *Client) objectsPath(objectType string, rest ...string) string {
	p := "/crm/v3/objects/"
	if c.style == PathDated {
		p = "/crm/objects/" + c.version + "/"
	}
	return join(p+url.PathEscape(objectType), rest)
}

func (c *Client) propertiesPath(objectType string, rest ...string) string {
	p := "/crm/v3/properties/"
	if c.style == PathDated {
		p = "/crm/properties/" + c.version + "/"
	}
	return join(p+url.PathEscape(objectType), rest)
}

func (c *Client) schemasPath(rest ...string) string {
	p := "/crm-object-schemas/v3/schemas"
	if c.style == PathDated {
		p = "/crm-object-schemas/" + c.version + "/schemas"
	}
	return join(p, rest)
}

func (c *Client) associationsPath(fromType, toType string, rest ...string) string {
	p := "/crm/v4/associations/"
	if c.style == PathDated {
		p = "/crm/associations/" + c.version + "/"
	}
	return join(p+url.PathEscape(fromType)+"/"+url.PathEscape(toType), rest)
}

// datedOr returns the dated prefix "/{area}/{version}" or the v3 one.
func (c *Client) datedOr(area, v3 string) string {
	if c.style == PathDated {
		return "/" + area + "/" + c.version
	}
	return v3
}

func (c *Client) objectLibraryPath(rest ...string) string {
	return join(c.datedOr("crm/object-library", "/crm/v3/object-library"), rest)
}

func (c *Client) limitsPath(rest ...string) string {
	return join(c.datedOr("crm/limits", "/crm/v3/limits"), rest)
}

func (c *Client) accountInfoPath(rest ...string) string {
	return join(c.datedOr("account-info", "/account-info/v3"), rest)
}

// join appends path segments; each is escaped unless it is a literal path
// fragment (starts with "/").
func join(p string, rest []string) string {
	var b strings.Builder
	b.WriteString(p)
	for _, r := range rest {
		if strings.HasPrefix(r, "/") {
			b.WriteString(r)
			continue
		}
		b.WriteByte('/')
		b.WriteString(url.PathEscape(r))
	}
	return b.String()
}

// drainClose discards what is left of a body so the connection is reused.
func drainClose(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 1<<16))
	_ = rc.Close()
}
