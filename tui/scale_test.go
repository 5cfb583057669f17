package tui

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"b2h/sync"
	"b2h/sync/mapping"
)

// scaleSizes are the sizes the 20,000-tenant screens are checked at.
var scaleSizes = []struct{ w, h int }{{80, 24}, {100, 30}, {120, 40}, {200, 50}}

// scaleCounters are a 20,000-tenant portfolio's figures.
var scaleCounters = map[mapping.Entity]sync.Counters{
	mapping.Properties:        {Read: 1000, Created: 998, Invalid: 2},
	mapping.Units:             {Read: 10000, Created: 10000},
	mapping.Tenants:           {Read: 20000, Created: 18000, Updated: 412, Unchanged: 60, Skipped: 3, Invalid: 3, Duplicates: 1522},
	mapping.EmergencyContacts: {Read: 14120, Created: 13900, Skipped: 220},
	mapping.Leases:            {Read: 12000, Created: 11870, Skipped: 130},
}

// scalePlanEvents is a dry run of that portfolio, its records reported in
// a shuffled order (the engine's pipelines interleave): 20,000 tenant
// records planned, then the held duplicates and skips as issues.
func scalePlanEvents(run int) eventsMsg {
	sum := sync.Summary{JobID: "20261102-093000-0009", Mode: "full", DryRun: true, Status: sync.StatusDoneWithErrors,
		Entities: scaleCounters, Predicted: &sync.Prediction{Requests: 1406, MinDurationS: 74}}
	evs := []sync.Event{sync.JobStarted{JobID: sum.JobID, Mode: "full", DryRun: true}}
	var recs []sync.Event
	for i := range 20000 {
		id := fmt.Sprint(1000000 + i)
		recs = append(recs, sync.RecordPlanned{Entity: mapping.Tenants, SourceID: id, Name: fmt.Sprintf("Tenant %05d", i), Action: sync.ActCreate,
			Changes: []sync.FieldChange{{Field: "firstname", New: "Tenant"}}})
	}
	for i := range 1000 {
		recs = append(recs, sync.RecordPlanned{Entity: mapping.Properties, SourceID: fmt.Sprint(i + 1), Name: fmt.Sprintf("Property %d", i+1), Action: sync.ActCreate})
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	evs = append(evs, recs...)
	for i := range 1522 {
		id := fmt.Sprint(1020000 + i)
		evs = append(evs, sync.Issue{Entity: mapping.Tenants, SourceID: id, Action: sync.ActDuplicate, Name: "Dupe " + id,
			Message: "tenant " + id + " (Dupe " + id + ") is held for review: same email (group d1); decide with `b2h review`"})
	}
	for i := range 130 {
		id := fmt.Sprint(500000 + i)
		evs = append(evs, sync.Issue{Entity: mapping.Leases, SourceID: id, Action: sync.ActSkip, Message: "lease " + id + ": the lease has no tenants in Buildium"})
	}
	evs = append(evs, sum, runFinished{Summary: sum})
	return eventsMsg{owner: scrPlan, run: run, last: true, events: evs}
}

func scalePlanned(t testing.TB, w, h int) Model {
	m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
	m.active, m.reached = scrPlan, scrPlan
	m.plan.state = newRunState(1, m.sess.styles, testNow)
	m.sess.runSeq = 1
	m.sess.planFor = m.sess.scope()
	m, _ = send(m, scalePlanEvents(1))
	return m
}

// scaleRunning is a live run at scale: units done, tenants half-way,
// properties' amenities still being read when asked.
func scaleRunning(t testing.TB, w, h int, amenities bool) Model {
	m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
	m.sync.state.started = testNow.Add(-200 * time.Second)
	evs := []sync.Event{sync.JobStarted{JobID: "20261102-093000-0010", Mode: "full"}}
	if amenities {
		evs = append(evs, sync.StageStarted{Entity: mapping.Properties, Total: 1000},
			sync.AmenitiesRead{Done: 256, Total: 1000, ElapsedS: 82})
	} else {
		evs = append(evs, sync.StageStarted{Entity: mapping.Properties, Total: 1000},
			sync.StageDone{Entity: mapping.Properties, Counters: scaleCounters[mapping.Properties], Elapsed: 90},
			sync.StageStarted{Entity: mapping.Units, Total: 10000},
			sync.StageDone{Entity: mapping.Units, Counters: scaleCounters[mapping.Units], Elapsed: 0.07},
			sync.StageStarted{Entity: mapping.Tenants, Total: 20000},
			sync.Progress{Entity: mapping.Tenants, Counters: sync.Counters{Read: 20000, Created: 9000, Duplicates: 1522}})
	}
	m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: evs})
	for _, s := range m.sync.state.stages {
		if s.started && !s.done {
			s.startedAt = testNow.Add(-100 * time.Second)
		}
	}
	m.sync.stats.hs.Requests, m.sync.stats.hs.Writes, m.sync.stats.hs.RateLimited = 143920, 1210, 3
	m.sync.stats.bd.Requests = 1256
	return m
}

