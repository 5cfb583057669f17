package sync

import (
	"context"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// named is a mapped record and the name a person knows it by.
type named struct {
	rec  mapping.Record
	name string
}

// planPage decides each record's action against state: invalid records are
// ledgered, unchanged ones (same sync_hash) cost nothing, the rest become
// items for the loader. Bookkeeping for the page is committed at once.
func (e *Engine) planPage(ctx context.Context, ent mapping.Entity, recs []named, ld *loader) error {
	kind := state.Kind(ent)
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.rec.SourceID
	}
	prior, err := e.priorMappings(kind, recs, ids)
	if err != nil {
		return fmt.Errorf("read %s mappings from state: %w", ent, err)
	}
	now := e.now()
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	var c Counters
	var issues []Issue
	var items []item
	for i, r := range recs {
		p, had := prior[r.rec.SourceID]
		if len(r.rec.Errors) == 0 {
			for _, w := range r.rec.WarningDetails {
				// The raw value, so the person fixing it sees what is wrong.
				issues = append(issues, Issue{Entity: ent, SourceID: r.rec.SourceID, Action: ActWarning, Name: r.name,
					Message: w.Reveal()}) // it names the record itself
			}
		}
		switch {
		case len(r.rec.Errors) > 0:
			c.Invalid++
			msgs := make([]string, len(r.rec.Errors))
			rules := make([]string, len(r.rec.Errors))
			for i, ve := range r.rec.Errors {
				msgs[i] = ve.String()
				rules[i] = ve.Rule + ":" + ve.Field // validation errors by rule, for the data-quality figures
			}
			msg := strings.Join(msgs, "; ")
			b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: kind, SourceID: r.rec.SourceID, JobID: e.jobID,
				ErrorType: "validation", Message: msg, Details: "rules " + strings.Join(rules, ","), FirstSeen: now, LastSeen: now})
			issues = append(issues, Issue{Entity: ent, SourceID: r.rec.SourceID, Action: ActInvalid, Message: msg})
		case had && p.SyncHash == r.rec.Hash:
			c.Unchanged++
		default:
			it := item{rec: r.rec, name: r.name, action: ActCreate}
			if had {
				pp := p
				it.prior, it.action = &pp, ActUpdate
				it.changes = diff(p.Snapshot, r.rec.Properties)
			}
			if ent == mapping.Tenants && e.idx.emailMoved != nil && (!had || slices.ContainsFunc(it.changes, func(c FieldChange) bool { return c.Field == "email" })) {
				e.idx.emailMoved.add(r.rec.SourceID)
			}
			if items == nil {
				items = make([]item, 0, len(recs)-i) // at most the rest: one allocation, none when all are unchanged
			}
			items = append(items, it)
		}
	}
	if c != (Counters{}) {
		b.Counters[kind] = toStateCounter(c)
		if !e.opt.DryRun {
			if err := e.st.Commit(b); err != nil {
				return fmt.Errorf("commit %s bookkeeping: %w", ent, err)
			}
		}
		e.progress(ent, c)
	}
	for _, is := range issues {
		e.rep.Report(is)
	}
	for _, it := range items {
		if err := ld.add(it); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// priorMappings returns the mappings of a page's records (ids are their
// source ids). Only a record whose sync hash changed needs what b2h last
// wrote (its snapshot: the diff and the conflict base), so the page's
// mappings are read without snapshots first and the changed ones' again
// in full: an unchanged record costs no decryption.
func (e *Engine) priorMappings(kind state.Kind, recs []named, ids []string) (map[string]state.Mapping, error) {
	heads, err := e.st.MappingHeads(kind, ids)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, r := range recs {
		if h, ok := heads[r.rec.SourceID]; ok && h.SyncHash != r.rec.Hash && len(r.rec.Errors) == 0 {
			changed = append(changed, r.rec.SourceID)
		}
	}
	if len(changed) == 0 {
		return heads, nil
	}
	full, err := e.st.MappingsByKey(kind, changed)
	if err != nil {
		return nil, err
	}
	maps.Copy(heads, full)
	return heads, nil
}

// readCount adds n records read to the entity's tallies.
func (e *Engine) readCount(ent mapping.Entity, n int) {
	e.tally(ent, func(c *Counters) { c.Read += n })
}

// expect adds a list's X-Total-Count (negative: not sent) to what the
// entity's read should come to.
func (e *Engine) expect(ent mapping.Entity, total int) {
	if total >= 0 {
		e.tally(ent, func(c *Counters) { c.Expected += total })
	}
}

func (e *Engine) stageStart(ent mapping.Entity, total int) time.Time {
	e.tally(ent, func(*Counters) {})
	e.rep.Report(StageStarted{Entity: ent, Total: total})
	return e.now()
}

func (e *Engine) stageDone(ent mapping.Entity, started time.Time) {
	c := e.tally(ent, func(*Counters) {})
	e.rep.Report(StageDone{Entity: ent, Counters: c, Elapsed: e.now().Sub(started).Seconds()})
}

// streamStage runs the common shape of an object stage: read pages (the
// whole scope, or in an incremental run the window since the cursor, plus
// the records whose earlier failure is in the ledger), map each record,
// plan the page, load the changes; then advance the cursor.
func streamStage[T any](ctx context.Context, e *Engine, ent mapping.Entity,
	pages func(context.Context, buildium.ListOptions) iter.Seq2[buildium.Page[T], error],
	get func(context.Context, int32) (T, error),
	mapFn func(T) (named, bool), beforePage ...func(ids []string)) error {
	em := e.m.Entities[ent]
	ld, lctx := e.newLoader(ctx, ent, e.objectType(em.Target), em.Key)
	started := time.Time{}
	seen := newIDSet()
	var runErr error
	page := func(items []T, total int) error {
		if started.IsZero() {
			if err := e.shrink.check(ent, total); err != nil {
				return err
			}
			started = e.stageStart(ent, total)
		}
		if len(beforePage) > 0 {
			beforePage[0](pageIDs(items))
		}
		recs := make([]named, 0, len(items))
		for _, x := range items {
			if r, ok := mapFn(x); ok {
				seen.add(r.rec.SourceID)
				recs = append(recs, r)
			}
		}
		e.readCount(ent, len(recs))
		return e.planPage(lctx, ent, recs, ld)
	}
	wins, runErr := e.windows(ent)
	for _, w := range wins {
		if runErr != nil {
			break
		}
		first := true
		for pg, err := range pages(lctx, w) {
			if err != nil {
				runErr = fmt.Errorf("read %s from Buildium: %w", ent, err)
				break
			}
			if first {
				e.expect(ent, pg.Total)
				first = false
			}
			if runErr = page(pg.Items, pg.Total); runErr != nil {
				break
			}
			if runErr = e.reportBad(ent, pg.Bad); runErr != nil {
				break
			}
		}
	}
	// readIDs reads records by id, past the window: one GET each, or the
	// whole list again (keeping those) when that takes fewer requests.
	readIDs := func(ids []int32) error {
		if len(ids) == 0 {
			return nil
		}
		if n := e.listPages[ent]; n > 0 && len(ids) > n {
			return rereadList(lctx, e, ent, pages, ids, page)
		}
		items, bad, err := fetchRetries(lctx, ids, get)
		if err != nil {
			return err
		}
		if err := page(items, -1); err != nil {
			return err
		}
		return e.reportBad(ent, bad)
	}
	if runErr == nil {
		var ids []int32
		if ids, runErr = e.retryIDs(state.Kind(ent), seen); runErr == nil {
			runErr = readIDs(ids)
		}
	}
	if follow := e.followUp[ent]; runErr == nil && follow != nil {
		var ids []int32
		if ids, runErr = follow(seen); runErr == nil {
			runErr = readIDs(ids)
		}
	}
	if after := e.afterRead[ent]; runErr == nil && after != nil {
		runErr = after(lctx, seen, ld)
	}
	delete(e.afterRead, ent) // it holds what it settled (held duplicates, merge groups): let them go
	if started.IsZero() {
		started = e.stageStart(ent, 0)
	}
	if err := ld.close(); err != nil && (runErr == nil || ctx.Err() == nil) {
		runErr = err
	}
	if runErr == nil {
		runErr = ctx.Err()
	}
	if runErr == nil {
		runErr = e.commitCursor(ent)
	}
	e.stageDone(ent, started)
	return runErr
}

func (e *Engine) syncProperties(ctx context.Context) error {
	// Amenities were fetched in the background since the pre-pass, for
	// properties Buildium updated (or new ones); the rest keep what b2h last
	// wrote.
	updated := e.idx.updatedRentals
	var prior map[string]state.Mapping
	return streamStage(ctx, e, mapping.Properties, e.bd.Rentals, e.bd.Rental, func(r buildium.Rental) (named, bool) {
		e.idx.propertyNames[r.ID] = mapping.PropertyOf(r)
		var am *buildium.Amenities
		var keep map[string]string
		if !e.opt.SkipAmenities {
			mp, known := prior[id32(r.ID)]
			if updated != nil && !updated[r.ID] && known {
				keep = amenityValues(e.m, mp.Snapshot)
			} else {
				am = e.amenities.get(ctx, r.ID)
			}
		}
		var rent *float64
		if v, ok := e.idx.minRent[r.ID]; ok {
			rent = &v
		}
		rec := e.m.Rental(r, am, rent)
		if rent == nil && !e.readComplete(mapping.Units) {
			// A unit b2h could not read may hold the lowest rent: the base
			// rent is kept, not cleared.
			rec.Drop(e.m.TargetsOf(mapping.Properties, "MarketRent")...)
		}
		if keep != nil {
			rec.SetProperties(keep)
		}
		return named{rec: rec, name: rec.Name}, true
	}, func(ids []string) {
		if updated != nil {
			prior, _ = e.st.MappingsByKey(state.Kind(mapping.Properties), ids)
		}
	})
}

// amenityValues picks the amenity fields out of a property's snapshot.
func amenityValues(m *mapping.Mapping, snap map[string]string) map[string]string {
	out := map[string]string{}
	for _, f := range m.Entities[mapping.Properties].Fields {
		if strings.HasPrefix(f.Source, "Amenities") {
			if v, ok := snap[f.Target]; ok {
				out[f.Target] = v
			}
		}
	}
	return out
}

func (e *Engine) syncUnits(ctx context.Context) error {
	return streamStage(ctx, e, mapping.Units, e.bd.Units, e.bd.Unit, func(u buildium.RentalUnit) (named, bool) {
		prop := e.idx.propertyNames[u.PropertyID]
		e.idx.unitProperty[u.ID] = u.PropertyID
		if e.unitsStageReadsAll() {
			e.noteRent(u)
		}
		// The unit shows its current lease; with none, the lease fields are
		// cleared, so a lease that ended no longer shows.
		var active *buildium.Lease
		if i, ok := e.idx.currentLease[u.ID]; ok {
			l := e.idx.leases[i].lease()
			active = &l
		}
		rec := e.m.UnitRecord(u, prop, active)
		if active == nil && !e.readComplete(mapping.Leases) {
			// The lease list held records b2h could not read: one of them
			// may be this unit's, so its lease fields are not cleared.
			rec.Drop(slices.Collect(maps.Keys(e.m.LeaseFields(nil)))...)
		}
		name := rec.Name
		return named{rec: rec, name: name}, true
	})
}

// pageIDs lists the Buildium ids of a page of records.
func pageIDs[T any](items []T) []string {
	out := make([]string, 0, len(items))
	for _, x := range items {
		switch v := any(x).(type) {
		case buildium.Rental:
			out = append(out, id32(v.ID))
		case buildium.RentalUnit:
			out = append(out, id32(v.ID))
		case buildium.Tenant:
			out = append(out, id32(v.ID))
		}
	}
	return out
}

// rereadList streams ent's whole list (in scope) and passes on, a page at a
// time, the records among ids.
func rereadList[T any](ctx context.Context, e *Engine, ent mapping.Entity,
	pages func(context.Context, buildium.ListOptions) iter.Seq2[buildium.Page[T], error], ids []int32, page func([]T, int) error) error {
	want := newIDSet()
	for _, id := range ids {
		want.add(id32(id))
	}
	for pg, err := range pages(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read %s from Buildium: %w", ent, err)
		}
		keep := pg.Items[:0:0]
		for i, id := range pageIDs(pg.Items) {
			if want.has(id) {
				keep = append(keep, pg.Items[i])
			}
		}
		if len(keep) > 0 {
			if err := page(keep, -1); err != nil {
				return err
			}
		}
	}
	return nil
}
