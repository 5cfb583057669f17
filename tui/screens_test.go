package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"b2h/sync"
	"b2h/sync/mapping"
)

func TestCheckShowsResultAndMovesOn(t *testing.T) {
	m := newTestModel(t, testDeps(t), 80, 24)
	m.sess.connected(&Accounts{PortalID: "12345678", BuildiumHost: "api.buildium.com"})
	m, _ = send(m, goTo(scrCheck))
	m.check.loading, m.check.seq = true, 1 // as Enter left it (its Cmd would call the engine)
	if _, cmd := press(m, "enter"); cmd != nil {
		t.Fatal("enter before the check finished moved on")
	}
	res := sync.AccountChecked{PortalID: "12345678", Tier: "starter", ListingsEnabled: true, UnitMode: sync.UnitListing,
		UnitReason: "custom objects need HubSpot Enterprise", DailyRemaining: 1200, RatePer10s: 100}
	m, _ = send(m, checkedMsg{seq: 1, res: res})
	if m.sess.check == nil || m.sess.mapping == nil {
		t.Fatal("check result or mapping not kept")
	}
	if got := m.sess.mapping.Entity(mapping.Units).Target; got != mapping.TargetListings {
		t.Fatalf("units map to %q on a starter account, want listings", got)
	}
	text := screenText(m)
	for _, w := range []string{"starter", "not available", "Units → listings (fallback)", "1,200 calls left today", "low:", "not reported"} {
		if !strings.Contains(text, w) {
			t.Errorf("check screen lacks %q:\n%s", w, text)
		}
	}
	_, cmd := press(m, "enter")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrMap) {
		t.Fatalf("enter gave %v, want goTo(map)", msgs)
	}
}

func TestCheckErrorOffersRetry(t *testing.T) {
	m := newTestModel(t, testDeps(t), 80, 24)
	m.sess.connected(&Accounts{PortalID: "1"})
	m, _ = send(m, goTo(scrCheck))
	m.check.loading, m.check.seq = true, 3
	m, _ = send(m, checkedMsg{seq: 2, err: errors.New("stale")}) // an older attempt: ignored
	if m.check.err != nil {
		t.Fatal("a stale result was applied")
	}
	m, _ = send(m, checkedMsg{seq: 3, err: fmt.Errorf("%w: the Listings object is not activated in HubSpot portal 1", sync.ErrConfig)})
	if !strings.Contains(screenText(m), "Listings object is not activated") {
		t.Fatalf("error not shown:\n%s", screenText(m))
	}
	m, cmd := press(m, "r")
	if cmd == nil || !m.check.loading || m.check.seq != 4 {
		t.Fatalf("r did not start a new check (loading %v, seq %d)", m.check.loading, m.check.seq)
	}
}

func TestMapTabsSamplesAndMasking(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 100, 30), sync.UnitListing)
	m, _ = send(m, goTo(scrMap))
	m.mapper.loading, m.mapper.seq = true, 1
	m, _ = send(m, samplesMsg{seq: 1, s: testSamples()})
	if m.mapper.data == nil {
		t.Fatal("samples not mapped")
	}
	text := screenText(m)
	if !strings.Contains(text, "Maple Court") || !strings.Contains(text, "buildium_property_id ⚷") {
		t.Fatalf("properties tab:\n%s", text)
	}
	m, _ = press(m, "tab", "tab") // tenants
	if m.mapper.entity() != mapping.Tenants {
		t.Fatalf("tab landed on %s", m.mapper.entity())
	}
	text = screenText(m)
	for _, w := range []string{"jane.doe@example.com", "+15035550142", "1 of 2 sampled tenants are sent with a field left off"} {
		if !strings.Contains(text, w) {
			t.Errorf("tenants tab lacks %q:\n%s", w, text)
		}
	}
	m, _ = press(m, "n") // the sample with an unusable email
	if !strings.Contains(screenText(m), "is not a valid address") {
		t.Errorf("the sample's email warning is not shown:\n%s", screenText(m))
	}
	m, _ = press(m, "n", "m")
	if !m.sess.mask {
		t.Fatal("m did not mask")
	}
	if text := screenText(m); strings.Contains(text, "jane.doe@example.com") || strings.Contains(text, "Jane Doe") {
		t.Errorf("personal data shown while masked:\n%s", text)
	}
	m, _ = press(m, "shift+tab", "shift+tab", "shift+tab") // back round to leases
	if m.mapper.entity() != mapping.Leases {
		t.Fatalf("shift+tab landed on %s", m.mapper.entity())
	}
	text = screenText(m)
	if !strings.Contains(text, "tenant 1000001 → unit 2001: Current tenant") || !strings.Contains(text, "Fallback:") {
		t.Errorf("leases tab lacks the label or the fallback:\n%s", text)
	}
	_, cmd := press(m, "enter")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrPlan) {
		t.Fatalf("enter gave %v, want goTo(plan)", msgs)
	}
}

