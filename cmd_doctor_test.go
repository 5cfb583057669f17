package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"b2h/doctor"
)

// TestDoctorDemoPasses: `b2h doctor --demo` sets the demo account up and
// every check passes (exit 0), in text and in JSON.
func TestDoctorDemoPasses(t *testing.T) {
	out, stderr, code := runCLI(t, "doctor", "--demo", "--demo-scale", "20", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr, out)
	}
	var r struct {
		Status   doctor.Status
		Findings []doctor.Finding
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Status != doctor.Pass || len(r.Findings) != 12 {
		t.Fatalf("status %s, %d findings", r.Status, len(r.Findings))
	}
	for _, f := range r.Findings {
		if f.Status != doctor.Pass {
			t.Errorf("%s: %s %s (fix: %s)", f.Check, f.Status, f.Detail, f.Fix)
		}
	}

	out, _, code = runCLI(t, "doctor", "--demo", "--demo-scale", "5")
	if code != exitOK || !strings.Contains(out, "PASS  hosts") || !strings.Contains(out, "12 checks: 12 passed, 0 warned, 0 failed") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

// TestDoctorWithoutCredentials: with nothing configured, the credential
// checks fail with the variables to set, the rest say why they were not
// checked, and the exit code is 1. No request leaves the machine.
func TestDoctorWithoutCredentials(t *testing.T) {
	for _, k := range []string{"BUILDIUM_CLIENT_ID", "BUILDIUM_CLIENT_SECRET", "HUBSPOT_ACCESS_TOKEN"} {
		t.Setenv(k, "")
	}
	t.Setenv("BUILDIUM_URL", "")
	t.Setenv("HUBSPOT_URL", "http://127.0.0.1:1") // never the real host from a test
	out, stderr, code := runCLI(t, "doctor", "--state", filepath.Join(t.TempDir(), "none.db"))
	if code != exitFatal {
		t.Errorf("exit %d, want %d (stderr %s)", code, exitFatal, stderr)
	}
	for _, want := range []string{
		"FAIL  buildium credentials  BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET not set",
		"fix: set BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET",
		"FAIL  hubspot credentials",
		"fix: set HUBSPOT_ACCESS_TOKEN",
		"WARN  scopes                not checked",
		"WARN  state file            no state file",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestOpenLoggerRotates: a log at 10 MB is rotated when b2h starts (the
// five older files shift, the oldest is dropped); a smaller one is kept.
func TestOpenLoggerRotates(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "b2h.log")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(10 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for i := 1; i <= 5; i++ {
		if err := os.WriteFile(log+"."+string(rune('0'+i)), []byte{byte('0' + i)}, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	openLogger(&globals{}, filepath.Join(dir, "state.db"), &stderr).Info("after rotation")
	if fi, err := os.Stat(log + ".1"); err != nil || fi.Size() != 10<<20 {
		t.Errorf("b2h.log.1: %v %v", fi, err)
	}
	for i := 2; i <= 5; i++ {
		if b, _ := os.ReadFile(log + "." + string(rune('0'+i))); string(b) != string(rune('0'+i-1)) {
			t.Errorf("b2h.log.%d holds %q, want the former .%d", i, b, i-1)
		}
	}
	if _, err := os.Stat(log + ".6"); err == nil {
		t.Error("a sixth log was kept")
	}
	b, _ := os.ReadFile(log)
	if !strings.Contains(string(b), "after rotation") || len(b) > 1000 || stderr.Len() != 0 {
		t.Errorf("new log %q, stderr %q", b, stderr.String())
	}

	openLogger(&globals{}, filepath.Join(dir, "state.db"), io.Discard).Info("appended")
	if b, _ := os.ReadFile(log); !strings.Contains(string(b), "after rotation") || !strings.Contains(string(b), "appended") {
		t.Errorf("a small log was rotated: %q", b)
	}
}
