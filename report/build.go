package report

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"b2h/state"
)

// Source is the part of the state store a report reads; *state.Store
// implements it (open the store read-only for reports).
type Source interface {
	Job(id string) (state.Job, error)
	LastJob(mode string) (state.Job, error)
	ForEachLedger(kind state.Kind, fn func(state.LedgerEntry) error) error
	Audit(jobID string, fn func(state.AuditEntry) error) error
	ReviewItems(status string) ([]state.ReviewItem, error)
	Decisions() ([]state.Decision, error)
	MappingsByKey(kind state.Kind, sourceIDs []string) (map[string]state.Mapping, error)
}

var _ Source = (*state.Store)(nil)

// Options configure Build.
type Options struct {
	// Now stamps GeneratedAt (default time.Now); tests pin it.
	Now func() time.Time
	// Thresholds tune the alert rules (zero: the defaults).
	Thresholds Thresholds
}

// ErrNoJobs is returned by Build when the state holds no job yet.
var ErrNoJobs = errors.New("the state holds no job yet: run b2h sync (or b2h plan) first")

// Build gathers one job from the state into a Report: jobID "" means the
// newest job. A missing job wraps state.ErrNotFound.
func Build(src Source, jobID string, opt Options) (*Report, error) {
	job, err := findJob(src, jobID)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	r := &Report{Version: Version, GeneratedAt: now().UTC(), Raw: finite(job.Metrics),
		Job: JobInfo{ID: job.ID, Mode: job.Mode, DryRun: job.DryRun, Status: job.Status, StartedAt: job.StartedAt,
			FinishedAt: job.FinishedAt, Operator: oneLine(job.Operator), BuildiumHost: oneLine(job.BuildiumHost),
			HubSpotPortal: oneLine(job.HubSpotPortal), UndoOf: oneLine(job.UndoOf), Scope: job.Scope, Error: oneLine(job.Error)}}
	r.counts(job)
	tb := newTimeline(job)
	if err := r.gatherLedger(src, job, tb); err != nil {
		return nil, err
	}
	if err := r.gatherReview(src, job, tb); err != nil {
		return nil, err
	}
	assoc, err := r.gatherAudit(src, job, tb)
	if err != nil {
		return nil, err
	}
	if err := r.addNames(src); err != nil {
		return nil, err
	}
	slices.SortStableFunc(r.Issues, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Entity), kindOrder(b.Entity)), cmp.Compare(len(a.SourceID), len(b.SourceID)),
			cmp.Compare(a.SourceID, b.SourceID))
	})
	r.metrics(job, assoc)
	r.categories()
	r.Throughput = tb.result()
	if r.Alerts = Alerts(job, opt.Thresholds); r.Alerts == nil {
		r.Alerts = []Alert{}
	}
	r.notes()
	return r, nil
}

func findJob(src Source, jobID string) (state.Job, error) {
	if jobID != "" {
		j, err := src.Job(jobID)
		if err != nil {
			return state.Job{}, fmt.Errorf("read job %s: %w", jobID, err)
		}
		return j, nil
	}
	j, err := src.LastJob("")
	if errors.Is(err, state.ErrNotFound) {
		return state.Job{}, fmt.Errorf("%w (%w)", ErrNoJobs, err)
	}
	if err != nil {
		return state.Job{}, fmt.Errorf("read the newest job: %w", err)
	}
	return j, nil
}

// kindOrder sorts kinds in sync order, unknown kinds last.
func kindOrder(k state.Kind) int {
	if i := slices.Index(state.Kinds, k); i >= 0 {
		return i
	}
	return len(state.Kinds)
}

// counts fills the per-entity table and the totals.
func (r *Report) counts(job state.Job) {
	kinds := make([]state.Kind, 0, len(job.Entities))
	for k := range job.Entities {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b state.Kind) int {
		return cmp.Or(cmp.Compare(kindOrder(a), kindOrder(b)), cmp.Compare(a, b))
	})
	r.Entities = []EntityRow{}
	for _, k := range kinds {
		c := countsOf(job.Entities[k])
		r.Entities = append(r.Entities, EntityRow{Entity: state.Kind(clean(string(k))), Counts: c, Quality: c.Quality(),
			Expected: int64(job.Metrics["expected_"+string(k)])})
		r.Total = r.Total.add(c)
	}
}

