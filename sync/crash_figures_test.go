package sync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// crashFigures are one crash test's numbers, printed as one "CRASH
// FIGURES" line that `make crashtest` gathers: kill points attempted, kills
// that landed mid-run, and what the comparisons found (all must be 0:
// duplicate records, facts lost, stray facts, state files that failed to
// open or verify, facts undo left behind).
type crashFigures struct {
	attempted, landed              int
	duplicates, lost, stray        int
	corrupt, undoLeft, comparisons int
}

// report logs the figures; deferred, so a failing test still prints them.
func (f *crashFigures) report(t *testing.T, mode string) {
	t.Logf("CRASH FIGURES mode=%-18s attempted=%-4d landed=%-4d duplicates=%d lost=%d stray=%d corrupt=%d undo_left=%d comparisons=%d",
		mode, f.attempted, f.landed, f.duplicates, f.lost, f.stray, f.corrupt, f.undoLeft, f.comparisons)
}

// compare is compareContents that also counts what differs.
func (f *crashFigures) compare(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	f.comparisons++
	for k := range got {
		switch {
		case want[k]:
		case strings.Contains(k, "|DUPLICATE "):
			f.duplicates++
		default:
			f.stray++
		}
	}
	for k := range want {
		if !got[k] {
			f.lost++
		}
	}
	compareContents(t, what, got, want)
}

// checkStateFile opens the state file at path as the next process would
// and reads all of it: Open's checks, state's Verify (bbolt's consistency
// check), the inspection counts, every mapping (snapshots decrypted) and
// the job history.
func checkStateFile(path string) error {
	st, err := state.Open(state.Options{Path: path, Keys: state.NewFileKeyStore(path + ".key"), Timeout: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer st.Close()
	if err := st.Verify(); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if _, err := st.Inspect(context.Background()); err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	for _, k := range append(mapping.Entities(), "associations") {
		if err := st.ForEachMapping(state.Kind(k), func(state.Mapping) error { return nil }); err != nil {
			return fmt.Errorf("%s mappings: %w", k, err)
		}
	}
	if _, err := st.Jobs(100); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if _, err := st.ReviewItems(""); err != nil {
		return fmt.Errorf("review items: %w", err)
	}
	if _, err := st.Decisions(); err != nil {
		return fmt.Errorf("decisions: %w", err)
	}
	return nil
}

// undoAll reverses every sync job of the state, newest first, and checks
// that HubSpot then holds exactly what it held before the first sync
// (pre) and that no mapping is left: undo removes what the jobs created,
// crashes or not.
func (f *crashFigures) undoAll(t *testing.T, h *harness, pre map[string]bool) {
	t.Helper()
	jobs, err := h.st.Jobs(0)
	if err != nil {
		t.Fatal(err)
	}
	undone := 0
	for _, j := range jobs {
		if j.UndoOf != "" || j.DryRun {
			continue
		}
		_, items, err := h.undo(j.ID, false)
		var refused *sync.UndoRefusedError
		switch {
		case errors.As(err, &refused):
			continue
		case err != nil:
			t.Fatalf("undo %s: %v", j.ID, err)
		}
		// Kept with nothing to write (a merge into a contact an earlier
		// job created, which that job's undo archives) is no loss; kept
		// with something to write means the undo took a crash for
		// someone's edit.
		for _, it := range items {
			if it.Outcome != sync.UndoReversed && testing.Verbose() {
				t.Logf("undo of %s (%s, %s): %s %s %s/%s %s: %s", j.ID, j.Mode, j.Status, it.Outcome, it.Undo, it.Kind, it.SourceID, it.HubSpotID, it.Reason)
			}
			if it.Outcome == sync.UndoErrored || (it.Outcome == sync.UndoKept && it.Undo != sync.UndoNone) {
				f.undoLeft++
				t.Errorf("undo of %s (%s, %s): %s %s %s/%s %s: %s (kept fields %v)", j.ID, j.Mode, j.Status,
					it.Outcome, it.Undo, it.Kind, it.SourceID, it.HubSpotID, it.Reason, it.KeptFields)
			}
		}
		undone++
	}
	got := hubspotContents(t, h)
	n := 0
	for k := range got {
		if !pre[k] {
			f.undoLeft++
			if n++; n <= 20 {
				t.Errorf("left after undoing all %d jobs: %s", undone, k)
			}
		}
	}
	for k := range pre {
		if !got[k] {
			f.undoLeft++
			t.Errorf("undo removed what was there before the first sync: %s", k)
		}
	}
	if n, err := h.st.CountMappings(""); err != nil || n != 0 {
		t.Errorf("%d mappings left after undoing all %d jobs (%v)", n, undone, err)
	}
}
