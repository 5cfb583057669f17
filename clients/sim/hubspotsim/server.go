package hubspotsim

import (
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"b2h/clients/sim/fault"
)

// Tier is a HubSpot subscription tier. It decides whether custom objects
// are available (Enterprise only, hubspot-api.md §6) and the rate limits (§9).
type Tier string

// The tiers the simulator knows.
const (
	TierFree         Tier = "free"
	TierStarter      Tier = "starter"
	TierProfessional Tier = "professional"
	TierEnterprise   Tier = "enterprise"
)

// DefaultPortalID is the portal (hub) id when Options.PortalID is zero.
const DefaultPortalID = 12345678

// DefaultScopes are the scopes a token gets when Options.Scopes is nil:
// the records and schemas of contacts, companies, listings and custom
// objects (§1). The sensitive-data scopes (SensitiveScopes) are not granted.
var DefaultScopes = []string{
	"crm.objects.contacts.read", "crm.objects.contacts.write",
	"crm.objects.companies.read", "crm.objects.companies.write",
	"crm.objects.listings.read", "crm.objects.listings.write",
	"crm.objects.custom.read", "crm.objects.custom.write",
	"crm.schemas.contacts.read", "crm.schemas.contacts.write",
	"crm.schemas.companies.read", "crm.schemas.companies.write",
	"crm.schemas.listings.read", "crm.schemas.listings.write",
	"crm.schemas.custom.read", "crm.schemas.custom.write",
}

// Options configures a simulated HubSpot account.
type Options struct {
	Tier            Tier          // default "professional"; an unknown tier is treated as professional
	ListingsEnabled bool          // the Listings object 0-420 is activated (§7); false answers 403 on 0-420
	RateLimits      bool          // enforce the tier's ten-secondly, search and daily limits (§9)
	Token           string        // the accepted bearer token; empty generates "pat-na1-<uuid>"
	Scopes          []string      // granted scopes; nil grants DefaultScopes
	PortalID        int           // default DefaultPortalID
	Faults          fault.Profile // injected failures
	Now             func() time.Time
	SearchLag       time.Duration // records become searchable (or updated in search) this long after a write (§8)
	Variants        []Variant     // real-portal answer shapes to play (see Variant)
}

// Server is a simulated HubSpot account. It implements http.Handler and is
// safe for concurrent use.
type Server struct {
	tierMu    sync.Mutex // guards tier, which SetTier changes between runs
	tier      Tier
	portal    int
	token     string
	scopes    []string
	scopeSet  map[string]bool
	now       func() time.Time
	searchLag int64 // ms
	variants  []Variant
	faults    *fault.Injector
	limits    *limiter
	stats     statsCollector
	mux       *http.ServeMux

	forcedMu sync.Mutex
	forced   []int

	// CRM state, guarded by mu.
	mu         sync.RWMutex
	listings   bool
	types      map[string]*objType // by objectTypeId
	aliases    map[string]*objType // lower-cased ids, names and FQNs
	nextID     int64
	nextSchema int64
	nextAssoc  int32
	atypes     map[int32]*assocType
	pairs      map[pairKey]*pairDef
	links      map[pairKey]map[int64][]edge

	srvMu sync.Mutex
	srv   *http.Server
}

// New returns a simulated account with no records: contacts and listings
// with their built-in properties, and the HubSpot-defined association types.
func New(opts Options) *Server {
	s := &Server{
		tier:   opts.Tier,
		portal: opts.PortalID,
		token:  opts.Token,
		now:    opts.Now,
		faults: fault.New(opts.Faults),
	}
	switch s.tier {
	case TierFree, TierStarter, TierProfessional, TierEnterprise:
	default:
		s.tier = TierProfessional
	}
	if s.portal == 0 {
		s.portal = DefaultPortalID
	}
	if s.token == "" {
		s.token = "pat-na1-" + newUUID()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.scopes = opts.Scopes
	if s.scopes == nil {
		s.scopes = DefaultScopes
	}
	s.scopes = append([]string(nil), s.scopes...)
	s.scopeSet = map[string]bool{}
	for _, sc := range s.scopes {
		s.scopeSet[sc] = true
	}
	s.searchLag = opts.SearchLag.Milliseconds()
	s.variants = append([]Variant(nil), opts.Variants...)
	s.limits = newLimiter(s.tier, opts.RateLimits, opts.Faults.DailyLimit)
	s.stats.reset()

	s.listings = opts.ListingsEnabled
	s.types = map[string]*objType{}
	s.aliases = map[string]*objType{}
	s.nextID = 30_000_000_001 // above 2^32: ids are strings, never small ints (§2)
	s.nextSchema = 1_000_000 + int64(s.portal%9_000_000)
	s.nextAssoc = 1000 + int32(s.portal%1000) // portal-specific (§4)
	s.atypes = map[int32]*assocType{}
	s.pairs = map[pairKey]*pairDef{}
	s.links = map[pairKey]map[int64][]edge{}
	now := s.now().UnixMilli()
	s.buildDataModel(now)

	s.mux = http.NewServeMux()
	s.routes()
	return s
}

// addType registers t under its id, name, FQN and extra aliases.
func (s *Server) addType(t *objType, aliases ...string) {
	s.types[t.id] = t
	for _, a := range append([]string{t.id, t.name, t.fqn}, aliases...) {
		s.aliases[lower(a)] = t
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Start serves on a free port of 127.0.0.1 and returns the base URL
// ("http://127.0.0.1:N", no trailing slash).
func (s *Server) Start() (baseURL string, err error) {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		return "", errors.New("hubspotsim: server already started")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func(srv *http.Server) { _ = srv.Serve(ln) }(s.srv)
	return "http://" + ln.Addr().String(), nil
}

// Close stops serving and drops open connections. It is safe to call more
// than once.
func (s *Server) Close() {
	s.srvMu.Lock()
	defer s.srvMu.Unlock()
	if s.srv != nil {
		_ = s.srv.Close()
	}
}

// Token returns the accepted bearer token.
func (s *Server) Token() string { return s.token }

// PortalID returns the simulated account's portal (hub) id.
func (s *Server) PortalID() int { return s.portal }

// SetFaults replaces the fault profile (including its daily limit).
func (s *Server) SetFaults(p fault.Profile) {
	s.faults.Set(p)
	s.limits.setDailyOverride(p.DailyLimit)
}

// FailNext makes the next n requests answer status (before authentication,
// like an injected fault): 423 and 429 with their HubSpot bodies, 477
// "migration in progress" with Retry-After: 1 (§10), 5xx with an internal
// error body. Queued statuses are served in order.
func (s *Server) FailNext(status, n int) {
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	for i := 0; i < n; i++ {
		s.forced = append(s.forced, status)
	}
}

// popForced returns the next queued status, or 0.
func (s *Server) popForced() int {
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	if len(s.forced) == 0 {
		return 0
	}
	st := s.forced[0]
	s.forced = s.forced[1:]
	return st
}

// hasScope reports whether any of scopes is granted.
func (s *Server) hasScope(scopes ...string) bool {
	for _, sc := range scopes {
		if s.scopeSet[sc] {
			return true
		}
	}
	return false
}

// needScope is nil when one of scopes is granted, else the §1 403.
func (s *Server) needScope(scopes ...string) *failure {
	if s.hasScope(scopes...) {
		return nil
	}
	return scopesMissing(scopes...)
}
