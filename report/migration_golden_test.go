package report_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"b2h/report"
	"b2h/state"
)

// The fake state as a report.MigrationSource.
var _ report.MigrationSource = (*fakeState)(nil)

func (f *fakeState) Jobs(limit int) ([]state.Job, error) {
	out := slices.Clone(f.jobs)
	slices.Reverse(out) // newest first
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (f *fakeState) ForEachMapping(kind state.Kind, fn func(state.Mapping) error) error {
	m := f.mappings[kind]
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if err := fn(m[id]); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeState) Account() (state.Account, error) {
	return state.Account{PortalID: "4242"}, nil
}

// migrationFixture is a small migration with every status: two jobs, a
// decision applied and one pending, an open conflict, invalid, failed and
// skipped records.
func migrationFixture() *fakeState {
	t1, t2 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	mp := func(kind state.Kind, id, hs string, snap map[string]string) state.Mapping {
		return state.Mapping{Kind: kind, SourceID: id, HubSpotID: hs, Snapshot: snap}
	}
	return &fakeState{
		jobs: []state.Job{
			{ID: "20261101T120000-full", Mode: state.ModeFull, Status: state.StatusDoneWithErrors, StartedAt: t1, FinishedAt: t1.Add(time.Minute),
				BuildiumHost: "acme.managebuilding.com", Entities: map[state.Kind]state.EntityCounters{state.KindLeases: {Read: 5, Created: 4, Skipped: 1}}},
			{ID: "20261102T120000-incremental", Mode: state.ModeIncremental, Status: state.StatusDone, StartedAt: t2, FinishedAt: t2.Add(time.Minute),
				BuildiumHost: "acme.managebuilding.com", Entities: map[state.Kind]state.EntityCounters{state.KindLeases: {Read: 6, Unchanged: 5, Skipped: 1}}},
		},
		mappings: map[state.Kind]map[string]state.Mapping{
			state.KindProperties: {"1001": mp(state.KindProperties, "1001", "901", map[string]string{"hs_name": "9121 Highland Ct"})},
			state.KindUnits:      {"100001": mp(state.KindUnits, "100001", "801", map[string]string{"unit_name": "9121 Highland Ct – Unit 1", "unit_number": "1"})},
			state.KindTenants: {
				"1000001": mp(state.KindTenants, "1000001", "701", map[string]string{"firstname": "Noah", "lastname": "Khan", "email": "noah@example.com"}),
				"1000002": mp(state.KindTenants, "1000002", "702", map[string]string{"firstname": "Ana", "lastname": "Ruiz"}),
			},
			state.KindEmergencyContacts: {"email-014a8b65801000ea67eefb0a55ef4c24": mp(state.KindEmergencyContacts,
				"email-014a8b65801000ea67eefb0a55ef4c24", "703", map[string]string{"firstname": "Melissa", "lastname": "Walker"})},
		},
		review: []state.ReviewItem{
			{ID: "conflict-tenants-1000002", Type: state.ReviewConflict, Kind: state.KindTenants, SourceIDs: []string{"1000002"},
				Summary: "phone changed on both sides", JobID: "20261102T120000-incremental", OpenedAt: t2, Status: state.ReviewOpen},
			{ID: "dup-email-b", Type: state.ReviewDuplicate, Kind: state.KindTenants, SourceIDs: []string{"1000007", "1000008"},
				Summary: "2 tenants share the email lee@example.com", JobID: "20261102T120000-incremental", OpenedAt: t2, Status: state.ReviewDecided},
		},
		decisions: []state.Decision{
			{ID: "dup-email-a", Type: state.ReviewDuplicate, Resolution: "keep_separate", DecidedBy: "ana", DecidedAt: t1.Add(time.Hour), AppliedByJob: "20261102T120000-incremental"},
			{ID: "dup-email-b", Type: state.ReviewDuplicate, Resolution: "merge", DecidedBy: "ana", DecidedAt: t2.Add(time.Hour)},
		},
		ledger: []state.LedgerEntry{
			{Kind: state.KindTenants, SourceID: "1000003", JobID: "20261101T120000-full", ErrorType: "validation",
				Message: "email \"bad@\" is not valid — correct the email in Buildium", FirstSeen: t1, LastSeen: t2},
			{Kind: state.KindTenants, SourceID: "1000004", JobID: "20261102T120000-incremental", ErrorType: "transport", Message: "HubSpot did not answer", FirstSeen: t2, LastSeen: t2},
			{Kind: state.KindLeases, SourceID: "5001", JobID: "20261102T120000-incremental", ErrorType: "skipped", Message: "the lease has no tenants", FirstSeen: t1, LastSeen: t2},
			{Kind: state.KindTenants, SourceID: "1000002", JobID: "20261102T120000-incremental", ErrorType: "conflict", Message: "phone changed on both sides", FirstSeen: t2, LastSeen: t2},
			{Kind: state.KindTenants, SourceID: "1000009", JobID: "20261101T120000-full", ErrorType: "duplicate", Message: "held", FirstSeen: t1, LastSeen: t1,
				Resolved: true, ResolvedByJob: "20261102T120000-incremental"},
		},
	}
}

// TestMigrationGolden renders the fixture's migration report as Markdown,
// CSV and JSON and compares them with testdata/TestMigrationGolden/*.golden
// (regenerate with -update).
func TestMigrationGolden(t *testing.T) {
	counts := map[state.Kind]int{state.KindProperties: 1, state.KindUnits: 2, state.KindTenants: 7, state.KindLeases: 6}
	m, err := report.BuildMigration(migrationFixture(), report.MigrationOptions{Now: fixedNow, Client: "Acme Property Co", BuildiumCounts: counts})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []report.Format{report.FormatMarkdown, report.FormatCSV, report.FormatJSON} {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := m.Write(&b, f); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, b.Bytes())
		})
	}
}

