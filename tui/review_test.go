package tui

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// stateOf is the real state file behind a test model.
func stateOf(m Model) *state.Store { return m.sess.deps.Store.(fixedPathStore).Store }

// storedDecision reads a decision back from the state file.
func storedDecision(t *testing.T, m Model, id string) (state.Decision, bool) {
	t.Helper()
	d, err := stateOf(m).Decision(id)
	if errors.Is(err, state.ErrNotFound) {
		return d, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return d, true
}

// wantDecision asserts that the stored decision is exactly the expected
// one: resolution, every field choice, who and when, not yet applied.
func wantDecision(t *testing.T, m Model, id, typ, res string, fields map[string]string) {
	t.Helper()
	d, ok := storedDecision(t, m, id)
	if !ok {
		t.Fatalf("no decision stored for %s", id)
	}
	if d.Type != typ || d.Resolution != res || !maps.Equal(d.Fields, fields) {
		t.Errorf("%s stored as %s/%s %v, want %s/%s %v", id, d.Type, d.Resolution, d.Fields, typ, res, fields)
	}
	if d.DecidedBy != "consultant" || !d.DecidedAt.Equal(testNow) || d.AppliedByJob != "" {
		t.Errorf("%s: decided by %q at %v, applied by %q", id, d.DecidedBy, d.DecidedAt, d.AppliedByJob)
	}
}

// openItem opens the item with id in the detail view.
func openItem(t *testing.T, m Model, id string) Model {
	t.Helper()
	r := m.review
	r.detail, r.confirm = nil, nil
	r.entFilter, r.kindFilter = 0, 0
	r.filter()
	for i, idx := range r.view {
		if r.entries[idx].item.ID == id {
			r.cursor = i
			m, _ = press(m, "enter")
			if m.review.detail == nil || m.review.entry().item.ID != id {
				t.Fatalf("enter did not open %s", id)
			}
			return m
		}
	}
	t.Fatalf("%s is not in the list", id)
	return m
}

// toField moves the detail cursor to a field.
func toField(t *testing.T, m Model, field string) Model {
	t.Helper()
	e := m.review.entry()
	for i, f := range e.fields {
		if f == field {
			m.review.detail.row = i
			return m
		}
	}
	t.Fatalf("%s has no field %s (%v)", e.item.ID, field, e.fields)
	return m
}

func TestReviewListFiltersAndCounts(t *testing.T) {
	m := reviewModel(t, 100, 30)
	text := screenText(m)
	for _, w := range []string{"Review  7 open", "[All 7]", "Units 1", "Tenants 6", "duplicate 2", "existing 1", "conflict 4", "1–7 of 7",
		"1000012 Jane Doe / 1000013 Jane Doe-Smith: share an email", "Tenant 1000030 Grace Okafor: lastname, phone changed on bot"} {
		if !strings.Contains(text, w) {
			t.Errorf("list lacks %q:\n%s", w, text)
		}
	}
	m, _ = press(m, "f", "f", "f") // conflicts
	if got := len(m.review.view); got != 4 {
		t.Fatalf("conflict filter: %d rows, want 4", got)
	}
	text = screenText(m)
	if !strings.Contains(text, "[conflict 4]") || !strings.Contains(text, "Units 1") || !strings.Contains(text, "Tenants 3") {
		t.Errorf("entity counts under the conflict filter:\n%s", text)
	}
	m, _ = press(m, "tab") // units
	if got := len(m.review.view); got != 1 || m.review.entries[m.review.view[0]].item.ID != fxRent {
		t.Fatalf("units+conflict: %d rows", got)
	}
	m, _ = press(m, "f") // units, all kinds → back to all after a full cycle
	if m.review.kindFilter != 0 || len(m.review.view) != 1 {
		t.Fatalf("kind filter %d, %d rows", m.review.kindFilter, len(m.review.view))
	}
	m, _ = press(m, "f") // units duplicates: none
	if len(m.review.view) != 0 || !strings.Contains(screenText(m), "No item matches these filters") {
		t.Fatalf("empty filter:\n%s", screenText(m))
	}
	m, _ = press(m, "enter", "u", "down") // nothing to open, undo or move
	if m.review.detail != nil {
		t.Fatal("enter opened an item of an empty list")
	}
	m, _ = press(m, "shift+tab", "f", "f", "f") // all entities, all kinds
	if len(m.review.view) != 7 {
		t.Fatalf("all filters: %d rows", len(m.review.view))
	}
}

func TestReviewListScrollsOnlyVisibleRows(t *testing.T) {
	m := reviewModel(t, 80, 24, manyConflicts(t, 5000)...)
	room := m.review.listRoom()
	if len(m.review.entries) != 5007 {
		t.Fatalf("%d entries", len(m.review.entries))
	}
	rows := func(text string) int {
		n := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "  open ") || strings.HasPrefix(l, "› open ") {
				n++
			}
		}
		return n
	}
	if got := rows(screenText(m)); got != room {
		t.Fatalf("%d rows drawn, room for %d", got, room)
	}
	m, _ = press(m, "space", "space") // page down twice
	screenText(m)
	if m.review.cursor != 2*room || m.review.top != 2*room-room+1 {
		t.Fatalf("after two pages: cursor %d top %d (room %d)", m.review.cursor, m.review.top, room)
	}
	m, _ = press(m, "end")
	text := screenText(m)
	if m.review.cursor != 5006 || !strings.Contains(text, "of 5,007") || !strings.Contains(text, "› open            conflict   Tenants    Tenant 1104999") {
		t.Fatalf("end: cursor %d\n%s", m.review.cursor, text)
	}
	if got := rows(text); got != room {
		t.Fatalf("%d rows drawn at the end, room for %d", got, room)
	}
	m, _ = press(m, "home", "up")
	screenText(m)
	if m.review.cursor != 0 || m.review.top != 0 {
		t.Fatalf("home: cursor %d top %d", m.review.cursor, m.review.top)
	}
}

