package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestReviewCommandHeadless: without a terminal, `b2h review` keeps its
// text and JSON listing and --apply, whatever the TUI adds (--no-tui
// forces the text in a terminal).
func TestReviewCommandHeadless(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	st, err := state.Open(state.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(sync.ConflictPayload{Entity: mapping.Tenants, SourceID: "1000030", Name: "Grace Okafor", HubSpotID: "901",
		Fields: []sync.FieldConflict{{Field: "phone", Base: "1", Buildium: "2", HubSpot: "3"}}})
	id := sync.ConflictID(mapping.Tenants, "1000030")
	if err := st.PutReviewItem(state.ReviewItem{ID: id, Type: state.ReviewConflict, Kind: state.Kind(mapping.Tenants),
		SourceIDs: []string{"1000030"}, Summary: "tenant 1000030 (Grace Okafor): phone changed in Buildium and in HubSpot",
		Payload: payload, OpenedAt: time.Now(), Status: state.ReviewOpen}); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()

	for _, args := range [][]string{{"review"}, {"review", "--no-tui"}} {
		out, _, code := runCLI(t, append(args, "--state", path)...)
		want := id + "  conflict  tenants    tenant 1000030 (Grace Okafor): phone changed in Buildium and in HubSpot\n" +
			"1 open; decide with b2h review --apply STRATEGY [--id ID]\n"
		if out != want || code != exitPartial {
			t.Errorf("%v: exit %d, output\n%q\nwant\n%q", args, code, out, want)
		}
	}
	out, _, code := runCLI(t, "review", "--json", "--state", path)
	if code != exitOK || !strings.Contains(out, `"id":"`+id+`"`) {
		t.Errorf("--json: exit %d, %s", code, out)
	}
	out, _, code = runCLI(t, "review", "--apply", sync.HubSpotWins, "--state", path)
	if code != exitOK || !strings.Contains(out, "decided 1 item(s) with hubspot_wins") {
		t.Errorf("--apply: exit %d, %s", code, out)
	}
	// Decided and not yet applied: the listing says so (still open until
	// the next sync applies it).
	out, _, code = runCLI(t, "review", "--no-tui", "--state", path)
	if code != exitPartial || !strings.Contains(out, "[decided: hubspot_wins]") || !strings.Contains(out, "1 open, 1 of them decided") {
		t.Errorf("listing after --apply: exit %d, %s", code, out)
	}
	out, _, _ = runCLI(t, "review", "--json", "--state", path)
	if !strings.Contains(out, `"decided":"hubspot_wins"`) {
		t.Errorf("--json after --apply: %s", out)
	}
}
