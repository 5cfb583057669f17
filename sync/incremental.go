package sync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// cursorOverlap is how far before the last watermark an incremental run
// reads again: Buildium's last-updated stamps and this machine's clock can
// disagree, and a record updated during the previous run's window must not
// fall between two windows (reference/lessons.md §7). Re-reading costs
// Buildium reads only: unchanged records have the same sync_hash.
const cursorOverlap = 15 * time.Minute

// windows returns the list options of one entity's read: its whole scope in
// a full run (or when no cursor exists yet), else the window since its
// cursor, split into ranges Buildium accepts.
func (e *Engine) windows(ent mapping.Entity) ([]buildium.ListOptions, error) {
	base := e.listOpts()
	if e.opt.Mode != Incremental || ent == mapping.Units || ent == mapping.Properties {
		// Units and properties are always read whole: a unit's occupancy is
		// computed by Buildium at query time and its lease fields change with
		// the date, neither bumping its last-updated stamp
		// (reference/buildium-api.md §5); a property's base rent follows its
		// units. Unchanged ones cost no write (same sync_hash).
		return []buildium.ListOptions{base}, nil
	}
	c, err := e.st.Cursor(state.Kind(ent))
	if errors.Is(err, state.ErrNotFound) {
		return []buildium.ListOptions{base}, nil // first run of this entity: everything
	}
	if err != nil {
		return nil, fmt.Errorf("read the %s cursor: %w", ent, err)
	}
	from := c.Watermark.Add(-cursorOverlap)
	var out []buildium.ListOptions
	for from.Before(e.runStart) {
		to := from.Add(buildium.MaxLastUpdatedRange - time.Hour)
		if to.After(e.runStart) {
			to = e.runStart
		}
		o := base
		o.LastUpdatedFrom, o.LastUpdatedTo = from, to
		out = append(out, o)
		from = to
	}
	if len(out) == 0 { // a cursor from the future (clock change): read from it
		o := base
		o.LastUpdatedFrom, o.LastUpdatedTo = c.Watermark.Add(-cursorOverlap), e.runStart.Add(cursorOverlap)
		out = append(out, o)
	}
	return out, nil
}

// cursorAfter is the cursor an entity gets once every record of its window
// is committed or ledgered: the run's start (records updated during the run
// are read again next time, thanks to the overlap).
func (e *Engine) cursorAfter(ent mapping.Entity) state.Cursor {
	return state.Cursor{Kind: state.Kind(ent), Watermark: e.runStart, UpdatedAt: e.now(), JobID: e.jobID}
}

// commitCursor notes that an entity's stage ended without error (failed
// records are in the ledger, retried next run regardless of the cursor).
// The cursor itself advances only when the whole run has succeeded
// (commitCursors): later stages still derive work from the window's
// records (a tenant's emergency contact, its associations), and a run
// killed before them must read that window again.
func (e *Engine) commitCursor(ent mapping.Entity) error {
	if e.opt.DryRun || len(e.opt.PropertyIDs) > 0 {
		// A dry run changes nothing; a property-scoped run has not seen the
		// rest of the portfolio, so its window does not cover it.
		return nil
	}
	e.mu.Lock()
	e.pendingCursors = append(e.pendingCursors, e.cursorAfter(ent))
	e.mu.Unlock()
	return nil
}

// commitCursors advances, in one commit, the cursors of every stage of a
// run that completed.
func (e *Engine) commitCursors() error {
	e.mu.Lock()
	cs := e.pendingCursors
	e.pendingCursors = nil
	e.mu.Unlock()
	if len(cs) == 0 {
		return nil
	}
	if err := e.st.Commit(state.Batch{JobID: e.jobID, Cursors: cs}); err != nil {
		return fmt.Errorf("advance the incremental cursors: %w", err)
	}
	return nil
}

// retryIDs lists the records of kind that failed in an earlier run for a
// reason a retry can cure (HubSpot or network errors), so the run fetches
// them even when Buildium did not touch them.
func (e *Engine) retryIDs(kind state.Kind, seen *idSet) ([]int32, error) {
	if e.opt.Mode != Incremental {
		return nil, nil // a full run reads everything anyway
	}
	open, err := e.st.OpenLedger(kind)
	if err != nil {
		return nil, fmt.Errorf("read the %s ledger: %w", kind, err)
	}
	var ids []int32
	for _, le := range open {
		if !retryable(le.ErrorType) {
			continue
		}
		if seen.has(le.SourceID) {
			continue
		}
		var id int32
		if _, err := fmt.Sscan(le.SourceID, &id); err == nil {
			ids = append(ids, id)
		}
	}
	// Records a person decided since they were held: the decision applies
	// to them now, whether or not Buildium changed them.
	// So are the members of a held group that Buildium edits broke up:
	// they are no longer duplicates and land now.
	for itemID, srcs := range e.reviewSources[kind] {
		_, decided := e.decisions[itemID]
		if !decided && !e.vanishedGroup(itemID) {
			continue
		}
		for _, src := range srcs {
			var id int32
			if _, err := fmt.Sscan(src, &id); err == nil && !seen.has(src) && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// retryable reports whether a ledger entry of this error type is retried
// by an incremental run: HubSpot's refusals and transport failures, not
// invalid data (which waits for Buildium to change) or decisions.
func retryable(errorType string) bool {
	switch errorType {
	case "hubspot", "hubspot_validation", "transport":
		return true
	}
	return false
}

// fetchRetries fetches records by id and yields them as one page.
func fetchRetries[T any](ctx context.Context, ids []int32, get func(context.Context, int32) (T, error)) ([]T, []buildium.BadRecord, error) {
	out := make([]T, 0, len(ids))
	var bad []buildium.BadRecord
	for _, id := range ids {
		x, err := get(ctx, id)
		var apiErr *buildium.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == 404 {
			continue // gone from Buildium: nothing to retry
		}
		var br *buildium.BadRecordError
		if errors.As(err, &br) {
			bad = append(bad, br.BadRecord) // one invalid line, not the run
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("fetch record %d from Buildium to retry it: %w", id, err)
		}
		out = append(out, x)
	}
	return out, bad, nil
}

// updatedSince returns the ids of entity records Buildium updated inside
// the incremental window (nil in a full run or without a cursor: treat all
// as updated).
func (e *Engine) updatedRentals(ctx context.Context) (map[int32]bool, error) {
	if e.opt.Mode != Incremental {
		return nil, nil
	}
	c, err := e.st.Cursor(state.Kind(mapping.Properties))
	if errors.Is(err, state.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	o := e.listOpts()
	o.LastUpdatedFrom, o.LastUpdatedTo = c.Watermark.Add(-cursorOverlap), e.runStart
	if e.runStart.Sub(o.LastUpdatedFrom) > buildium.MaxLastUpdatedRange {
		return nil, nil
	}
	out := map[int32]bool{}
	for page, err := range e.bd.Rentals(ctx, o) {
		if err != nil {
			return nil, fmt.Errorf("read updated properties from Buildium: %w", err)
		}
		for _, r := range page.Items {
			out[r.ID] = true
		}
	}
	return out, nil
}

// vanishedGroup reports whether the review item id is a duplicate group of
// an earlier run that this run's pre-pass no longer finds (a member's
// email, name or phone changed). A property-scoped run sees too few tenants
// to tell.
func (e *Engine) vanishedGroup(id string) bool {
	if len(e.opt.PropertyIDs) > 0 || e.idx.dupes == nil || !strings.HasPrefix(id, "dup-") || strings.HasPrefix(id, "dup-existing-") {
		return false
	}
	_, live := e.idx.dupes.members[id]
	return !live
}
