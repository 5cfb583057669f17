package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"slices"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/report"
	"b2h/state"
	"b2h/sync"
)

// migrationDemo is a full demo sync, every review item decided, then an
// incremental sync: the migration a sign-off report is made of.
func migrationDemo(t *testing.T) (*demo, *buildium.Client) {
	t.Helper()
	d := runDemo(t, demoOptions{faults: goldenFaults, workers: 1})
	items, err := d.st.ReviewItems(state.ReviewOpen)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatal("the demo opened no review item: the decisions would not be tested")
	}
	for i, it := range items {
		res := sync.DupKeepSeparate
		if it.Type == state.ReviewConflict {
			res = sync.BuildiumWins
		}
		if err := d.st.PutDecision(state.Decision{ID: it.ID, Type: it.Type, Resolution: res, DecidedBy: "ana",
			DecidedAt: fixedNow().Add(time.Duration(i+1) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	bd, err := buildium.New(buildium.Options{BaseURL: d.env.BuildiumURL, ClientID: d.env.BuildiumClientID, ClientSecret: d.env.BuildiumClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := hubspot.New(hubspot.Options{BaseURL: d.env.HubSpotURL, Token: d.env.HubSpotToken})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	later := func() time.Time { return fixedNow().Add(time.Hour) }
	sum, err := sync.New(bd, hs, d.st, nil, sync.Options{Mode: sync.Incremental, Now: later, Workers: 1}).Run(ctx)
	if err != nil {
		t.Fatalf("incremental sync: %v (%+v)", err, sum)
	}
	d.jobID = sum.JobID
	return d, bd
}

// buildiumNow counts what the Buildium simulator holds, as the command does.
func buildiumNow(t *testing.T, bd *buildium.Client) map[state.Kind]int {
	t.Helper()
	out := map[state.Kind]int{}
	for k, bk := range map[state.Kind]buildium.Kind{state.KindProperties: buildium.KindRentals, state.KindUnits: buildium.KindUnits,
		state.KindTenants: buildium.KindTenants, state.KindLeases: buildium.KindLeases} {
		n, err := bd.Count(context.Background(), bk, buildium.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// TestMigrationEndToEnd checks the migration CSV after a full sync,
// decisions and an incremental sync: exactly one row per Buildium record,
// the rows per entity equal to Buildium's counts, and the records in
// HubSpot equal to the objects the HubSpot simulator holds.
func TestMigrationEndToEnd(t *testing.T) {
	d, bd := migrationDemo(t)
	counts := buildiumNow(t, bd)
	m, err := report.BuildMigration(d.st, report.MigrationOptions{Now: fixedNow, Client: "Acme Property Co", BuildiumCounts: counts})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; !slices.Equal(got[:6], []string{"entity", "buildium_id", "name", "status", "hubspot_id", "reason"}) {
		t.Fatalf("header %v", got)
	}
	seen := map[[2]string]bool{}
	perKind := map[string]int{}
	perStatus := map[string]int{}
	hsIDs := map[string]map[string]bool{} // hubspot object type → ids in HubSpot
	types := map[state.Kind]map[string]string{}
	for _, k := range report.MigrationKinds {
		types[k] = map[string]string{}
		if err := d.st.ForEachMapping(k, func(mp state.Mapping) error { types[k][mp.SourceID] = mp.HubSpotType; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rows[1:] {
		k := [2]string{r[0], r[1]}
		if seen[k] {
			t.Errorf("%s %s is listed twice", r[0], r[1])
		}
		seen[k] = true
		perKind[r[0]]++
		perStatus[r[3]]++
		if r[3] == report.RecordInHubSpot {
			if r[4] == "" {
				t.Errorf("%s %s is in HubSpot without a HubSpot id", r[0], r[1])
			}
			typ := types[state.Kind(r[0])][r[1]]
			if hsIDs[typ] == nil {
				hsIDs[typ] = map[string]bool{}
			}
			hsIDs[typ][r[4]] = true
		}
		if r[0] == string(state.KindEmergencyContacts) && r[2] == "" {
			t.Errorf("emergency contact %s has no name", r[1])
		}
	}
	t.Logf("rows %d, per entity %v, per status %v, Buildium %v", len(rows)-1, perKind, perStatus, counts)
	for _, tot := range m.Totals {
		n, ok := counts[tot.Entity]
		if !ok {
			continue
		}
		// Landed leases are counted, not listed (see landedLeases).
		if rows := perKind[string(tot.Entity)] + tot.Unlisted; rows != n || tot.Records != n {
			t.Errorf("%s: %d rows + %d unlisted (total %d), Buildium holds %d", tot.Entity, perKind[string(tot.Entity)], tot.Unlisted, tot.Records, n)
		}
		if tot.Entity != state.KindLeases && tot.Unlisted != 0 {
			t.Errorf("%s: %d records not listed", tot.Entity, tot.Unlisted)
		}
	}
	// Buildium has no count of emergency contacts: the full job read them all.
	jobs, err := d.st.Jobs(0)
	if err != nil {
		t.Fatal(err)
	}
	if full := jobs[len(jobs)-1].Entities[state.KindEmergencyContacts].Read; int64(perKind[string(state.KindEmergencyContacts)]) != full {
		t.Errorf("emergency contacts: %d rows, the full sync read %d", perKind[string(state.KindEmergencyContacts)], full)
	}
	// The full job's own report still shows what it held and failed after
	// the incremental sync ran (finding: its lists shrank to nothing).
	old, err := report.Build(d.st, jobs[len(jobs)-1].ID, report.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if old.Total.Duplicates > 0 && len(old.Review) == 0 {
		t.Errorf("the full job held %d duplicates, its report lists no review item", old.Total.Duplicates)
	}
	failed := 0
	for _, is := range old.Issues {
		if is.Outcome == report.OutcomeFailed {
			failed++
		}
	}
	if int64(failed) != old.Total.Failed {
		t.Errorf("the full job failed %d records, its report lists %d", old.Total.Failed, failed)
	}
	t.Logf("full job: %d review rows, %d decisions, %d issues, notes %q", len(old.Review), len(old.Decisions), len(old.Issues), old.Notes)
	if !m.Reconciled {
		t.Errorf("not reconciled: %s", m.ReconcileMsg)
	}
	inHubSpot := 0
	for _, typ := range slices.Sorted(maps.Keys(hsIDs)) {
		live := 0
		for _, o := range d.env.HubSpot.Objects(typ) {
			if !o.Archived {
				live++
			}
		}
		t.Logf("HubSpot %s: %d objects, %d in the report", typ, live, len(hsIDs[typ]))
		if live != len(hsIDs[typ]) {
			t.Errorf("HubSpot type %s holds %d objects, the report has %d in HubSpot", typ, live, len(hsIDs[typ]))
		}
		inHubSpot += len(hsIDs[typ])
	}
	if perStatus[report.RecordInHubSpot] < inHubSpot {
		t.Errorf("in_hubspot %d < distinct HubSpot objects %d", perStatus[report.RecordInHubSpot], inHubSpot)
	}
	if got := m.StatusCounts(); got[report.RecordInHubSpot] != perStatus[report.RecordInHubSpot] {
		t.Errorf("StatusCounts %v, CSV %v", got, perStatus)
	}
	if len(m.Decisions) == 0 || m.Decisions[0].DecidedBy != "ana" {
		t.Errorf("decisions %+v", m.Decisions)
	}
}
