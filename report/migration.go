package report

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"b2h/state"
	"b2h/sync/mapping"
)

// MigrationSource is the part of the state store the migration report
// reads; *state.Store implements it.
type MigrationSource interface {
	Jobs(limit int) ([]state.Job, error)
	ForEachMapping(kind state.Kind, fn func(state.Mapping) error) error
	ForEachLedger(kind state.Kind, fn func(state.LedgerEntry) error) error
	ReviewItems(status string) ([]state.ReviewItem, error)
	Decisions() ([]state.Decision, error)
	Account() (state.Account, error)
	Audit(jobID string, fn func(state.AuditEntry) error) error
}

var _ MigrationSource = (*state.Store)(nil)

// MigrationOptions configure BuildMigration.
type MigrationOptions struct {
	Now    func() time.Time // stamps GeneratedAt (default time.Now)
	Client string           // the client's name on the cover (default: the Buildium host)
	Mask   bool             // mask names (and the emails they carry) everywhere
	// BuildiumCounts are the records Buildium holds now, per kind; a kind
	// missing from the map (or a nil map) is not reconciled.
	BuildiumCounts map[state.Kind]int
	// NotReconciled says why Buildium was not counted (e.g. "demo").
	NotReconciled string
}

// Record statuses of the migration report, in the totals' column order.
const (
	RecordInHubSpot = "in_hubspot" // a mapping exists: the record is in HubSpot
	RecordHeld      = "held"       // an open duplicate group or conflict holds it
	RecordInvalid   = "invalid"    // Buildium data failed the mapping's rules
	RecordFailed    = "failed"     // HubSpot refused it or could not be reached
	RecordSkipped   = "skipped"    // skipped by a rule or a decision
)

// RecordStatuses lists the statuses in column order.
var RecordStatuses = []string{RecordInHubSpot, RecordHeld, RecordInvalid, RecordFailed, RecordSkipped}

// MigrationKinds are the record kinds the migration report lists, in sync
// order (associations are links between records, not records).
var MigrationKinds = []state.Kind{state.KindProperties, state.KindUnits, state.KindTenants, state.KindEmergencyContacts, state.KindLeases}

// Migration is the whole migration as the state knows it: one line per
// Buildium record with its final status. Every format renders this model;
// the JSON format is this struct.
type Migration struct {
	Version      int                 `json:"report_version"`
	GeneratedAt  time.Time           `json:"generated_at"`
	Client       string              `json:"client"`
	Portal       string              `json:"hubspot_portal"`
	BuildiumHost string              `json:"buildium_host,omitempty"`
	Masked       bool                `json:"masked"`
	Reconciled   bool                `json:"reconciled"` // every Buildium kind was counted
	ReconcileMsg string              `json:"reconcile_note,omitempty"`
	LeaseNote    string              `json:"lease_note,omitempty"`
	Jobs         []MigrationJob      `json:"jobs"`
	Totals       []MigrationTotal    `json:"totals"`
	Total        MigrationTotal      `json:"total"`
	Decisions    []MigrationDecision `json:"decisions"`
	Records      []MigrationRecord   `json:"records"`
}

// MigrationJob is one job of the state, for the cover's history.
type MigrationJob struct {
	ID         string    `json:"id"`
	Mode       string    `json:"mode"`
	DryRun     bool      `json:"dry_run"`
	Status     string    `json:"status"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
}

// MigrationTotal counts one entity's records per status. Buildium is the
// count Buildium gave now (nil: not reconciled); Unaccounted is Buildium
// minus the records listed (records b2h has not seen yet, or removed from
// Buildium since, when negative).
type MigrationTotal struct {
	Entity      state.Kind `json:"entity"`
	InHubSpot   int        `json:"in_hubspot"`
	Held        int        `json:"held"`
	Invalid     int        `json:"invalid"`
	Failed      int        `json:"failed"`
	Skipped     int        `json:"skipped"`
	Records     int        `json:"records"`
	Unlisted    int        `json:"unlisted,omitempty"` // in HubSpot but not listed one by one (landed leases)
	Buildium    *int       `json:"buildium"`
	Unaccounted *int       `json:"unaccounted"`
}

// MigrationDecision is a person's decision on a review item.
type MigrationDecision struct {
	ReviewItem  string     `json:"review_item"`
	Type        string     `json:"type"`
	Entity      state.Kind `json:"entity,omitempty"`
	BuildiumIDs []string   `json:"buildium_ids,omitempty"`
	Resolution  string     `json:"resolution"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   time.Time  `json:"decided_at,omitzero"`
	AppliedBy   string     `json:"applied_by_job,omitempty"` // "" while the next sync has yet to apply it
}