func TestReviewConflictFieldByField(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxPhone1)
	text := screenText(m)
	for _, w := range []string{"Base (last sync)", "Buildium now", "HubSpot now", "Result", "+15035550122", "+15035550111", "Okafor-Reyes", "(held for review)", "undecided"} {
		if !strings.Contains(text, w) {
			t.Errorf("conflict detail lacks %q:\n%s", w, text)
		}
	}
	// One field chosen: not enough to save.
	m = toField(t, m, "lastname")
	m, _ = press(m, "right", "enter")
	if _, ok := storedDecision(t, m, fxPhone1); ok {
		t.Fatal("a conflict with a field left undecided was saved")
	}
	if !strings.Contains(screenText(m), "1 of 2 fields chosen: choose phone too") {
		t.Fatalf("no explanation:\n%s", screenText(m))
	}
	// Edit the other: the result column shows the edited value.
	m = toField(t, m, "phone")
	m, _ = press(m, "e")
	if !m.review.Typing() || m.review.detail.input.Value() != "+15035550122" {
		t.Fatalf("edit did not start on Buildium's value: typing %v, %q", m.review.Typing(), m.review.detail.input.Value())
	}
	m.review.detail.input.SetValue("")
	m, _ = press(m, "+", "1", "5", "0", "3", "5", "5", "5", "0", "1", "7", "7", "q") // q is text here
	m, _ = press(m, "backspace", "enter")
	if m.review.Typing() {
		t.Fatal("enter did not end the edit")
	}
	if text := screenText(m); !strings.Contains(text, "✎ +15035550177") || !strings.Contains(text, "→ Okafor Reyes") || !strings.Contains(text, "(•) per field") {
		t.Fatalf("result column:\n%s", text)
	}
	m, _ = press(m, "enter")
	wantDecision(t, m, fxPhone1, "conflict", "fields", map[string]string{"lastname": "hubspot", "phone": "value:+15035550177"})
	if m.review.detail == nil || m.review.entry().item.ID != fxPhone2 {
		t.Fatal("save did not move on to the next item")
	}
	// A record-level choice, then one field the other way: every field is
	// decided explicitly.
	m, _ = press(m, "1")
	m = toField(t, m, "phone")
	m, _ = press(m, "right", "enter")
	wantDecision(t, m, fxPhone2, "conflict", "fields", map[string]string{"lastname": "buildium", "phone": "hubspot"})
	// The whole record one way.
	m = openItem(t, m, fxRent)
	m, _ = press(m, "2", "enter")
	wantDecision(t, m, fxRent, "conflict", sync.HubSpotWins, nil)
	// An item from an older run: record-level only.
	m = openItem(t, m, fxOld)
	m, _ = press(m, "right")
	if !strings.Contains(screenText(m), "no field-level detail") {
		t.Errorf("field choice on an item without detail:\n%s", screenText(m))
	}
	m, _ = press(m, "1", "enter")
	wantDecision(t, m, fxOld, "conflict", sync.BuildiumWins, nil)
}