var scaleScreens = []struct {
	name  string
	build func(t *testing.T, w, h int) Model
}{
	{"scale_plan", func(t *testing.T, w, h int) Model { return scalePlanned(t, w, h) }},
	{"scale_plan_duplicates", func(t *testing.T, w, h int) Model {
		m := scalePlanned(t, w, h)
		m, _ = press(m, "a", "a") // create → duplicate
		return m
	}},
	{"scale_sync_amenities", func(t *testing.T, w, h int) Model { return scaleRunning(t, w, h, true) }},
	{"scale_sync_running", func(t *testing.T, w, h int) Model { return scaleRunning(t, w, h, false) }},
	{"scale_summary", func(t *testing.T, w, h int) Model {
		m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
		m.sess.history = []sync.Summary{{JobID: "20261102-093000-0011", Mode: "full", Status: sync.StatusDoneWithErrors, DurationS: 1845,
			Entities: scaleCounters, HubSpot: sync.HubSpotStats{Requests: 143920, Writes: 1406, RateLimited: 12}, Buildium: sync.APIStats{Requests: 1256}}}
		m.sess.lastSegments = 1
		m, _ = send(m, goTo(scrSummary), reviewCountMsg{n: 761})
		return m
	}},
	{"scale_summary_resumed", func(t *testing.T, w, h int) Model { return resumedSummary(t, w, h) }},
}

// resumedSummary is a sync paused after tenants and resumed: the final
// run finds the earlier run's records unchanged.
func resumedSummary(t testing.TB, w, h int) Model {
	m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
	first := sync.Summary{JobID: "20261102-093000-0012", Mode: "full", Status: sync.StatusPaused, DurationS: 45,
		Entities: map[mapping.Entity]sync.Counters{mapping.Units: {Read: 10000, Created: 10000}, mapping.Tenants: {Read: 20000, Created: 18478, Duplicates: 1522}}}
	final := sync.Summary{JobID: "20261102-093100-0013", Mode: "full", Status: sync.StatusDoneWithErrors, DurationS: 119,
		Entities: map[mapping.Entity]sync.Counters{mapping.Properties: {Read: 1000, Created: 1000}, mapping.Units: {Read: 10000, Unchanged: 10000},
			mapping.Tenants: {Read: 20000, Unchanged: 18478, Duplicates: 1522}, mapping.Leases: {Read: 12943, Created: 12384, Skipped: 559}}}
	m.sess.history, m.sess.lastSegments = []sync.Summary{first, final}, 2
	m, _ = send(m, goTo(scrSummary), reviewCountMsg{n: 759})
	return m
}

func TestResumedSummaryShowsTheWholeSync(t *testing.T) {
	m := resumedSummary(t, 100, 30)
	var tenants, total string
	for _, l := range strings.Split(screenText(m), "\n") {
		switch {
		case strings.HasPrefix(l, "Tenants"):
			tenants = strings.Join(strings.Fields(l), " ")
		case strings.HasPrefix(l, "Total"):
			total = strings.Join(strings.Fields(l), " ")
		}
	}
	if tenants != "Tenants 20,000 18,478 0 0 0 0 0 1,522 0" {
		t.Errorf("tenants row %q: the earlier run's creates should count as created, not unchanged", tenants)
	}
	if !strings.HasPrefix(total, "Total 43,943 41,862 0 0 ") {
		t.Errorf("total row %q", total)
	}
}

func TestViewsAtScale(t *testing.T) {
	for _, sc := range scaleScreens {
		for _, sz := range scaleSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz.w, sz.h), func(t *testing.T) {
				out := screenText(sc.build(t, sz.w, sz.h))
				lines := strings.Split(out, "\n")
				if len(lines) != sz.h {
					t.Errorf("%d lines, want exactly %d", len(lines), sz.h)
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz.w {
						t.Errorf("line %d is %d cells wide (max %d): %q", i+1, w, sz.w, l)
					}
				}
				if bad := touchingFigures(out); len(bad) > 0 {
					t.Errorf("figures of different columns touch: %q\n%s", bad, out)
				}
				golden.RequireEqual(t, out)
			})
		}
	}
}

