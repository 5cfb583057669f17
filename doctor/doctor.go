// Package doctor checks that b2h can run against a pair of accounts and a
// state file: credentials, hosts, scopes, the account's tier and listings
// activation, the HubSpot schema b2h needs (buildium_* properties, the unit
// object, association labels), the state file, the OS keyring and the
// clock. Each check yields a Finding: PASS, WARN or FAIL, what was found and
// how to fix it. The checks only read; none writes to an account or to the
// state.
package doctor

import (
	"context"
	"strings"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
	"b2h/sync/schema"
)

// Status is a check's verdict.
type Status string

// Verdicts, from best to worst.
const (
	Pass Status = "PASS"
	Warn Status = "WARN"
	Fail Status = "FAIL"
)

func (s Status) rank() int {
	switch s {
	case Fail:
		return 2
	case Warn:
		return 1
	}
	return 0
}

// The checks, in the order Run reports them.
const (
	CheckHosts      = "hosts"
	CheckBuildium   = "buildium credentials"
	CheckHubSpot    = "hubspot credentials"
	CheckScopes     = "scopes"
	CheckTier       = "tier"
	CheckListings   = "listings"
	CheckProperties = "properties"
	CheckUnitSchema = "unit schema"
	CheckLabels     = "association labels"
	CheckState      = "state file"
	CheckKeyring    = "keyring"
	CheckClock      = "clock"
)

const (
	// maxClockSkew is how far this machine's clock may be from HubSpot's
	// before the clock check warns.
	maxClockSkew = 60 * time.Second
	// defaultStateLockWait bounds the wait for another process's lock.
	defaultStateLockWait = 2 * time.Second
	// defaultKeyringTimeout bounds the keyring probe (a locked keyring can
	// wait for a password prompt forever).
	defaultKeyringTimeout = 5 * time.Second
)

// Finding is one check's result.
type Finding struct {
	Check  string `json:"check"`
	Status Status `json:"status"`
	Detail string `json:"finding"`       // what was found, one line
	Fix    string `json:"fix,omitempty"` // what to do (WARN and FAIL)
}

// Report is every check's finding, in order.
type Report struct {
	Findings []Finding `json:"findings"`
}

// Worst returns the worst status of the report (Pass when empty).
func (r Report) Worst() Status {
	w := Pass
	for _, f := range r.Findings {
		if f.Status.rank() > w.rank() {
			w = f.Status
		}
	}
	return w
}

// Find returns the finding of one check.
func (r Report) Find(check string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Check == check {
			return f, true
		}
	}
	return Finding{}, false
}

// MissingCredentialsError says which credential variables are not set, so
// a client could not be made (use it as Options.BuildiumErr / HubSpotErr).
type MissingCredentialsError struct {
	Vars []string // e.g. BUILDIUM_CLIENT_ID
}

// Error implements error.
func (e *MissingCredentialsError) Error() string {
	return strings.Join(e.Vars, " and ") + " not set"
}

// Buildium is what doctor reads from Buildium; *buildium.Client implements it.
type Buildium interface {
	Ping(ctx context.Context) error
	Count(ctx context.Context, kind buildium.Kind, opts buildium.ListOptions) (int, error)
}

// HubSpot is what doctor reads from HubSpot; *hubspot.Client implements it.
type HubSpot interface {
	TokenInfo(ctx context.Context) (hubspot.TokenInfo, error)
	DailyUsage(ctx context.Context) (hubspot.DailyUsage, error)
	ListingsEnabled(ctx context.Context) (bool, error)
	ListSchemas(ctx context.Context) ([]hubspot.Schema, error)
	ListProperties(ctx context.Context, objectType string) ([]hubspot.Property, error)
	ListAssociationLabels(ctx context.Context, fromType, toType string) ([]hubspot.AssociationType, error)
	Limits() hubspot.LimitsSnapshot
}

var (
	_ Buildium = (*buildium.Client)(nil)
	_ HubSpot  = (*hubspot.Client)(nil)
)

// Options are what the checks look at.
type Options struct {
	// BuildiumURL and HubSpotURL are the API hosts b2h would use.
	BuildiumURL, HubSpotURL string
	// AllowHTTP is --allow-insecure-http.
	AllowHTTP bool
	// Demo says the accounts are the built-in simulators (and the keyring
	// a simulated one).
	Demo bool
	// Buildium and HubSpot are the clients; nil when they could not be
	// made, with the reason in BuildiumErr / HubSpotErr (e.g. a missing
	// credential variable).
	Buildium    Buildium
	BuildiumErr error
	HubSpot     HubSpot
	HubSpotErr  error
	// MappingFor returns the field mapping for a unit target
	// (mapping.TargetUnit or mapping.TargetListings), with any mapping
	// file applied; nil means the default mapping.
	MappingFor func(unitTarget string) (*mapping.Mapping, error)
	// StatePath is the state file; "" means state.DefaultPath().
	StatePath string
	// StateKeys is the state's key store; nil means state's default.
	StateKeys state.KeyStore
	// StateLockWait bounds the wait for another process's lock (default 2 s).
	StateLockWait time.Duration
	// Keyring probes the OS keyring; nil means the real one. It returns nil
	// when a keyring answers.
	Keyring func() error
	// ServerTime returns HubSpot's clock (a response's Date header); nil
	// skips the clock check.
	ServerTime func(ctx context.Context) (time.Time, error)
	// Now is the local clock (default time.Now).
	Now func() time.Time
}

// Run performs every check and returns the findings in the documented
// order. It never writes anything.
func Run(ctx context.Context, o Options) Report {
	if o.Now == nil {
		o.Now = time.Now
	}
	d := &doctor{o: o}
	st := d.checkState(ctx) // first: the tier check compares with what state recorded
	acct := d.readAccount(ctx)
	r := Report{Findings: []Finding{
		d.checkHosts(),
		d.checkBuildium(ctx),
		acct.credentials(),
		d.checkScopes(acct),
		d.checkTier(acct),
		d.checkListings(acct),
		d.checkProperties(ctx, acct),
		d.checkUnitSchema(acct),
		d.checkLabels(ctx, acct),
		st,
		d.checkKeyring(),
		d.checkClock(ctx),
	}}
	return r
}

// doctor is one run of the checks.
type doctor struct {
	o Options
	// stored is the account check the state recorded (nil: none).
	stored *state.Account
	// prior is what earlier runs settled (the unit mode and units synced).
	prior schema.Prior
}

func pass(check, detail string) Finding { return Finding{Check: check, Status: Pass, Detail: detail} }

func warn(check, detail, fix string) Finding {
	return Finding{Check: check, Status: Warn, Detail: detail, Fix: fix}
}

func fail(check, detail, fix string) Finding {
	return Finding{Check: check, Status: Fail, Detail: detail, Fix: fix}
}
