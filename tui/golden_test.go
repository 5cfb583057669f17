package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"b2h/clients/buildium"
	"b2h/sync"
	"b2h/sync/mapping"
)

// goldenSizes are the sizes every screen is checked at: the smallest
// supported everyday terminal and a wide one.
var goldenSizes = []struct{ w, h int }{{80, 24}, {140, 40}}

// goldenScreens build the model in one state at a given size.
var goldenScreens = []struct {
	name  string
	build func(t *testing.T, w, h int) Model
}{
	{"connect", func(t *testing.T, w, h int) Model {
		d := testDeps(t)
		d.Credentials.BuildiumClientID, d.Credentials.BuildiumClientSecret = "5f0c2a9e", "super-secret-value"
		d.Sources = map[string]Source{"BuildiumClientID": SourceEnv, "BuildiumClientSecret": SourceEnv}
		return newTestModel(t, d, w, h)
	}},
	{"connect_refused", func(t *testing.T, w, h int) Model {
		d := testDeps(t)
		d.Credentials.BuildiumClientID, d.Credentials.BuildiumClientSecret, d.Credentials.HubSpotToken = "id", "secret", "pat"
		m := newTestModel(t, d, w, h)
		m.connect.seq = 1
		m, _ = send(m, connectedMsg{seq: 1, err: &ConnectError{Buildium: &buildium.APIError{StatusCode: 401, Host: "api.buildium.com"}}})
		return m
	}},
	{"check", func(t *testing.T, w, h int) Model {
		m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
		m, _ = send(m, goTo(scrCheck))
		return m
	}},
	{"map_tenants", func(t *testing.T, w, h int) Model {
		m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
		m, _ = send(m, goTo(scrMap))
		m.mapper.loading, m.mapper.seq = true, 1
		m, _ = send(m, samplesMsg{seq: 1, s: testSamples()})
		m, _ = press(m, "tab", "tab")
		return m
	}},
	{"map_units_enterprise", func(t *testing.T, w, h int) Model {
		m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitCustomObject)
		m, _ = send(m, goTo(scrMap))
		m.mapper.loading, m.mapper.seq = true, 1
		m, _ = send(m, samplesMsg{seq: 1, s: testSamples()})
		m, _ = press(m, "tab")
		return m
	}},
	{"plan", func(t *testing.T, w, h int) Model {
		return planned(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
	}},
	{"plan_diff", func(t *testing.T, w, h int) Model {
		m := planned(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
		m, _ = press(m, "down", "enter")
		return m
	}},
	{"sync_setup", func(t *testing.T, w, h int) Model {
		m := planned(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
		m, _ = press(m, "s")
		m, _ = send(m, goTo(scrSync))
		return m
	}},
	{"sync_running", func(t *testing.T, w, h int) Model {
		m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
		m.sync.state.started = testNow.Add(-42 * time.Second)
		m, _ = send(m, eventsMsg{owner: scrSync, run: 1, events: runningEvents()})
		for _, e := range []mapping.Entity{mapping.Properties, mapping.Units, mapping.Tenants} {
			m.sync.state.stages[e].startedAt = testNow.Add(-10 * time.Second)
		}
		m.sync.stats.hs.Requests, m.sync.stats.hs.Writes, m.sync.stats.hs.RateLimited, m.sync.stats.hs.Retries = 41, 23, 3, 4
		m.sync.stats.bd.Requests = 37
		return m
	}},
	{"sync_quit", func(t *testing.T, w, h int) Model {
		m, _ := runningSync(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
		m, _ = press(m, "q")
		return m
	}},
	{"summary", func(t *testing.T, w, h int) Model {
		m := connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing)
		m.sess.history = []sync.Summary{{JobID: "20261102-093000-0002", Mode: "full", Status: sync.StatusDoneWithErrors, DurationS: 12.5,
			Entities: map[mapping.Entity]sync.Counters{
				mapping.Properties: {Read: 15, Created: 15}, mapping.Units: {Read: 150, Created: 150},
				mapping.Tenants: {Read: 300, Created: 275, Invalid: 1, Duplicates: 24}, mapping.EmergencyContacts: {Read: 256, Created: 246, Skipped: 10},
				mapping.Leases: {Read: 190, Created: 180, Skipped: 10}},
			HubSpot: sync.HubSpotStats{Requests: 33, Writes: 19}, Buildium: sync.APIStats{Requests: 21}}}
		m.sess.lastSegments = 1
		m, _ = send(m, goTo(scrSummary), reviewCountMsg{n: 12})
		return m
	}},
	{"help", func(t *testing.T, w, h int) Model {
		m := planned(t, connected(t, newTestModel(t, testDeps(t), w, h), sync.UnitListing))
		m, _ = press(m, "?")
		return m
	}},
}

// runningEvents is a run part-way through tenants.
func runningEvents() []sync.Event {
	return []sync.Event{
		sync.JobStarted{JobID: "20261102-093000-0003", Mode: "full"},
		sync.StageStarted{Entity: mapping.Properties, Total: 15},
		sync.StageDone{Entity: mapping.Properties, Counters: sync.Counters{Read: 15, Created: 15}, Elapsed: 1.5},
		sync.StageStarted{Entity: mapping.Units, Total: 150},
		sync.StageDone{Entity: mapping.Units, Counters: sync.Counters{Read: 150, Created: 150}, Elapsed: 0.5},
		sync.StageStarted{Entity: mapping.Tenants, Total: 300},
		sync.Progress{Entity: mapping.Tenants, Counters: sync.Counters{Read: 300, Created: 120, Invalid: 1}},
		sync.Issue{Entity: mapping.Tenants, SourceID: "1000002", Action: sync.ActInvalid, Message: "tenant 1000002 (B** E****): email \"b**@\" is not a valid address — fix it in Buildium"},
		sync.Issue{Entity: mapping.Tenants, SourceID: "1000081", Action: sync.ActDuplicate, Message: "duplicate tenant 1000081 is held for review: decide with `b2h review`"},
	}
}

func TestViews(t *testing.T) {
	for _, sc := range goldenScreens {
		for _, sz := range goldenSizes {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, sz.w, sz.h), func(t *testing.T) {
				m := sc.build(t, sz.w, sz.h)
				out := screenText(m)
				lines := strings.Split(out, "\n")
				if len(lines) != sz.h {
					t.Errorf("%d lines, want exactly %d", len(lines), sz.h)
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz.w {
						t.Errorf("line %d is %d cells wide (max %d): %q", i+1, w, sz.w, l)
					}
				}
				golden.RequireEqual(t, out)
			})
		}
	}
}

func TestNoColorHasNoColourEscapes(t *testing.T) {
	for _, sc := range goldenScreens {
		t.Run(sc.name, func(t *testing.T) {
			m := sc.build(t, 100, 30) // testDeps sets NoColor
			if out := m.render(); strings.Contains(out, "38;") || strings.Contains(out, "48;") {
				t.Fatalf("colour escape with NO_COLOR: %q", out)
			}
		})
	}
	d := testDeps(t)
	d.NoColor = false
	if out := newTestModel(t, d, 80, 24).render(); !strings.Contains(out, "38;") {
		t.Fatal("no colour at all without NO_COLOR: the check above proves nothing")
	}
}

func TestTooSmallSaysSo(t *testing.T) {
	m := newTestModel(t, testDeps(t), 50, 12)
	if out := screenText(m); !strings.Contains(out, "at least 60×16") || !strings.Contains(out, "50×12") {
		t.Fatalf("too-small message: %q", out)
	}
	m, _ = send(m, tea_WindowSize(80, 24))
	if !strings.Contains(screenText(m), "Connect both accounts") {
		t.Fatal("did not recover after a resize")
	}
}