func TestReviewDuplicateGroupChoices(t *testing.T) {
	m := reviewModel(t, 200, 50)
	m = openItem(t, m, fxGroup)
	// The unique key is never a choice.
	m = toField(t, m, mapping.KeyTenant)
	m, _ = press(m, "right")
	if m.review.detail.d.res != "" || !strings.Contains(screenText(m), "a review never changes it") {
		t.Fatalf("key field chosen: %+v\n%s", m.review.detail.d, screenText(m))
	}
	m, _ = press(m, "p") // 1000013 becomes the primary
	m = toField(t, m, "address")
	m, _ = press(m, "left")
	m = toField(t, m, "phone")
	m, _ = press(m, "right")
	text := screenText(m)
	for _, w := range []string{"(•) 1 merge", "★ primary 1000013", "← 12 Maple St Apt 3B", "→ +15035550199", "★ Doe-Smith"} {
		if !strings.Contains(text, w) {
			t.Errorf("merge detail lacks %q:\n%s", w, text)
		}
	}
	m, _ = press(m, "enter")
	wantDecision(t, m, fxGroup, "duplicate", sync.DupMerge, map[string]string{"primary": "1000013", "address": "1000012", "phone": "1000013"})

	// The household of three: the third member shown, made primary, kept
	// separate; field choices made before do not leak into keep separate.
	if m.review.entry().item.ID != fxHouse {
		t.Fatalf("save moved to %s", m.review.entry().item.ID)
	}
	m, _ = press(m, "tab")
	if got := m.review.memberID(m.review.entry(), m.review.detail.right); got != "1000052" {
		t.Fatalf("tab shows %s on the right", got)
	}
	m = toField(t, m, "phone")
	m, _ = press(m, "left", "p", "2")
	if !strings.Contains(screenText(m), "only 1000052 keeps a shared email") {
		t.Errorf("keep separate result:\n%s", screenText(m))
	}
	m, _ = press(m, "enter")
	wantDecision(t, m, fxHouse, "duplicate", sync.DupKeepSeparate, map[string]string{"primary": "1000052"})
}

func TestReviewExistingContact(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m = openItem(t, m, fxExisting)
	m, _ = press(m, "e")
	if m.review.Typing() || !strings.Contains(screenText(m), "edited values are not supported") {
		t.Fatalf("edit on an adoption:\n%s", screenText(m))
	}
	m = toField(t, m, "firstname")
	m, _ = press(m, "right")
	if text := screenText(m); !strings.Contains(text, "(•) 1 adopt contact") || !strings.Contains(text, "→ María") {
		t.Fatalf("adopt detail:\n%s", text)
	}
	m, _ = press(m, "enter")
	wantDecision(t, m, fxExisting, "duplicate", sync.DupAdopt, map[string]string{"existing_contact_id": "501", "firstname": "hubspot"})
}

func TestReviewMasksPersonalData(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m, _ = press(m, "m")
	m = openItem(t, m, fxGroup)
	text := screenText(m)
	for _, w := range []string{"Jane", "jane.doe@", "Maple St"} {
		if strings.Contains(text, w) {
			t.Errorf("%q shown while masked:\n%s", w, text)
		}
	}
	if !strings.Contains(text, "1000012") {
		t.Errorf("ids should stay visible:\n%s", text)
	}
}