func TestMapShowsMappingFileProblem(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	override := func(*mapping.Mapping) (*mapping.Mapping, error) {
		return nil, errors.New("mapping.yaml:7: unknown transform \"upper\"")
	}
	m.sess.mapping, m.sess.mapErr = accountMapping(*m.sess.check, override)
	m, _ = send(m, goTo(scrMap))
	if !strings.Contains(screenText(m), "mapping.yaml:7") {
		t.Fatalf("mapping error not shown:\n%s", screenText(m))
	}
	if _, cmd := press(m, "enter"); len(exec(t, cmd)) != 0 {
		t.Fatal("enter moved on with a broken mapping file")
	}
}

// planEvents is a small dry run's stream.
func planEvents(run int) eventsMsg {
	counters := map[mapping.Entity]sync.Counters{
		mapping.Properties: {Read: 1, Created: 1},
		mapping.Tenants:    {Read: 3, Created: 1, Updated: 1, Invalid: 1},
	}
	sum := sync.Summary{JobID: "20261102-093000-0001", Mode: "full", DryRun: true, Status: sync.StatusDoneWithErrors,
		Entities: counters, Predicted: &sync.Prediction{Requests: 12, MinDurationS: 0.6}}
	return eventsMsg{owner: scrPlan, run: run, last: true, events: []sync.Event{
		sync.JobStarted{JobID: sum.JobID, Mode: "full", DryRun: true},
		sync.StageStarted{Entity: mapping.Properties, Total: 1},
		sync.RecordPlanned{Entity: mapping.Properties, SourceID: "1001", Name: "Maple Court", Action: sync.ActCreate,
			Changes: []sync.FieldChange{{Field: "hs_name", New: "Maple Court"}}},
		sync.StageDone{Entity: mapping.Properties, Counters: counters[mapping.Properties]},
		sync.StageStarted{Entity: mapping.Tenants, Total: 3},
		sync.RecordPlanned{Entity: mapping.Tenants, SourceID: "1000001", Name: "Jane Doe", Action: sync.ActUpdate,
			Changes: []sync.FieldChange{{Field: "email", Old: "jane@old.example", New: "jane.doe@example.com"}, {Field: "phone", Old: "+15035550100", New: ""}}},
		sync.Issue{Entity: mapping.Tenants, SourceID: "1000002", Action: sync.ActInvalid, Message: "tenant 1000002 (Bad Email): email \"bad@\" is not a valid address"},
		sync.StageDone{Entity: mapping.Tenants, Counters: counters[mapping.Tenants]},
		sum,
		runFinished{Summary: sum},
	}}
}

// planned puts the model on a finished plan.
func planned(t testing.TB, m Model) Model {
	t.Helper()
	m.active, m.reached = scrPlan, scrPlan
	m.plan.state = newRunState(1, m.sess.styles, testNow)
	m.sess.runSeq = 1
	m.sess.planFor = m.sess.scope()
	m, _ = send(m, planEvents(1))
	return m
}

