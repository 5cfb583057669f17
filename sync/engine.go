package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os/user"
	"runtime"
	"runtime/pprof"
	"slices"
	gosync "sync"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// Run modes.
const (
	Full        Mode = "full"
	Incremental Mode = "incremental"
)

// Engine runs syncs. Create one per run with New.
type Engine struct {
	bd    Buildium
	hs    HubSpot
	st    Store
	rep   Reporter
	opt   Options
	log   *slog.Logger
	now   func() time.Time
	acct  *accountInfo
	m     *mapping.Mapping
	jobID string
	// runStart is when the run began: the cursor every completed entity
	// advances to.
	runStart time.Time

	mu       gosync.Mutex
	counters map[mapping.Entity]*Counters
	planReqs int // predicted HubSpot requests (dry run)
	// planned holds, in a dry run, the records the plan would create, so
	// the association pass can plan their associations too.
	planned map[state.Kind]map[string]bool

	// decisions are a person's stored resolutions, by review item id;
	// openReview the ids of review items awaiting one.
	decisions  map[string]state.Decision
	openReview map[string]bool
	// reviewSources holds the Buildium ids of each open review item, by
	// kind then item id: an incremental run fetches the records of decided
	// items even when Buildium did not touch them.
	reviewSources map[state.Kind]map[string][]string
	// settled holds the ids of standing decisions (skip, keep separate)
	// that this run applied: their review items close at the stage's end.
	settled map[string]bool
	// pendingCursors are the cursors of the stages that completed; they
	// advance together when the run does (commitCursors).
	pendingCursors []state.Cursor
	// hsBase and bdBase are the clients' counters when the run started.
	hsBase hubspot.Stats
	bdBase buildium.Stats

	// amenities are fetched in the background from the end of the pre-pass.
	amenities *amenityFetcher

	// idx holds the compact cross-entity indexes built by the pre-passes.
	idx *indexes

	// afterRead runs at the end of an entity's read, before its loader
	// closes: extra records to plan that Buildium did not list.
	afterRead map[mapping.Entity]func(context.Context, *idSet, *loader) error
	// followUp names records an incremental run must read too because of
	// the ones it read (seen): they are fetched one by one and go through
	// the stage like the rest, before afterRead.
	followUp map[mapping.Entity]func(seen *idSet) ([]int32, error)
	// listPages is how many pages a whole list took to read in this run
	// (set by the pre-passes): more follow-ups than that are read by
	// reading the list again.
	listPages map[mapping.Entity]int

	// shrink stops a full run whose lists shrank sharply since the last one.
	shrink *shrinkGuard
	// incomplete marks the entities whose list held records b2h could not
	// use (reportBad): nothing is removed or blanked on their strength.
	incomplete map[mapping.Entity]bool

	// tenantPrepass delivers the result of the tenant pre-pass when it runs
	// beside the stages before the tenants' (nil when it does not).
	tenantPrepass chan prepassResult
}

// prepassResult is what the tenant pre-pass returns: how many pages the
// tenant list took, or why it failed.
type prepassResult struct {
	pages int
	err   error
}

// New returns an engine over the given clients and store.
func New(bd Buildium, hs HubSpot, st Store, rep Reporter, opt Options) *Engine {
	if opt.Mode == "" {
		opt.Mode = Full
	}
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{bd: bd, hs: hs, st: st, rep: reporterOrNoop(rep), opt: opt, log: log, now: now,
		counters: map[mapping.Entity]*Counters{}, planned: map[state.Kind]map[string]bool{}}
	e.afterRead = map[mapping.Entity]func(context.Context, *idSet, *loader) error{}
	e.followUp = map[mapping.Entity]func(*idSet) ([]int32, error){}
	e.listPages = map[mapping.Entity]int{}
	return e
}

// ErrPaused wraps the reason a run stopped early but can be resumed (daily
// limit reached, interrupted). Summary.Status is "paused" or "cancelled".
var ErrPaused = errors.New("sync paused")