func TestReviewHostilePayloadIsCleaned(t *testing.T) {
	hostile := reviewFixtures(t)[3] // a conflict
	hostile.ID = sync.ConflictID(mapping.Tenants, "1000099")
	hostile.Payload = mustJSON(t, sync.ConflictPayload{Entity: mapping.Tenants, SourceID: "1000099", Name: "Evil\x1b]0;pwned\x07 \x1b[31mName",
		Fields: []sync.FieldConflict{{Field: "lastname", Base: "a", Buildium: "b\x1b[2J", HubSpot: "c\r\nd"}}})
	m := reviewModel(t, 100, 30, hostile)
	m = openItem(t, m, hostile.ID)
	if out := m.render(); strings.Contains(out, "\x1b]0;") || strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\r") {
		t.Fatalf("control sequences reached the terminal: %q", out)
	}
}

func TestReviewReachableAndBack(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m.sess.reviewOpen = 7
	// esc goes back to where the review was opened (the summary here).
	_, cmd := press(m, "esc")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrSummary) {
		t.Fatalf("esc gave %v", msgs)
	}
	for _, from := range []screenID{scrPlan, scrSync, scrSummary} {
		m.active = from
		if from == scrPlan {
			m = planned(t, m)
		}
		if !strings.Contains(screenText(m), "v review") {
			t.Errorf("%s does not offer v review:\n%s", from.title(), screenText(m))
		}
		_, cmd := press(m, "v")
		if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrReview) {
			t.Errorf("v on %s gave %v", from.title(), msgs)
		}
	}
	m.sess.reviewOpen = 0
	m.active = scrSummary
	if _, cmd := press(m, "v"); cmd != nil || strings.Contains(screenText(m), "v review") {
		t.Error("v offered with nothing to review")
	}
	// Counts arrive from the store when a screen is entered.
	m, cmd = send(m, goTo(scrSync))
	m, _ = send(m, exec(t, cmd)...)
	if m.sess.reviewOpen != 7 {
		t.Errorf("review count %d after entering Sync, want 7", m.sess.reviewOpen)
	}
}

func TestReviewSyncNow(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m.sess.mode = sync.Full
	_, cmd := press(m, "s")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrSync) || m.sess.mode != sync.Incremental {
		t.Fatalf("s gave %v, mode %s", msgs, m.sess.mode)
	}
	m.review.syncBusy = func() bool { return true }
	if _, cmd := press(m, "s"); cmd != nil || !strings.Contains(screenText(m), "apply on the next one") {
		t.Fatalf("s during a sync:\n%s", screenText(m))
	}
	// b2h review in a terminal: no accounts yet, so the flow starts at Connect.
	d := testDeps(t)
	d.StartReview = true
	seedReview(t, d.Store)
	m2 := New(t.Context(), d)
	if m2.active != scrReview {
		t.Fatalf("StartReview opened %s", m2.active.title())
	}
	m2, _ = send(m2, tea_WindowSize(80, 24))
	m2, _ = send(m2, exec(t, m2.review.load())...)
	if len(m2.review.entries) != 7 {
		t.Fatalf("%d entries", len(m2.review.entries))
	}
	if _, cmd := press(m2, "esc"); cmd != nil {
		t.Error("esc with nowhere to go back to")
	}
	_, cmd = press(m2, "s")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrConnect) {
		t.Fatalf("s without accounts gave %v", msgs)
	}
}

// TestReviewHelpShowsEveryKey: the full help lists every binding the view
// handles, at the smallest size.
func TestReviewHelpShowsEveryKey(t *testing.T) {
	m := reviewModel(t, 80, 24)
	check := func(view string, m Model) {
		t.Helper()
		var want []key.Binding
		for _, g := range m.review.FullHelp() {
			want = append(want, g...)
		}
		m, _ = press(m, "?")
		text := screenText(m)
		for _, b := range want {
			if b.Enabled() && !strings.Contains(text, b.Help().Key+" ") {
				t.Errorf("%s help lacks %q (%s):\n%s", view, b.Help().Key, b.Help().Desc, text)
			}
		}
	}
	check("list", m)
	check("detail", openItem(t, m, fxHouse))
	check("conflict", openItem(t, m, fxPhone1))
}
