package tui

import (
	"context"
	"fmt"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"b2h/clients/sim"
	"b2h/clients/sim/fault"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// screenRecorder wraps the root model and keeps the last frame it drew,
// without styling: what the person sees.
type screenRecorder struct {
	inner tea.Model
	mu    gosync.Mutex
	text  string
}

func (r *screenRecorder) Init() tea.Cmd { return r.inner.Init() }

func (r *screenRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	r.inner, cmd = r.inner.Update(msg)
	return r, cmd
}

func (r *screenRecorder) View() tea.View {
	v := r.inner.View()
	r.mu.Lock()
	r.text = ansi.Strip(v.Content)
	r.mu.Unlock()
	return v
}

func (r *screenRecorder) screen() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.text
}

// demo is one program over the simulators, driven like a person would.
type demo struct {
	t   *testing.T
	tm  *teatest.TestModel
	rec *screenRecorder

	mu   gosync.Mutex
	sums []sync.Summary // the engine's own summaries of live runs
}

// startDemo runs the TUI on env with store, at w×h. hook, when given, sees
// every engine event first, on the engine's goroutine.
func startDemo(t *testing.T, env *sim.Env, store Store, w, h int, hook ...func(sync.Event)) *demo {
	t.Helper()
	d := &demo{t: t}
	deps := Deps{
		Demo: true, NoColor: true, Store: store, Workers: 2,
		Credentials: Credentials{BuildiumURL: env.BuildiumURL, BuildiumClientID: env.BuildiumClientID, BuildiumClientSecret: env.BuildiumClientSecret,
			HubSpotURL: env.HubSpotURL, HubSpotToken: env.HubSpotToken},
		Sources: map[string]Source{"BuildiumClientID": SourceDemo, "BuildiumClientSecret": SourceDemo, "HubSpotToken": SourceDemo},
		Connect: func(ctx context.Context, c Credentials) (*Accounts, error) { return Dial(ctx, c, DialOptions{}) },
		tap: sync.ReporterFunc(func(e sync.Event) {
			for _, h := range hook {
				h(e)
			}
			if s, ok := e.(sync.Summary); ok && !s.DryRun {
				d.mu.Lock()
				d.sums = append(d.sums, s)
				d.mu.Unlock()
			}
		}),
	}
	d.rec = &screenRecorder{inner: New(context.Background(), deps)}
	d.tm = teatest.NewTestModel(t, d.rec, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	t.Cleanup(func() { _ = d.tm.Quit() })
	return d
}

// waitFor waits until the screen shows every one of want.
func (d *demo) waitFor(want ...string) string {
	d.t.Helper()
	var last string
	shows := func([]byte) bool {
		last = d.rec.screen()
		for _, w := range want {
			if !strings.Contains(last, w) {
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(45 * time.Second)
	for !shows(nil) {
		if time.Now().After(deadline) {
			d.t.Fatalf("the screen never showed %q; last frame:\n%s", want, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return last
}

func (d *demo) press(keys ...string) {
	for _, k := range keys {
		d.tm.Send(kp(k))
	}
}

// lastSummary is the engine's summary of the last live run.
func (d *demo) lastSummary() sync.Summary {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.sums) == 0 {
		d.t.Fatal("the engine reported no live summary")
	}
	return d.sums[len(d.sums)-1]
}

// walkToSync goes Connect → Check → Map → Plan → Sync and starts it;
// before is called just before the start is confirmed.
func (d *demo) walkToSync(before ...func()) {
	d.t.Helper()
	d.waitFor("Connect both accounts", "demo simulator")
	d.press("enter")
	d.waitFor("Account check", "Daily budget")
	d.press("enter")
	d.waitFor("Sample 1 of")
	d.press("enter")
	d.waitFor("Predicted:", "Records:")
	d.press("s")
	d.waitFor("Mode", "Scope")
	d.press("enter")
	d.waitFor("Start a live full sync")
	for _, fn := range before {
		fn()
	}
	d.press("y")
}

// assertSummaryMatches checks every entity row of the summary screen
// against the engine's counters.
func assertSummaryMatches(t *testing.T, screen string, sum sync.Summary) {
	t.Helper()
	for _, e := range mapping.Entities() {
		c, ok := sum.Entities[e]
		if !ok {
			continue
		}
		want := fmt.Sprintf("%d %d %d %d %d %d %d %d %d", c.Read, c.Created, c.Updated, c.Unchanged, c.Skipped, c.Invalid, c.Failed, c.Duplicates, c.Conflicts)
		got := tableRow(screen, entityTitle(e))
		if got == "" {
			got = tableRow(screen, entityShort(e))
		}
		if got != want {
			t.Errorf("%s row shows %q, the engine counted %q\n%s", e, got, want, screen)
		}
	}
	if !strings.Contains(screen, sum.JobID) {
		t.Errorf("summary does not name job %s", sum.JobID)
	}
}

func TestProgramWalksTheWholeFlow(t *testing.T) {
	env, err := sim.Start(sim.Options{Scale: 60, Seed: 3, Tier: "professional"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	d := startDemo(t, env, openStore(t), 80, 24)
	d.walkToSync()
	d.waitFor("Sync finished", "Press enter for the summary")
	d.press("enter")
	screen := d.waitFor("Review queue", "b2h report --job")
	assertSummaryMatches(t, screen, d.lastSummary())

	// The demo's "simulate Buildium activity" is offered only with Deps.Activity.
	if strings.Contains(screen, "simulate activity") {
		t.Error("activity offered without Deps.Activity")
	}
	d.press("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

func TestProgramRetriesThroughFaultsAndCompletes(t *testing.T) {
	env, err := sim.Start(sim.Options{Scale: 60, Seed: 5, Tier: "professional"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	d := startDemo(t, env, openStore(t), 120, 40)
	d.walkToSync(func() {
		// The sync (not the check before it) meets a 429 storm's first
		// answer and a steady share of 5xx.
		p, err := fault.Parse("hubspot.5xx=0.15,seed=4", "hubspot")
		if err != nil {
			t.Fatal(err)
		}
		env.HubSpot.SetFaults(p)
		env.HubSpot.FailNext(429, 1)
	})
	screen := d.waitFor("Sync finished", "Press enter for the summary")
	sum := d.lastSummary()
	if sum.Status != sync.StatusDone && sum.Status != sync.StatusDoneWithErrors {
		t.Fatalf("status %s: %s", sum.Status, sum.Error)
	}
	if sum.HubSpot.RateLimited == 0 {
		t.Fatal("no 429 was injected: the test proves nothing")
	}
	if want := fmt.Sprintf("429s %d", sum.HubSpot.RateLimited); !strings.Contains(screen, want) {
		t.Errorf("sync screen does not show %q:\n%s", want, screen)
	}
	if hs := lineWith(screen, "HubSpot "); strings.Contains(hs, "retries 0") {
		t.Errorf("no HubSpot retry shown: %s", hs)
	}
	d.press("enter")
	screen = d.waitFor("Review queue")
	assertSummaryMatches(t, screen, sum)
	if !strings.Contains(screen, fmt.Sprintf("%d × 429", sum.HubSpot.RateLimited)) {
		t.Errorf("summary does not show the 429s:\n%s", screen)
	}
}

func lineWith(screen, s string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func TestProgramCancelledSyncResumesWithoutDuplicates(t *testing.T) {
	env, err := sim.Start(sim.Options{Scale: 250, Seed: 7, Tier: "professional"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	path := t.TempDir() + "/state.db"
	keys := state.NewMemoryKeyStore()
	open := func() *state.Store {
		st, err := state.Open(state.Options{Path: path, NoSync: true, Keys: keys})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}

	// First session: the engine is held right after HubSpot acknowledged the
	// first batch of tenants, the person cancels, then quits.
	st := open()
	held, release := make(chan struct{}), make(chan struct{})
	var once gosync.Once
	var live atomic.Bool // the run in flight writes (not the plan's dry run)
	gate := func(e sync.Event) {
		switch e := e.(type) {
		case sync.JobStarted:
			live.Store(!e.DryRun)
		case sync.Progress:
			if live.Load() && e.Entity == mapping.Tenants && e.Counters.Created > 0 {
				once.Do(func() { close(held); <-release })
			}
		}
	}
	d := startDemo(t, env, st, 100, 30, gate)
	d.walkToSync()
	select {
	case <-held:
	case <-time.After(30 * time.Second):
		t.Fatal("no tenant batch was acknowledged")
	}
	d.press("x")
	d.waitFor("Cancel the sync?")
	d.press("y")
	d.waitFor("Cancelling")
	close(release)
	d.waitFor("Sync cancelled")
	first := d.lastSummary()
	if first.Status != sync.StatusCancelled {
		t.Fatalf("first run %s, want cancelled", first.Status)
	}
	d.press("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	_ = st.Close()

	// Second session, a new process on the same state: the sync resumes.
	st = open()
	t.Cleanup(func() { _ = st.Close() })
	d = startDemo(t, env, st, 100, 30)
	d.walkToSync()
	d.waitFor("Sync finished")
	second := d.lastSummary()
	d.press("q")
	d.tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))

	// No record exists twice in HubSpot.
	for obj, keyProp := range map[string]string{"contacts": mapping.KeyTenant, "0-420": mapping.KeyProperty} {
		seen := map[string]int{}
		for _, o := range env.HubSpot.Objects(obj) {
			if v := o.Properties[keyProp]; v != "" {
				seen[v]++
			}
		}
		if len(seen) == 0 {
			t.Fatalf("no %s written", obj)
		}
		for k, n := range seen {
			if n > 1 {
				t.Errorf("%s %s=%s exists %d times", obj, keyProp, k, n)
			}
		}
	}
	// Together the two runs created each tenant contact once: what the first
	// run created, the second found unchanged.
	ft, sc := first.Entities[mapping.Tenants], second.Entities[mapping.Tenants]
	if ft.Created == 0 {
		t.Fatal("the first run was cancelled before writing a tenant: the test proves nothing")
	}
	if sc.Unchanged < ft.Created {
		t.Errorf("second run: %d tenants unchanged, the first created %d", sc.Unchanged, ft.Created)
	}
	contacts := 0
	for _, o := range env.HubSpot.Objects("contacts") {
		if o.Properties[mapping.KeyTenant] != "" {
			contacts++
		}
	}
	if contacts != ft.Created+sc.Created {
		t.Errorf("%d tenant contacts in HubSpot, runs created %d + %d", contacts, ft.Created, sc.Created)
	}
}
