package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"b2h/sync/mapping"
)

// TestMappingExportRoundTrip: a file written by `b2h mapping export` for
// the account's unit target is accepted by --mapping on every tier, by
// plan, sync, doctor and the TUI; a file for the custom object on an
// account without one is refused as a usage error that says which export
// to use.
func TestMappingExportRoundTrip(t *testing.T) {
	type tc struct {
		tier, units string   // --demo-tier, mapping export --units
		flags       []string // extra plan/sync flags
		refused     bool
	}
	var cases []tc
	for _, tier := range []string{"free", "starter", "professional"} {
		cases = append(cases, tc{tier: tier, units: mapping.TargetListings}, tc{tier: tier, units: mapping.TargetUnit, refused: true})
	}
	cases = append(cases,
		tc{tier: "enterprise", units: mapping.TargetUnit},
		tc{tier: "enterprise", units: mapping.TargetListings, flags: []string{"--units", "listings"}})
	for _, c := range cases {
		t.Run(c.tier+"/"+c.units, func(t *testing.T) {
			dir := t.TempDir()
			out, stderr, code := runCLI(t, "mapping", "export", "--units", c.units)
			if code != exitOK {
				t.Fatalf("export: exit %d: %s", code, stderr)
			}
			file := filepath.Join(dir, "mapping.yaml")
			if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
				t.Fatal(err)
			}
			demo := []string{"--demo", "--demo-scale", "15", "--demo-tier", c.tier, "--mapping", file}
			for _, cmd := range [][]string{
				append([]string{"plan", "--state", filepath.Join(dir, "p.db")}, c.flags...),
				append([]string{"sync", "--yes", "--full", "--state", filepath.Join(dir, "s.db")}, c.flags...),
			} {
				stderr, code := runCLIMsg(t, append(cmd, demo...)...)
				switch {
				case c.refused && (code != exitUsage || !strings.Contains(stderr, "mapping export --units listings")):
					t.Errorf("%s: exit %d, want %d with the export to use: %s", cmd[0], code, exitUsage, stderr)
				case !c.refused && code != exitOK && code != exitPartial:
					t.Errorf("%s: exit %d: %s", cmd[0], code, stderr)
				}
			}
			if !c.refused {
				out, stderr, code := runCLI(t, append([]string{"doctor", "--json"}, demo...)...)
				if code == exitUsage || code == exitFatal || strings.Contains(out, "mapping file") && strings.Contains(out, `"fail"`) {
					t.Errorf("doctor: exit %d: %s\n%s", code, stderr, out)
				}
			}
			// The TUI: the file is accepted when it starts, and applies to
			// the default of the account's unit target.
			override, err := mappingOverride(&globals{mappingFile: file})
			if err != nil {
				t.Fatalf("TUI refused the file: %v", err)
			}
			accountTarget := mapping.TargetListings
			if c.tier == "enterprise" && len(c.flags) == 0 {
				accountTarget = mapping.TargetUnit
			}
			if _, err := override(mapping.Default(mapping.Options{UnitTarget: accountTarget})); (err != nil) != c.refused {
				t.Errorf("TUI applying the file on %s: %v", accountTarget, err)
			}
			// mapping show reads the file's unit target without --units.
			if _, stderr, code := runCLI(t, "mapping", "show", "--mapping", file); code != exitOK {
				t.Errorf("mapping show: exit %d: %s", code, stderr)
			}
		})
	}
}

// runCLIMsg is runCLI returning stderr with the error main would print.
func runCLIMsg(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	if err := root.ExecuteContext(context.Background()); err != nil {
		errb.WriteString(err.Error())
		if ee, ok := err.(*exitError); ok {
			return errb.String(), ee.code
		}
		return errb.String(), exitFatal
	}
	return errb.String(), exitOK
}
