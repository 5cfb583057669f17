package sync_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/clients/sim/fault"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// The crash tests of this file kill a child process at a chosen engine
// event rather than at a chosen time: the child prints one line per event
// (or undo item), and the parent sends SIGKILL a random few milliseconds
// after the k-th line, so the kill points spread over the whole run
// whatever the machine's speed, and land between a HubSpot write and its
// state commit as often as anywhere else.

// TestCrashChildRun is the process these tests kill, by B2H_CRASH_MODE:
// a full or incremental sync, the undo of job B2H_CRASH_UNDO_JOB, review
// --apply (every open item decided as crashDecision says, as cmd_review.go
// does), or one of the state commands (backup to B2H_CRASH_ARG, restore
// from B2H_CRASH_ARG, compact, rotate-key, calling what cmd_state.go
// calls), against the simulators and the state file named in its
// environment. It prints "EV ..." per event, decision or step and "DONE"
// once its work is over, and does nothing in a normal test run.
func TestCrashChildRun(t *testing.T) {
	if os.Getenv("B2H_CRASH_CHILD_RUN") != "1" {
		t.Skip("only runs as a crash test's child process")
	}
	path := os.Getenv("B2H_STATE")
	keys := state.NewFileKeyStore(path + ".key")
	open := func() *state.Store {
		st, err := state.Open(state.Options{Path: path, Keys: keys, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	clients := func() (*buildium.Client, *hubspot.Client) {
		bd, err := buildium.New(buildium.Options{BaseURL: os.Getenv("BUILDIUM_URL"), ClientID: os.Getenv("BUILDIUM_CLIENT_ID"), ClientSecret: os.Getenv("BUILDIUM_CLIENT_SECRET")})
		if err != nil {
			t.Fatal(err)
		}
		hs, err := hubspot.New(hubspot.Options{BaseURL: os.Getenv("HUBSPOT_URL"), Token: os.Getenv("HUBSPOT_ACCESS_TOKEN")})
		if err != nil {
			t.Fatal(err)
		}
		return bd, hs
	}
	var mu gosync.Mutex
	line := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(os.Stdout, s)
	}
	switch mode := os.Getenv("B2H_CRASH_MODE"); mode {
	case "full", "incremental":
		st := open()
		defer st.Close()
		bd, hs := clients()
		m := sync.Full
		if mode == "incremental" {
			m = sync.Incremental
		}
		rep := sync.ReporterFunc(func(e sync.Event) { line("EV " + e.EventName()) })
		if _, err := sync.New(bd, hs, st, rep, sync.Options{Mode: m, Today: fixedNow}).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	case "undo":
		st := open()
		defer st.Close()
		_, hs := clients()
		rep, err := sync.Undo(context.Background(), hs, st, sync.UndoOptions{JobID: os.Getenv("B2H_CRASH_UNDO_JOB"),
			OnItem: func(sync.UndoItem) { line("EV item") }})
		if err != nil {
			t.Fatal(err)
		}
		line(fmt.Sprintf("UNDO kept=%d errored=%d", rep.Kept, rep.Errored))
	case "review":
		st := open()
		defer st.Close()
		items, err := st.ReviewItems("open")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if err := st.PutDecision(crashDecision(it)); err != nil {
				t.Fatal(err)
			}
			line("EV decision")
		}
	case "backup", "rotate-key":
		st := open()
		defer st.Close()
		line("EV start")
		var err error
		if mode == "backup" {
			err = st.Backup(os.Getenv("B2H_CRASH_ARG"))
		} else {
			err = st.RotateKey()
		}
		if err != nil {
			t.Fatal(err)
		}
	case "restore":
		line("EV start")
		if _, err := state.Restore(os.Getenv("B2H_CRASH_ARG"), path, state.RestoreOptions{Keys: keys}); err != nil {
			t.Fatal(err)
		}
	case "compact":
		line("EV start")
		if _, err := state.Compact(path, state.CompactOptions{}); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("B2H_CRASH_MODE %q", mode)
	}
	line("DONE")
}

// crashDecision is what `b2h review --apply` records for an open item, the
// strategy chosen by its type: merge duplicate groups, keep a record whose
// email an existing HubSpot contact holds separate, and let Buildium win
// conflicts.
func crashDecision(it state.ReviewItem) state.Decision {
	d := state.Decision{ID: it.ID, Type: it.Type, DecidedAt: fixedNow(), DecidedBy: "crash test", Fields: map[string]string{}}
	switch {
	case it.Type == "conflict":
		d.Resolution = sync.BuildiumWins
	case strings.HasPrefix(it.ID, "dup-existing-"):
		d.Resolution = sync.DupKeepSeparate
	default:
		d.Resolution = sync.DupMerge
	}
	return d
}

// crashRig is one pair of simulators and one state file, shared by a
// parent test and the child processes it kills.
type crashRig struct {
	t         *testing.T
	env       *sim.Env
	statePath string
	rng       *rand.Rand
	killed    int // kills that landed mid-run
	lastOut   string
	// lastEvents is how many event lines the last child that finished
	// printed: the range to aim the next kills at (0: none finished yet).
	lastEvents int
	// lastSpan is how long the last child that finished took from its
	// first event line to its "DONE".
	lastSpan time.Duration
	fig      *crashFigures
}

func newCrashRig(t *testing.T, o sim.Options) *crashRig {
	env, err := sim.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	return &crashRig{t: t, env: env, statePath: filepath.Join(t.TempDir(), "state.db"), rng: rand.New(rand.NewPCG(42, 9)), fig: &crashFigures{}}
}

// inProcess runs fn with the rig's state open, as a process that finishes
// normally would.
func (r *crashRig) inProcess(fn func(h *harness)) {
	r.t.Helper()
	h := &harness{t: r.t, env: r.env, path: r.statePath, keys: state.NewFileKeyStore(r.statePath + ".key")}
	h.connect()
	fn(h)
	if err := h.st.Close(); err != nil {
		r.t.Fatal(err)
	}
}

// child runs the child process in mode and SIGKILLs it a random jitter
// after its killAt-th event line (killAt 0: let it finish). It reports
// whether the kill landed before the child finished its work (before its
// "DONE" line); those are the kills counted as landed mid-run.
func (r *crashRig) child(mode string, killAt int, jitter time.Duration, extraEnv ...string) bool {
	r.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChildRun$", "-test.count=1")
	cmd.Env = append(os.Environ(), "B2H_CRASH_CHILD_RUN=1", "B2H_CRASH_MODE="+mode, "B2H_STATE="+r.statePath,
		"BUILDIUM_URL="+r.env.BuildiumURL, "BUILDIUM_CLIENT_ID="+r.env.BuildiumClientID, "BUILDIUM_CLIENT_SECRET="+r.env.BuildiumClientSecret,
		"HUBSPOT_URL="+r.env.HubSpotURL, "HUBSPOT_ACCESS_TOKEN="+r.env.HubSpotToken)
	cmd.Env = append(cmd.Env, extraEnv...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	var out strings.Builder
	events, killed, done, first := 0, false, false, time.Now()
	if killAt > 0 {
		r.fig.attempted++
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if sc.Text() == "DONE" && !done {
			done = true
			r.lastSpan = time.Since(first)
		}
		if !strings.HasPrefix(sc.Text(), "EV ") {
			continue
		}
		if events == 0 {
			first = time.Now()
		}
		if events++; events == killAt && !killed {
			time.Sleep(jitter)
			_ = cmd.Process.Kill() // SIGKILL: no cleanup, no deferred close
			killed = true
		}
	}
	err = cmd.Wait()
	r.lastOut = out.String()
	if !killed && err == nil {
		r.lastEvents = events
	}
	switch {
	case killed && err != nil && !done:
		r.killed++
		r.fig.landed++
		return true
	case killed && err != nil:
		return false // killed after its work, as it exited
	case err != nil:
		r.t.Fatalf("%s child failed: %v\n%s%s", mode, err, out.String(), stderr.String())
	}
	return false
}

// eventRange is how many event lines to aim kills among: what the last
// finished child printed, def before any finished.
func (r *crashRig) eventRange(def int) int {
	if r.lastEvents > 0 {
		return r.lastEvents
	}
	return def
}

// checkState opens the state file as the next process would and reads all
// of it (see checkStateFile). Any failure is state corruption: counted,
// reported, and fatal.
func (r *crashRig) checkState() {
	r.t.Helper()
	if err := checkStateFile(r.statePath); err != nil {
		r.fig.corrupt++
		r.t.Fatalf("state corrupt after a kill: %v", err)
	}
}

// crashPoints is B2H_CRASH_POINTS, or def.
func crashPoints(def int) int {
	if v, err := strconv.Atoi(os.Getenv("B2H_CRASH_POINTS")); err == nil && v > 0 {
		return v
	}
	return def
}

// compare reports every fact of want missing from got and every extra one.
func compareContents(t *testing.T, what string, got, want map[string]bool) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the reference holds nothing: the comparison proves nothing")
	}
	for k := range want {
		if !got[k] {
			t.Errorf("missing after %s: %s", what, k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("extra after %s (a duplicate or stray write): %s", what, k)
		}
	}
}

// crashFaults are the HubSpot faults the incremental crash rounds run
// under: 429 storms, 5xx, connection resets and per-record errors, with
// latency so more kills land mid-batch.
const crashFaults = "hubspot.latency=3ms,hubspot.429=0.01,hubspot.5xx=0.03,hubspot.reset=0.01,hubspot.record=0.02,seed=5"

// TestCrashIncremental: after a full sync, Buildium changes in rounds;
// within a round, incremental syncs run with HubSpot faults on
// (crashFaults) and are SIGKILLed at random points (three per round), and
// the round ends with one uninterrupted incremental run, faults still on.
// A twin account that sees the same changes, each round synced by one
// uninterrupted fault-free incremental run, must end (after one last
// fault-free incremental run retries what the faults failed) with exactly
// the same HubSpot contents: the crashes cost no record, duplicate none
// and change nothing. The state file is checked for corruption after every
// kill; at the end, undoing every job leaves HubSpot empty again.
func TestCrashIncremental(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	// Kills aim at event lines, not at times: it runs beside the other
	// parallel tests (TestCrashConverges, timed, runs alone before them).
	t.Parallel()
	points := crashPoints(4)
	const perRound = 3
	o := sim.Options{Scale: 200, Seed: 13, Tier: "enterprise"}
	twin := newHarness(t, o)
	rig := newCrashRig(t, o)
	defer rig.fig.report(t, "incremental+faults")
	pre := hubspotContentsEnv(t, rig.env)
	rig.inProcess(func(h *harness) {
		if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
			t.Fatal(err)
		}
	})
	if _, _, err := twin.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	spec := crashFaults
	if v := os.Getenv("B2H_CRASH_FAULTS"); v != "" {
		spec = strings.TrimPrefix(v, "none") // B2H_CRASH_FAULTS=none: no faults
	}
	faults, err := fault.Parse(spec, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	rig.env.HubSpot.SetFaults(faults)
	changes, rounds := 0, 0
	for done := 0; done < points; rounds++ {
		seed := uint64(100 + rounds)
		changes += rig.env.Buildium.Mutate(0.04, seed).Count()
		twin.env.Buildium.Mutate(0.04, seed)
		for k := 0; k < perRound && done < points; k, done = k+1, done+1 {
			// An incremental run reports a few dozen events (stages,
			// progress, issues); aim anywhere among them.
			rig.child("incremental", 1+rig.rng.IntN(rig.eventRange(36)), time.Duration(rig.rng.Int64N(int64(15*time.Millisecond))))
			rig.checkState()
		}
		rig.child("incremental", 0, 0)
		rig.checkState()
		if _, _, err := twin.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
			t.Fatal(err)
		}
	}
	injected := rig.env.HubSpot.Stats()
	rig.env.HubSpot.SetFaults(fault.Profile{})
	rig.child("incremental", 0, 0)
	rig.checkState()
	t.Logf("incremental: %d kill points in %d rounds, %d landed mid-run, %d Buildium changes, faults %s (simulator stats %+v); 0 state corruption",
		points, rounds, rig.killed, changes, spec, injected)
	if rig.killed == 0 {
		t.Fatal("no kill landed during a run")
	}
	rig.fig.compare(t, "crashed incremental runs", hubspotContentsEnv(t, rig.env), hubspotContents(t, twin))
	rig.inProcess(func(h *harness) { rig.fig.undoAll(t, h, pre) })
}

