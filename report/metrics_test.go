package report_test

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

func TestQualityAndErrorRate(t *testing.T) {
	tests := []struct {
		name             string
		c                report.Counts
		quality, errRate float64
	}{
		{"nothing read", report.Counts{}, 1, 0},
		{"all clean", report.Counts{Read: 10, Created: 6, Unchanged: 4}, 1, 0},
		{"invalid lowers both", report.Counts{Read: 10, Created: 8, Invalid: 2}, 0.8, 0.2},
		{"duplicates and conflicts lower quality only", report.Counts{Read: 10, Created: 6, Duplicates: 3, Conflicts: 1}, 0.6, 0},
		{"failed lowers the error rate only", report.Counts{Read: 10, Created: 9, Failed: 1}, 1, 0.1},
		{"skips lower neither", report.Counts{Read: 10, Created: 5, Skipped: 5}, 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if q := tc.c.Quality(); math.Abs(q-tc.quality) > 1e-9 {
				t.Errorf("quality %v, want %v", q, tc.quality)
			}
			if e := tc.c.ErrorRate(); math.Abs(e-tc.errRate) > 1e-9 {
				t.Errorf("error rate %v, want %v", e, tc.errRate)
			}
		})
	}
}

// TestStoreMetrics stores a job's derived metrics, plus what the caller
// measured, in a real state file, and reads them back.
func TestStoreMetrics(t *testing.T) {
	st, err := state.Open(state.Options{Path: filepath.Join(t.TempDir(), "s.db"), NoSync: true, Keys: state.NewMemoryKeyStore()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	j := state.Job{Mode: state.ModeFull, StartedAt: t0}
	if err := st.CreateJob(&j); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(time.Second)
	if err := st.Commit(state.Batch{JobID: j.ID,
		Counters: map[state.Kind]state.EntityCounters{state.KindTenants: {Created: 14, Invalid: 2, Failed: 2, Duplicates: 2}},
		Metrics:  map[string]float64{report.MetricDurationS: 4},
		Ledger: []state.LedgerEntry{
			{Kind: state.KindTenants, SourceID: "1", ErrorType: "validation", Message: "bad email", LastSeen: now},
			{Kind: state.KindTenants, SourceID: "2", ErrorType: "validation", Message: "bad phone", LastSeen: now},
			{Kind: state.KindTenants, SourceID: "3", ErrorType: "hubspot_validation", Message: "HubSpot rejected it", LastSeen: now},
			{Kind: state.KindTenants, SourceID: "4", ErrorType: "transport", Message: "reset", LastSeen: now},
		}}); err != nil {
		t.Fatal(err)
	}
	extra := report.ProcessMetrics()
	if extra[report.MetricMemPeakBytes] <= 0 {
		t.Fatalf("ProcessMetrics: %v, want a positive peak memory", extra)
	}
	extra[report.MetricDailyRemaining], extra[report.MetricDailyLimit] = 120, 1000
	got, err := report.StoreMetrics(st, j.ID, extra)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := st.Job(j.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		report.MetricRecordsRead: 20, report.MetricRecordsWritten: 14, report.MetricRecordsPerS: 5,
		report.MetricQualityScore: 0.8, report.MetricErrorRate: 0.2, report.MetricValidationErrors: 2,
		report.MetricMappingErrors: 1, report.MetricDuplicates: 2, report.MetricConflicts: 0,
		report.MetricDailyRemaining: 120, report.MetricDailyLimit: 1000, report.MetricDurationS: 4,
	}
	for k, v := range want {
		if math.Abs(stored.Metrics[k]-v) > 1e-9 {
			t.Errorf("stored %s = %v, want %v", k, stored.Metrics[k], v)
		}
		if got.Metrics[k] != stored.Metrics[k] {
			t.Errorf("returned %s = %v, stored %v", k, got.Metrics[k], stored.Metrics[k])
		}
	}
	if stored.Metrics[report.MetricMemPeakBytes] <= 0 {
		t.Error("peak memory not stored")
	}
	// Stored metrics feed the report.
	r, err := report.Build(st, j.ID, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Metrics.DailyRemaining == nil || *r.Metrics.DailyRemaining != 120 || r.Metrics.MemPeakBytes == nil || r.Metrics.MappingErrors != 1 {
		t.Errorf("report metrics: %+v", r.Metrics)
	}
}