func TestPlanListsDrillsAndFilters(t *testing.T) {
	m := planned(t, connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing))
	if m.sess.plan == nil || m.plan.running() {
		t.Fatal("plan not finished")
	}
	if len(m.plan.items) != 3 {
		t.Fatalf("%d plan items, want 3 (2 planned + 1 issue)", len(m.plan.items))
	}
	text := screenText(m)
	for _, w := range []string{"Predicted: 12 HubSpot calls, at least 0.6 s", "Records: all entities, all actions  1–3 of 3", "Maple Court"} {
		if !strings.Contains(text, w) {
			t.Errorf("plan lacks %q:\n%s", w, text)
		}
	}
	m, _ = press(m, "down", "enter")
	if m.plan.detail == nil || m.plan.detail.id != "1000001" {
		t.Fatalf("enter opened %+v, want tenant 1000001", m.plan.detail)
	}
	text = screenText(m)
	if !strings.Contains(text, "jane@old.example → jane.doe@example.com") || !strings.Contains(text, "(cleared)") {
		t.Fatalf("diff not shown:\n%s", text)
	}
	m, _ = press(m, "esc")
	if m.plan.detail != nil || m.active != scrPlan {
		t.Fatal("esc did not close the diff (or left the plan)")
	}
	m, _ = press(m, "a", "a") // create → update → invalid: the third action present
	acts := m.plan.actions()
	if len(acts) != 3 || m.plan.actFilter != 2 {
		t.Fatalf("actions %v, filter %d", acts, m.plan.actFilter)
	}
	m, _ = press(m, "a")
	if list := m.plan.filtered(); len(list) != 1 || list[0].action != sync.ActInvalid {
		t.Fatalf("invalid filter gave %+v", list)
	}
	m, _ = press(m, "a", "tab") // all actions, properties only
	if list := m.plan.filtered(); len(list) != 1 || list[0].entity != mapping.Properties {
		t.Fatalf("entity filter gave %+v", list)
	}
	_, cmd := press(m, "s")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrSync) {
		t.Fatalf("s gave %v, want goTo(sync)", msgs)
	}
}

func TestPlanIgnoresStaleRuns(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	m.plan.state = newRunState(2, m.sess.styles, testNow)
	m, _ = send(m, planEvents(1)) // run 1 was replaced by run 2
	if m.sess.plan != nil || len(m.plan.items) != 0 {
		t.Fatal("events of an older run were applied")
	}
}

func TestSyncSetupModeScopeAndConfirm(t *testing.T) {
	d := testDeps(t)
	calls := 0
	d.Activity = func() (string, error) { calls++; return "3 tenants edited", nil }
	m := connected(t, newTestModel(t, d, 80, 24), sync.UnitListing)
	m, _ = send(m, goTo(scrSync))
	m, _ = press(m, "i", "3", "5")
	if m.sess.mode != sync.Incremental {
		t.Fatal("i did not choose incremental")
	}
	if got := entityList(m.sess.onlyList()); got != "properties, units, emergency_contacts" {
		t.Fatalf("scope %q", got)
	}
	m, _ = press(m, "f", "1", "2", "4")
	if m.sess.mode != sync.Full || m.sync.anyInScope() {
		t.Fatalf("mode %s, any in scope %v", m.sess.mode, m.sync.anyInScope())
	}
	if m, _ = press(m, "enter"); m.sync.phase != syncSetup {
		t.Fatal("started with nothing in scope")
	}
	m, _ = press(m, "3")
	m, _ = press(m, "enter")
	if m.sync.phase != syncConfirm || !strings.Contains(screenText(m), "Start a live full sync of tenants") {
		t.Fatalf("no confirmation before a live write:\n%s", screenText(m))
	}
	m, _ = press(m, "n")
	if m.sync.phase != syncSetup {
		t.Fatal("n did not go back to the setup")
	}
	m, cmd := press(m, "a")
	m, _ = send(m, exec(t, cmd)...)
	if calls != 1 || m.sess.mode != sync.Incremental || !strings.Contains(screenText(m), "3 tenants edited") {
		t.Fatalf("activity: calls %d, mode %s\n%s", calls, m.sess.mode, screenText(m))
	}
}

// runningSync puts the sync screen in a run without an engine: cancel
// records the call.
func runningSync(t testing.TB, m Model) (Model, *bool) {
	t.Helper()
	cancelled := new(bool)
	m, _ = send(m, goTo(scrSync))
	m.sync.state = newRunState(1, m.sess.styles, testNow)
	m.sync.phase = syncRunning
	m.sync.cancel = func() { *cancelled = true }
	m.sync.br = newBridge(scrSync, 1, nil)
	m.sess.runSeq = 1
	return m, cancelled
}

