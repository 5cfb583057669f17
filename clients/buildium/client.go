package buildium

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// The Buildium hosts (reference/buildium-api.md §1). Keys are per
// environment: production keys fail on the sandbox and vice versa.
const (
	ProductionURL = "https://api.buildium.com"
	SandboxURL    = "https://apisandbox.buildium.com"
)

// Defaults for Options.
const (
	// DefaultRatePerSecond is Buildium's documented limit, "10 concurrent
	// requests per second" (ref §3).
	DefaultRatePerSecond = 10
	DefaultMaxRetries    = 6
	// DefaultPageSize is the largest page Buildium serves (ref §2).
	DefaultPageSize    = 1000
	DefaultBackoffBase = 200 * time.Millisecond // "retry after a short interval (~200ms)", ref §3
	DefaultBackoffMax  = 20 * time.Second
	DefaultUserAgent   = "b2h (Buildium to HubSpot sync)"
)

// MaxLastUpdatedRange is the longest LastUpdatedFrom…LastUpdatedTo window
// to ask for. [3rd-party] blackwaxxx/Buildium-MCP reports that Buildium
// caps date-range filters at 365 days with a 422 (ref §4); callers that
// catch up on a longer gap should split it into windows of at most this.
const MaxLastUpdatedRange = 365 * 24 * time.Hour

// Options configure a Client.
type Options struct {
	// BaseURL is the API host without /v1, e.g. ProductionURL (the
	// default), SandboxURL, or a simulator's URL. Plain http is refused
	// except on loopback, so the secret never crosses a network unencrypted.
	BaseURL string
	// ClientID and ClientSecret are the API key (required).
	ClientID, ClientSecret string
	// HTTPClient sends the requests; nil means a client with dial,
	// TLS-handshake, response-header and overall timeouts.
	HTTPClient *http.Client
	// RatePerSecond caps requests per second across every call of the
	// client; 0 means DefaultRatePerSecond. No more than that many start
	// in any window of one second plus 20 ms, so that network jitter never
	// pushes them over Buildium's limit (window.go).
	RatePerSecond float64
	// StartSpent starts the client as if its key had just made a second's
	// worth of requests: Buildium counts per key, not per process, so a run
	// started right after another (a script, a retry, a bench) would
	// otherwise spend a budget the last one had used, and get 429s. The
	// first request waits for up to a second (the pacing window).
	StartSpent bool
	// MaxRetries is how often a request is retried after a 429, a 5xx, a
	// dropped connection or an unreadable body; 0 means
	// DefaultMaxRetries, negative means never.
	MaxRetries int
	// PageSize is the limit of each list request, 1..1000; 0 means 1000.
	PageSize int
	// BackoffBase and BackoffMax shape the exponential backoff with full
	// jitter between retries; zero means the defaults. Tests shorten them.
	BackoffBase, BackoffMax time.Duration
	// Logger receives one debug line per request and a warning per retry;
	// nil discards. Secrets and personal data are never logged.
	Logger *slog.Logger
	// UserAgent is sent with each request; empty means DefaultUserAgent.
	UserAgent string
}

// Client reads rentals, units, tenants, leases and amenities from
// Buildium. It is safe for concurrent use; all calls share one rate
// limiter.
type Client struct {
	base        string // scheme://host[/prefix], no trailing slash
	host        string
	id, secret  string
	hc          *http.Client
	limiter     waiter
	maxRetries  int
	pageSize    int
	backoffBase time.Duration
	backoffMax  time.Duration
	log         *slog.Logger
	userAgent   string

	requests, rateLimited, retries atomic.Int64
}

// Stats counts a client's traffic.
type Stats struct {
	Requests    int64 // HTTP requests sent, retries included
	RateLimited int64 // 429 answers received
	Retries     int64 // requests repeated after a retryable failure
}

// New validates opts and returns a client. It makes no request; use Ping
// to check the credentials.
func New(opts Options) (*Client, error) {
	if strings.TrimSpace(opts.ClientID) == "" || strings.TrimSpace(opts.ClientSecret) == "" {
		return nil, errors.New("buildium: the client id and secret are required (BUILDIUM_CLIENT_ID, BUILDIUM_CLIENT_SECRET)")
	}
	base := opts.BaseURL
	if base == "" {
		base = ProductionURL
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("buildium: base URL %q is not an http(s) URL such as %s", base, ProductionURL)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("buildium: refusing to send credentials over plain http to %s; Buildium only accepts https", u.Host)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.Path = strings.TrimSuffix(u.Path, "/v1")
	c := &Client{
		base:        u.Scheme + "://" + u.Host + u.Path,
		host:        u.Host,
		id:          opts.ClientID,
		secret:      opts.ClientSecret,
		hc:          opts.HTTPClient,
		maxRetries:  opts.MaxRetries,
		pageSize:    opts.PageSize,
		backoffBase: opts.BackoffBase,
		backoffMax:  opts.BackoffMax,
		log:         opts.Logger,
		userAgent:   opts.UserAgent,
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	r := opts.RatePerSecond
	if r <= 0 {
		r = DefaultRatePerSecond
	}
	c.limiter = newPacer(r)
	if w, ok := c.limiter.(*slidingWindow); ok && opts.StartSpent {
		w.spend()
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.pageSize <= 0 || c.pageSize > DefaultPageSize {
		c.pageSize = DefaultPageSize
	}
	if c.backoffBase <= 0 {
		c.backoffBase = DefaultBackoffBase
	}
	if c.backoffMax <= 0 {
		c.backoffMax = DefaultBackoffMax
	}
	if c.log == nil {
		c.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	return c, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 10
	return &http.Client{Transport: t, Timeout: 2 * time.Minute}
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	return Stats{Requests: c.requests.Load(), RateLimited: c.rateLimited.Load(), Retries: c.retries.Load()}
}
