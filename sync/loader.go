package sync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	gosync "sync"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// item is one record on its way to HubSpot.
type item struct {
	rec     mapping.Record
	prior   *state.Mapping // what b2h last wrote, if anything
	action  Action         // planned: create or update
	changes []FieldChange
	name    string // for people: "Jane Doe", "Maple Court – Unit 4"

	// Set by the three-way merge of an update: what to send (nil = all of
	// rec.Properties) and the snapshot to keep (nil = rec.Properties).
	send, snap map[string]string
	decision   *state.Decision // a person's decision this write applies
}

func (it item) sendProps() map[string]string {
	if it.send != nil {
		return it.send
	}
	return it.rec.Properties
}

func (it item) snapshot() map[string]string {
	if it.snap != nil {
		return it.snap
	}
	return it.rec.Properties
}

// loader batches items of one entity into upserts of up to 100 by unique
// key, sends them from a few workers (the shared limiter paces them), and
// commits each acknowledged batch to state in one transaction.
type loader struct {
	e      *Engine
	entity mapping.Entity
	kind   state.Kind
	obj    string // HubSpot object type
	key    string // unique key property, the upsert idProperty

	pending []item
	work    chan []item
	wg      gosync.WaitGroup

	mu        gosync.Mutex
	fatal     error
	transient int // consecutive batches lost to transport errors
	cancel    context.CancelFunc
}

// maxTransientBatches is how many batches in a row may fail for transport
// reasons (after the client's own retries) before the run stops: past that
// HubSpot is down and the rest would only fill the ledger.
const maxTransientBatches = 5

func (e *Engine) newLoader(ctx context.Context, ent mapping.Entity, obj, key string) (*loader, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	l := &loader{e: e, entity: ent, kind: state.Kind(ent), obj: obj, key: key,
		work: make(chan []item, e.opt.Workers), cancel: cancel}
	for range e.opt.Workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for b := range l.work {
				if l.failed() != nil {
					continue // drain: the run is stopping
				}
				if err := l.write(ctx, b); err != nil {
					l.fail(err)
				}
			}
		}()
	}
	return l, ctx
}

func (l *loader) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fatal == nil {
		l.fatal = err
		l.cancel()
	}
}

func (l *loader) failed() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.fatal
}

// add queues one item; a full batch goes to the workers (blocking when they
// are all busy, which is the pipeline's back-pressure).
func (l *loader) add(it item) error {
	if err := l.failed(); err != nil {
		return err
	}
	// A repeated key inside one batch makes HubSpot reject the whole batch
	// (reference/hubspot-api.md §13.4): the later record wins.
	for i := range l.pending { // by index: an item is a few hundred bytes to copy
		if l.pending[i].rec.Key == it.rec.Key {
			l.pending[i] = it
			return nil
		}
	}
	if l.pending == nil {
		l.pending = make([]item, 0, hubspot.MaxBatchInputs) // a batch's worth at once, not by doubling
	}
	l.pending = append(l.pending, it)
	if len(l.pending) >= hubspot.MaxBatchInputs {
		l.work <- l.pending
		l.pending = nil
	}
	return nil
}

// close flushes the last batch and waits for the workers.
func (l *loader) close() error {
	if len(l.pending) > 0 && l.failed() == nil {
		l.work <- l.pending
	}
	l.pending = nil
	close(l.work)
	l.wg.Wait()
	l.cancel()
	return l.failed()
}

// write sends one batch, splitting it when HubSpot rejects it whole, and
// commits the outcome.
func (l *loader) write(ctx context.Context, items []item) error {
	e := l.e
	items, err := l.resolveConflicts(ctx, items)
	if err != nil {
		return l.handleBatchError(ctx, items, err)
	}
	if len(items) == 0 {
		return nil
	}
	if e.opt.DryRun {
		e.mu.Lock()
		e.planReqs++
		set := e.planned[l.kind]
		if set == nil {
			set = map[string]bool{}
			e.planned[l.kind] = set
		}
		for _, it := range items {
			set[it.rec.SourceID] = true
		}
		e.mu.Unlock()
		var c Counters
		for _, it := range items {
			c.count(it.action)
			if e.opt.PlanDetail {
				ch := it.changes
				if it.action == ActCreate {
					ch = diff(nil, it.rec.Properties) // every value is new
				}
				e.rep.Report(RecordPlanned{Entity: l.entity, SourceID: it.rec.SourceID, Name: it.name, Action: it.action, Changes: ch})
			}
		}
		e.progress(l.entity, c)
		return nil
	}
	inputs := make([]hubspot.UpsertInput, len(items))
	for i, it := range items {
		inputs[i] = hubspot.UpsertInput{ID: it.rec.Key, IDProperty: l.key, Properties: it.sendProps(), ObjectWriteTraceID: it.rec.Key}
	}
	res, err := e.hs.BatchUpsertKeys(ctx, l.obj, inputs) // ids, not the echoed properties
	if err != nil {
		return l.handleBatchError(ctx, items, err)
	}
	l.mu.Lock()
	l.transient = 0
	l.mu.Unlock()
	return l.commit(ctx, items, res)
}

