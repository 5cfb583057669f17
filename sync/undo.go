package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"b2h/clients/hubspot"
	"b2h/state"
)

// Undo outcomes (reference/lessons.md §5.3): reversed, kept because someone
// changed the record after the job, or errored.
const (
	UndoReversed = "reversed"
	UndoKept     = "kept"
	UndoErrored  = "errored"
)

// What undo does to one record or association.
const (
	UndoArchive     = "archive"     // archive a record the job created (HubSpot's recycle bin keeps it 90 days)
	UndoRestore     = "restore"     // write back the values the job overwrote
	UndoUnassociate = "unassociate" // remove an association the job created
	UndoRelabel     = "relabel"     // put back the label the job replaced
	UndoReassociate = "reassociate" // re-create an association the job removed
	UndoNone        = "none"        // nothing to write (merges, adoptions recorded without their earlier values)
)

// UndoHubSpot is what undo needs of HubSpot; *hubspot.Client implements it.
type UndoHubSpot interface {
	BatchRead(ctx context.Context, objectType string, req hubspot.ReadRequest) (*hubspot.BatchResult, error)
	BatchUpdate(ctx context.Context, objectType string, in []hubspot.UpdateInput) (*hubspot.BatchResult, error)
	BatchArchive(ctx context.Context, objectType string, ids []string) error
	BatchReadAssociations(ctx context.Context, fromType, toType string, fromIDs []string) (map[string][]hubspot.AssociatedObject, error)
	BatchCreateAssociations(ctx context.Context, fromType, toType string, in []hubspot.AssociationInput) (*hubspot.AssociationBatchResult, error)
	BatchCreateDefaultAssociations(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) (*hubspot.AssociationBatchResult, error)
	BatchArchiveAssociations(ctx context.Context, fromType, toType string, pairs []hubspot.AssociationPair) error
	BatchArchiveAssociationLabels(ctx context.Context, fromType, toType string, in []hubspot.AssociationInput) error
	ListAssociationLabels(ctx context.Context, fromType, toType string) ([]hubspot.AssociationType, error)
}

// UndoStore is the state undo reads and writes; *state.Store implements it.
type UndoStore interface {
	Job(id string) (state.Job, error)
	Jobs(limit int) ([]state.Job, error)
	CreateJob(j *state.Job) error
	UpdateJob(id string, fn func(*state.Job) error) error
	Audit(jobID string, fn func(state.AuditEntry) error) error
	MappingsByKey(kind state.Kind, sourceIDs []string) (map[string]state.Mapping, error)
	MappingsByHubSpot(hubspotType, hubspotID string) ([]state.Mapping, error)
	ForEachMapping(kind state.Kind, fn func(state.Mapping) error) error
	Cursor(kind state.Kind) (state.Cursor, error)
	Account() (state.Account, error)
	Commit(b state.Batch) error
}

var (
	_ UndoHubSpot = (*hubspot.Client)(nil)
	_ UndoStore   = (*state.Store)(nil)
)

// UndoOptions configure one undo.
type UndoOptions struct {
	JobID  string           // the job to undo
	DryRun bool             // plan only: read HubSpot, write nothing anywhere
	OnItem func(UndoItem)   // called once per record or association, in order (optional)
	Now    func() time.Time // clock (default time.Now)
	Logger *slog.Logger
}

// UndoItem is the plan or the outcome for one record or association.
type UndoItem struct {
	Kind        state.Kind `json:"kind"`
	SourceID    string     `json:"source_id"`
	HubSpotType string     `json:"hubspot_type"`
	HubSpotID   string     `json:"hubspot_id"`
	Undo        string     `json:"undo"`                  // one of the Undo* actions
	Outcome     string     `json:"outcome"`               // reversed, kept or errored
	Fields      []string   `json:"fields,omitempty"`      // fields restored
	KeptFields  []string   `json:"kept_fields,omitempty"` // fields left as HubSpot has them
	Reason      string     `json:"reason,omitempty"`      // why kept or errored; names fields, never values
	Changes     bool       `json:"changes"`               // undo writes to HubSpot or state for it (false: nothing left to do)
}

