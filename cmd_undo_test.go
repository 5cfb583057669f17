package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"b2h/clients/sim"
)

// realEnv starts the simulators and points the environment at them, as a
// person's shell would point at real accounts (no --demo: state persists).
func realEnv(t *testing.T, scale int) *sim.Env {
	t.Helper()
	env, err := sim.Start(sim.Options{Scale: scale, Seed: 4, Tier: "enterprise"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	for k, v := range map[string]string{"BUILDIUM_URL": env.BuildiumURL, "BUILDIUM_CLIENT_ID": env.BuildiumClientID,
		"BUILDIUM_CLIENT_SECRET": env.BuildiumClientSecret, "HUBSPOT_URL": env.HubSpotURL, "HUBSPOT_ACCESS_TOKEN": env.HubSpotToken} {
		t.Setenv(k, v)
	}
	return env
}

// runCLIIn is runCLI with stdin.
func runCLIIn(t *testing.T, stdin string, args ...string) (string, int) {
	t.Helper()
	var out bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetIn(strings.NewReader(stdin))
	code := exitCode(root.ExecuteContext(context.Background()))
	return out.String(), code
}

// live counts the records of a type HubSpot still holds (not archived).
func live(env *sim.Env, objectType string) int {
	n := 0
	for _, o := range env.HubSpot.Objects(objectType) {
		if !o.Archived {
			n++
		}
	}
	return n
}

// TestUndoCommand drives `b2h undo` as a person would: usage errors, the
// plan (--dry-run, which writes nothing), no confirmation without a
// terminal, a refused and an accepted prompt, --yes --json, and a second
// run with nothing left to do.
func TestUndoCommand(t *testing.T) {
	env := realEnv(t, 40)
	st := filepath.Join(t.TempDir(), "state.db")
	out, _, code := runCLI(t, "sync", "--full", "--yes", "--json", "--state", st)
	if code != exitOK && code != exitPartial {
		t.Fatalf("sync exit %d: %s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum struct {
		JobID string `json:"job_id"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil || sum.JobID == "" {
		t.Fatalf("summary %q: %v", lines[len(lines)-1], err)
	}
	contacts := live(env, "contacts")
	if contacts == 0 {
		t.Fatal("the sync wrote no contact")
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"no job", []string{"undo", "--state", st}, exitUsage},
		{"unknown job", []string{"undo", "--job", "20990101-000000-0001", "--state", st}, exitUsage},
		{"no terminal to confirm", []string{"undo", "--job", sum.JobID, "--state", st}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, code := runCLI(t, tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
		})
	}

	out, _, code = runCLI(t, "undo", "--job", sum.JobID, "--dry-run", "--state", st)
	for _, want := range []string{"undo plan for job " + sum.JobID, "reverse  archive", "plan: ", "left in place", "the next sync re-reads"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if code != exitOK {
		t.Errorf("dry run exit %d", code)
	}
	out, code = runCLIIn(t, "n\n", "undo", "--job", sum.JobID, "--state", st)
	if code != exitUsage || !strings.Contains(out, "[y/N]") {
		t.Errorf("refused prompt: exit %d\n%s", code, out)
	}
	if n := live(env, "contacts"); n != contacts {
		t.Fatalf("plan, refusal or usage errors archived %d contacts", contacts-n)
	}

	out, _, code = runCLI(t, "undo", "--job", sum.JobID, "--yes", "--json", "--state", st)
	if code != exitOK {
		t.Fatalf("undo exit %d:\n%s", code, out)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	events := map[string]int{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		events[m["event"].(string)]++
	}
	var last struct {
		Event, Status  string
		Reversed, Kept int
	}
	_ = json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	if last.Event != "undo_summary" || last.Status != "done" || last.Reversed == 0 || last.Kept != 0 || events["undo_plan"] != 1 || events["undo_item"] != 2*last.Reversed {
		t.Errorf("JSON stream: %v, last %+v", events, last)
	}
	if n := live(env, "contacts"); n != 0 {
		t.Errorf("%d contacts left after undo", n)
	}

	out, code = runCLIIn(t, "", "undo", "--job", sum.JobID, "--state", st)
	if code != exitOK || !strings.Contains(out, "nothing left to undo") || !strings.Contains(out, "was undone before") {
		t.Errorf("second undo: exit %d\n%s", code, out)
	}
}

// TestUndoCommandConfirmed: answering y at the prompt undoes the job.
func TestUndoCommandConfirmed(t *testing.T) {
	env := realEnv(t, 10)
	st := filepath.Join(t.TempDir(), "state.db")
	out, _, _ := runCLI(t, "sync", "--full", "--yes", "--json", "--state", st)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var sum struct {
		JobID string `json:"job_id"`
	}
	_ = json.Unmarshal([]byte(lines[len(lines)-1]), &sum)
	out, code := runCLIIn(t, "y\n", "undo", "--job", sum.JobID, "--state", st)
	if code != exitOK || !strings.Contains(out, "undo job ") || !strings.Contains(out, " reversed, 0 kept, 0 errored") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if n := live(env, "contacts"); n != 0 {
		t.Errorf("%d contacts left", n)
	}
}
