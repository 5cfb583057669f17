package sync

import (
	"fmt"
	"slices"

	"b2h/sync/mapping"
)

// DefaultMaxShrink is the share by which a Buildium list may shrink since
// the last complete full run before a run stops: a list that lost a tenth
// of its records is more likely a broken read or a wrong account than a
// real portfolio change.
const DefaultMaxShrink = 0.10

// shrinkGuard compares each list's size with what the last finished full
// run of the same scope read.
type shrinkGuard struct {
	prev map[mapping.Entity]int
	max  float64 // share; negative: no guard
}

// newShrinkGuard reads the last finished full, unscoped, live run's counts.
// Incremental and scoped runs see only part of each list: no guard.
func (e *Engine) newShrinkGuard() (*shrinkGuard, error) {
	g := &shrinkGuard{max: e.opt.MaxShrink}
	if e.opt.AllowShrink || e.opt.Mode != Full || len(e.opt.PropertyIDs) > 0 {
		g.max = -1
		return g, nil
	}
	if g.max == 0 {
		g.max = DefaultMaxShrink
	}
	jobs, err := e.st.Jobs(50)
	if err != nil {
		return nil, fmt.Errorf("read job history: %w", err)
	}
	for _, j := range jobs { // newest first
		if j.DryRun || j.Mode != string(Full) || len(j.Scope.PropertyIDs) > 0 || (j.Status != StatusDone && j.Status != StatusDoneWithErrors) {
			continue
		}
		g.prev = map[mapping.Entity]int{}
		for k, c := range j.Entities {
			if len(j.Scope.Only) == 0 || slices.Contains(j.Scope.Only, string(k)) {
				g.prev[mapping.Entity(k)] = int(c.Read)
			}
		}
		break
	}
	return g, nil
}

// check stops the run, before the list's records are used, when the list
// has shrunk by more than the guard allows; total is Buildium's
// X-Total-Count of the list (negative: not sent).
func (g *shrinkGuard) check(ent mapping.Entity, total int) error {
	if g == nil || g.max < 0 || total < 0 {
		return nil
	}
	prev, ok := g.prev[ent]
	if !ok || prev == 0 || total >= prev {
		return nil
	}
	if share := float64(prev-total) / float64(prev); share > g.max {
		return configErr("Buildium's %s list has %d records, %d fewer than the %d the last full sync read (%.0f %%, more than the %.0f %% allowed): nothing that depends on it was written. If records were really removed in Buildium, run again with --allow-shrink; otherwise check the Buildium account and key", ent, total, prev-total, prev, share*100, g.max*100)
	}
	return nil
}