// Run executes the run and returns its summary. The summary is also the
// last event reported. A non-nil error means the run could not finish;
// the summary says how far it got.
func (e *Engine) Run(ctx context.Context) (Summary, error) {
	start := e.now()
	e.runStart = start
	e.hsBase, e.bdBase = e.hs.Stats(), e.bd.Stats()
	job := &state.Job{
		Mode: string(e.opt.Mode), DryRun: e.opt.DryRun, Status: StatusRunning, StartedAt: start,
		Scope:        state.Scope{Only: entityStrings(e.opt.Only), PropertyIDs: e.opt.PropertyIDs},
		Operator:     operator(),
		BuildiumHost: e.opt.BuildiumHost,
	}
	if err := e.closeInterruptedJobs(); err != nil {
		return Summary{}, err
	}
	if err := e.st.CreateJob(job); err != nil {
		return Summary{}, fmt.Errorf("record the job in state: %w", err)
	}
	e.jobID = job.ID
	e.rep.Report(JobStarted{JobID: job.ID, Mode: string(e.opt.Mode), DryRun: e.opt.DryRun, At: start})
	e.log.Info("job started", "job", job.ID, "mode", string(e.opt.Mode), "dry_run", e.opt.DryRun,
		"only", entityStrings(e.opt.Only), "properties", len(e.opt.PropertyIDs))

	stopWatch := e.watchThrottling()
	runErr := e.run(ctx)
	stopWatch()
	sum := e.summary(start, runErr)
	if err := e.st.UpdateJob(job.ID, func(j *state.Job) error {
		j.Status = sum.Status
		j.FinishedAt = e.now()
		j.Error = sum.Error
		j.HubSpotPortal = e.portal()
		if j.Metrics == nil {
			j.Metrics = map[string]float64{}
		}
		j.Metrics["hubspot_requests"] = float64(sum.HubSpot.Requests)
		j.Metrics["hubspot_writes"] = float64(sum.HubSpot.Writes)
		j.Metrics["hubspot_rate_limited"] = float64(sum.HubSpot.RateLimited)
		j.Metrics["buildium_requests"] = float64(sum.Buildium.Requests)
		j.Metrics["duration_s"] = sum.DurationS
		for ent, c := range sum.Entities {
			if c.Expected > 0 {
				j.Metrics["expected_"+string(ent)] = float64(c.Expected)
			}
		}
		if e.opt.DryRun {
			// Counters of a dry run are predictions; they live in the job too.
			j.Entities = toStateCounters(sum.Entities)
		} else {
			// Outcomes were added batch by batch; reads are known at the end.
			for ent, c := range sum.Entities {
				sc := j.Entities[state.Kind(ent)]
				sc.Read = int64(c.Read)
				if j.Entities == nil {
					j.Entities = map[state.Kind]state.EntityCounters{}
				}
				j.Entities[state.Kind(ent)] = sc
			}
		}
		return nil
	}); err != nil && runErr == nil {
		runErr = fmt.Errorf("record the job's end in state: %w", err)
		sum.Status, sum.Error = StatusFailed, runErr.Error()
	}
	e.rep.Report(sum)
	attrs := []any{"job", job.ID, "status", sum.Status, "duration_s", sum.DurationS,
		"hubspot_requests", sum.HubSpot.Requests, "hubspot_writes", sum.HubSpot.Writes,
		"hubspot_rate_limited", sum.HubSpot.RateLimited, "buildium_requests", sum.Buildium.Requests}
	for _, ent := range slices.Sorted(maps.Keys(sum.Entities)) {
		c := sum.Entities[ent]
		attrs = append(attrs, slog.Group(string(ent), "read", c.Read, "created", c.Created, "updated", c.Updated,
			"unchanged", c.Unchanged, "failed", c.Failed, "invalid", c.Invalid, "duplicates", c.Duplicates, "conflicts", c.Conflicts))
	}
	if sum.Error != "" {
		attrs = append(attrs, "error", sum.Error)
		e.log.Warn("job ended", attrs...)
	} else {
		e.log.Info("job ended", attrs...)
	}
	return sum, runErr
}

// today is the as-of date for lease status.
func (e *Engine) today() time.Time {
	if e.opt.Today != nil {
		return e.opt.Today()
	}
	return e.now()
}

