// Package buildiumsim is an in-process HTTP simulator of the Buildium Open
// API v1 read endpoints that b2h uses (rentals, units, tenants, leases,
// amenities). It serves a gen.Portfolio on 127.0.0.1 with Buildium's
// contract: the two credential headers, offset/limit paging with
// X-Total-Count, orderby, the lastupdatedfrom/lastupdatedto window over
// hidden per-record update times, the 10 requests/s limit, ApiErrorResponse
// error bodies, and injectable faults (429, 5xx, resets, truncated bodies,
// latency, short list pages, odd records). Every rule cites shared/reference/buildium-api.md ("ref §N").
//
// Tests change the data through the mutation API (UpdateTenant, AddLease,
// Mutate, ...), which bumps the hidden update time like Buildium does.
package buildiumsim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"b2h/clients/sim/fault"
	"b2h/clients/sim/gen"
)

// Options configure a Server.
type Options struct {
	// Portfolio is the data served. The server takes ownership: it may
	// modify the portfolio (it drops derived fields it renders on demand);
	// read it back with Snapshot. Nil serves an empty account.
	Portfolio *gen.Portfolio
	// ClientID and ClientSecret are the accepted credentials; empty ones
	// are generated (see Credentials).
	ClientID, ClientSecret string
	// RateLimits enforces Buildium's 10 requests per second (ref §3):
	// the 11th request inside any one-second window gets a 429.
	RateLimits bool
	// Faults injects failures; see package fault. Buildium has no 423.
	Faults fault.Profile
	// Now is the clock for hidden update times of mutations and for the
	// 365-day window check; nil means time.Now. Rate limiting always uses
	// the real clock.
	Now func() time.Time
}

// Server is the simulator. It implements http.Handler, so it can also be
// mounted on another server. It is safe for concurrent use.
type Server struct {
	id, secret string
	now        func() time.Time
	faults     *fault.Injector
	shape      listShape        // short pages and odd records (shape.go)
	limiter    *window          // nil when rate limits are off
	wallClock  func() time.Time // the limiter's clock: time.Now (tests freeze it)

	mu sync.RWMutex
	p  *gen.Portfolio
	ix *gen.Index

	stats counters

	srvMu   sync.Mutex
	srv     *http.Server
	baseURL string
}

// counters are the live statistics.
type counters struct {
	requests, rateLimited, faults, unauthorized atomic.Int64

	mu         sync.Mutex
	byEndpoint map[string]int64
}

// Stats is a snapshot of the server's counters.
type Stats struct {
	Requests     int64            // every request received
	RateLimited  int64            // answered 429, by the rate limiter or an injected fault
	Faults       int64            // injected failures of any kind (429, 5xx, reset, truncated)
	Unauthorized int64            // answered 401
	ByEndpoint   map[string]int64 // per method and endpoint, e.g. "GET /v1/leases/tenants"; unknown paths under "other"
}