// figure is one well-formed figure a table cell holds: a count with
// separators, done/total, a rate, a clock, a percentage, an id.
var figure = regexp.MustCompile(`^[(≈]?(0|[1-9]\d{0,2}(,\d{3})*)(/(0|[1-9]\d{0,2}(,\d{3})*))?(/s|%|s)?[),.:;]?$|^\d+:\d\d(:\d\d)?[,.]?$|^\d{6,}[),.;]?$|^[1-9]\d{0,2}(,\d{3})*–[1-9]\d{0,2}(,\d{3})*$|^\d+\.\d(%|s)?[,.;)]?$|^\d{8}-\d{6}-\d{4}[,.;)]?$`)

// touchingFigures returns the whitespace-separated words that contain a
// digit but are no single figure: two cells run together ("010,000",
// "256/256143,920/s").
func touchingFigures(screen string) []string {
	var bad []string
	for _, w := range strings.Fields(screen) {
		if strings.IndexAny(w, "0123456789") < 0 || figure.MatchString(strings.TrimSuffix(w, "…")) || !strings.ContainsAny(w[:1], "0123456789(≈") {
			continue
		}
		bad = append(bad, w)
	}
	return bad
}

func TestTouchingFiguresCatchesCellsRunTogether(t *testing.T) {
	for _, s := range []string{"Units 10,000 0 0 010,000", "Tenants 256/256143,920/s", "Total 1,000,0001,522", "1–8of 10"} {
		if len(touchingFigures(s)) == 0 {
			t.Errorf("%q passed the scan", s)
		}
	}
	if bad := touchingFigures("Units 10,000 0 0 10,000 256/256 143,920/s ETA 1:02 under 0.1% 1000123 20261102-093000-0011"); len(bad) > 0 {
		t.Errorf("well-formed figures flagged: %q", bad)
	}
}

func TestCountsTableKeepsCellsApart(t *testing.T) {
	st := testDeps(t)
	m := newTestModel(t, st, 80, 24)
	big := map[mapping.Entity]sync.Counters{}
	for e, c := range scaleCounters {
		c.Read, c.Unchanged, c.Created = c.Read*50, c.Read*49, c.Created*50 // a million-record portfolio
		big[e] = c
	}
	for _, w := range []int{60, 80, 100, 120, 200} {
		for _, cols := range [][]column{planColumns, summaryColumns} {
			lines := countsTable(m.sess.styles, w, big, cols)
			for _, l := range lines {
				if bad := touchingFigures(ansi.Strip(l)); len(bad) > 0 {
					t.Errorf("width %d: %q in %q", w, bad, l)
				}
			}
			if !strings.Contains(ansi.Strip(lines[len(lines)-1]), num(big[mapping.Tenants].Read+big[mapping.Units].Read+big[mapping.Properties].Read+big[mapping.EmergencyContacts].Read+big[mapping.Leases].Read)) {
				t.Errorf("width %d: the total's read figure was shortened: %q", w, lines[len(lines)-1])
			}
		}
	}
}

func TestPlanListsEveryRecordInStableOrder(t *testing.T) {
	m := scalePlanned(t, 100, 30)
	if n := len(m.plan.items); n != 20000+1000+1522+130 {
		t.Fatalf("%d records kept, want every one", n)
	}
	first := m.plan.items[0]
	if first.entity != mapping.Properties || first.id != "1" || m.plan.items[1].id != "2" || m.plan.items[9].id != "10" {
		t.Fatalf("order starts %+v %+v, want properties by numeric id", first, m.plan.items[1])
	}
	acts := m.plan.actions()
	for _, a := range []sync.Action{sync.ActDuplicate, sync.ActSkip} {
		found := false
		for _, x := range acts {
			found = found || x == a
		}
		if !found {
			t.Errorf("action filter cannot reach %s: %v", a, acts)
		}
	}
	if text := screenText(m); !strings.Contains(text, "1–") || !strings.Contains(text, "of 22,652") {
		t.Fatalf("no x–y of N:\n%s", text)
	}
	m, _ = press(m, "G")
	if last := m.plan.items[m.plan.view[m.plan.cursor]]; last.entity != mapping.Leases || last.id != "500129" {
		t.Fatalf("G went to %+v, want the last lease", last)
	}
	if text := screenText(m); !strings.Contains(text, "of 22,652") || !strings.Contains(text, "500129") {
		t.Fatalf("end of list not shown:\n%s", text)
	}
	m, _ = press(m, "g")
	if m.plan.cursor != 0 {
		t.Fatalf("g left the cursor at %d", m.plan.cursor)
	}
}