// Check runs the account check alone (no job, no write): what the Check
// screen and `b2h doctor` show. The result is also reported as an event.
func (e *Engine) Check(ctx context.Context) (AccountChecked, error) {
	a, err := e.checkAccount(ctx)
	if err != nil {
		return AccountChecked{}, err
	}
	return e.accountEvent(a), nil
}

func (e *Engine) run(ctx context.Context) error {
	acct, err := e.checkAccount(ctx)
	if err != nil {
		return err
	}
	e.acct = acct
	if e.m, err = e.mapping(); err != nil {
		return err
	}
	if err := e.bootstrap(ctx); err != nil {
		return err
	}
	e.idx = newIndexes()
	if e.shrink, err = e.newShrinkGuard(); err != nil {
		return err
	}
	decs, err := e.st.Decisions()
	if err != nil {
		return fmt.Errorf("read decisions from state: %w", err)
	}
	e.decisions = map[string]state.Decision{}
	for _, d := range decs {
		e.decisions[d.ID] = d
	}
	open, err := e.st.ReviewItems("open")
	if err != nil {
		return fmt.Errorf("read the review queue from state: %w", err)
	}
	e.openReview = map[string]bool{}
	e.reviewSources = map[state.Kind]map[string][]string{}
	e.settled = map[string]bool{}
	for _, it := range open {
		e.openReview[it.ID] = true
		if e.reviewSources[it.Kind] == nil {
			e.reviewSources[it.Kind] = map[string][]string{}
		}
		e.reviewSources[it.Kind][it.ID] = it.SourceIDs
	}
	defer e.amenities.close()
	// The tenant pre-pass (duplicate groups, emergency-contact links) reads
	// the whole tenant list and needs nothing of the stages before the
	// tenants': it runs beside them, on what the lease pre-pass and the
	// units stage leave of the CPU and of Buildium's request rate.
	if e.want(mapping.Tenants) || e.want(mapping.EmergencyContacts) {
		pctx, cancel := context.WithCancel(ctx)
		done := make(chan prepassResult, 1)
		e.tenantPrepass = done
		go pprof.Do(pctx, pprof.Labels("stage", "tenants-prepass"), func(pctx context.Context) {
			pages, err := e.prepassTenants(pctx)
			done <- prepassResult{pages, err}
		})
		defer func() {
			cancel()
			if e.tenantPrepass != nil { // not awaited: a stage before failed
				<-e.tenantPrepass
				e.tenantPrepass = nil
			}
		}()
	}
	for _, st := range e.stages() {
		if !e.want(st.entity) && !st.always {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		// The stage's name labels its goroutines' CPU samples (B2H_CPUPROFILE;
		// `go tool pprof -tagfocus stage=units`).
		var err error
		pprof.Do(ctx, pprof.Labels("stage", string(st.entity)+st.label()), func(ctx context.Context) { err = st.run(ctx) })
		if err != nil {
			return err
		}
	}
	if err := e.closeSettled(); err != nil {
		return err
	}
	return e.commitCursors()
}

type stage struct {
	entity mapping.Entity
	always bool // runs (as a pre-pass) even when the entity is not selected
	run    func(context.Context) error
}

func (s stage) label() string {
	if s.always {
		return "-prepass"
	}
	return ""
}

// stages lists the run in dependency order (DESIGN.md §3).
func (e *Engine) stages() []stage {
	// Properties come after the contact stages (they need only exist before
	// the association pass) so that their amenities, one slow Buildium
	// request per property, are fetched in the background meanwhile.
	return []stage{
		{entity: mapping.Leases, always: true, run: e.prepassLeases},
		{entity: mapping.Units, run: e.syncUnits},
		{entity: mapping.Tenants, run: e.syncTenants},
		{entity: mapping.EmergencyContacts, run: e.syncEmergencyContacts},
		{entity: mapping.Properties, run: e.syncProperties},
		{entity: mapping.Leases, run: e.syncAssociations},
	}
}

// want reports whether the run includes entity.
func (e *Engine) want(ent mapping.Entity) bool {
	if len(e.opt.Only) == 0 {
		return true
	}
	for _, o := range e.opt.Only {
		if o == ent {
			return true
		}
	}
	return false
}

func (e *Engine) counter(ent mapping.Entity) *Counters {
	c := e.counters[ent]
	if c == nil {
		c = &Counters{}
		e.counters[ent] = c
	}
	return c
}

// tally applies fn to the entity's counters under the lock and returns a copy.
func (e *Engine) tally(ent mapping.Entity, fn func(c *Counters)) Counters {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.counter(ent)
	fn(c)
	return *c
}

func (e *Engine) summary(start time.Time, runErr error) Summary {
	e.mu.Lock()
	ents := map[mapping.Entity]Counters{}
	for _, ent := range mapping.Entities() {
		if c, ok := e.counters[ent]; ok {
			ents[ent] = *c
		} else if e.want(ent) {
			ents[ent] = Counters{}
		}
	}
	planReqs := e.planReqs
	e.mu.Unlock()
	// The clients may have served earlier runs (the TUI plans, then syncs):
	// the summary counts this run's requests only.
	hs, bd := e.hs.Stats(), e.bd.Stats()
	hs.Requests -= e.hsBase.Requests
	hs.Writes -= e.hsBase.Writes
	hs.RateLimited -= e.hsBase.RateLimited
	bd.Requests -= e.bdBase.Requests
	bd.RateLimited -= e.bdBase.RateLimited
	s := Summary{
		JobID: e.jobID, Mode: string(e.opt.Mode), DryRun: e.opt.DryRun,
		DurationS: e.now().Sub(start).Seconds(), Entities: ents,
		HubSpot:  HubSpotStats{Requests: hs.Requests, Writes: hs.Writes, RateLimited: hs.RateLimited},
		Buildium: APIStats{Requests: bd.Requests, RateLimited: bd.RateLimited},
	}
	if e.opt.DryRun {
		s.Predicted = &Prediction{Requests: planReqs}
		if r := e.ratePerSecond(); r > 0 {
			s.Predicted.MinDurationS = float64(planReqs) / r
		}
	}
	var dl *hubspot.DailyLimitError
	switch {
	case runErr == nil:
		s.Status = StatusDone
		for _, c := range ents {
			if c.Failed+c.Invalid+c.Duplicates+c.Conflicts > 0 {
				s.Status = StatusDoneWithErrors
			}
		}
	case errors.As(runErr, &dl):
		s.Status = StatusPaused
		at := dl.ResetAt
		s.ResumeAt = &at
		s.Error = runErr.Error()
	case errors.Is(runErr, context.Canceled):
		s.Status = StatusCancelled
		s.Error = "interrupted: run b2h sync again to resume; committed batches are kept"
	default:
		s.Status = StatusFailed
		s.Error = runErr.Error()
	}
	return s
}

// closeInterruptedJobs marks jobs left "running" by a crash as failed, so
// history tells the truth; the new run converges regardless.
func (e *Engine) closeInterruptedJobs() error {
	jobs, err := e.st.Jobs(20)
	if err != nil {
		return fmt.Errorf("read job history: %w", err)
	}
	for _, j := range jobs {
		if j.Status != StatusRunning {
			continue
		}
		if err := e.st.UpdateJob(j.ID, func(j *state.Job) error {
			j.Status = StatusFailed
			j.Error = "interrupted (the process stopped before the job finished); a later run resumed it"
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) portal() string {
	if e.acct == nil {
		return ""
	}
	return e.acct.PortalID
}

func operator() string {
	if u, err := user.Current(); err == nil {
		return u.Username + "@" + runtime.GOOS
	}
	return "unknown"
}

func entityStrings(es []mapping.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e)
	}
	return out
}

func toStateCounters(m map[mapping.Entity]Counters) map[state.Kind]state.EntityCounters {
	out := map[state.Kind]state.EntityCounters{}
	for k, c := range m {
		out[state.Kind(k)] = toStateCounter(c)
	}
	return out
}

func toStateCounter(c Counters) state.EntityCounters {
	return state.EntityCounters{Read: int64(c.Read), Created: int64(c.Created), Updated: int64(c.Updated),
		Unchanged: int64(c.Unchanged), Skipped: int64(c.Skipped), Invalid: int64(c.Invalid),
		Failed: int64(c.Failed), Duplicates: int64(c.Duplicates), Conflicts: int64(c.Conflicts)}
}
