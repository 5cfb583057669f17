package sync

import (
	"time"

	"b2h/sync/mapping"
)

// Event is one piece of progress leaving the engine. The TUI, the plain and
// JSON printers and the tests are consumers of the same events
// (DESIGN.md §1). Every event names itself for the JSON Lines stream.
type Event interface {
	EventName() string
}

// Reporter receives events. Report must not block for long: the engine
// calls it from its pipeline goroutines. Implementations coalesce progress
// but must never drop StageDone, Issue or Summary events.
type Reporter interface {
	Report(Event)
}

// ReporterFunc adapts a function to a Reporter.
type ReporterFunc func(Event)

// Report implements Reporter.
func (f ReporterFunc) Report(e Event) { f(e) }

type noopReporter struct{}

func (noopReporter) Report(Event) {}

func reporterOrNoop(r Reporter) Reporter {
	if r == nil {
		return noopReporter{}
	}
	return r
}

// JobStarted opens a run.
type JobStarted struct {
	JobID  string    `json:"job_id"`
	Mode   string    `json:"mode"`
	DryRun bool      `json:"dry_run"`
	At     time.Time `json:"at"`
}

// EventName implements Event.
func (JobStarted) EventName() string { return "job_started" }

// AccountChecked reports what the account check found.
type AccountChecked struct {
	PortalID        string `json:"portal_id"`
	Tier            string `json:"tier"`
	TierHow         string `json:"tier_how,omitempty"` // what the tier was inferred from
	CustomObjects   bool   `json:"custom_objects"`
	ListingsEnabled bool   `json:"listings_enabled"`
	UnitMode        string `json:"unit_mode"`
	UnitReason      string `json:"unit_reason"`
	// Associations is "labelled" (b2h's labels) or "default" (HubSpot's
	// default type, lease status as contact properties).
	Associations       string   `json:"associations,omitempty"`
	AssociationsReason string   `json:"associations_reason,omitempty"`
	Unchecked          []string `json:"unchecked,omitempty"` // what the check could not find out, and why
	DailyRemaining     int      `json:"daily_remaining"`
	RatePer10s         int      `json:"rate_per_10s"`
	Scopes             []string `json:"scopes,omitempty"`
}

// EventName implements Event.
func (AccountChecked) EventName() string { return "account" }

// AmenitiesRead reports the background read of property amenities (one
// Buildium request per property): the properties stage waits on it, so a
// screen shows it moving with a rate.
type AmenitiesRead struct {
	Done     int     `json:"done"`
	Total    int     `json:"total"`
	ElapsedS float64 `json:"elapsed_s"`
}

// EventName implements Event.
func (AmenitiesRead) EventName() string { return "amenities" }

// SchemaReady reports the schema bootstrap: what was created and what existed.
type SchemaReady struct {
	Created []string `json:"created"`
	Existed int      `json:"existed"`
}

// EventName implements Event.
func (SchemaReady) EventName() string { return "schema" }

// StageStarted opens an entity stage; Total is Buildium's count (or -1 when
// unknown).
type StageStarted struct {
	Entity mapping.Entity `json:"entity"`
	Total  int            `json:"total"`
}

// EventName implements Event.
func (StageStarted) EventName() string { return "stage_started" }

// Progress is the running state of one entity stage.
type Progress struct {
	Entity   mapping.Entity `json:"entity"`
	Done     int            `json:"done"`
	Total    int            `json:"total"`
	Counters Counters       `json:"counters"`
}

// EventName implements Event.
func (Progress) EventName() string { return "progress" }

// StageDone closes an entity stage with its final counters.
type StageDone struct {
	Entity   mapping.Entity `json:"entity"`
	Counters Counters       `json:"counters"`
	Elapsed  float64        `json:"elapsed_s"`
}

// EventName implements Event.
func (StageDone) EventName() string { return "stage_done" }

// Issue is one record that did not land as planned: invalid, failed,
// duplicate or conflict. Message says what to do about it.
type Issue struct {
	Entity   mapping.Entity `json:"entity"`
	SourceID string         `json:"source_id"`
	Action   Action         `json:"action"`
	Message  string         `json:"message"`
	// Name is the record's name as the message quotes it, so a screen can
	// mask it there (screen sharing); never written to JSON.
	Name string `json:"-"`
}

// EventName implements Event.
func (Issue) EventName() string { return "issue" }

// RecordPlanned is one record's planned action in a dry run or plan, with
// its field-level diff.
type RecordPlanned struct {
	Entity   mapping.Entity `json:"entity"`
	SourceID string         `json:"source_id"`
	Name     string         `json:"name,omitempty"`
	Action   Action         `json:"action"`
	Changes  []FieldChange  `json:"changes,omitempty"`
}

// EventName implements Event.
func (RecordPlanned) EventName() string { return "plan" }

// Throttled reports a wait imposed by an API: a 429 or the daily budget.
type Throttled struct {
	API    string  `json:"api"`              // "hubspot" or "buildium"
	Policy string  `json:"policy,omitempty"` // HubSpot's policyName, when known
	Count  int64   `json:"count"`            // 429 answers since the last Throttled event
	WaitS  float64 `json:"wait_s"`           // time the client waited meanwhile (pacing and backoff)
}

