package tui

import (
	"strings"
	"testing"

	"b2h/state"
	"b2h/sync"
)

func TestReviewUndoBeforeTheSync(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxRent)
	m, _ = press(m, "1", "enter")
	if _, ok := storedDecision(t, m, fxRent); !ok {
		t.Fatal("not saved")
	}
	m, _ = press(m, "esc")
	m = openItem(t, m, fxRent)
	if !strings.Contains(screenText(m), "decided: Buildium wins (applied by the next sync)") {
		t.Fatalf("decided state not shown:\n%s", screenText(m))
	}
	m, _ = press(m, "esc")
	if !strings.Contains(screenText(m), "✓ Buildium wins") || !strings.Contains(screenText(m), "1 decided, applied by the next sync") {
		t.Fatalf("list does not show the decision:\n%s", screenText(m))
	}
	m, _ = press(m, "u")
	if _, ok := storedDecision(t, m, fxRent); ok {
		t.Fatal("undo left the decision in state")
	}
	if text := screenText(m); !strings.Contains(text, "Decision undone") || strings.Contains(text, "decided, applied") {
		t.Fatalf("after undo:\n%s", text)
	}
	// Undo in the detail resets the choices; a running sync locks decisions.
	m = openItem(t, m, fxRent)
	m, _ = press(m, "2", "enter")
	m = openItem(t, m, fxRent)
	m.review.syncBusy = func() bool { return true }
	m, _ = press(m, "u")
	if _, ok := storedDecision(t, m, fxRent); !ok || !strings.Contains(screenText(m), "a sync is running") {
		t.Fatalf("undo during a sync:\n%s", screenText(m))
	}
	m.review.syncBusy = func() bool { return false }
	m, _ = press(m, "u")
	if _, ok := storedDecision(t, m, fxRent); ok || m.review.detail.d.res != "" {
		t.Fatalf("undo in the detail: stored %v, draft %+v", ok, m.review.detail.d)
	}
}

func TestReviewApplyToSimilar(t *testing.T) {
	extra := manyConflicts(t, 30) // phone only: not similar to lastname+phone
	m := reviewModel(t, 100, 30, extra...)
	m = openItem(t, m, fxPhone1)
	m, _ = press(m, "2", "A")
	if m.review.confirm == nil {
		t.Fatalf("no preview:\n%s", screenText(m))
	}
	if q := m.review.confirm.text; !strings.Contains(q, `Apply "HubSpot wins" to this item and 1 other undecided conflicts of tenants on lastname, phone?`) {
		t.Fatalf("preview: %s", q)
	}
	m, _ = press(m, "n")
	if _, ok := storedDecision(t, m, fxPhone2); ok || m.review.confirm != nil {
		t.Fatal("n applied it anyway")
	}
	m, _ = press(m, "A", "y")
	wantDecision(t, m, fxPhone1, "conflict", sync.HubSpotWins, nil)
	wantDecision(t, m, fxPhone2, "conflict", sync.HubSpotWins, nil)
	for _, id := range []string{fxRent, fxOld, extra[0].ID} {
		if _, ok := storedDecision(t, m, id); ok {
			t.Errorf("%s is not similar but was decided", id)
		}
	}
	if !strings.Contains(screenText(m), `Decided 2 item(s) with "HubSpot wins"`) {
		t.Errorf("no report:\n%s", screenText(m))
	}

	// Phone-only conflicts: one decided by hand stays as it is.
	m = openItem(t, m, extra[1].ID)
	m, _ = press(m, "2", "enter")
	m = openItem(t, m, extra[0].ID)
	m, _ = press(m, "left", "A")
	if q := m.review.confirm.text; !strings.Contains(q, "and 28 other undecided") || !strings.Contains(q, "1 already decided stay as they are") {
		t.Fatalf("preview: %s", q)
	}
	m, _ = press(m, "y")
	wantDecision(t, m, extra[29].ID, "conflict", "fields", map[string]string{"phone": "buildium"})
	wantDecision(t, m, extra[1].ID, "conflict", sync.HubSpotWins, nil)

	// Edited values are never copied to other records.
	m = openItem(t, m, fxRent)
	m, _ = press(m, "e", "9", "enter", "A")
	if m.review.confirm != nil || !strings.Contains(screenText(m), "Edited values belong to this record") {
		t.Fatalf("edits carried:\n%s", screenText(m))
	}
}

func TestReviewApplyToSimilarGroupsByPosition(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxGroup)
	m, _ = press(m, "p")
	m = toField(t, m, "phone")
	m, _ = press(m, "left", "A")
	if m.review.confirm == nil || !strings.Contains(m.review.confirm.text, "Member choices carry by position") {
		t.Fatalf("preview:\n%s", screenText(m))
	}
	m, _ = press(m, "y")
	wantDecision(t, m, fxGroup, "duplicate", sync.DupMerge, map[string]string{"primary": "1000013", "phone": "1000012"})
	wantDecision(t, m, fxHouse, "duplicate", sync.DupMerge, map[string]string{"primary": "1000051", "phone": "1000050"})
	if _, ok := storedDecision(t, m, fxExisting); ok {
		t.Error("an existing-contact item is not a duplicate group")
	}
}

func TestReviewSettledMeanwhileIsNotDecided(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxRent)
	if err := stateOf(m).DeleteReviewItem(fxRent); err != nil { // a sync applied it
		t.Fatal(err)
	}
	m, _ = press(m, "1", "enter")
	if _, ok := storedDecision(t, m, fxRent); ok {
		t.Fatal("a decision was stored for an item no longer open")
	}
	if !strings.Contains(screenText(m), "settled meanwhile") {
		t.Fatalf("not explained:\n%s", screenText(m))
	}
}

func TestReviewAppliedDecisionDoesNotCount(t *testing.T) {
	d := testDeps(t)
	if err := d.Store.PutDecision(state.Decision{ID: fxRent, Type: "conflict", Resolution: sync.BuildiumWins, AppliedByJob: "j1"}); err != nil {
		t.Fatal(err)
	}
	seedReview(t, d.Store)
	m := connected(t, newTestModel(t, d, 100, 30), sync.UnitListing)
	m, cmd := send(m, goTo(scrReview))
	m, _ = send(m, exec(t, cmd)...)
	for _, e := range m.review.entries {
		if e.item.ID == fxRent && e.dec != nil {
			t.Fatal("a decision an earlier sync applied shows as pending for a new conflict")
		}
	}
}

func TestReviewDiscardAsks(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxRent)
	m, _ = press(m, "1", "esc")
	if m.review.confirm == nil || !strings.Contains(screenText(m), "Discard the choices") {
		t.Fatalf("esc with unsaved choices did not ask:\n%s", screenText(m))
	}
	m, _ = press(m, "n")
	if m.review.detail == nil || m.review.detail.d.res != sync.BuildiumWins {
		t.Fatal("n lost the choices")
	}
	m, _ = press(m, "]")
	if m.review.entry().item.ID != fxRent {
		t.Fatal("] left unsaved choices behind")
	}
	m, _ = press(m, "esc", "y")
	if m.review.detail != nil {
		t.Fatal("y did not discard")
	}
	if _, ok := storedDecision(t, m, fxRent); ok {
		t.Fatal("discarded choices were stored")
	}
}