func TestPlanSearchIsIncrementalWithNextAndPrevious(t *testing.T) {
	m := scalePlanned(t, 100, 30)
	m, _ = press(m, "/", "1", "0", "1", "9", "9", "9", "8")
	if !m.plan.Typing() {
		t.Fatal("/ did not open the search")
	}
	if it := m.plan.items[m.plan.view[m.plan.cursor]]; it.id != "1019998" {
		t.Fatalf("search for 1019998 is on %+v", it)
	}
	m, _ = press(m, "enter", "n")
	if it := m.plan.items[m.plan.view[m.plan.cursor]]; it.id != "1019998" {
		t.Fatalf("n with one match moved to %+v", it)
	}
	m, _ = press(m, "esc", "/", "D", "u", "p", "e", "enter")
	a := m.plan.items[m.plan.view[m.plan.cursor]]
	m, _ = press(m, "n")
	b := m.plan.items[m.plan.view[m.plan.cursor]]
	m, _ = press(m, "N")
	c := m.plan.items[m.plan.view[m.plan.cursor]]
	if a.action != sync.ActDuplicate || b.id == a.id || c.id != a.id {
		t.Fatalf("name search: %s then n %s then N %s", a.id, b.id, c.id)
	}
	if text := screenText(m); !strings.Contains(text, b.id) && !strings.Contains(text, a.id) {
		t.Fatalf("the match is off screen:\n%s", text)
	}
	m, _ = press(m, "/", "z", "z", "z")
	if !strings.Contains(screenText(m), "no match") {
		t.Fatal("a query matching nothing does not say so")
	}
}

func TestPausedStageBarIsItsTrueLength(t *testing.T) {
	s := &stageState{started: true, done: true, total: 1000, counters: sync.Counters{Read: 1000, Created: 250}}
	if p := s.percent(); p != 0.25 {
		t.Fatalf("a stage stopped at 250/1,000 draws %.2f of its bar", p)
	}
}

func TestAmenitiesShowWhilePropertiesWait(t *testing.T) {
	for _, w := range []int{80, 100, 200} {
		text := screenText(scaleRunning(t, w, 30, true))
		if !strings.Contains(text, "256/1,000") || !strings.Contains(text, "3/s") || !strings.Contains(text, "ETA") {
			t.Errorf("width %d: amenities progress not shown:\n%s", w, text)
		}
	}
}

func TestReviewSearchFindsByIDAndName(t *testing.T) {
	m := reviewModel(t, 100, 30)
	m, _ = press(m, "/", "1", "0", "0", "0", "0", "3", "1")
	if !m.review.Typing() {
		t.Fatal("/ did not open the Review search")
	}
	if e := m.review.entries[m.review.view[m.review.cursor]]; !strings.Contains(e.title(func(v string) string { return v }), "1000031") {
		t.Fatalf("search 1000031 is on %s", e.item.ID)
	}
	m, _ = press(m, "esc", "/", "o", "k", "a", "f", "o", "r", "enter")
	first := m.review.cursor
	m, _ = press(m, "n")
	second := m.review.cursor
	m, _ = press(m, "N")
	if second == first || m.review.cursor != first {
		t.Fatalf("okafor: %d, n %d, N %d", first, second, m.review.cursor)
	}
	if !strings.Contains(screenText(m), "/okafor (n/N)") {
		t.Fatalf("the kept search is not shown:\n%s", screenText(m))
	}
}

func TestAmenitiesShowBeforeThePropertiesStageStarts(t *testing.T) {
	m := newTestModel(t, testDeps(t), 80, 24)
	r := newRunState(1, m.sess.styles, testNow)
	r.apply(sync.AmenitiesRead{Done: 256, Total: 1000, ElapsedS: 82}, testNow)
	lines := r.barLines(m.sess.styles, 80, func(mapping.Entity) bool { return true }, testNow)
	if !strings.Contains(ansi.Strip(lines[0]), "256/1,000") || strings.Contains(lines[0], "waiting") {
		t.Fatalf("properties line while amenities are read: %q", lines[0])
	}
}
