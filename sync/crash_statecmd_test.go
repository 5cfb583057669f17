package sync_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
)

// TestCrashStateCommands SIGKILLs `b2h state backup`, `restore`, `compact`
// and `rotate-key` (TestCrashChildRun's modes, calling what cmd_state.go
// calls) at random moments of their work, in turn. After each kill the
// state opens and verifies (and a backup file, if one is there, too); the
// command run again finishes; then Buildium changes and a sync runs, and
// HubSpot must hold exactly what a twin account holds that saw the same
// changes, synced uninterrupted, with no state command at all. Each
// restore puts back a backup taken a sync earlier, so the sync after it
// must find the records the restored state forgot rather than write them
// twice (that sync is undone before the restore, as a person would before
// going back). At the end undoing every job leaves HubSpot as before the
// first sync.
func TestCrashStateCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	// Kills aim at event lines, not at times: it runs beside the other
	// parallel tests (TestCrashConverges, timed, runs alone before them).
	t.Parallel()
	points := crashPoints(4)
	o := sim.Options{Scale: 150, Seed: 29, Tier: "enterprise"}
	twin := newHarness(t, o)
	rig := newCrashRig(t, o)
	cmds := []string{"backup", "restore", "compact", "rotate-key"}
	figs := map[string]*crashFigures{}
	for _, c := range cmds {
		f := &crashFigures{}
		figs[c] = f
		defer f.report(t, "state "+c)
	}
	pre := hubspotContentsEnv(t, rig.env)
	full := sync.Options{Mode: sync.Full, Today: fixedNow}
	inc := sync.Options{Mode: sync.Incremental, Today: fixedNow}
	rig.inProcess(func(h *harness) {
		if _, _, err := h.run(full); err != nil {
			t.Fatal(err)
		}
	})
	if _, _, err := twin.run(full); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keys := state.NewFileKeyStore(rig.statePath + ".key")
	// verifyBackup: a backup file, if there is one, is whole and readable
	// with the state's key.
	verifyBackup := func(path string) error {
		if _, err := os.Stat(path); err != nil {
			return nil // the kill came before the rename: no backup, no harm
		}
		st, err := state.Open(state.Options{Path: path, ReadOnly: true, Keys: keys, Timeout: 10 * time.Second})
		if err != nil {
			return err
		}
		defer st.Close()
		return st.Verify()
	}
	// sync changes Buildium on both sides and syncs them: incremental on
	// the twin, mode on the rig.
	round := 0
	syncBoth := func(mode sync.Options) {
		t.Helper()
		round++
		seed := uint64(300 + round)
		rig.env.Buildium.Mutate(0.03, seed)
		twin.env.Buildium.Mutate(0.03, seed)
		rig.inProcess(func(h *harness) {
			if _, _, err := h.run(mode); err != nil {
				t.Fatal(err)
			}
		})
		if _, _, err := twin.run(inc); err != nil {
			t.Fatal(err)
		}
	}
	restoreFrom := filepath.Join(dir, "restore-from.bak")
	// prepareRestore backs the state up and syncs a change, so a restore
	// of that backup forgets a sync. The sync is undone first, so HubSpot
	// has none of what the restored state cannot know of, as a person
	// would undo before going back (the undo check at the end stays exact).
	prepareRestore := func() {
		t.Helper()
		rig.child("backup", 0, 0, "B2H_CRASH_ARG="+restoreFrom)
		syncBoth(inc)
		rig.inProcess(func(h *harness) {
			jobs, err := h.st.Jobs(1)
			if err != nil || len(jobs) != 1 {
				t.Fatalf("jobs: %v", err)
			}
			if _, _, err := h.undo(jobs[0].ID, false); err != nil {
				t.Fatal(err)
			}
		})
	}
	spans := map[string]time.Duration{}
	for i := 0; i < points; i++ {
		cmd := cmds[i%len(cmds)]
		fig := figs[cmd]
		rig.fig = fig
		arg := ""
		switch cmd {
		case "backup":
			arg = filepath.Join(dir, "backup.bak")
			_ = os.Remove(arg)
		case "restore":
			prepareRestore()
			arg = restoreFrom
		}
		env := "B2H_CRASH_ARG=" + arg
		if spans[cmd] == 0 {
			// Time one uninterrupted run of the command first: kills aim
			// anywhere within its work.
			rig.child(cmd, 0, 0, env)
			spans[cmd] = max(rig.lastSpan, time.Millisecond)
			rig.checkState()
			if cmd == "restore" {
				prepareRestore()
			}
		}
		if !rig.child(cmd, 1, time.Duration(rig.rng.Int64N(int64(spans[cmd]))), env) {
			// Too late: the command had finished. Aim earlier next time.
			spans[cmd] = max(spans[cmd]/2, time.Millisecond)
		}
		rig.checkState()
		if cmd == "backup" {
			if err := verifyBackup(arg); err != nil {
				fig.corrupt++
				t.Fatalf("the backup left by a killed backup does not verify: %v", err)
			}
		}
		rig.child(cmd, 0, 0, env) // run again: it finishes
		rig.checkState()
		if cmd == "backup" {
			if err := verifyBackup(arg); err != nil {
				fig.corrupt++
				t.Fatalf("backup: %v", err)
			}
		}
		mode := inc
		if cmd == "restore" {
			mode = full // the restored cursors are a sync old anyway
		}
		syncBoth(mode)
		fig.compare(t, "a sync after a killed "+cmd, hubspotContentsEnv(t, rig.env), hubspotContents(t, twin))
	}
	landed := 0
	for _, c := range cmds {
		landed += figs[c].landed
	}
	t.Logf("state commands: %d kill points, %d landed mid-run (spans %v)", points, landed, spans)
	if landed == 0 {
		t.Fatal("no kill landed during a state command")
	}
	rig.fig = &crashFigures{}
	rig.inProcess(func(h *harness) { rig.fig.undoAll(t, h, pre) })
}
