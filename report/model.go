package report

import (
	"time"

	"b2h/state"
)

// Version is the version of the Report model, written as report_version in
// the JSON format so consumers can tell layouts apart.
const Version = 1

// Report is everything known about one job, gathered from the state file.
// Every format renders this one model; the JSON format is this struct.
type Report struct {
	Version     int                `json:"report_version"`
	GeneratedAt time.Time          `json:"generated_at"`
	Job         JobInfo            `json:"job"`
	Entities    []EntityRow        `json:"entities"`
	Total       Counts             `json:"total"`
	Metrics     Metrics            `json:"metrics"`
	Alerts      []Alert            `json:"alerts"`
	Throughput  Throughput         `json:"throughput"`
	Categories  []Category         `json:"error_categories"`
	Issues      []Issue            `json:"issues"`
	Review      []ReviewRow        `json:"review"`
	Decisions   []DecisionRow      `json:"decisions"`
	Notes       []string           `json:"notes,omitempty"`
	Raw         map[string]float64 `json:"stored_metrics,omitempty"` // the job's metrics as stored
}

// JobInfo identifies the job and how it ended.
type JobInfo struct {
	ID            string      `json:"id"`
	Mode          string      `json:"mode"`
	DryRun        bool        `json:"dry_run"`
	Status        string      `json:"status"`
	StartedAt     time.Time   `json:"started_at"`
	FinishedAt    time.Time   `json:"finished_at,omitzero"`
	Operator      string      `json:"operator,omitempty"`
	BuildiumHost  string      `json:"buildium_host,omitempty"`
	HubSpotPortal string      `json:"hubspot_portal,omitempty"`
	UndoOf        string      `json:"undo_of,omitempty"`
	Scope         state.Scope `json:"scope,omitzero"`
	Error         string      `json:"error,omitempty"`
}

// Counts are one entity's outcomes (the figures of the sync summary,
// DESIGN.md §6), every field always present in JSON.
type Counts struct {
	Read       int64 `json:"read"`
	Created    int64 `json:"created"`
	Updated    int64 `json:"updated"`
	Unchanged  int64 `json:"unchanged"`
	Skipped    int64 `json:"skipped"`
	Invalid    int64 `json:"invalid"`
	Failed     int64 `json:"failed"`
	Duplicates int64 `json:"duplicates"`
	Conflicts  int64 `json:"conflicts"`
}

// EntityRow is one entity's line of the counts table.
type EntityRow struct {
	Entity state.Kind `json:"entity"`
	Counts
	// Expected is what Buildium's list said it holds (X-Total-Count) when
	// the job read it; 0 when unknown (older jobs, emergency contacts).
	Expected int64   `json:"expected,omitempty"`
	Quality  float64 `json:"quality_score"`
}

// Metrics are the job's figures after the plan's list. Pointers are nil
// when the job did not record the figure.
type Metrics struct {
	DurationS           float64  `json:"duration_s"`
	RecordsRead         int64    `json:"records_read"`
	RecordsWritten      int64    `json:"records_written"`      // created + updated
	AssociationsWritten int64    `json:"associations_written"` // from the audit trail
	RecordsPerS         *float64 `json:"records_per_s"`        // read ÷ duration; nil for a zero duration
	QualityScore        float64  `json:"quality_score"`
	ErrorRate           float64  `json:"error_rate"`
	ValidationErrors    int64    `json:"validation_errors"`
	MappingErrors       int64    `json:"mapping_errors"`
	Duplicates          int64    `json:"duplicates"`
	Conflicts           int64    `json:"conflicts"`

	HubSpotRequests    int64    `json:"hubspot_requests"`
	HubSpotWrites      int64    `json:"hubspot_writes"`
	HubSpotRateLimited int64    `json:"hubspot_rate_limited"`
	BuildiumRequests   int64    `json:"buildium_requests"`
	DailyRemaining     *float64 `json:"hubspot_daily_remaining"`
	DailyLimit         *float64 `json:"hubspot_daily_limit"`
	HubSpotLatencyAvg  *float64 `json:"hubspot_latency_avg_ms"`
	HubSpotLatencyP95  *float64 `json:"hubspot_latency_p95_ms"`
	BuildiumLatencyAvg *float64 `json:"buildium_latency_avg_ms"`
	BuildiumLatencyP95 *float64 `json:"buildium_latency_p95_ms"`
	HubSpotWaitS       *float64 `json:"hubspot_wait_s"`
	MemPeakBytes       *float64 `json:"mem_peak_bytes"`
}

// Throughput is the job's activity over time, in buckets from its start.
type Throughput struct {
	BucketS int               `json:"bucket_s"`
	Points  []ThroughputPoint `json:"points"`
}

// ThroughputPoint is one bucket: what was committed during
// [OffsetS, OffsetS+BucketS) seconds after the job started.
type ThroughputPoint struct {
	OffsetS    int `json:"offset_s"`
	Written    int `json:"written"`    // records created, updated or adopted
	Associated int `json:"associated"` // associations written
	Issues     int `json:"issues"`     // records invalid, failed, skipped or held
}

// Category is one error category with its count, for the error chart.
type Category struct {
	Name  string `json:"name"`  // e.g. "validation"
	Label string `json:"label"` // for a person, e.g. "Invalid in Buildium"
	Count int    `json:"count"`
}

// Issue outcomes.
const (
	OutcomeInvalid   = "invalid"
	OutcomeFailed    = "failed"
	OutcomeSkipped   = "skipped"
	OutcomeDuplicate = "duplicate"
	OutcomeConflict  = "conflict"
)

// Issue statuses.
const (
	StatusOpen     = "open"      // needs a fix or a decision; the next sync retries it
	StatusResolved = "resolved"  // a later job synced it
	StatusDecided  = "decided"   // a person decided; the next sync applies it
	StatusApplied  = "applied"   // the decision was applied
	StatusNoAction = "no action" // informational (e.g. linked instead of created)
)

// Issue is one record that did not land as planned: a line of the CSV.
type Issue struct {
	Entity        state.Kind `json:"entity"`
	SourceID      string     `json:"buildium_id"`
	Name          string     `json:"name,omitempty"`
	HubSpotID     string     `json:"hubspot_id,omitempty"`
	Outcome       string     `json:"outcome"`
	Category      string     `json:"category"`
	Reason        string     `json:"reason"`
	Fix           string     `json:"fix"`
	Status        string     `json:"status"`
	Retries       int        `json:"retries,omitempty"`
	At            time.Time  `json:"at,omitzero"`
	ResolvedByJob string     `json:"resolved_by_job,omitempty"`

	linkedTenant string // the tenant a linked emergency contact is (see auditSkipIssue)
}

// ReviewRow is a duplicate group or conflict the job opened.
type ReviewRow struct {
	ID         string     `json:"id"`
	Type       string     `json:"type"`
	Entity     state.Kind `json:"entity"`
	SourceIDs  []string   `json:"buildium_ids"`
	Summary    string     `json:"summary"`
	Status     string     `json:"status"`
	Resolution string     `json:"resolution,omitempty"`
}

// DecisionRow is a person's decision that concerns the job: one it applied
// or one settling a review item it opened.
type DecisionRow struct {
	ID         string    `json:"id"`
	Type       string    `json:"type"`
	Resolution string    `json:"resolution"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	DecidedAt  time.Time `json:"decided_at,omitzero"`
	AppliedBy  string    `json:"applied_by_job,omitempty"`
}
