package sync_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"b2h/clients/sim"
	"b2h/sync"
)

// TestCrashLostCommitThenUndo is the crash the SIGKILL harness found
// (TestCrashIncremental, faults on, 28 points: contacts of new tenants left
// in HubSpot after undoing every job), made deterministic: a run's HubSpot
// writes land but the process dies before its state commit. It is played
// by running an incremental sync against a copy of the state and throwing
// the copy away. The next run on the real state converges; undoing every
// job the state knows must then leave HubSpot as before the first sync.
//
// The next run's upsert of a record the lost run created answers
// new=false; the loader counts a record with no mapping in state as this
// run's create all the same, so undo archives it.
func TestCrashLostCommitThenUndo(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 120, Seed: 13, Tier: "enterprise"})
	pre := hubspotContents(t, h)
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if n := h.env.Buildium.Mutate(0.05, 100).Count(); n == 0 {
		t.Fatal("no Buildium change")
	}
	// The lost run: its writes reach HubSpot, its commits a copy of the
	// state that is then thrown away.
	if err := h.st.Close(); err != nil {
		t.Fatal(err)
	}
	lostPath := filepath.Join(t.TempDir(), "lost.db")
	copyFile(t, h.path, lostPath)
	lost := &harness{t: t, env: h.env, path: lostPath, keys: h.keys}
	lost.connect()
	sum, _, err := lost.run(sync.Options{Mode: sync.Incremental, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	created := 0
	for _, c := range sum.Entities {
		created += c.Created
	}
	if created == 0 {
		t.Fatalf("the lost run created nothing: the test proves nothing (%+v)", sum.Entities)
	}
	_ = lost.st.Close()

	h.connect()
	if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	fig := &crashFigures{}
	fig.undoAll(t, h, pre)
	if fig.undoLeft > 0 {
		t.Logf("the lost run created %d records; %d facts left after undoing every job", created, fig.undoLeft)
	}
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