// TestCrashUndo: the undo of a full sync is SIGKILLed at random points and
// run again each time; the last, uninterrupted undo keeps nothing and errs
// on nothing (a crash is not "someone edited it"), and leaves HubSpot and
// state as an undo that was never interrupted: no record, association or
// mapping of the job left. The state file is checked after every kill.
func TestCrashUndo(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	points := crashPoints(4)
	rig := newCrashRig(t, sim.Options{Scale: 150, Seed: 19, Tier: "enterprise", Faults: "hubspot.latency=2ms"})
	defer rig.fig.report(t, "undo")
	var jobID string
	var items int
	rig.inProcess(func(h *harness) {
		sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		jobID = sum.JobID
		// The plan says how many items an undo reports: the kill range.
		_, planned, err := h.undo(jobID, true)
		if err != nil {
			t.Fatal(err)
		}
		items = len(planned)
	})
	if items == 0 {
		t.Fatal("the undo plan is empty")
	}
	for i := 0; i < points; i++ {
		rig.child("undo", 1+rig.rng.IntN(items), time.Duration(rig.rng.Int64N(int64(5*time.Millisecond))), "B2H_CRASH_UNDO_JOB="+jobID)
		rig.checkState()
	}
	rig.child("undo", 0, 0, "B2H_CRASH_UNDO_JOB="+jobID)
	rig.checkState()
	if !strings.Contains(rig.lastOut, "UNDO kept=0 errored=0") {
		t.Errorf("the final undo kept or erred on records after crashes:\n%s", lastLines(rig.lastOut, 3))
	}
	t.Logf("undo: %d kill points over %d items, %d landed mid-run; 0 state corruption", points, items, rig.killed)
	if rig.killed == 0 {
		t.Fatal("no kill landed during an undo")
	}
	rig.fig.comparisons++
	if got := hubspotContentsEnv(t, rig.env); len(got) != 0 {
		rig.fig.undoLeft += len(got)
		n := 0
		for k := range got {
			if n++; n <= 20 {
				t.Errorf("left after the undo: %s", k)
			}
		}
		t.Errorf("%d facts left in HubSpot after the undo", len(got))
	}
	rig.inProcess(func(h *harness) {
		if n, err := h.st.CountMappings(""); err != nil || n != 0 {
			t.Errorf("%d mappings left after the undo (%v)", n, err)
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// TestIncrementalFollowsEmergencyContactLinks: a tenant whose emergency
// contact is another tenant (same email) is linked to that tenant's
// contact. When the other tenant's email changes, the link no longer
// holds: the next incremental run must give the emergency contact a
// contact of its own, and remove the old link, as a full sync of the same
// data does. (Found by TestCrashIncremental's first version: the
// incremental run re-read only the tenant that changed, never the tenants
// naming them, and a reconciled association whose pair moved left its old
// pair in HubSpot.)
func TestIncrementalFollowsEmergencyContactLinks(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 200, Seed: 13, Tier: "enterprise"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	p := h.env.Buildium.Snapshot()
	byEmail := map[string]int32{}
	for _, tn := range p.Tenants {
		if em := mapping.NormalizeEmail(tn.Email); em != "" {
			byEmail[em] = tn.ID
		}
	}
	var owner int32
	for _, tn := range p.Tenants {
		if ec := tn.EmergencyContact; ec != nil && byEmail[mapping.NormalizeEmail(ec.Email)] != 0 && byEmail[mapping.NormalizeEmail(ec.Email)] != tn.ID {
			owner = byEmail[mapping.NormalizeEmail(ec.Email)]
			break
		}
	}
	if owner == 0 {
		t.Fatal("no tenant names another tenant as emergency contact: the test proves nothing")
	}
	if err := h.env.Buildium.UpdateTenant(owner, func(tn *buildium.Tenant) { tn.Email = fmt.Sprintf("moved-%d@example.net", tn.ID) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	ref := newHarness(t, sim.Options{Portfolio: h.env.Buildium.Snapshot(), Tier: "enterprise"})
	if _, _, err := ref.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	compareContents(t, "an incremental run", hubspotContents(t, h), hubspotContents(t, ref))
}
