package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"b2h/report"
)

// TestReportMigrationCommand runs `b2h report --migration` on a synced
// demo: with the simulator's Buildium credentials the totals reconcile,
// without them the report says "not reconciled" and still succeeds.
func TestReportMigrationCommand(t *testing.T) {
	dir := t.TempDir()
	s := testSession(t, dir, "")
	if _, err := runJob(t, s); err != nil {
		t.Fatal(err)
	}
	if err := s.st.Close(); err != nil {
		t.Fatal(err)
	}
	g := &globals{statePath: filepath.Join(dir, "state.db"), allowHTTP: true}
	run := func(args ...string) (string, error) {
		cmd := newReportCmd(g)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		err := cmd.ExecuteContext(context.Background())
		return out.String(), err
	}
	t.Setenv("BUILDIUM_URL", s.env.BuildiumURL)
	t.Setenv("BUILDIUM_CLIENT_ID", s.env.BuildiumClientID)
	t.Setenv("BUILDIUM_CLIENT_SECRET", s.env.BuildiumClientSecret)

	body, err := run("--migration", "--format", "json", "--client", "Acme Property Co")
	if err != nil {
		t.Fatal(err)
	}
	var m report.Migration
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	if !m.Reconciled || m.Client != "Acme Property Co" || m.Portal == "" {
		t.Errorf("reconciled %v (%s), client %q, portal %q", m.Reconciled, m.ReconcileMsg, m.Client, m.Portal)
	}
	for _, tot := range m.Totals {
		if tot.Buildium != nil && *tot.Buildium != tot.Records {
			t.Errorf("%s: %d records, Buildium holds %d", tot.Entity, tot.Records, *tot.Buildium)
		}
	}

	body, err = run("--migration", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) != len(m.Records)+1 || strings.Join(rows[0], ",") != "entity,buildium_id,name,status,hubspot_id,reason,fix" {
		t.Errorf("CSV: %v, %d rows for %d records, header %v", err, len(rows), len(m.Records), rows[0])
	}

	t.Setenv("BUILDIUM_CLIENT_ID", "")
	body, err = run("--migration", "--mask")
	if err != nil || !strings.Contains(body, "Not reconciled with Buildium (no Buildium credentials") || !strings.Contains(body, "| Names | masked |") {
		t.Errorf("without credentials: %v\n%.600s", err, body)
	}
	for _, args := range [][]string{{"--mask"}, {"--client", "x"}, {"--migration", "--job", "j"}} {
		if _, err := run(args...); exitCode(err) != exitUsage {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}
