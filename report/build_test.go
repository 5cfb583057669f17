package report_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

var t0 = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

func TestBuildPicksTheJob(t *testing.T) {
	f := &fakeState{jobs: []state.Job{{ID: "a", Mode: "full", Status: "done"}, {ID: "b", Mode: "incremental", Status: "done"}}}
	for _, tc := range []struct{ ask, want string }{{"", "b"}, {"a", "a"}} {
		r, err := report.Build(f, tc.ask, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Job.ID != tc.want {
			t.Errorf("Build(%q) reported job %s, want %s", tc.ask, r.Job.ID, tc.want)
		}
	}
	if _, err := report.Build(f, "zzz", report.Options{}); !errors.Is(err, state.ErrNotFound) {
		t.Errorf("unknown job: %v, want ErrNotFound", err)
	}
	_, err := report.Build(&fakeState{}, "", report.Options{})
	if !errors.Is(err, report.ErrNoJobs) || !errors.Is(err, state.ErrNotFound) {
		t.Errorf("empty state: %v, want ErrNoJobs wrapping ErrNotFound", err)
	}
}

// TestBuildGathersTheJobsRecords checks what belongs to a job: its own
// ledger entries (open or later resolved), its review items with their
// decisions, decisions it applied, skip audit entries, and names from the
// mappings; and that another job's records stay out.
func TestBuildGathersTheJobsRecords(t *testing.T) {
	const job, other = "20261101-120000-0002", "20261101-110000-0001"
	f := &fakeState{
		jobs: []state.Job{{ID: other, Mode: "full", Status: "done"}, {ID: job, Mode: "full", Status: state.StatusDoneWithErrors,
			StartedAt: t0, FinishedAt: t0.Add(20 * time.Second),
			Entities: map[state.Kind]state.EntityCounters{
				state.KindTenants:           {Created: 5, Invalid: 1, Failed: 1, Duplicates: 2},
				state.KindEmergencyContacts: {Created: 2, Skipped: 1},
			}}},
		ledger: []state.LedgerEntry{
			{Kind: state.KindTenants, SourceID: "10", JobID: job, ErrorType: "validation", LastSeen: t0.Add(time.Second),
				Message: "tenant 10 (J*** D***): email \"j***@\" is not a valid address — fix it in Buildium (Rentals › Tenants › J*** D*** › Email) or clear it"},
			{Kind: state.KindTenants, SourceID: "11", JobID: job, ErrorType: "transport", Message: "connection reset", RetryCount: 2,
				LastSeen: t0.Add(2 * time.Second), Resolved: true, ResolvedByJob: "20261102-000000-0003"},
			{Kind: state.KindTenants, SourceID: "99", JobID: other, ErrorType: "hubspot", Message: "not this job"},
		},
		review: []state.ReviewItem{
			{ID: "dup-email-a", Type: state.ReviewDuplicate, Kind: state.KindTenants, SourceIDs: []string{"12", "13"},
				Summary: "2 tenants share the email x@example.com", JobID: job, OpenedAt: t0, Status: state.ReviewDecided},
			{ID: "dup-email-b", Type: state.ReviewDuplicate, Kind: state.KindTenants, SourceIDs: []string{"98"}, JobID: other},
		},
		decisions: []state.Decision{
			{ID: "dup-email-a", Type: "duplicate", Resolution: "keep_separate", DecidedBy: "ana"},
			{ID: "conf-1", Type: "conflict", Resolution: "buildium_wins", AppliedByJob: job},
			{ID: "conf-2", Type: "conflict", Resolution: "hubspot_wins", AppliedByJob: other},
		},
		audit: map[string][]state.AuditEntry{job: {
			{Action: state.ActionCreate, Kind: state.KindTenants, SourceID: "1", Time: t0},
			{Action: state.ActionSkip, Kind: state.KindEmergencyContacts, SourceID: "ec-1", Time: t0.Add(3 * time.Second),
				Changes: []state.FieldChange{{Field: "linked_tenant", New: "1"}}},
			{Action: state.ActionAssociate, Kind: state.KindAssociations, SourceID: "T1>U1", Time: t0.Add(4 * time.Second)},
		}},
		mappings: map[state.Kind]map[string]state.Mapping{state.KindTenants: {
			"11": {HubSpotID: "7001", Snapshot: map[string]string{"firstname": "Ana", "lastname": "Lima"}}}},
	}
	r, err := report.Build(f, job, report.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]report.Issue{}
	for _, is := range r.Issues {
		got[is.SourceID] = is
	}
	if len(r.Issues) != 5 {
		t.Fatalf("%d issues, want 5 (10, 11, 12, 13, ec-1): %+v", len(r.Issues), r.Issues)
	}
	if is := got["10"]; is.Outcome != report.OutcomeInvalid || !strings.HasPrefix(is.Fix, "Fix it in Buildium (Rentals") ||
		strings.Contains(is.Reason, " — ") {
		t.Errorf("validation issue: reason and fix not split: %+v", is)
	}
	if is := got["11"]; is.Status != report.StatusResolved || is.ResolvedByJob != "20261102-000000-0003" ||
		is.Name != "Ana Lima" || is.HubSpotID != "7001" || is.Retries != 2 || is.Outcome != report.OutcomeFailed {
		t.Errorf("resolved transport failure: %+v", is)
	}
	if is := got["12"]; is.Outcome != report.OutcomeDuplicate || is.Status != state.ReviewDecided || !strings.Contains(is.Reason, "x***@example.com") {
		t.Errorf("held duplicate: %+v", is)
	}
	if is := got["ec-1"]; is.Outcome != report.OutcomeSkipped || is.Status != report.StatusNoAction {
		t.Errorf("linked emergency contact: %+v", is)
	}
	if _, ok := got["99"]; ok {
		t.Error("another job's ledger entry is listed")
	}
	if len(r.Review) != 1 || r.Review[0].Resolution != "keep_separate" {
		t.Errorf("review rows: %+v", r.Review)
	}
	if len(r.Decisions) != 2 || r.Decisions[0].ID != "dup-email-a" || r.Decisions[1].ID != "conf-1" {
		t.Errorf("decisions: %+v", r.Decisions)
	}
	if r.Metrics.AssociationsWritten != 1 {
		t.Errorf("associations written %d, want 1", r.Metrics.AssociationsWritten)
	}
	// Read is taken as the sum of outcomes when the job stored none.
	if r.Total.Read != 12 || r.Entities[0].Entity != state.KindTenants || r.Entities[0].Read != 9 {
		t.Errorf("read: total %d, first entity %+v", r.Total.Read, r.Entities[0])
	}
	if r.Metrics.RecordsPerS == nil || *r.Metrics.RecordsPerS != 12.0/20 {
		t.Errorf("records/s %v, want 0.6", r.Metrics.RecordsPerS)
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes %v, want none: every counted issue is listed", r.Notes)
	}
	wantCats := map[string]int{"validation": 1, "transport": 1, "duplicate": 2}
	for _, c := range r.Categories {
		if wantCats[c.Name] != c.Count {
			t.Errorf("category %s: %d, want %d", c.Name, c.Count, wantCats[c.Name])
		}
		delete(wantCats, c.Name)
	}
	if len(wantCats) != 0 {
		t.Errorf("missing categories %v (the linked skip is not an error)", wantCats)
	}
}

func TestBuildNotes(t *testing.T) {
	tests := []struct {
		name string
		job  state.Job
		want string
	}{
		{"superseded failures", state.Job{ID: "j", Status: state.StatusDoneWithErrors,
			Entities: map[state.Kind]state.EntityCounters{state.KindUnits: {Created: 1, Failed: 3}}},
			"units: 3 failed record(s) of this job are not listed"},
		{"dry run", state.Job{ID: "j", DryRun: true, Status: state.StatusDone,
			Entities: map[state.Kind]state.EntityCounters{state.KindUnits: {Read: 4, Created: 3, Invalid: 1}}},
			"This is a dry run"},
		{"still running", state.Job{ID: "j", Status: state.StatusRunning}, "still running"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := report.Build(&fakeState{jobs: []state.Job{tc.job}}, "", report.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(r.Notes, "\n"), tc.want) {
				t.Errorf("notes %q lack %q", r.Notes, tc.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	for in, want := range map[string]report.Format{"md": report.FormatMarkdown, "Markdown": report.FormatMarkdown,
		"html": report.FormatHTML, " csv ": report.FormatCSV, "JSON": report.FormatJSON} {
		if got, err := report.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := report.ParseFormat("pdf"); err == nil {
		t.Error("ParseFormat(pdf) accepted")
	}
	for in, want := range map[string]report.Format{"a/r.MD": report.FormatMarkdown, "r.htm": report.FormatHTML,
		"r.csv": report.FormatCSV, "r.json": report.FormatJSON} {
		if got, ok := report.FormatForPath(in); !ok || got != want {
			t.Errorf("FormatForPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := report.FormatForPath("report.txt"); ok {
		t.Error("FormatForPath(report.txt) guessed a format")
	}
}

// TestRenderEdges: an empty job renders every format with its empty
// states, and a job with more problem records than MaxListed lists them
// all in the CSV but caps the Markdown and HTML tables.
func TestRenderEdges(t *testing.T) {
	render := func(r *report.Report, f report.Format) string {
		var b strings.Builder
		if err := r.Write(&b, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		return b.String()
	}
	empty, err := report.Build(&fakeState{jobs: []state.Job{{ID: "j", Mode: "full", Status: "done"}}}, "", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page := render(empty, report.FormatHTML)
	for _, want := range []string{"No record was read.", "Nothing was written or reported during this job.", "No invalid, failed, skipped or held record."} {
		if !strings.Contains(page, want) {
			t.Errorf("empty HTML lacks %q", want)
		}
	}
	if md := render(empty, report.FormatMarkdown); !strings.Contains(md, "## Invalid, failed, skipped and held records\n\nNone.") {
		t.Error("empty Markdown does not say there is no problem record")
	}
	if csvOut := render(empty, report.FormatCSV); strings.Count(csvOut, "\n") != 1 {
		t.Errorf("empty CSV has more than its header:\n%s", csvOut)
	}
	if js := render(empty, report.FormatJSON); !strings.Contains(js, `"alerts": []`) || !strings.Contains(js, `"issues": []`) {
		t.Error("empty JSON should carry empty lists, not null")
	}

	n := report.MaxListed + 25
	f := &fakeState{jobs: []state.Job{{ID: "big", Mode: "full", Status: state.StatusDoneWithErrors,
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Invalid: int64(n)}}}}}
	for i := range n {
		f.ledger = append(f.ledger, state.LedgerEntry{Kind: state.KindTenants, SourceID: strconv.Itoa(1000 + i), JobID: "big",
			ErrorType: "validation", Message: "email is not valid", LastSeen: t0})
	}
	big, err := report.Build(f, "", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(render(big, report.FormatCSV), "\n") - 1; got != n {
		t.Errorf("CSV lists %d records, want all %d", got, n)
	}
	if md := render(big, report.FormatMarkdown); strings.Count(md, "| tenants | 1") != report.MaxListed || !strings.Contains(md, "… and 25 more") {
		t.Error("Markdown does not cap the table at MaxListed with a pointer to the CSV")
	}
	if page := render(big, report.FormatHTML); strings.Count(page, "<tr><td>tenants</td><td>1") != report.MaxListed {
		t.Errorf("HTML lists %d rows, want %d", strings.Count(page, "<tr><td>tenants</td><td>1"), report.MaxListed)
	}
}