func TestSyncPauseResumeAndCancel(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	m, cancelled := runningSync(t, m)
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: []sync.Event{
		sync.JobStarted{JobID: "j1"}, sync.StageStarted{Entity: mapping.Tenants, Total: 300},
		sync.Progress{Entity: mapping.Tenants, Counters: sync.Counters{Read: 300, Created: 120}},
		sync.Issue{Entity: mapping.Tenants, SourceID: "7", Action: sync.ActFailed, Message: "tenant 7: HubSpot said no"},
	}})
	text := screenText(m)
	if !strings.Contains(text, "120/300") || !strings.Contains(text, "tenant 7: HubSpot said no") {
		t.Fatalf("progress or issue not shown:\n%s", text)
	}
	m, _ = press(m, "p")
	if m.sync.phase != syncPausing || !*cancelled {
		t.Fatalf("p: phase %v, cancelled %v", m.sync.phase, *cancelled)
	}
	if !m.sync.Busy() {
		t.Fatal("not busy while the engine winds down")
	}
	cancelledSum := sync.Summary{JobID: "j1", Status: sync.StatusCancelled, Entities: map[mapping.Entity]sync.Counters{mapping.Tenants: {Read: 300, Created: 120}}}
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, last: true, events: []sync.Event{cancelledSum, runFinished{Summary: cancelledSum, Err: context.Canceled}}})
	if m.sync.phase != syncPaused || m.sync.Busy() {
		t.Fatalf("after the run stopped: phase %v busy %v", m.sync.phase, m.sync.Busy())
	}
	if !strings.Contains(screenText(m), "Paused.") {
		t.Fatalf("paused state not shown:\n%s", screenText(m))
	}
	m, _ = press(m, "x")
	if !m.sync.confirmCancel {
		t.Fatal("x did not ask")
	}
	m, _ = press(m, "y")
	if m.sync.phase != syncDone || len(m.sess.history) != 1 || m.sess.history[0].JobID != "j1" {
		t.Fatalf("stop here: phase %v history %v", m.sync.phase, m.sess.history)
	}
	_, cmd := press(m, "enter")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrSummary) {
		t.Fatalf("enter gave %v, want the summary", msgs)
	}
}

func TestQuitAsksDuringASyncAndWaitsForTheEngine(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	m, cancelled := runningSync(t, m)
	m, cmd := press(m, "q")
	if !m.confirmQuit || cmd != nil {
		t.Fatal("q during a sync did not ask")
	}
	if !strings.Contains(screenText(m), "A sync is running. Quit now?") {
		t.Fatalf("no question:\n%s", screenText(m))
	}
	m, _ = press(m, "n")
	if m.confirmQuit || *cancelled {
		t.Fatal("n did not keep syncing")
	}
	m, _ = press(m, "ctrl+c", "y")
	if !m.quitting || !*cancelled {
		t.Fatalf("y: quitting %v cancelled %v", m.quitting, *cancelled)
	}
	if _, cmd := press(m, "q"); cmd != nil {
		t.Fatal("quit before the engine stopped")
	}
	sum := sync.Summary{JobID: "j1", Status: sync.StatusCancelled}
	_, cmd = send(m, eventsMsg{owner: scrSync, run: 1, last: true, events: []sync.Event{runFinished{Summary: sum, Err: context.Canceled}}})
	if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.QuitMsg" {
		t.Fatal("did not quit once the engine had stopped")
	}
}

func TestHelpAndQuitOutsideASync(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	m, _ = send(m, goTo(scrCheck))
	m, _ = press(m, "?")
	if !m.showHelp || !strings.Contains(screenText(m), "Keys on this screen") {
		t.Fatal("? did not open the help")
	}
	m, _ = press(m, "esc")
	if m.showHelp || m.active != scrCheck {
		t.Fatal("esc did not close the help (or navigated)")
	}
	_, cmd := press(m, "q")
	if cmd == nil || fmt.Sprintf("%T", cmd()) != "tea.QuitMsg" {
		t.Fatal("q outside a sync did not quit")
	}
}

