package report

import (
	"fmt"
	"maps"
	"runtime"

	"b2h/state"
)

// Keys of state.Job.Metrics. The engine writes the first group at the end of
// a run; StoreMetrics adds the derived group; the last group is written when
// the caller measured it (see StoreMetrics's extra).
const (
	// Written by the engine.
	MetricDurationS          = "duration_s"
	MetricHubSpotRequests    = "hubspot_requests"
	MetricHubSpotWrites      = "hubspot_writes"
	MetricHubSpotRateLimited = "hubspot_rate_limited"
	MetricBuildiumRequests   = "buildium_requests"

	// Derived by StoreMetrics from the job's counters and ledger.
	MetricRecordsRead      = "records_read"
	MetricRecordsWritten   = "records_written"
	MetricRecordsPerS      = "records_per_s"
	MetricQualityScore     = "quality_score"
	MetricErrorRate        = "error_rate"
	MetricValidationErrors = "validation_errors"
	MetricMappingErrors    = "mapping_errors"
	MetricDuplicates       = "duplicates"
	MetricConflicts        = "conflicts"

	// Measured by the caller and passed to StoreMetrics.
	MetricDailyRemaining     = "hubspot_daily_remaining" // X-HubSpot-RateLimit-Daily-Remaining at the end
	MetricDailyLimit         = "hubspot_daily_limit"     // X-HubSpot-RateLimit-Daily
	MetricHubSpotLatencyAvg  = "hubspot_latency_avg_ms"
	MetricHubSpotLatencyP95  = "hubspot_latency_p95_ms"
	MetricBuildiumLatencyAvg = "buildium_latency_avg_ms"
	MetricBuildiumLatencyP95 = "buildium_latency_p95_ms"
	MetricHubSpotWaitS       = "hubspot_wait_s" // limiter pacing plus retry backoff
	MetricMemPeakBytes       = "mem_peak_bytes" // peak resident set size of the process
)

// countsOf converts state counters, taking Read as at least the sum of the
// outcomes (a live job records outcomes per batch, see the package doc).
func countsOf(c state.EntityCounters) Counts {
	out := Counts{Read: c.Read, Created: c.Created, Updated: c.Updated, Unchanged: c.Unchanged,
		Skipped: c.Skipped, Invalid: c.Invalid, Failed: c.Failed, Duplicates: c.Duplicates, Conflicts: c.Conflicts}
	out.Read = max(out.Read, out.accounted())
	return out
}

// accounted is the number of records with an outcome.
func (c Counts) accounted() int64 {
	return c.Created + c.Updated + c.Unchanged + c.Skipped + c.Invalid + c.Failed + c.Duplicates + c.Conflicts
}

func (c Counts) add(d Counts) Counts {
	return Counts{Read: c.Read + d.Read, Created: c.Created + d.Created, Updated: c.Updated + d.Updated,
		Unchanged: c.Unchanged + d.Unchanged, Skipped: c.Skipped + d.Skipped, Invalid: c.Invalid + d.Invalid,
		Failed: c.Failed + d.Failed, Duplicates: c.Duplicates + d.Duplicates, Conflicts: c.Conflicts + d.Conflicts}
}

// Quality is the quality score of these counts (see the package doc).
func (c Counts) Quality() float64 {
	if c.Read <= 0 {
		return 1
	}
	clean := c.Read - c.Invalid - c.Duplicates - c.Conflicts
	return clamp01(float64(clean) / float64(c.Read))
}

// ErrorRate is the error rate of these counts (see the package doc).
func (c Counts) ErrorRate() float64 {
	if c.Read <= 0 {
		return 0
	}
	return clamp01(float64(c.Invalid+c.Failed) / float64(c.Read))
}

func clamp01(f float64) float64 {
	return min(max(f, 0), 1)
}

// Totals sums a job's counters over every entity.
func Totals(job state.Job) Counts {
	var t Counts
	for _, c := range job.Entities {
		t = t.add(countsOf(c))
	}
	return t
}

// QualityScore is a job's quality score (see the package doc).
func QualityScore(job state.Job) float64 { return Totals(job).Quality() }

// ErrorRate is a job's error rate (see the package doc).
func ErrorRate(job state.Job) float64 { return Totals(job).ErrorRate() }

// MetricsStore is what StoreMetrics needs of the state; *state.Store
// implements it.
type MetricsStore interface {
	UpdateJob(id string, fn func(*state.Job) error) error
	ForEachLedger(kind state.Kind, fn func(state.LedgerEntry) error) error
}

// StoreMetrics computes the job's derived metrics (records read and
// written, records/s, quality score, error rate, validation and mapping
// errors, duplicates, conflicts), merges extra (figures only the caller
// measured, e.g. MetricDailyRemaining, MetricMemPeakBytes; see
// ProcessMetrics) and stores them all with the job. It returns the job as
// stored, ready for Alerts. Call it once the run has finished.
func StoreMetrics(st MetricsStore, jobID string, extra map[string]float64) (state.Job, error) {
	mappingErrs := 0
	err := st.ForEachLedger("", func(e state.LedgerEntry) error {
		if e.JobID == jobID && e.ErrorType == typeHubSpotValidation {
			mappingErrs++
		}
		return nil
	})
	if err != nil {
		return state.Job{}, fmt.Errorf("read the ledger of job %s: %w", jobID, err)
	}
	var out state.Job
	err = st.UpdateJob(jobID, func(j *state.Job) error {
		if j.Metrics == nil {
			j.Metrics = map[string]float64{}
		}
		maps.Copy(j.Metrics, derivedMetrics(*j, mappingErrs))
		maps.Copy(j.Metrics, extra)
		out = *j
		return nil
	})
	if err != nil {
		return state.Job{}, fmt.Errorf("store the metrics of job %s: %w", jobID, err)
	}
	return out, nil
}

// derivedMetrics computes what StoreMetrics adds to a job.
func derivedMetrics(j state.Job, mappingErrs int) map[string]float64 {
	t := Totals(j)
	m := map[string]float64{
		MetricRecordsRead:      float64(t.Read),
		MetricRecordsWritten:   float64(t.Created + t.Updated),
		MetricQualityScore:     t.Quality(),
		MetricErrorRate:        t.ErrorRate(),
		MetricValidationErrors: float64(t.Invalid),
		MetricMappingErrors:    float64(mappingErrs),
		MetricDuplicates:       float64(t.Duplicates),
		MetricConflicts:        float64(t.Conflicts),
	}
	if d := jobDuration(j); d > 0 {
		m[MetricRecordsPerS] = float64(t.Read) / d
	}
	return m
}

// jobDuration is the job's duration in seconds: the engine's figure, or
// the span between its timestamps.
func jobDuration(j state.Job) float64 {
	if d, ok := j.Metrics[MetricDurationS]; ok {
		return d
	}
	if !j.FinishedAt.IsZero() && j.FinishedAt.After(j.StartedAt) {
		return j.FinishedAt.Sub(j.StartedAt).Seconds()
	}
	return 0
}

// ProcessMetrics measures this process for StoreMetrics: its peak memory
// (MetricMemPeakBytes: the peak resident set size where the OS reports it,
// otherwise the memory obtained from the OS by the Go runtime).
func ProcessMetrics() map[string]float64 {
	peak := peakRSS()
	if peak <= 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = int64(ms.Sys)
	}
	return map[string]float64{MetricMemPeakBytes: float64(peak)}
}
