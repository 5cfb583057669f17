package tui

import (
	"context"
	"log/slog"
	"time"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// Credentials are the values that reach the two APIs. They come from the
// environment, the OS keyring or the Connect screen; they are never written
// to disk or logs and are masked on screen.
type Credentials struct {
	BuildiumURL          string
	BuildiumClientID     string
	BuildiumClientSecret string
	HubSpotURL           string
	HubSpotToken         string
}

// Accounts is a connected pair of accounts: clients whose credentials both
// APIs accepted.
type Accounts struct {
	// Buildium and HubSpot are the clients of the live check; Check and Map
	// use them.
	Buildium sync.Buildium
	HubSpot  sync.HubSpot
	// NewClients returns fresh clients for one run, so each job's request
	// counts start at zero; nil reuses Buildium and HubSpot.
	NewClients func() (sync.Buildium, sync.HubSpot, error)
	// BuildiumHost is recorded with each job (e.g. api.buildium.com).
	BuildiumHost string
	// PortalID is the HubSpot account the token belongs to.
	PortalID string
}

// clients returns the clients one run uses.
func (a *Accounts) clients() (sync.Buildium, sync.HubSpot, error) {
	if a.NewClients == nil {
		return a.Buildium, a.HubSpot, nil
	}
	return a.NewClients()
}

// ConnectFunc checks credentials live and returns the connected accounts.
// It answers within ctx; a rejected credential is a *ConnectError.
type ConnectFunc func(ctx context.Context, c Credentials) (*Accounts, error)

// Store is the state the TUI reads and the engine writes; *state.Store
// implements it.
type Store interface {
	sync.Store
	ReviewItems(status string) ([]state.ReviewItem, error)
	// ReviewItem returns one item, or an error wrapping state.ErrNotFound.
	ReviewItem(id string) (state.ReviewItem, error)
	// PutDecision stores (replaces) a person's decision; DeleteDecision
	// undoes one (a missing one is not an error).
	PutDecision(d state.Decision) error
	DeleteDecision(id string) error
	Path() string
}

// Source says where a pre-filled credential came from.
type Source string

// Credential sources shown next to pre-filled fields.
const (
	SourceNone    Source = ""
	SourceEnv     Source = "from the environment"
	SourceKeyring Source = "from the OS keyring"
	SourceDemo    Source = "demo simulator"
)

// Deps is everything the TUI needs from the outside, injected by main so
// tests can run the whole flow against simulators.
type Deps struct {
	// Demo marks a run against the built-in simulators.
	Demo bool
	// Credentials pre-fill the Connect screen; Sources say where each came
	// from (keys: the Credentials field names BuildiumClientID,
	// BuildiumClientSecret, HubSpotToken).
	Credentials Credentials
	Sources     map[string]Source
	// Connect checks credentials live. Required.
	Connect ConnectFunc
	// Store is the open state file. Required.
	Store Store
	// Keyring saves and loads credentials; nil hides "remember".
	Keyring Keyring
	// MappingOverride applies the mapping file to the account's default
	// mapping (nil = defaults). The Map screen marks the fields it sets.
	MappingOverride func(base *mapping.Mapping) (*mapping.Mapping, error)
	// Activity changes the demo's Buildium data ("simulate Buildium
	// activity") and says what changed; nil hides the action.
	Activity func() (string, error)
	// WriteReport writes a job's HTML report into the current directory
	// and returns its path; nil hides the action.
	WriteReport func(jobID string) (string, error)
	// TempState says the state file is deleted on exit (the demo without
	// --state): the summary says so, since later commands cannot read it.
	TempState bool
	// Workers is the engine's concurrent write batches (0 = default).
	Workers int
	// Logger receives the engine's structured log (never the screen).
	Logger *slog.Logger
	// NoColor drops every colour (set it from NO_COLOR, theme.NoColorEnv).
	NoColor bool
	// Now is the clock for rates and ETAs, and the time of decisions
	// (default time.Now).
	Now func() time.Time
	// StartReview opens the UI on the Review screen (b2h review in a
	// terminal); the other screens stay reachable from it.
	StartReview bool
	// Reviewer is recorded as DecidedBy on decisions made in the Review
	// screen (default: the OS user name).
	Reviewer string

	// tap, when set, also receives every engine event (tests).
	tap sync.Reporter
}

func (d *Deps) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}
