package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

// TestOlderJobKeepsItsRows: job 1 found 3 invalid tenants and held 2 in a
// duplicate group; job 2 failed the same records again (the ledger now
// names job 2) and re-opened the group. Job 1's report must still list
// every record its counters count.
func TestOlderJobKeepsItsRows(t *testing.T) {
	t1, t2 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	job1 := state.Job{ID: "j1", Mode: state.ModeFull, Status: state.StatusDoneWithErrors, StartedAt: t1, FinishedAt: t1.Add(time.Minute),
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 100, Created: 95, Invalid: 3, Duplicates: 2}}}
	job2 := state.Job{ID: "j2", Mode: state.ModeIncremental, Status: state.StatusDoneWithErrors, StartedAt: t2, FinishedAt: t2.Add(time.Minute),
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 5, Invalid: 3, Duplicates: 2}}}
	var ledger []state.LedgerEntry
	for _, id := range []string{"11", "12", "13"} {
		ledger = append(ledger, state.LedgerEntry{Kind: state.KindTenants, SourceID: id, JobID: "j2", ErrorType: "validation",
			Message: "email is not valid", RetryCount: 1, FirstSeen: t1.Add(time.Second), LastSeen: t2.Add(time.Second)})
	}
	// Open across job 1 but first seen before it: listed only within job 1's counters.
	ledger = append(ledger, state.LedgerEntry{Kind: state.KindTenants, SourceID: "14", JobID: "j2", ErrorType: "validation",
		Message: "older", FirstSeen: t1.Add(-time.Hour), LastSeen: t2.Add(time.Second)})
	f := &fakeState{jobs: []state.Job{job1, job2}, ledger: ledger,
		review: []state.ReviewItem{{ID: "dup-email-a", Type: state.ReviewDuplicate, Kind: state.KindTenants, SourceIDs: []string{"21", "22"},
			Summary: "2 tenants share an email", JobID: "j2", OpenedAt: t2.Add(time.Second), Status: state.ReviewOpen}}}
	r, err := report.Build(f, "j1", report.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, is := range r.Issues {
		n[is.Outcome]++
	}
	if n[report.OutcomeInvalid] != 3 || n[report.OutcomeDuplicate] != 2 {
		t.Errorf("job 1 lists %v, its counters say 3 invalid and 2 duplicates: %+v", n, r.Issues)
	}
	for _, is := range r.Issues {
		if is.SourceID == "14" {
			t.Errorf("tenant 14 listed beyond job 1's invalid counter")
		}
	}
	if len(r.Notes) != 0 {
		t.Errorf("notes %q", r.Notes)
	}
}

// TestBadgeAndScore: invalid records and holds are not errors, and a
// score below 1 never reads 1.00.
func TestBadgeAndScore(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		c      state.EntityCounters
		badge  string
		scores string
	}{
		{"invalid only", state.EntityCounters{Read: 600, Created: 597, Invalid: 3}, "needs attention", "0.99"},
		{"failed", state.EntityCounters{Read: 600, Created: 597, Failed: 3}, "done with errors", "1.00"},
		{"clean", state.EntityCounters{Read: 600, Created: 600}, "| Status | done |", "1.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeState{jobs: []state.Job{{ID: "j1", Mode: state.ModeFull, Status: state.StatusDoneWithErrors, StartedAt: t0,
				FinishedAt: t0.Add(time.Minute), Entities: map[state.Kind]state.EntityCounters{state.KindTenants: tc.c}}}}
			r, err := report.Build(f, "", report.Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			var md, html bytes.Buffer
			if err := r.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteHTML(&html); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(md.String(), tc.badge) || !strings.Contains(html.String(), strings.TrimPrefix(strings.TrimSuffix(tc.badge, " |"), "| Status | ")) {
				t.Errorf("badge %q missing", tc.badge)
			}
			if !strings.Contains(md.String(), "Quality score "+tc.scores) {
				t.Errorf("quality score %s missing:\n%s", tc.scores, md.String())
			}
		})
	}
}
