package report

import (
	"fmt"
	"strings"

	"b2h/state"
	"b2h/sync/mapping"
)

// Alert rules (DESIGN.md §8).
const (
	RuleJobFailed   = "job_failed"
	RuleErrorRate   = "error_rate"
	RuleQuality     = "quality_score"
	RuleDailyBudget = "daily_budget"
)

// Alert severities.
const (
	SeverityCritical = "critical"
	SeverityWarning  = "warning"
)

// Default thresholds of the alert rules.
const (
	DefaultMaxErrorRate   = 0.10 // alert when more than 10 % of records read are invalid or failed
	DefaultMinQuality     = 0.80 // alert when the quality score is below 0.8
	DefaultMinDailyBudget = 0.10 // alert when less than 10 % of the daily API budget is left
)

// Thresholds tune the alert rules; a zero field means its default.
type Thresholds struct {
	MaxErrorRate   float64 // error rate above this alerts (default DefaultMaxErrorRate)
	MinQuality     float64 // quality score below this alerts (default DefaultMinQuality)
	MinDailyBudget float64 // daily budget left below this share of the limit alerts (default DefaultMinDailyBudget)
}

func (t Thresholds) withDefaults() Thresholds {
	if t.MaxErrorRate <= 0 {
		t.MaxErrorRate = DefaultMaxErrorRate
	}
	if t.MinQuality <= 0 {
		t.MinQuality = DefaultMinQuality
	}
	if t.MinDailyBudget <= 0 {
		t.MinDailyBudget = DefaultMinDailyBudget
	}
	return t
}

// Alert is one rule a job broke. Messages carry figures only, never record
// values, so an alert can go to a chat channel.
type Alert struct {
	Rule      string  `json:"rule"`
	Severity  string  `json:"severity"`
	Message   string  `json:"message"`
	Value     float64 `json:"value"`
	Threshold float64 `json:"threshold"`
}

// Alerts evaluates the alert rules against a job (its status, counters and
// metrics; run StoreMetrics first so the daily budget is known):
//
//   - job_failed (critical): the job's status is "failed";
//   - error_rate (warning): more than MaxErrorRate of the records read were
//     invalid or failed;
//   - quality_score (warning): the quality score is below MinQuality;
//   - daily_budget (warning; critical when exhausted): less than
//     MinDailyBudget of HubSpot's daily API limit is left.
//
// Rules whose inputs are unknown (nothing read, no daily figures) stay
// silent. The result is in the order above, nil when nothing fired.
func Alerts(job state.Job, t Thresholds) []Alert {
	t = t.withDefaults()
	var out []Alert
	what := "job"
	if job.DryRun {
		what = "dry run"
	}
	if job.Status == state.StatusFailed {
		msg := fmt.Sprintf("The %s %s failed", what, job.ID)
		if e := oneLine(job.Error); e != "" {
			msg += ": " + truncate(e, 300)
		}
		out = append(out, Alert{Rule: RuleJobFailed, Severity: SeverityCritical, Message: msg, Value: 1, Threshold: 0})
	}
	tot := Totals(job)
	if tot.Read > 0 {
		if r := tot.ErrorRate(); r > t.MaxErrorRate {
			out = append(out, Alert{Rule: RuleErrorRate, Severity: SeverityWarning, Value: r, Threshold: t.MaxErrorRate,
				Message: fmt.Sprintf("Error rate %s: %d of %d records read were invalid or failed (alert above %s)",
					percent(r), tot.Invalid+tot.Failed, tot.Read, percent(t.MaxErrorRate))})
		}
		if q := tot.Quality(); q < t.MinQuality {
			out = append(out, Alert{Rule: RuleQuality, Severity: SeverityWarning, Value: q, Threshold: t.MinQuality,
				Message: fmt.Sprintf("Quality score %s: %d invalid, %d duplicates and %d conflicts among %d records read (alert below %.2f)",
					fmtScore(q), tot.Invalid, tot.Duplicates, tot.Conflicts, tot.Read, t.MinQuality)})
		}
	}
	rem, okRem := job.Metrics[MetricDailyRemaining]
	lim, okLim := job.Metrics[MetricDailyLimit]
	if okRem && okLim && lim > 0 {
		if share := rem / lim; share < t.MinDailyBudget {
			sev := SeverityWarning
			if rem <= 0 {
				sev = SeverityCritical
			}
			out = append(out, Alert{Rule: RuleDailyBudget, Severity: sev, Value: share, Threshold: t.MinDailyBudget,
				Message: fmt.Sprintf("HubSpot daily API budget low: %.0f of %.0f requests left (%s; alert below %s); runs pause when it is spent and resume after HubSpot's daily reset",
					max(rem, 0), lim, percent(max(share, 0)), percent(t.MinDailyBudget))})
		}
	}
	return out
}

// percent formats a share as a percentage with one decimal where needed.
func percent(f float64) string {
	s := fmt.Sprintf("%.1f", f*100)
	return strings.TrimSuffix(s, ".0") + " %"
}

// oneLine sanitises text for a report or a chat message: no terminal
// escapes or control characters, whitespace folded to single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(mapping.Sanitize(s)), " ")
}

// truncate cuts s to at most n runes, marking the cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