// UndoReport sums up an undo (or its plan, in a dry run).
type UndoReport struct {
	JobID      string       `json:"job_id,omitempty"` // the undo job; empty in a dry run
	UndoOf     string       `json:"undo_of"`
	DryRun     bool         `json:"dry_run"`
	Status     string       `json:"status"`
	Reversed   int          `json:"reversed"`
	Kept       int          `json:"kept"`
	Errored    int          `json:"errored"`
	Changes    int          `json:"changes"`               // items undo writes for (the rest are kept, or already as before)
	PriorUndos []string     `json:"prior_undos,omitempty"` // earlier undo jobs of the same job
	SchemaKept []string     `json:"schema_kept,omitempty"` // b2h's HubSpot schema, which undo leaves in place
	Rewound    []state.Kind `json:"rewound,omitempty"`     // kinds whose cursor was rewound so the next sync re-reads them
	Error      string       `json:"error,omitempty"`
}

// UndoRefusedError says why a job cannot be undone (a usage error).
type UndoRefusedError struct {
	JobID, Reason string
}

// Error implements error.
func (e *UndoRefusedError) Error() string {
	return fmt.Sprintf("cannot undo job %s: %s", e.JobID, e.Reason)
}

// rewindTo is where undo moves a cursor so the next incremental run reads
// every record of the kind again: before any Buildium record was updated.
var rewindTo = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Undo reverses one job: records it created are archived, values it
// overwrote are restored and associations it made or removed are put back,
// each only where HubSpot still holds what the job wrote; anything changed
// since (by a person or a later job) is kept and reported. Every HubSpot
// write is followed by one state commit, and every decision is taken from
// what HubSpot and state hold now, so an interrupted undo run again
// converges. The schema b2h created stays.
func Undo(ctx context.Context, hs UndoHubSpot, st UndoStore, o UndoOptions) (UndoReport, error) {
	u := &undoer{hs: hs, st: st, o: o, now: o.Now, log: o.Logger, recs: map[string]*recEntry{},
		assocs: map[string]*assocEntry{}, later: map[string][]laterUpdate{},
		labels: map[string][]hubspot.AssociationType{}, touched: map[state.Kind]bool{}, pinned: map[string]string{}}
	if u.now == nil {
		u.now = time.Now
	}
	if u.log == nil {
		u.log = slog.New(slog.DiscardHandler)
	}
	u.rep = UndoReport{UndoOf: o.JobID, DryRun: o.DryRun}
	job, err := st.Job(o.JobID)
	switch {
	case errors.Is(err, state.ErrNotFound):
		return u.rep, &UndoRefusedError{o.JobID, "this state file has no such job (`b2h state inspect` lists the recent ones)"}
	case err != nil:
		return u.rep, fmt.Errorf("read job %s from state: %w", o.JobID, err)
	case job.Mode == state.ModeUndo:
		return u.rep, &UndoRefusedError{o.JobID, "it is an undo itself; run b2h sync to write the records again"}
	case job.DryRun:
		return u.rep, &UndoRefusedError{o.JobID, "it was a dry run, which wrote nothing"}
	}
	u.job = job
	if err := u.load(); err != nil {
		return u.rep, err
	}
	if !o.DryRun {
		uj := &state.Job{Mode: state.ModeUndo, UndoOf: job.ID, Status: StatusRunning, StartedAt: u.now(), Operator: operator(),
			HubSpotPortal: job.HubSpotPortal, BuildiumHost: job.BuildiumHost}
		if err := st.CreateJob(uj); err != nil {
			return u.rep, fmt.Errorf("record the undo job in state: %w", err)
		}
		u.rep.JobID = uj.ID
	}
	runErr := u.run(ctx)
	u.rep.Status = StatusDone
	if u.rep.Kept+u.rep.Errored > 0 {
		u.rep.Status = StatusDoneWithErrors
	}
	switch {
	case runErr == nil:
	case isDailyLimit(runErr):
		u.rep.Status = StatusPaused
	case errors.Is(runErr, context.Canceled):
		u.rep.Status = StatusCancelled
	default:
		u.rep.Status = StatusFailed
	}
	if runErr != nil {
		u.rep.Error = runErr.Error() + ": run the same undo again to finish it"
	}
	if !o.DryRun {
		if err := st.UpdateJob(u.rep.JobID, func(j *state.Job) error {
			j.Status, j.FinishedAt, j.Error = u.rep.Status, u.now(), u.rep.Error
			return nil
		}); err != nil && runErr == nil {
			runErr = fmt.Errorf("record the end of the undo job: %w", err)
		}
	}
	u.log.Info("undo finished", "undo_of", job.ID, "job", u.rep.JobID, "dry_run", o.DryRun, "status", u.rep.Status,
		"reversed", u.rep.Reversed, "kept", u.rep.Kept, "errored", u.rep.Errored)
	return u.rep, runErr
}