func (l *loader) handleBatchError(ctx context.Context, items []item, err error) error {
	var dl *hubspot.DailyLimitError
	if errors.As(err, &dl) || ctx.Err() != nil {
		return err // stop: the uncommitted batch is simply sent again next run
	}
	var apiErr *hubspot.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429 {
		if apiErr.StatusCode == 401 || apiErr.StatusCode == 403 {
			return explainHubSpot(err, "write "+string(l.entity))
		}
		if existing, ok := hubspot.IsConflict(err); ok && l.obj == objContacts {
			return l.resolveEmailConflict(ctx, items, existing, apiErr)
		}
		if len(items) > 1 {
			// A whole-batch 400: split to isolate the bad input.
			mid := len(items) / 2
			if err := l.write(ctx, items[:mid]); err != nil {
				return err
			}
			return l.write(ctx, items[mid:])
		}
		return l.commitFailures(items, apiErr.Category, hubspotMessage(apiErr))
	}
	l.mu.Lock()
	l.transient++
	n := l.transient
	l.mu.Unlock()
	if n >= maxTransientBatches {
		return fmt.Errorf("HubSpot failed %d batches in a row (%v): stopping; run b2h sync again to resume", n, err)
	}
	return l.commitFailures(items, "transport", err.Error())
}

// commit records an acknowledged batch: mappings, audit, ledger and counters
// in one state transaction.
func (l *loader) commit(ctx context.Context, items []item, res *hubspot.BatchResult) error {
	e := l.e
	now := e.now()
	// Sized up front: a full sync commits thousands of batches, and growing
	// these by doubling was a good part of its garbage.
	byKey := make(map[string]hubspot.Object, len(res.Results))
	for _, o := range res.Results {
		k := o.ObjectWriteTraceID
		if k == "" {
			k = o.Prop(l.key)
		}
		byKey[k] = o
	}
	errs := res.ErrorByTrace()
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{},
		Mappings: make([]state.Mapping, 0, len(items)), Audit: make([]state.AuditEntry, 0, len(items)),
		Resolve: make([]state.LedgerKey, 0, len(items))}
	var c Counters
	var issues []Issue
	var collided []int // b.Review entries for contacts b2h did not create
	for _, it := range items {
		o, ok := byKey[it.rec.Key]
		if !ok {
			se, has := errs[it.rec.Key]
			msg := "HubSpot did not acknowledge this record"
			cat := "hubspot"
			if has {
				msg, cat = standardMessage(se), se.Category
			}
			act := ActFailed
			if existing := existingID(se); has && existing != "" && l.obj == objContacts {
				act = ActDuplicate
				msg = fmt.Sprintf("a HubSpot contact b2h did not create (id %s) already has this email: decide with `b2h review` (adopt it, keep separate, or skip)", existing)
				rv := existingContactReview(l.kind, it, existing, e.jobID, now)
				if old, err := e.rekeyOf(l.kind, it.rec.SourceID, existing); err == nil && old != nil {
					msg = fmt.Sprintf("HubSpot contact %s, which b2h created for %s %s, has this email, and Buildium no longer returns %s: re-key it with `b2h review` (adopt moves the contact to this record), or keep separate or skip", existing, singular(l.entity), old.SourceID, old.SourceID)
					rv.Summary = fmt.Sprintf("re-key %s %s → %s? HubSpot contact %s is b2h's own, made for %s %s, which Buildium no longer returns: adopt re-keys it", singular(l.entity), old.SourceID, it.rec.SourceID, existing, singular(l.entity), old.SourceID)
				}
				b.Review = append(b.Review, rv)
				collided = append(collided, len(b.Review)-1)
				cat = "duplicate"
			}
			c.count(act)
			b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: l.kind, SourceID: it.rec.SourceID, JobID: e.jobID,
				ErrorType: ledgerType(cat), Message: msg, Details: detailText(se), FirstSeen: now, LastSeen: now})
			issues = append(issues, Issue{Entity: l.entity, SourceID: it.rec.SourceID, Action: act, Message: recordLabel(l.entity, it) + ": " + msg, Name: it.name})
			continue
		}
		act := ActUpdate
		created := ""
		if it.prior != nil {
			created = it.prior.CreatedByJob
		}
		// A record b2h upserts by its own unique key without a mapping in
		// state was created by b2h: in this run (new), or by a run that was
		// killed after HubSpot wrote it and before state recorded it (not
		// new). Either way this run creates it, so undo archives it.
		if (o.New != nil && *o.New) || it.prior == nil {
			act, created = ActCreate, e.jobID
		}
		c.count(act)
		b.Mappings = append(b.Mappings, state.Mapping{Kind: l.kind, SourceID: it.rec.SourceID, HubSpotType: l.obj,
			HubSpotID: o.ID, SyncHash: it.rec.Hash, LastSynced: now, JobID: e.jobID, CreatedByJob: created,
			Snapshot: it.snapshot()})
		if it.decision != nil {
			d := *it.decision
			d.AppliedByJob = e.jobID
			b.Decisions = append(b.Decisions, d)
			b.DeleteReview = append(b.DeleteReview, d.ID)
		}
		b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: string(act), Kind: l.kind,
			SourceID: it.rec.SourceID, HubSpotType: l.obj, HubSpotID: o.ID, Changes: auditChanges(it, act)})
		b.Resolve = append(b.Resolve, state.LedgerKey{Kind: l.kind, SourceID: it.rec.SourceID})
	}
	b.Counters[l.kind] = toStateCounter(c)
	l.fillExisting(ctx, b.Review, collided)
	if err := e.st.Commit(b); err != nil {
		return fmt.Errorf("commit a %s batch to state: %w", l.entity, err)
	}
	for _, is := range issues {
		e.rep.Report(is)
	}
	e.progress(l.entity, c)
	return nil
}

