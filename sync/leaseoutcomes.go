package sync

import (
	"fmt"
	"strings"

	"b2h/state"
	"b2h/sync/mapping"
)

// leaseCommitChunk is how many leases' outcomes go in one state commit.
const leaseCommitChunk = 2000

// commitLeaseOutcomes counts each lease by the outcome of its tenants'
// associations, ledgers the skipped and failed ones and resolves the rest,
// in commits of leaseCommitChunk leases (bookkeeping only: the counters add
// up to the same whatever the split), then reports the stage's progress.
func (e *Engine) commitLeaseOutcomes(outcome func(leaseLite) (Action, string)) error {
	const ent = mapping.Leases
	e.readCount(ent, len(e.idx.leases))
	var total, c Counters
	b := state.Batch{JobID: e.jobID}
	now := e.now()
	flush := func() error {
		if c == (Counters{}) && len(b.Resolve) == 0 && len(b.Ledger) == 0 {
			return nil
		}
		b.Counters = map[state.Kind]state.EntityCounters{state.Kind(ent): toStateCounter(c)}
		if !e.opt.DryRun {
			if err := e.st.Commit(b); err != nil {
				return fmt.Errorf("commit lease outcomes: %w", err)
			}
		}
		total.Add(c)
		c, b = Counters{}, state.Batch{JobID: e.jobID}
		return nil
	}
	for i, l := range e.idx.leases {
		act, why := outcome(l)
		c.count(act)
		if act != ActSkip && act != ActFailed {
			b.Resolve = append(b.Resolve, state.LedgerKey{Kind: state.Kind(ent), SourceID: id32(l.id)})
		}
		if act == ActSkip || act == ActFailed {
			b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: state.Kind(ent), SourceID: id32(l.id), JobID: e.jobID,
				ErrorType: map[Action]string{ActSkip: "skipped", ActFailed: "hubspot"}[act], Message: why, FirstSeen: now, LastSeen: now})
			e.rep.Report(Issue{Entity: ent, SourceID: id32(l.id), Action: act, Message: fmt.Sprintf("lease %d: %s", l.id, why)})
		}
		if (i+1)%leaseCommitChunk == 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	e.progress(ent, total)
	return nil
}

// leaseOutcome sums a lease's tenants' association outcomes; outcome looks
// up the association of one tenant of the lease with its unit.
func leaseOutcome(l leaseLite, outcome func(tenant int32) (assocOutcome, bool)) (Action, string) {
	if len(l.tenants) == 0 {
		return ActSkip, "the lease has no tenants in Buildium"
	}
	var created, updated, unchanged, failed, skipped int
	var why []string
	for _, t := range l.tenants {
		o, ok := outcome(t.id)
		if !ok {
			continue
		}
		switch o.act {
		case ActCreate:
			created++
		case ActUpdate:
			updated++
		case ActUnchanged:
			unchanged++
		case ActFailed:
			failed++
			why = append(why, o.why)
		default:
			skipped++
			why = append(why, o.why)
		}
	}
	switch {
	case failed > 0:
		return ActFailed, strings.Join(why, "; ")
	case created+updated+unchanged == 0:
		return ActSkip, strings.Join(why, "; ")
	case created > 0 && updated+unchanged == 0:
		return ActCreate, ""
	case created+updated > 0:
		return ActUpdate, ""
	}
	return ActUnchanged, ""
}