// TestMigrationStatuses checks each fixture record's status and the
// precedence rules (in HubSpot beats an open conflict; a held group beats
// nothing; a closed ledger entry without a mapping is skipped).
func TestMigrationStatuses(t *testing.T) {
	m, err := report.BuildMigration(migrationFixture(), report.MigrationOptions{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range m.Records {
		got[string(r.Entity)+" "+r.BuildiumID] = r.Status
	}
	want := map[string]string{"properties 1001": "in_hubspot", "units 100001": "in_hubspot", "tenants 1000001": "in_hubspot",
		"tenants 1000002": "in_hubspot", "tenants 1000003": "invalid", "tenants 1000004": "failed", "tenants 1000007": "held",
		"tenants 1000008": "held", "tenants 1000009": "skipped", "leases 5001": "skipped",
		"emergency_contacts email-014a8b65801000ea67eefb0a55ef4c24": "in_hubspot"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d records, want %d: %v", len(got), len(want), got)
	}
	if m.Client != "acme.managebuilding.com" || m.Portal != "4242" {
		t.Errorf("cover: client %q portal %q", m.Client, m.Portal)
	}
	if m.Reconciled || !strings.Contains(m.ReconcileMsg, "Not reconciled") {
		t.Errorf("reconciled without counts: %q", m.ReconcileMsg)
	}
	if lt := m.Totals[4]; lt.Entity != state.KindLeases || lt.InHubSpot != 5 || lt.Records != 6 {
		t.Errorf("leases %+v", lt)
	}
}

// TestMigrationMask: --mask masks every name, emails stay masked, and the
// names are otherwise shown.
func TestMigrationMask(t *testing.T) {
	for _, mask := range []bool{false, true} {
		m, err := report.BuildMigration(migrationFixture(), report.MigrationOptions{Now: fixedNow, Mask: mask})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range report.Formats {
			var b bytes.Buffer
			if err := m.Write(&b, f); err != nil {
				t.Fatal(err)
			}
			s := b.String()
			if strings.Contains(s, "lee@example.com") {
				t.Errorf("%s: an email is shown in clear", f)
			}
			if has := strings.Contains(s, "Melissa Walker"); has == mask {
				t.Errorf("%s mask=%v: Melissa Walker shown=%v", f, mask, has)
			}
			if mask && !strings.Contains(strings.ReplaceAll(s, `\*`, "*"), "M*** W***") {
				t.Errorf("%s: masked name missing", f)
			}
		}
	}
}
