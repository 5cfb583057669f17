package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"b2h/state"
)

// runCLI runs the command line in-process and returns stdout, stderr and
// the exit code, as a script would see them.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	code := exitOK
	if err := root.ExecuteContext(context.Background()); err != nil {
		code = exitFatal
		if ee, ok := err.(*exitError); ok {
			code = ee.code
		}
	}
	return out.String(), errb.String(), code
}

// TestSyncJSONContract pins DESIGN.md §6: `b2h sync --demo --full --json`
// prints JSON Lines with an "event" field; the last is the summary with the
// documented fields; the exit code is 0 or 3 as the data warrants.
func TestSyncJSONContract(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := runCLI(t, "sync", "--demo", "--demo-scale", "120", "--full", "--json", "--state", filepath.Join(dir, "s.db"))
	if code != exitOK && code != exitPartial {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["event"] == nil {
			t.Fatalf("not a JSON event line: %q (%v)", l, err)
		}
	}
	var sum struct {
		Event, JobID, Mode, Status string
		DryRun                     *bool   `json:"dry_run"`
		Duration                   float64 `json:"duration_s"`
		Entities                   map[string]map[string]int
		HubSpot                    map[string]int
		Buildium                   map[string]int
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Event != "summary" || sum.Mode != "full" || sum.DryRun == nil || *sum.DryRun || sum.Status == "" {
		t.Fatalf("summary line: %s", lines[len(lines)-1])
	}
	for _, ent := range []string{"properties", "units", "tenants", "emergency_contacts", "leases"} {
		c, ok := sum.Entities[ent]
		if !ok {
			t.Fatalf("summary lacks %s", ent)
		}
		for _, k := range []string{"read", "created", "updated", "unchanged", "skipped", "invalid", "failed", "duplicates", "conflicts"} {
			if _, ok := c[k]; !ok {
				t.Errorf("summary %s lacks %q", ent, k)
			}
		}
	}
	for _, k := range []string{"requests", "writes", "rate_limited"} {
		if _, ok := sum.HubSpot[k]; !ok {
			t.Errorf("summary hubspot lacks %q", k)
		}
	}
	issues := sum.Entities["tenants"]["invalid"] + sum.Entities["tenants"]["duplicates"] + sum.Entities["tenants"]["failed"]
	if (issues > 0) != (code == exitPartial) {
		t.Errorf("exit %d with %d tenant issues: want 3 exactly when records need attention", code, issues)
	}
}

// TestUsageErrorsExit2: bad flags and missing credentials are exit 2 with a
// message that says what to do.
func TestUsageErrorsExit2(t *testing.T) {
	t.Setenv("BUILDIUM_CLIENT_ID", "")
	t.Setenv("BUILDIUM_CLIENT_SECRET", "")
	t.Setenv("HUBSPOT_ACCESS_TOKEN", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "--full", "--incremental"}, "not both"},
		{[]string{"sync", "--only", "tenantz"}, "unknown entity"},
		{[]string{"sync", "--property", "abc"}, "not a Buildium property id"},
		{[]string{"sync", "--conflicts", "whatever"}, "--conflicts"},
		{[]string{"sync", "--full", "--state", "/nonexistent-dir/x/s.db"}, "BUILDIUM_CLIENT_ID"},
	} {
		root := newRootCmd()
		root.SetArgs(c.args)
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetErr(&out)
		err := root.ExecuteContext(context.Background())
		ee, ok := err.(*exitError)
		if !ok || ee.code != exitUsage || !strings.Contains(ee.msg, c.want) {
			t.Errorf("%v: got %v, want exit 2 mentioning %q", c.args, err, c.want)
		}
	}
}

// TestDemoNeverTouchesTheRealState: commands that read the state refuse
// --demo without --state (the demo's state lives in one process) instead of
// quietly acting on the real state file; commands that compare with HubSpot
// refuse --demo outright (each process has fresh simulators).
func TestDemoNeverTouchesTheRealState(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	real, err := state.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	// A real state with open review items, where a slip would land.
	if _, stderr, code := runCLI(t, "sync", "--demo", "--demo-scale", "60", "--full", "--json", "--yes", "--state", real); code != exitOK && code != exitPartial {
		t.Fatalf("demo sync: exit %d: %s", code, stderr)
	}
	decisions := func() int {
		st, err := state.Open(state.Options{Path: real, ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ds, err := st.Decisions()
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	before := decisions()
	for _, args := range [][]string{
		{"review", "--demo", "--apply", "skip"},
		{"review", "--demo", "--no-tui"},
		{"state", "inspect", "--demo"},
		{"state", "rotate-key", "--demo"},
		{"report", "--demo"},
		{"verify", "--demo"},
		{"undo", "--demo", "--job", "20261127-000000-0001", "--yes"},
	} {
		if _, stderr, code := runCLI(t, args...); code != exitUsage {
			t.Errorf("b2h %s: exit %d (%s); want 2", strings.Join(args, " "), code, stderr)
		}
	}
	if after := decisions(); after != before {
		t.Errorf("a --demo command changed the real state: %d decisions, %d before", after, before)
	}
	if _, err := (&globals{demo: true}).keptStatePath("review"); err == nil || !strings.Contains(err.Error(), "--state FILE") {
		t.Errorf("the refusal does not say what to do: %v", err)
	}
	// With --state, the state named is what they read.
	if out, stderr, code := runCLI(t, "review", "--demo", "--no-tui", "--state", real); code != exitPartial || !strings.Contains(out, "open") {
		t.Errorf("review of a kept demo state: exit %d, %q %q", code, out, stderr)
	}
}