// New returns a server for opts. Call Start to listen on loopback, or use
// it as an http.Handler.
func New(opts Options) *Server {
	p := opts.Portfolio
	if p == nil {
		p = gen.Generate(gen.Options{})
	}
	p.Strip()
	s := &Server{
		id:     opts.ClientID,
		secret: opts.ClientSecret,
		now:    opts.Now,
		faults: fault.New(opts.Faults),
		p:      p,
		ix:     p.BuildIndex(),
	}
	if s.id == "" {
		s.id = randomHex(16)
	}
	if s.secret == "" {
		s.secret = randomHex(24)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.wallClock = time.Now
	if opts.RateLimits {
		s.limiter = &window{limit: RateLimitPerSecond, span: time.Second}
	}
	s.stats.byEndpoint = map[string]int64{}
	s.shape.set(opts.Faults)
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// Start listens on 127.0.0.1 on a free port and serves in the background.
// It returns the base URL, e.g. "http://127.0.0.1:40123" (no trailing
// slash; paths start with /v1/).
func (s *Server) Start() (string, error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		return "", errors.New("buildiumsim: already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // injected resets are not news
	}
	s.baseURL = "http://" + ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	return s.baseURL, nil
}

// URL returns the base URL given by Start ("" before Start).
func (s *Server) URL() string {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	return s.baseURL
}

// Close stops the listener and closes every connection.
func (s *Server) Close() error {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// Credentials returns the client id and secret the server accepts.
func (s *Server) Credentials() (id, secret string) { return s.id, s.secret }

// SetFaults replaces the fault profile (and reseeds its generator), list
// shapes included (short pages, odd records: see SetShortPages and
// SetOddRecords).
func (s *Server) SetFaults(p fault.Profile) {
	s.faults.Set(p)
	s.shape.set(p)
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	st := Stats{
		Requests:     s.stats.requests.Load(),
		RateLimited:  s.stats.rateLimited.Load(),
		Faults:       s.stats.faults.Load(),
		Unauthorized: s.stats.unauthorized.Load(),
		ByEndpoint:   map[string]int64{},
	}
	s.stats.mu.Lock()
	for k, v := range s.stats.byEndpoint {
		st.ByEndpoint[k] = v
	}
	s.stats.mu.Unlock()
	return st
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.stats.requests.Store(0)
	s.stats.rateLimited.Store(0)
	s.stats.faults.Store(0)
	s.stats.unauthorized.Store(0)
	s.stats.mu.Lock()
	s.stats.byEndpoint = map[string]int64{}
	s.stats.mu.Unlock()
}

// MaxQueryLength is the longest query string Buildium accepts; a longer
// one gets a 500 (ref §1, "Request Size Limits").
const MaxQueryLength = 4096

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.stats.requests.Add(1)
	rt, rawID := route(r.URL.Path)
	name := "other"
	if rt != nil {
		name = r.Method + " " + rt.pattern
	}
	s.stats.mu.Lock()
	s.stats.byEndpoint[name]++
	s.stats.mu.Unlock()

	if d := s.faults.Latency(); d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return
		}
	}
	if s.limiter != nil && !s.limiter.allow(s.wallClock()) {
		s.stats.rateLimited.Add(1)
		// No Retry-After: Buildium does not document one (ref §3).
		s.write(w, errorResponse(http.StatusTooManyRequests, "The rate limit of 10 requests per second was exceeded. Retry the request after a short interval."), false)
		return
	}
	truncate := false
	switch s.faults.Request(false) {
	case fault.RateLimited:
		s.stats.faults.Add(1)
		s.stats.rateLimited.Add(1)
		s.write(w, errorResponse(http.StatusTooManyRequests, "The rate limit of 10 requests per second was exceeded. Retry the request after a short interval."), false)
		return
	case fault.ServerError:
		s.stats.faults.Add(1)
		s.write(w, serverError(s.faults.ServerErrorStatus()), false)
		return
	case fault.Reset:
		s.stats.faults.Add(1)
		fault.ResetConnection(w)
		return
	case fault.Truncated:
		s.stats.faults.Add(1)
		truncate = true
	}

	var resp response
	switch {
	case len(r.URL.RawQuery) > MaxQueryLength:
		resp = errorResponse(http.StatusInternalServerError, "An error has occurred.")
	case !s.authorized(r):
		s.stats.unauthorized.Add(1)
		resp = errorResponse(http.StatusUnauthorized, "Authorization has been denied for this request: the x-buildium-client-id and x-buildium-client-secret headers are missing or invalid.")
	case rt == nil:
		resp = errorResponse(http.StatusNotFound, "No HTTP resource was found that matches the request URI '"+r.URL.Path+"'.")
	case r.Method != http.MethodGet:
		resp = errorResponse(http.StatusMethodNotAllowed, "The Buildium simulator is read-only: "+r.Method+" "+rt.pattern+" is not implemented.")
		w.Header().Set("Allow", http.MethodGet)
	default:
		resp = s.serve(r, rt, rawID)
	}
	s.write(w, resp, truncate)
}

// authorized checks the two credential headers (ref §1, Authentication).
func (s *Server) authorized(r *http.Request) bool {
	id := r.Header.Get("x-buildium-client-id")
	secret := r.Header.Get("x-buildium-client-secret")
	okID := subtle.ConstantTimeCompare([]byte(id), []byte(s.id)) == 1
	okSecret := subtle.ConstantTimeCompare([]byte(secret), []byte(s.secret)) == 1
	return okID && okSecret
}

// write sends a response; truncate cuts a 200 body short and drops the
// connection (fault injection).
func (s *Server) write(w http.ResponseWriter, resp response, truncate bool) {
	h := w.Header()
	h.Set("Content-Type", resp.contentType())
	if resp.total >= 0 {
		h.Set("X-Total-Count", strconv.Itoa(resp.total))
	}
	if truncate && resp.status == http.StatusOK && len(resp.body) > 1 {
		fault.WriteTruncated(w, resp.status, resp.body)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}