// gatherLedger adds the ledger entries of the job. An entry keeps only its
// latest failure's job, so a later failure of the same record would hide it
// from this job's report; the rule is therefore: an entry whose latest
// failure is this job's, or whose first failure fell within the job, is
// the job's; an entry open across the whole job (first seen before it,
// failing again after it) is listed too, up to the job's own counter of
// that entity and outcome, so the lists never exceed the headline counts.
func (r *Report) gatherLedger(src Source, job state.Job, tb *timeline) error {
	r.Issues = []Issue{}
	var across []Issue
	end := jobEnd(job)
	err := src.ForEachLedger("", func(e state.LedgerEntry) error {
		switch {
		case e.JobID == job.ID || within(e.FirstSeen, job.StartedAt, end):
			is := ledgerIssue(e)
			r.Issues = append(r.Issues, is)
			tb.issue(is.At)
		case job.DryRun || e.FirstSeen.After(job.StartedAt) || !e.LastSeen.After(end):
		case e.Resolved && e.ResolvedAt.Before(end):
		default:
			across = append(across, ledgerIssue(e))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the ledger: %w", err)
	}
	r.addCapped(job, across)
	return nil
}

// jobEnd is when the job finished, or the far future while it runs.
func jobEnd(j state.Job) time.Time {
	if j.FinishedAt.IsZero() {
		return time.Unix(1<<40, 0)
	}
	return j.FinishedAt
}

func within(t, start, end time.Time) bool { return !t.Before(start) && !t.After(end) }

// addCapped adds issues inferred from later records (see gatherLedger) in
// Buildium-id order while the listed issues of their entity and outcome
// stay within the job's counter.
func (r *Report) addCapped(job state.Job, more []Issue) {
	if len(more) == 0 {
		return
	}
	listed := map[string]int64{}
	for _, is := range r.Issues {
		listed[string(is.Entity)+"\x00"+is.Outcome]++
	}
	slices.SortFunc(more, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Entity), kindOrder(b.Entity)), cmp.Compare(len(a.SourceID), len(b.SourceID)),
			cmp.Compare(a.SourceID, b.SourceID))
	})
	for _, is := range more {
		k := string(is.Entity) + "\x00" + is.Outcome
		if listed[k] < outcomeCount(countsOf(job.Entities[is.Entity]), is.Outcome) {
			listed[k]++
			r.Issues = append(r.Issues, is)
		}
	}
}

// outcomeCount is a counter by issue outcome.
func outcomeCount(c Counts, outcome string) int64 {
	switch outcome {
	case OutcomeInvalid:
		return c.Invalid
	case OutcomeFailed:
		return c.Failed
	case OutcomeSkipped:
		return c.Skipped
	case OutcomeDuplicate:
		return c.Duplicates
	case OutcomeConflict:
		return c.Conflicts
	}
	return 0
}

// gatherReview adds the duplicate groups and conflicts the job opened and
// the decisions that concern the job.
func (r *Report) gatherReview(src Source, job state.Job, tb *timeline) error {
	items, err := src.ReviewItems("")
	if err != nil {
		return fmt.Errorf("read the review queue: %w", err)
	}
	decs, err := src.Decisions()
	if err != nil {
		return fmt.Errorf("read decisions: %w", err)
	}
	byID := map[string]state.Decision{}
	for _, d := range decs {
		byID[d.ID] = d
	}
	seen := map[string]bool{}
	for _, is := range r.Issues {
		seen[string(is.Entity)+"\x00"+is.SourceID] = true
	}
	r.Review, r.Decisions = []ReviewRow{}, []DecisionRow{}
	listed := map[string]bool{}
	var across []Issue
	end := jobEnd(job)
	for _, it := range items {
		// A later job re-opening the item stamps it with its own id and
		// time; an item held by a later job is listed here within this
		// job's counters (see addCapped), as ledger entries are.
		mine := it.JobID == job.ID || within(it.OpenedAt, job.StartedAt, end)
		if !mine && (job.DryRun || !it.OpenedAt.After(end)) {
			continue
		}
		if !mine {
			for _, is := range reviewIssues(it) {
				if k := string(is.Entity) + "\x00" + is.SourceID; !seen[k] {
					seen[k] = true
					across = append(across, is)
				}
			}
			continue
		}
		row := ReviewRow{ID: clean(it.ID), Type: it.Type, Entity: it.Kind, Summary: clean(it.Summary), Status: it.Status}
		for _, id := range it.SourceIDs {
			row.SourceIDs = append(row.SourceIDs, clean(id))
		}
		if d, ok := byID[it.ID]; ok {
			row.Resolution = clean(d.Resolution)
			r.Decisions = append(r.Decisions, decisionRow(d))
			listed[d.ID] = true
		}
		r.Review = append(r.Review, row)
		for _, is := range reviewIssues(it) {
			if k := string(is.Entity) + "\x00" + is.SourceID; !seen[k] {
				seen[k] = true
				r.Issues = append(r.Issues, is)
				tb.issue(is.At)
			}
		}
	}
	n := len(r.Issues)
	r.addCapped(job, across)
	for _, is := range r.Issues[n:] {
		tb.issue(is.At)
	}
	held := map[string]bool{state.ReviewDuplicate: r.Total.Duplicates > 0, state.ReviewConflict: r.Total.Conflicts > 0}
	stored := map[string]bool{}
	for _, it := range items {
		stored[it.ID] = true
	}
	for _, d := range decs {
		switch {
		case listed[d.ID]:
		case d.AppliedByJob == job.ID:
			r.Decisions = append(r.Decisions, decisionRow(d))
		case !stored[d.ID] && !job.DryRun && held[d.Type] && d.AppliedByJob != "" && !d.DecidedAt.Before(job.StartedAt):
			// The item is gone (settled by a later job), so its records
			// cannot be listed; the decision still shows what the job held.
			r.Review = append(r.Review, ReviewRow{ID: clean(d.ID), Type: d.Type, Summary: "settled by job " + clean(d.AppliedByJob),
				Status: state.ReviewApplied, Resolution: clean(d.Resolution), SourceIDs: []string{}})
			r.Decisions = append(r.Decisions, decisionRow(d))
		}
	}
	return nil
}