// EventName implements Event.
func (Throttled) EventName() string { return "throttled" }

// Paused reports that the job stopped early and can be resumed.
type Paused struct {
	Reason   string    `json:"reason"`
	ResumeAt time.Time `json:"resume_at,omitzero"`
}

// EventName implements Event.
func (Paused) EventName() string { return "paused" }

// Removed reports an association b2h made earlier and has now removed,
// because Buildium no longer supports it (a tenant moved to another unit).
type Removed struct {
	Key    string `json:"key"`
	Label  string `json:"label,omitempty"`
	Reason string `json:"reason"`
}

// EventName implements Event.
func (Removed) EventName() string { return "removed" }

// Action is what the plan does with one record.
type Action string

// The plan's actions (DESIGN.md §3).
const (
	ActCreate    Action = "create"
	ActUpdate    Action = "update"
	ActUnchanged Action = "unchanged"
	ActSkip      Action = "skip"
	ActInvalid   Action = "invalid"
	ActDuplicate Action = "duplicate"
	ActConflict  Action = "conflict"
	ActFailed    Action = "failed"
	// ActWarning is not an outcome: the record lands, but part of it was
	// left off (an unusable email, a dropdown value the portal lacks), and
	// the message says what to fix in Buildium.
	ActWarning Action = "warning"
)

// FieldChange is one field of a record's diff.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Counters are one entity's tallies, the figures of the JSON summary.
type Counters struct {
	// Expected is how many records Buildium said its list holds
	// (X-Total-Count, summed over an incremental run's windows); 0 when
	// there is no list (emergency contacts) or it did not say.
	Expected   int `json:"expected,omitempty"`
	Read       int `json:"read"`
	Created    int `json:"created"`
	Updated    int `json:"updated"`
	Unchanged  int `json:"unchanged"`
	Skipped    int `json:"skipped"`
	Invalid    int `json:"invalid"`
	Failed     int `json:"failed"`
	Duplicates int `json:"duplicates"`
	Conflicts  int `json:"conflicts"`
}

// Add adds o to c.
func (c *Counters) Add(o Counters) {
	c.Read += o.Read
	c.Created += o.Created
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
	c.Skipped += o.Skipped
	c.Invalid += o.Invalid
	c.Failed += o.Failed
	c.Duplicates += o.Duplicates
	c.Conflicts += o.Conflicts
}

// Accounted is how many read records have an outcome.
func (c Counters) Accounted() int {
	return c.Created + c.Updated + c.Unchanged + c.Skipped + c.Invalid + c.Failed + c.Duplicates + c.Conflicts
}

// count adds one record with action a.
func (c *Counters) count(a Action) {
	switch a {
	case ActCreate:
		c.Created++
	case ActUpdate:
		c.Updated++
	case ActUnchanged:
		c.Unchanged++
	case ActSkip:
		c.Skipped++
	case ActInvalid:
		c.Invalid++
	case ActFailed:
		c.Failed++
	case ActDuplicate:
		c.Duplicates++
	case ActConflict:
		c.Conflicts++
	}
}

// APIStats are the request figures of the summary (Buildium is read-only:
// its line has no writes).
type APIStats struct {
	Requests    int64 `json:"requests"`
	Writes      int64 `json:"writes,omitempty"`
	RateLimited int64 `json:"rate_limited"`
}

// HubSpotStats are HubSpot's request figures of the summary; writes is
// always present (DESIGN.md §6), zero included.
type HubSpotStats struct {
	Requests    int64 `json:"requests"`
	Writes      int64 `json:"writes"`
	RateLimited int64 `json:"rate_limited"`
}

// Summary is the last event of a run: the `--json` summary line of
// DESIGN.md §6.
type Summary struct {
	JobID     string                      `json:"job_id"`
	Mode      string                      `json:"mode"`
	DryRun    bool                        `json:"dry_run"`
	Status    string                      `json:"status"`
	DurationS float64                     `json:"duration_s"`
	Entities  map[mapping.Entity]Counters `json:"entities"`
	HubSpot   HubSpotStats                `json:"hubspot"`
	Buildium  APIStats                    `json:"buildium"`
	Predicted *Prediction                 `json:"predicted,omitempty"`
	Error     string                      `json:"error,omitempty"`
	ResumeAt  *time.Time                  `json:"resume_at,omitempty"`
}

// EventName implements Event.
func (Summary) EventName() string { return "summary" }

// Prediction is a dry run's forecast of the live run's HubSpot cost.
type Prediction struct {
	Requests     int     `json:"hubspot_requests"`
	MinDurationS float64 `json:"min_duration_s"`
}

// Job statuses.
const (
	StatusRunning        = "running"
	StatusDone           = "done"
	StatusDoneWithErrors = "done_with_errors"
	StatusFailed         = "failed"
	StatusPaused         = "paused"
	StatusCancelled      = "cancelled"
)