// undoer is one undo run.
type undoer struct {
	hs  UndoHubSpot
	st  UndoStore
	o   UndoOptions
	now func() time.Time
	log *slog.Logger
	job state.Job
	rep UndoReport

	recs      map[string]*recEntry // by recKey
	recOrder  []string
	assocs    map[string]*assocEntry // by association key
	assocKeys []string
	links     []state.AuditEntry                   // merges and adoptions
	later     map[string][]laterUpdate             // recKey → updates by later jobs, oldest first
	labels    map[string][]hubspot.AssociationType // "from>to" → the account's labels
	touched   map[state.Kind]bool                  // kinds with a record reversed
	// pinned holds records ("type/id") that carry an association a later
	// job or a person changed: archiving them would destroy it.
	pinned map[string]string
}

// recEntry is what the job did to one record: created it, or updated
// fields (Old from the first update, New from the last).
type recEntry struct {
	kind    state.Kind
	src     string
	obj     string
	hsID    string
	create  bool
	changes []state.FieldChange
	// adopted: the job took over this existing contact (it did not create
	// it); undoing restores its earlier values and forgets the mapping.
	adopted bool
}

// assocEntry is what the job did to one association.
type assocEntry struct {
	key, obj, hsID     string
	created, removed   bool
	oldLabel, newLabel string
}

// laterUpdate is a later job's update of a record the undone job wrote.
type laterUpdate struct {
	job     string
	changes []state.FieldChange
}

func recKey(k state.Kind, src string) string { return string(k) + "\x00" + src }