// commitFailures ledgers every item of a batch that could not be written.
func (l *loader) commitFailures(items []item, category, msg string) error {
	e := l.e
	now := e.now()
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	var c Counters
	for _, it := range items {
		c.Failed++
		b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: l.kind, SourceID: it.rec.SourceID, JobID: e.jobID,
			ErrorType: ledgerType(category), Message: msg, FirstSeen: now, LastSeen: now})
	}
	b.Counters[l.kind] = toStateCounter(c)
	if err := e.st.Commit(b); err != nil {
		return fmt.Errorf("commit failed %s records to the ledger: %w", l.entity, err)
	}
	for _, it := range items {
		e.rep.Report(Issue{Entity: l.entity, SourceID: it.rec.SourceID, Action: ActFailed, Message: recordLabel(l.entity, it) + ": " + msg, Name: it.name})
	}
	e.progress(l.entity, c)
	return nil
}

// progress adds c to the entity's tallies and reports them.
func (e *Engine) progress(ent mapping.Entity, c Counters) {
	cur := e.tally(ent, func(t *Counters) {
		r := t.Read
		t.Add(c)
		t.Read = r
	})
	e.rep.Report(Progress{Entity: ent, Done: cur.Accounted(), Total: cur.Read, Counters: cur})
}

// auditChanges lists what an update changed (old and new values, which undo
// restores). A create carries none: the mapping's snapshot holds its values.
func auditChanges(it item, act Action) []state.FieldChange {
	if act == ActCreate || it.prior == nil {
		return nil
	}
	out := make([]state.FieldChange, len(it.changes))
	for i, ch := range it.changes {
		out[i] = state.FieldChange{Field: ch.Field, Old: ch.Old, New: ch.New}
	}
	return out
}

// diff lists the fields whose value differs between what b2h last wrote and
// what it would write now.
func diff(before, after map[string]string) []FieldChange {
	var out []FieldChange
	for _, k := range slices.Sorted(maps.Keys(after)) {
		if strings.HasPrefix(k, hsSide) {
			continue // bookkeeping of HubSpot-side values, not a field
		}
		if before[k] != after[k] {
			out = append(out, FieldChange{Field: k, Old: before[k], New: after[k]})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if strings.HasPrefix(k, hsSide) {
			continue
		}
		if _, ok := after[k]; !ok && before[k] != "" {
			out = append(out, FieldChange{Field: k, Old: before[k], New: ""})
		}
	}
	return out
}

func ledgerType(category string) string {
	switch category {
	case "VALIDATION_ERROR":
		return "hubspot_validation"
	case "CONFLICT", "duplicate":
		return "duplicate"
	case "transport":
		return "transport"
	case "validation":
		return "validation"
	}
	return "hubspot"
}

func standardMessage(se hubspot.StandardError) string {
	msg := se.Message
	for _, d := range se.Errors {
		if d.Message != "" && !strings.Contains(msg, d.Message) {
			msg += "; " + d.Message
		}
	}
	return "HubSpot rejected it: " + msg
}

func hubspotMessage(e *hubspot.APIError) string {
	return fmt.Sprintf("HubSpot rejected it (%d %s): %s", e.StatusCode, e.Category, e.Message)
}

func detailText(se hubspot.StandardError) string {
	if se.Category == "" && se.Message == "" {
		return ""
	}
	return se.Category + ": " + se.Message
}

func existingID(se hubspot.StandardError) string {
	if se.Category != hubspot.CategoryConflict {
		return ""
	}
	return se.ExistingID()
}

func recordLabel(ent mapping.Entity, it item) string {
	s := singular(ent) + " " + it.rec.SourceID
	if it.name != "" {
		s += " (" + it.name + ")"
	}
	return s
}

func singular(ent mapping.Entity) string {
	switch ent {
	case mapping.Properties:
		return "property"
	case mapping.Units:
		return "unit"
	case mapping.Tenants:
		return "tenant"
	case mapping.EmergencyContacts:
		return "emergency contact"
	case mapping.Leases:
		return "lease"
	}
	return string(ent)
}