func decisionRow(d state.Decision) DecisionRow {
	return DecisionRow{ID: clean(d.ID), Type: d.Type, Resolution: clean(d.Resolution), DecidedBy: clean(d.DecidedBy),
		DecidedAt: d.DecidedAt, AppliedBy: d.AppliedByJob}
}

// gatherAudit reads the job's audit trail for throughput and skip entries;
// it returns the number of associations written.
func (r *Report) gatherAudit(src Source, job state.Job, tb *timeline) (int64, error) {
	seen := map[string]bool{}
	for _, is := range r.Issues {
		seen[string(is.Entity)+"\x00"+is.SourceID] = true
	}
	var assoc int64
	err := src.Audit(job.ID, func(a state.AuditEntry) error {
		switch a.Action {
		case state.ActionCreate, state.ActionUpdate, state.ActionAdopt, state.ActionRestore:
			tb.written(a.Time)
		case state.ActionAssociate, state.ActionUnassociate:
			assoc++
			tb.associated(a.Time)
		case state.ActionSkip:
			is := auditSkipIssue(a)
			if k := string(is.Entity) + "\x00" + is.SourceID; !seen[k] {
				seen[k] = true
				r.Issues = append(r.Issues, is)
				tb.issue(is.At)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("read the audit trail of job %s: %w", job.ID, err)
	}
	return assoc, nil
}

// addNames names the issues' records where b2h wrote them before; an
// emergency contact linked to a tenant is named after that tenant.
func (r *Report) addNames(src Source) error {
	byKind := map[state.Kind][]int{}
	var linked []int
	for i, is := range r.Issues {
		byKind[is.Entity] = append(byKind[is.Entity], i)
		if is.linkedTenant != "" {
			linked = append(linked, i)
		}
	}
	if len(linked) > 0 {
		ids := make([]string, len(linked))
		for j, i := range linked {
			ids[j] = r.Issues[i].linkedTenant
		}
		ms, err := src.MappingsByKey(state.KindTenants, ids)
		if err != nil {
			return fmt.Errorf("read tenant mappings: %w", err)
		}
		for _, i := range linked {
			if m, ok := ms[r.Issues[i].linkedTenant]; ok && r.Issues[i].Name == "" {
				r.Issues[i].Name = displayName(m.Snapshot)
			}
		}
	}
	for kind, idx := range byKind {
		for chunk := range slices.Chunk(idx, 1000) {
			ids := make([]string, len(chunk))
			for j, i := range chunk {
				ids[j] = r.Issues[i].SourceID
			}
			ms, err := src.MappingsByKey(kind, ids)
			if err != nil {
				return fmt.Errorf("read %s mappings: %w", kind, err)
			}
			for _, i := range chunk {
				if m, ok := ms[r.Issues[i].SourceID]; ok {
					r.Issues[i].Name = cmp.Or(displayName(m.Snapshot), r.Issues[i].Name)
					if r.Issues[i].HubSpotID == "" {
						r.Issues[i].HubSpotID = clean(m.HubSpotID)
					}
				}
			}
		}
	}
	return nil
}

// metrics fills the metrics from the counters, the issues and the stored figures.
func (r *Report) metrics(job state.Job, assoc int64) {
	t := r.Total
	m := Metrics{DurationS: jobDuration(job), RecordsRead: t.Read, RecordsWritten: t.Created + t.Updated,
		AssociationsWritten: assoc, QualityScore: t.Quality(), ErrorRate: t.ErrorRate(),
		ValidationErrors: t.Invalid, Duplicates: t.Duplicates, Conflicts: t.Conflicts}
	for _, is := range r.Issues {
		if is.Category == typeHubSpotValidation {
			m.MappingErrors++
		}
	}
	if m.DurationS > 0 {
		v := float64(t.Read) / m.DurationS
		m.RecordsPerS = &v
	}
	get := func(k string) int64 { return int64(job.Metrics[k]) }
	m.HubSpotRequests, m.HubSpotWrites = get(MetricHubSpotRequests), get(MetricHubSpotWrites)
	m.HubSpotRateLimited, m.BuildiumRequests = get(MetricHubSpotRateLimited), get(MetricBuildiumRequests)
	opt := func(k string) *float64 {
		if v, ok := job.Metrics[k]; ok {
			return &v
		}
		return nil
	}
	m.DailyRemaining, m.DailyLimit = opt(MetricDailyRemaining), opt(MetricDailyLimit)
	m.HubSpotLatencyAvg, m.HubSpotLatencyP95 = opt(MetricHubSpotLatencyAvg), opt(MetricHubSpotLatencyP95)
	m.BuildiumLatencyAvg, m.BuildiumLatencyP95 = opt(MetricBuildiumLatencyAvg), opt(MetricBuildiumLatencyP95)
	m.HubSpotWaitS, m.MemPeakBytes = opt(MetricHubSpotWaitS), opt(MetricMemPeakBytes)
	r.Metrics = m
}

// categories counts the issues per error category, in chart order.
func (r *Report) categories() {
	n := map[string]int{}
	for _, is := range r.Issues {
		if isErrorCategory(is.Category) {
			n[is.Category]++
		}
	}
	r.Categories = []Category{}
	for _, c := range categoryLabels {
		if n[c.name] > 0 {
			r.Categories = append(r.Categories, Category{Name: c.name, Label: c.label, Count: n[c.name]})
			delete(n, c.name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(n)) {
		r.Categories = append(r.Categories, Category{Name: clean(name), Label: clean(name), Count: n[name]})
	}
}

// notes explains where the listed issues and the counters differ.
func (r *Report) notes() {
	if r.Job.DryRun {
		r.Notes = append(r.Notes, "This is a dry run: nothing was written to HubSpot or to the ledger, so the counts are the plan's predictions and records are not listed one by one; run `b2h plan` for the per-record plan.")
		return
	}
	listed := map[state.Kind]map[string]int64{}
	for _, is := range r.Issues {
		if listed[is.Entity] == nil {
			listed[is.Entity] = map[string]int64{}
		}
		listed[is.Entity][is.Outcome]++
	}
	for _, e := range r.Entities {
		for _, o := range []struct {
			outcome string
			n       int64
		}{{OutcomeInvalid, e.Invalid}, {OutcomeFailed, e.Failed}, {OutcomeSkipped, e.Skipped},
			{OutcomeDuplicate, e.Duplicates}, {OutcomeConflict, e.Conflicts}} {
			if missing := o.n - listed[e.Entity][o.outcome]; missing > 0 {
				r.Notes = append(r.Notes, fmt.Sprintf("%s: %d %s record(s) of this job are not listed: a later job settled them (a decision applied, see the review table; the migration report, b2h report --migration, has every record's status now) or recorded a newer outcome, or the job stopped before recording them.",
					e.Entity, missing, o.outcome))
			}
		}
	}
	if r.Job.Status == state.StatusRunning {
		r.Notes = append(r.Notes, "The job is still running (or its process stopped without closing it): the figures are partial.")
	}
}

// finite copies the stored metrics without NaN or infinities (JSON has no
// way to write them).
func finite(m map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out[k] = v
		}
	}
	return out
}