// load reads the job's audit, earlier undos of it, and the later jobs'
// updates of the same records.
func (u *undoer) load() error {
	err := u.st.Audit(u.job.ID, func(a state.AuditEntry) error {
		switch a.Action {
		case state.ActionCreate, state.ActionUpdate:
			u.addRecord(a)
		case state.ActionAssociate, state.ActionUnassociate:
			u.addAssoc(a)
		case state.ActionAdopt:
			if len(a.Changes) == 0 {
				u.links = append(u.links, a) // adopted before b2h recorded what it replaced
				break
			}
			// The values the adoption replaced are known: undo restores
			// them like an update's, then lets go of the contact.
			u.addRecord(a)
			u.recs[recKey(a.Kind, a.SourceID)].adopted = true
		case "merge":
			u.links = append(u.links, a)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read the audit of job %s: %w", u.job.ID, err)
	}
	jobs, err := u.st.Jobs(0)
	if err != nil {
		return fmt.Errorf("read job history: %w", err)
	}
	slices.Reverse(jobs) // oldest first
	laterJobs := map[string]bool{}
	for _, j := range jobs {
		switch {
		case j.Mode == state.ModeUndo && j.UndoOf == u.job.ID:
			u.rep.PriorUndos = append(u.rep.PriorUndos, j.ID)
			if j.Status == StatusRunning && !u.o.DryRun {
				// Crashed (this process holds the state): history tells the truth.
				if err := u.st.UpdateJob(j.ID, func(j *state.Job) error {
					j.Status, j.Error = StatusFailed, "interrupted; a later undo of the same job resumed it"
					return nil
				}); err != nil {
					return fmt.Errorf("close the interrupted undo job %s: %w", j.ID, err)
				}
			}
		case j.DryRun || j.Mode == state.ModeUndo || !after(j, u.job):
		default:
			laterJobs[j.ID] = true
			if err := u.st.Audit(j.ID, func(a state.AuditEntry) error {
				if k := recKey(a.Kind, a.SourceID); a.Action == state.ActionUpdate && u.recs[k] != nil && len(a.Changes) > 0 {
					u.later[k] = append(u.later[k], laterUpdate{job: j.ID, changes: a.Changes})
				}
				return nil
			}); err != nil {
				return fmt.Errorf("read the audit of the later job %s: %w", j.ID, err)
			}
		}
	}
	if len(laterJobs) > 0 {
		// Associations a later job wrote on records this job created would
		// vanish with them.
		err := u.st.ForEachMapping(kindAssociations, func(m state.Mapping) error {
			if laterJobs[m.JobID] {
				u.pin(m.HubSpotType, m.HubSpotID, "the later job "+m.JobID+" associated it ("+m.SourceID+")")
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("read association mappings: %w", err)
		}
	}
	if acct, err := u.st.Account(); err == nil {
		u.rep.SchemaKept = schemaNote(acct)
	}
	return nil
}

// pin marks both ends of an association ("from>to" type and ids) as
// records undo must not archive, with the reason.
func (u *undoer) pin(types, ids, why string) {
	ft, tt, ok1 := strings.Cut(types, ">")
	fid, tid, ok2 := strings.Cut(ids, ">")
	if !ok1 || !ok2 {
		return
	}
	for _, k := range []string{ft + "/" + fid, tt + "/" + tid} {
		if _, done := u.pinned[k]; !done {
			u.pinned[k] = why
		}
	}
}

func after(j, ref state.Job) bool {
	return j.StartedAt.After(ref.StartedAt) || (j.StartedAt.Equal(ref.StartedAt) && j.ID > ref.ID)
}

func (u *undoer) addRecord(a state.AuditEntry) {
	k := recKey(a.Kind, a.SourceID)
	r := u.recs[k]
	if r == nil {
		r = &recEntry{kind: a.Kind, src: a.SourceID}
		u.recs[k] = r
		u.recOrder = append(u.recOrder, k)
	}
	r.obj, r.hsID = a.HubSpotType, a.HubSpotID
	if a.Action == state.ActionCreate {
		r.create, r.changes = true, nil
		return
	}
	for _, c := range a.Changes {
		if strings.HasPrefix(c.Field, hsSide) {
			continue // bookkeeping of a HubSpot-side value, not a field b2h wrote
		}
		if i := slices.IndexFunc(r.changes, func(x state.FieldChange) bool { return x.Field == c.Field }); i >= 0 {
			r.changes[i].New = c.New
		} else if !r.create {
			r.changes = append(r.changes, c)
		}
	}
}

func (u *undoer) addAssoc(a state.AuditEntry) {
	e := u.assocs[a.SourceID]
	old := ""
	if len(a.Changes) > 0 {
		old = a.Changes[0].Old
	}
	if e == nil {
		e = &assocEntry{key: a.SourceID, oldLabel: old, created: a.Action == state.ActionAssociate && old == ""}
		u.assocs[a.SourceID] = e
		u.assocKeys = append(u.assocKeys, a.SourceID)
	}
	e.obj, e.hsID = a.HubSpotType, a.HubSpotID
	e.removed = a.Action == state.ActionUnassociate
	if !e.removed && len(a.Changes) > 0 {
		e.newLabel = a.Changes[0].New
	}
}

// schemaNote lists what b2h set up in HubSpot, which undo never removes.
func schemaNote(a state.Account) []string {
	out := []string{"the property group \"buildium\" and its buildium_* properties"}
	if a.UnitMode == UnitCustomObject && a.UnitObjectType != "" {
		out = append(out, "the custom object \"unit\" ("+a.UnitObjectType+")")
	}
	var labels []string
	for k := range a.AssociationTypes {
		if _, l, ok := strings.Cut(k, ":"); ok && !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if len(labels) > 0 {
		slices.Sort(labels)
		out = append(out, "the association labels "+strings.Join(labels, ", "))
	}
	return out
}

// run undoes associations first (while both records exist), then records,
// then merges and adoptions, and finally rewinds the cursors.
func (u *undoer) run(ctx context.Context) error {
	if err := u.assocPass(ctx); err != nil {
		return err
	}
	if err := u.recordPass(ctx); err != nil {
		return err
	}
	if err := u.linkPass(); err != nil {
		return err
	}
	return u.rewind()
}

// emit counts an item and hands it to OnItem.
func (u *undoer) emit(it UndoItem) {
	switch it.Outcome {
	case UndoReversed:
		u.rep.Reversed++
	case UndoKept:
		u.rep.Kept++
	default:
		u.rep.Errored++
	}
	if it.Changes {
		u.rep.Changes++
	}
	if u.o.OnItem != nil {
		u.o.OnItem(it)
	}
}

// commit writes a chunk's bookkeeping (live runs), then reports its items.
func (u *undoer) commit(b state.Batch, items []UndoItem) error {
	if !u.o.DryRun {
		b.JobID = u.rep.JobID
		b.Metrics = map[string]float64{}
		for _, it := range items {
			b.Metrics["undo_"+it.Outcome]++
		}
		if err := u.st.Commit(b); err != nil {
			return fmt.Errorf("commit undo bookkeeping to state: %w", err)
		}
	}
	for _, it := range items {
		u.emit(it)
	}
	return nil
}

// fatal returns err when it must stop the undo (daily limit, cancellation,
// credentials), nil when it only fails the records at hand.
func (u *undoer) fatal(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if isDailyLimit(err) {
		return err
	}
	if ex := explainHubSpot(err, "undo"); isConfig(ex) {
		return ex
	}
	return nil
}