// MigrationRecord is one Buildium record with its latest status.
type MigrationRecord struct {
	Entity     state.Kind `json:"entity"`
	BuildiumID string     `json:"buildium_id"`
	Name       string     `json:"name"`
	Status     string     `json:"status"`
	HubSpotID  string     `json:"hubspot_id,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	Fix        string     `json:"fix,omitempty"`
}

// BuildMigration gathers every job's outcome into one Migration. A
// record's status follows this precedence, so each record appears once:
// in HubSpot (a mapping exists; an open problem on it is its reason), else
// held (an open review item names it), else the open ledger entry's
// outcome (invalid, failed, skipped), else skipped (its ledger entry was
// closed without a HubSpot record, e.g. by a decision to skip it), else
// the newest job's skip entry in the audit trail (skipped; an emergency
// contact who is also a tenant is in HubSpot as that tenant's contact,
// which its reason names).
func BuildMigration(src MigrationSource, opt MigrationOptions) (*Migration, error) {
	jobs, err := src.Jobs(0)
	if err != nil {
		return nil, fmt.Errorf("read the jobs: %w", err)
	}
	if len(jobs) == 0 {
		return nil, ErrNoJobs
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	m := &Migration{Version: Version, GeneratedAt: now().UTC(), Masked: opt.Mask, BuildiumHost: oneLine(jobs[0].BuildiumHost),
		Portal: oneLine(jobs[0].HubSpotPortal), Jobs: []MigrationJob{}}
	if a, err := src.Account(); err == nil && a.PortalID != "" {
		m.Portal = oneLine(a.PortalID)
	} else if err != nil && !errors.Is(err, state.ErrNotFound) {
		return nil, fmt.Errorf("read the account: %w", err)
	}
	m.Client = cmp.Or(oneLine(opt.Client), m.BuildiumHost, "unnamed client")
	for _, j := range slices.Backward(jobs) { // oldest first
		m.Jobs = append(m.Jobs, MigrationJob{ID: oneLine(j.ID), Mode: j.Mode, DryRun: j.DryRun, Status: j.Status,
			StartedAt: j.StartedAt, FinishedAt: j.FinishedAt})
	}
	g := &gatherer{recs: map[recKey]*MigrationRecord{}, names: map[recKey]string{}, mask: opt.Mask}
	if err := g.mappings(src); err != nil {
		return nil, err
	}
	items, err := src.ReviewItems("")
	if err != nil {
		return nil, fmt.Errorf("read the review queue: %w", err)
	}
	decs, err := src.Decisions()
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	g.review(items, decs)
	if err := g.ledger(src); err != nil {
		return nil, err
	}
	if err := g.skips(src, jobs); err != nil {
		return nil, err
	}
	m.Records = g.sorted()
	m.Decisions = migrationDecisions(items, decs)
	m.totals(opt, landedLeases(jobs))
	return m, nil
}

// landedLeases is how many leases the newest live job that read leases
// read, or -1 when no job read any; the leases in HubSpot are those minus
// the leases listed with a problem (see totals). Leases land in HubSpot as tenant–unit associations, not as
// records: the state keeps no line per landed lease, only per problem
// lease (its ledger entry), so landed leases are counted, not listed.
func landedLeases(jobs []state.Job) int {
	for _, j := range jobs { // newest first
		c, ok := j.Entities[state.KindLeases]
		if j.DryRun || !ok || c.Read == 0 {
			continue
		}
		return int(countsOf(c).Read)
	}
	return -1
}

type recKey struct {
	kind state.Kind
	id   string
}

// gatherer collects the records, the first status found winning (see
// BuildMigration for the precedence).
type gatherer struct {
	recs  map[recKey]*MigrationRecord
	names map[recKey]string // unmasked names from the mapping snapshots
	mask  bool
}

func (g *gatherer) name(n string) string {
	if g.mask {
		return mapping.Mask(n)
	}
	return n
}

func (g *gatherer) mappings(src MigrationSource) error {
	for _, kind := range MigrationKinds {
		err := src.ForEachMapping(kind, func(mp state.Mapping) error {
			n := displayName(mp.Snapshot)
			g.names[recKey{kind, mp.SourceID}] = n
			g.recs[recKey{kind, mp.SourceID}] = &MigrationRecord{Entity: kind, BuildiumID: clean(mp.SourceID),
				Name: g.name(n), Status: RecordInHubSpot, HubSpotID: clean(mp.HubSpotID)}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read %s mappings: %w", kind, err)
		}
	}
	return nil
}

// review marks the records of open or decided review items as held (or
// notes the item on a record already in HubSpot, e.g. a conflict).
func (g *gatherer) review(items []state.ReviewItem, decs []state.Decision) {
	decided := map[string]state.Decision{}
	for _, d := range decs {
		decided[d.ID] = d
	}
	for _, it := range items {
		if !slices.Contains(MigrationKinds, it.Kind) {
			continue
		}
		cat := typeDuplicate
		if it.Type == state.ReviewConflict {
			cat = typeConflict
		}
		_, fix := reasonAndFix(it.Kind, cat, "")
		reason := cmp.Or(clean(it.Summary), "held for review ("+it.Type+")") + " (review " + clean(it.ID) + ")"
		if d, ok := decided[it.ID]; ok && d.AppliedByJob == "" {
			reason += "; decided: " + clean(d.Resolution)
			fix = "Run b2h sync: it applies the decision."
		}
		names := memberNames(it)
		for _, id := range it.SourceIDs {
			k := recKey{it.Kind, id}
			if r, ok := g.recs[k]; ok {
				r.Reason, r.Fix = appendReason(r.Reason, "held for review: "+reason), fix
				continue
			}
			g.recs[k] = &MigrationRecord{Entity: it.Kind, BuildiumID: clean(id), Name: g.name(names[id]), Status: RecordHeld, Reason: reason, Fix: fix}
		}
	}
}

func (g *gatherer) ledger(src MigrationSource) error {
	err := src.ForEachLedger("", func(e state.LedgerEntry) error {
		if !slices.Contains(MigrationKinds, e.Kind) {
			return nil
		}
		k := recKey{e.Kind, e.SourceID}
		r, seen := g.recs[k]
		if e.Resolved {
			if !seen {
				g.recs[k] = &MigrationRecord{Entity: e.Kind, BuildiumID: clean(e.SourceID), Status: RecordSkipped,
					Reason: "closed by job " + clean(e.ResolvedByJob) + " without a HubSpot record (e.g. a decision to skip it)",
					Fix:    "None needed, unless it should be in HubSpot: then review the decision."}
			}
			return nil
		}
		is := ledgerIssue(e)
		if seen {
			held := e.ErrorType == typeConflict || e.ErrorType == typeDuplicate
			if r.Status == RecordInHubSpot && !(held && strings.Contains(r.Reason, "held for review")) {
				r.Reason, r.Fix = appendReason(r.Reason, "latest change not written: "+is.Reason), is.Fix
			}
			return nil
		}
		status := is.Outcome
		if status == OutcomeDuplicate || status == OutcomeConflict {
			status = RecordHeld
		}
		g.recs[k] = &MigrationRecord{Entity: e.Kind, BuildiumID: is.SourceID, Status: status, Reason: is.Reason, Fix: is.Fix}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the ledger: %w", err)
	}
	return nil
}

// skips adds the records only the audit trail names: skipped by a rule
// (newest job first, so the latest skip wins), e.g. an emergency contact
// linked to a tenant's contact.
func (g *gatherer) skips(src MigrationSource, jobs []state.Job) error {
	for _, j := range jobs {
		if j.DryRun {
			continue
		}
		err := src.Audit(j.ID, func(a state.AuditEntry) error {
			k := recKey{a.Kind, a.SourceID}
			if a.Action != state.ActionSkip || !slices.Contains(MigrationKinds, a.Kind) || g.recs[k] != nil {
				return nil
			}
			is := auditSkipIssue(a)
			r := &MigrationRecord{Entity: a.Kind, BuildiumID: is.SourceID, Status: RecordSkipped, Reason: is.Reason, Fix: is.Fix}
			if is.Category == typeLinked { // in HubSpot as the tenant's contact, named after the tenant
				r.Name = g.name(g.names[recKey{state.KindTenants, is.linkedTenant}])
			}
			g.recs[k] = r
			return nil
		})
		if err != nil {
			return fmt.Errorf("read the audit trail of job %s: %w", j.ID, err)
		}
	}
	return nil
}

func appendReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// sorted returns the records in sync order, then by numeric Buildium id.
func (g *gatherer) sorted() []MigrationRecord {
	out := make([]MigrationRecord, 0, len(g.recs))
	for _, r := range g.recs {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b MigrationRecord) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Entity), kindOrder(b.Entity)), cmp.Compare(len(a.BuildiumID), len(b.BuildiumID)),
			cmp.Compare(a.BuildiumID, b.BuildiumID))
	})
	return out
}

// migrationDecisions lists every decision, oldest first, with the review
// item it settles where the item is still stored (applied items are gone).
func migrationDecisions(items []state.ReviewItem, decs []state.Decision) []MigrationDecision {
	byID := map[string]state.ReviewItem{}
	for _, it := range items {
		byID[it.ID] = it
	}
	out := []MigrationDecision{}
	for _, d := range decs {
		md := MigrationDecision{ReviewItem: clean(d.ID), Type: d.Type, Resolution: clean(d.Resolution), DecidedBy: clean(d.DecidedBy),
			DecidedAt: d.DecidedAt, AppliedBy: clean(d.AppliedByJob)}
		if it, ok := byID[d.ID]; ok {
			md.Entity = it.Kind
			for _, id := range it.SourceIDs {
				md.BuildiumIDs = append(md.BuildiumIDs, clean(id))
			}
		}
		out = append(out, md)
	}
	slices.SortStableFunc(out, func(a, b MigrationDecision) int {
		return cmp.Or(a.DecidedAt.Compare(b.DecidedAt), cmp.Compare(a.ReviewItem, b.ReviewItem))
	})
	return out
}

// totals counts the records per entity and status and reconciles them with
// Buildium's counts.
func (m *Migration) totals(opt MigrationOptions, leases int) {
	by := map[state.Kind]*MigrationTotal{}
	m.Totals = []MigrationTotal{}
	for _, k := range MigrationKinds {
		by[k] = &MigrationTotal{Entity: k}
	}
	for _, r := range m.Records {
		t := by[r.Entity]
		switch r.Status {
		case RecordInHubSpot:
			t.InHubSpot++
		case RecordHeld:
			t.Held++
		case RecordInvalid:
			t.Invalid++
		case RecordFailed:
			t.Failed++
		default:
			t.Skipped++
		}
		t.Records++
	}
	if lt := by[state.KindLeases]; leases > lt.Records {
		landed := leases - lt.Records
		lt.InHubSpot += landed
		lt.Records += landed
		lt.Unlisted = landed
	}
	m.Reconciled = opt.BuildiumCounts != nil
	var missing []string
	for _, k := range MigrationKinds {
		t := by[k]
		if n, ok := opt.BuildiumCounts[k]; ok {
			d := n - t.Records
			t.Buildium, t.Unaccounted = &n, &d
		} else if k != state.KindEmergencyContacts {
			m.Reconciled = false
		}
		if t.Unaccounted != nil && *t.Unaccounted != 0 {
			missing = append(missing, fmt.Sprintf("%s: %+d", k, *t.Unaccounted))
		}
		m.Totals = append(m.Totals, *t)
		m.Total.InHubSpot += t.InHubSpot
		m.Total.Held += t.Held
		m.Total.Invalid += t.Invalid
		m.Total.Failed += t.Failed
		m.Total.Skipped += t.Skipped
		m.Total.Records += t.Records
		m.Total.Unlisted += t.Unlisted
	}
	if by[state.KindLeases].Unlisted > 0 {
		m.LeaseNote = fmt.Sprintf("Leases land in HubSpot as tenant–unit associations, not as records of their own: the %d leases in HubSpot are counted from the newest job, and only the leases with a problem are listed one by one.", by[state.KindLeases].Unlisted)
	}
	switch {
	case !m.Reconciled:
		m.ReconcileMsg = "Not reconciled with Buildium" + cond(opt.NotReconciled != "", " ("+opt.NotReconciled+")", "") +
			": the totals are what the state file records."
	case len(missing) > 0:
		m.ReconcileMsg = "Buildium holds records this report does not list (" + strings.Join(missing, ", ") +
			"): records added to Buildium since the last sync, or removed since; run b2h sync, then report again."
	default:
		m.ReconcileMsg = "Reconciled: every record Buildium holds now is accounted for. Emergency contacts are part of Buildium's tenants, so Buildium has no count of its own for them."
	}
}

func cond(ok bool, a, b string) string {
	if ok {
		return a
	}
	return b
}

// StatusCounts counts the records per status (all entities).
func (m *Migration) StatusCounts() map[string]int {
	out := map[string]int{}
	for _, r := range m.Records {
		out[r.Status]++
	}
	return out
}
