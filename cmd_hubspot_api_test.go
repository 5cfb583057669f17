package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestHubSpotAPISettingIsChecked: a bad --hubspot-api, $B2H_HUBSPOT_API or
// HubSpot variant name is a usage error before anything runs.
func TestHubSpotAPISettingIsChecked(t *testing.T) {
	for _, args := range [][]string{
		{"sync", "--demo", "--hubspot-api", "v9", "--full"},
		{"sync", "--demo", "--demo-hubspot-variant", "no-echo,nope", "--full"},
		{"demo", "serve", "--hubspot-variant", "nope"},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("b2h %s: exit %d, want %d (%s)", strings.Join(args, " "), code, exitUsage, stderr)
		}
	}
	t.Setenv(hubspotAPIEnv, "2026-13")
	if _, stderr, code := runCLI(t, "sync", "--demo", "--full"); code != exitUsage {
		t.Errorf("bad %s: exit %d: %s", hubspotAPIEnv, code, stderr)
	}
}

// TestDemoSyncUnderHubSpotVariants: a full demo sync against a HubSpot that
// answers errors in the OpenAPI shape, echoes nothing, serves only dated
// paths and has no legacy endpoints counts every entity as the default
// simulator's run does; the v3 setting against dated-only paths cannot
// write at all.
func TestDemoSyncUnderHubSpotVariants(t *testing.T) {
	summary := func(extra ...string) (map[string]map[string]int, int) {
		t.Helper()
		args := append([]string{"sync", "--demo", "--demo-scale", "60", "--full", "--yes", "--json", "--state", filepath.Join(t.TempDir(), "s.db")}, extra...)
		out, stderr, code := runCLI(t, args...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var sum struct {
			Event    string
			Entities map[string]map[string]int
		}
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil || sum.Event != "summary" {
			t.Fatalf("b2h %s: exit %d, no summary (%v): %s", strings.Join(args, " "), code, err, stderr)
		}
		return sum.Entities, code
	}
	want, wcode := summary()
	got, code := summary("--demo-hubspot-variant", "spec-errors,no-echo,dated-only,no-legacy")
	// Which of a duplicate group's tenants a lease finds in HubSpot varies
	// from run to run even on the default simulator: leases are compared
	// by what was read and what failed.
	for _, m := range []map[string]map[string]int{got, want} {
		if l := m["leases"]; l != nil {
			m["leases"] = map[string]int{"read": l["read"], "failed": l["failed"]}
		}
	}
	if code != wcode || !reflect.DeepEqual(got, want) {
		t.Fatalf("exit %d, entities %v\nwant exit %d, entities %v", code, got, wcode, want)
	}
	if _, code := summary("--demo-hubspot-variant", "dated-only", "--hubspot-api", "v3"); code == exitOK {
		t.Fatalf("a v3 client wrote to a portal past the sunset")
	}
}