func TestSummaryShowsTheEngineCounts(t *testing.T) {
	d := testDeps(t)
	d.Activity = func() (string, error) { return "2 leases ended", nil }
	m := connected(t, newTestModel(t, d, 80, 24), sync.UnitListing)
	sum := sync.Summary{JobID: "20261102-093000-0002", Mode: "full", Status: sync.StatusDoneWithErrors, DurationS: 12.5,
		Entities: map[mapping.Entity]sync.Counters{
			mapping.Properties: {Read: 15, Created: 15}, mapping.Tenants: {Read: 300, Created: 275, Invalid: 1, Duplicates: 24}},
		HubSpot: sync.HubSpotStats{Requests: 33, Writes: 19, RateLimited: 2}}
	m.sess.history, m.sess.lastSegments = []sync.Summary{sum}, 1
	m, cmd := send(m, goTo(scrSummary))
	m, _ = send(m, exec(t, cmd)...)
	text := screenText(m)
	for _, w := range []string{"Sync done with issues", "20261102-093000-0002", "2 × 429", "Review queue: nothing waiting", "b2h report --job 20261102-093000-0002"} {
		if !strings.Contains(text, w) {
			t.Errorf("summary lacks %q:\n%s", w, text)
		}
	}
	if got := tableRow(text, "Tenants"); got != "300 275 0 0 0 1 0 24 0" {
		t.Errorf("tenants row %q", got)
	}
	m, cmd = press(m, "a")
	m, _ = send(m, exec(t, cmd)...)
	if !strings.Contains(screenText(m), "2 leases ended") || m.sess.mode != sync.Incremental {
		t.Fatal("activity not run or incremental not chosen")
	}
	_, cmd = press(m, "s")
	if msgs := exec(t, cmd); len(msgs) != 1 || msgs[0] != goTo(scrSync) {
		t.Fatalf("s gave %v", msgs)
	}
}

// tableRow returns the numbers of the row starting with label.
func tableRow(screen, label string) string {
	for _, l := range strings.Split(screen, "\n") {
		if f := strings.Fields(l); len(f) > 0 && strings.HasPrefix(strings.TrimSpace(l), label) {
			var nums []string
			for _, x := range f {
				if x != "" && (x[0] >= '0' && x[0] <= '9') {
					nums = append(nums, strings.ReplaceAll(x, ",", ""))
				}
			}
			return strings.Join(nums, " ")
		}
	}
	return ""
}

func TestMapMarksMappingFileOverrides(t *testing.T) {
	const file = "entities:\n  tenants:\n    fields:\n      - source: Comment\n        target: buildium_notes\n        transform: text\n"
	m := newTestModel(t, testDeps(t), 100, 30)
	m.sess.deps.MappingOverride = func(base *mapping.Mapping) (*mapping.Mapping, error) {
		return mapping.Load(strings.NewReader(file), "client-mapping.yaml", base)
	}
	m = connected(t, m, sync.UnitListing)
	m, _ = send(m, goTo(scrMap))
	m.mapper.loading, m.mapper.seq = true, 1
	m, _ = send(m, samplesMsg{seq: 1, s: testSamples()})
	m, _ = press(m, "tab", "tab") // tenants
	for range 10 {
		m, _ = press(m, "down") // scroll to the end of the fields
	}
	text := screenText(m)
	if !strings.Contains(text, "✎ Comment") || !strings.Contains(text, "buildium_notes") {
		t.Errorf("the overridden field is not marked:\n%s", text)
	}
	if !strings.Contains(text, "field(s) here come from the mapping file client-mapping.yaml") {
		t.Errorf("the mapping file is not named:\n%s", text)
	}
}

func TestSyncFailureSaysWhy(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing)
	m, _ = runningSync(t, m)
	failed := sync.Summary{JobID: "j9", Status: sync.StatusFailed, Error: "record the job in state: disk full"}
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, last: true, events: []sync.Event{failed, runFinished{Summary: failed, Err: errors.New("disk full")}}})
	if m.sync.phase != syncDone || m.sync.Busy() {
		t.Fatalf("phase %v busy %v after a failed run", m.sync.phase, m.sync.Busy())
	}
	if text := screenText(m); !strings.Contains(text, "Sync failed: record the job in state: disk full") {
		t.Fatalf("failure not explained:\n%s", text)
	}
	m, _ = send(m, tea_WindowSize(120, 40)) // resize at any time
	if text := screenText(m); !strings.Contains(text, "disk full") || len(strings.Split(text, "\n")) != 40 {
		t.Fatalf("after a resize:\n%s", text)
	}
}

