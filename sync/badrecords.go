package sync

import (
	"fmt"
	"strconv"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// reportBad records the list records Buildium sent that are not records
// b2h can use (they do not decode, their Id is not positive, or they are
// null): each is one invalid line with what is wrong and where, never sent
// and never a key, and the rest of the list goes on. The entity's read is
// then not complete: nothing is removed or blanked on its strength.
func (e *Engine) reportBad(ent mapping.Entity, bad []buildium.BadRecord) error {
	if len(bad) == 0 {
		return nil
	}
	e.mu.Lock()
	if e.incomplete == nil {
		e.incomplete = map[mapping.Entity]bool{}
	}
	e.incomplete[ent] = true
	e.mu.Unlock()
	kind := state.Kind(ent)
	now := e.now()
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	issues := make([]Issue, 0, len(bad))
	for _, r := range bad {
		src := r.ID
		where := "Id " + strconv.Quote(r.ID)
		if src == "" {
			src = "offset-" + strconv.Itoa(r.Offset)
			where = "without a usable Id"
		}
		msg := fmt.Sprintf("%s %s (record %d of Buildium's %s list) is not a record b2h can use: %s; fix it in Buildium, the rest of the list is synced",
			singular(ent), where, r.Offset+1, r.Kind, r.Reason)
		b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: kind, SourceID: src, JobID: e.jobID, ErrorType: "validation",
			Message: msg, Details: "bad record", FirstSeen: now, LastSeen: now})
		issues = append(issues, Issue{Entity: ent, SourceID: src, Action: ActInvalid, Message: msg})
	}
	c := Counters{Invalid: len(bad)}
	b.Counters[kind] = toStateCounter(c)
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit %s bookkeeping: %w", ent, err)
		}
	}
	e.readCount(ent, len(bad))
	for _, is := range issues {
		e.rep.Report(is)
	}
	e.progress(ent, c)
	return nil
}

// readComplete reports whether every record of the entity's list was read
// as a record (none bad): removals and blanked fields need it.
func (e *Engine) readComplete(ent mapping.Entity) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !e.incomplete[ent]
}
