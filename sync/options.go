package sync

import (
	"log/slog"
	"time"

	"b2h/sync/mapping"
)

// Mode is a run's kind.
type Mode string

// Options configure one run.
type Options struct {
	Mode        Mode
	DryRun      bool             // plan only: no HubSpot write is sent
	Only        []mapping.Entity // restrict to these entities (nil = all)
	PropertyIDs []int32          // restrict to these properties and everything under them
	Workers     int              // concurrent HubSpot write batches (default 4)
	Now         func() time.Time // clock (default time.Now)
	// Today is the as-of date of lease labels and unit lease fields
	// (default: Now). Tests pin it; operators never need to.
	Today       func() time.Time
	MappingOpts mapping.Options // options for the default mapping (the unit target is the account's)
	// AllowShrink lets a full run go on when a Buildium list has shrunk by
	// more than MaxShrink (default DefaultMaxShrink) since the last full run.
	AllowShrink bool
	MaxShrink   float64
	// Units forces where units go: "auto" or "" (the account decides),
	// "listings" or "custom-object" (schema.Force).
	Units string
	// MappingOverride applies a mapping file's overrides to the default
	// mapping chosen for the account (nil = defaults).
	MappingOverride func(base *mapping.Mapping) (*mapping.Mapping, error)
	// ConflictStrategy settles fields changed in both Buildium and HubSpot:
	// buildium_wins, hubspot_wins, manual_review (default) or merge_fields
	// (FieldRules per property: "buildium" or "hubspot"; others go to review).
	ConflictStrategy string
	FieldRules       map[string]string
	// DuplicateDefault settles duplicate groups nobody has decided:
	// review (default: hold them), merge, keep_separate or skip.
	DuplicateDefault string
	// PlanDetail emits a RecordPlanned event per create/update in dry runs.
	PlanDetail bool
	// Amenities fetches each property's amenities (one Buildium request per
	// property). Default true.
	SkipAmenities bool
	BuildiumHost  string // recorded with the job
	Logger        *slog.Logger
}