// TestSummaryWritesTheReport: w writes the last job's report through
// Deps.WriteReport and says where; with a temporary (demo) state the
// summary offers it instead of a command that could not read the state.
func TestSummaryWritesTheReport(t *testing.T) {
	d := testDeps(t)
	var asked string
	d.WriteReport = func(job string) (string, error) { asked = job; return "/tmp/x/b2h-report-" + job + ".html", nil }
	d.TempState = true
	m := connected(t, newTestModel(t, d, 80, 24), sync.UnitListing)
	sum := sync.Summary{JobID: "20261102-093000-0003", Mode: "full", Status: sync.StatusDone}
	m.sess.history, m.sess.lastSegments = []sync.Summary{sum}, 1
	m, cmd := send(m, goTo(scrSummary))
	m, _ = send(m, exec(t, cmd)...)
	text := screenText(m)
	if !strings.Contains(text, "press w to write it here") || strings.Contains(text, "b2h report --job") ||
		!strings.Contains(text, "temporary") || strings.Contains(text, d.Store.Path()) {
		t.Fatalf("temporary-state summary:\n%s", text)
	}
	m, cmd = press(m, "w")
	m, _ = send(m, exec(t, cmd)...)
	if asked != sum.JobID || !strings.Contains(screenText(m), "Report written to /tmp/x/b2h-report-"+sum.JobID+".html") {
		t.Fatalf("w asked for %q:\n%s", asked, screenText(m))
	}
	d.WriteReport = nil
	m2 := connected(t, newTestModel(t, d, 80, 24), sync.UnitListing)
	m2.sess.history, m2.sess.lastSegments = []sync.Summary{sum}, 1
	m2, cmd = send(m2, goTo(scrSummary))
	m2, _ = send(m2, exec(t, cmd)...)
	if _, cmd := press(m2, "w"); cmd != nil {
		t.Error("w did something without a report writer")
	}
}

// TestPlanEmptyListSaysWhy: an empty record list explains itself (leases
// are associations; skipped and held records are only counted) rather than
// claiming nothing changed.
func TestPlanEmptyListSaysWhy(t *testing.T) {
	p := &planScreen{sess: &session{}}
	if got := p.emptyListReason(); !strings.Contains(got, "no record would be created") {
		t.Errorf("no items: %q", got)
	}
	p.items = []planItem{{}}
	for i, e := range mapping.Entities() {
		if e == mapping.Leases {
			p.entFilter = i + 1
		}
	}
	if got := p.emptyListReason(); !strings.Contains(got, "associations") {
		t.Errorf("leases: %q", got)
	}
	p.entFilter = 0
	if got := p.emptyListReason(); !strings.Contains(got, "counted in the table") || strings.Contains(got, "unchanged") {
		t.Errorf("filtered out: %q", got)
	}
}

// TestSyncIssuesScroll: ↑/↓ scroll the issue list, while the run goes on
// and after it ends, within its bounds.
func TestSyncIssuesScroll(t *testing.T) {
	m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), 80, 24), sync.UnitListing))
	var evs []sync.Event
	for i := range 35 {
		evs = append(evs, sync.Issue{Entity: mapping.Tenants, SourceID: fmt.Sprint(i), Action: sync.ActInvalid, Message: fmt.Sprintf("issue number %02d", i)})
	}
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: evs})
	if !strings.Contains(screenText(m), "issue number 34") {
		t.Fatalf("the newest issue is not shown:\n%s", screenText(m))
	}
	for range 3 {
		m, _ = press(m, "up")
	}
	if text := screenText(m); strings.Contains(text, "issue number 34") || !strings.Contains(text, "issue number 31") {
		t.Fatalf("↑ ×3 did not scroll to older issues:\n%s", text)
	}
	for range 100 {
		m, _ = press(m, "up")
	}
	if text := screenText(m); !strings.Contains(text, "issue number 00") {
		t.Fatalf("↑ to the top does not show the oldest issue:\n%s", text)
	}
	m, _ = press(m, "down") // one press moves at once, however far ↑ went
	if text := screenText(m); strings.Contains(text, "issue number 00") {
		t.Fatalf("↓ after the top did not move:\n%s", text)
	}
	sum := sync.Summary{JobID: "j", Status: sync.StatusDoneWithErrors}
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, last: true, events: []sync.Event{sum, runFinished{Summary: sum}}})
	for range 100 {
		m, _ = press(m, "down")
	}
	m, _ = press(m, "up")
	if text := screenText(m); strings.Contains(text, "issue number 34") {
		t.Fatalf("↑ does not scroll once the run is done:\n%s", text)
	}
}

// TestPausedStageIsNotDone: a stage the run stopped part-way through shows
// "stopped", not a finished bar's "done".
func TestPausedStageIsNotDone(t *testing.T) {
	m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), 100, 30), sync.UnitListing))
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: []sync.Event{
		sync.StageStarted{Entity: mapping.Units, Total: 2500},
		sync.StageDone{Entity: mapping.Units, Counters: sync.Counters{Read: 2200, Created: 2200}, Elapsed: 3},
		sync.StageStarted{Entity: mapping.Properties, Total: 10},
		sync.StageDone{Entity: mapping.Properties, Counters: sync.Counters{Read: 10, Created: 10}, Elapsed: 1},
		sync.Paused{Reason: "paused by you"},
	}})
	var units, props string
	for _, l := range strings.Split(screenText(m), "\n") {
		switch {
		case strings.HasPrefix(l, "Units"):
			units = l
		case strings.HasPrefix(l, "Properties"):
			props = l
		}
	}
	if !strings.Contains(units, "stopped") || strings.Contains(units, "done") {
		t.Errorf("units row %q, want stopped", units)
	}
	if !strings.Contains(props, "done") {
		t.Errorf("properties row %q, want done (the stage finished)", props)
	}
}

// TestSummaryCountsDecidedItems: items a person decided read as decided
// (the next sync applies them), not as open work.
func TestSummaryCountsDecidedItems(t *testing.T) {
	m := connected(t, newTestModel(t, testDeps(t), 100, 30), sync.UnitListing)
	sum := sync.Summary{JobID: "j2", Mode: "full", Status: sync.StatusDone}
	m.sess.history, m.sess.lastSegments = []sync.Summary{sum}, 1
	m, _ = send(m, goTo(scrSummary), reviewCountMsg{n: 12, decided: 12})
	if text := screenText(m); !strings.Contains(text, "12 decided; the next sync applies them") || strings.Contains(text, "press v to decide") {
		t.Errorf("all decided:\n%s", text)
	}
	m, _ = send(m, reviewCountMsg{n: 12, decided: 5})
	if text := screenText(m); !strings.Contains(text, "7 to decide (press v), 5 decided") {
		t.Errorf("some decided:\n%s", text)
	}
}

// TestSyncIssuesMasked: with masking on (m, for screen sharing) the issue
// list masks the record's name and any email or phone in the message.
func TestSyncIssuesMasked(t *testing.T) {
	m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), 120, 30), sync.UnitListing))
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: []sync.Event{sync.Issue{Entity: mapping.Tenants, SourceID: "1000008",
		Action: sync.ActDuplicate, Name: "Kevin García",
		Message: "tenant 1000008 (Kevin García) is held for review: share the email kevin.garcia@example.com and phone +13145550162 (group dup-email-1)"}}})
	if text := screenText(m); !strings.Contains(text, "Kevin García") {
		t.Fatalf("unmasked view lacks the name:\n%s", text)
	}
	m, _ = press(m, "m")
	text := screenText(m)
	if strings.Contains(text, "Kevin") || strings.Contains(text, "García") || strings.Contains(text, "kevin.garcia@") || strings.Contains(text, "3145550162") || !strings.Contains(text, "tenant 1000008") {
		t.Fatalf("masked view:\n%s", text)
	}
}
