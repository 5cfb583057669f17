package report

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"b2h/state"
)

// Format is a report's file format.
type Format string

// The report formats (DESIGN.md §6: `b2h report --format md|html|csv|json`).
const (
	FormatMarkdown Format = "md"
	FormatHTML     Format = "html"
	FormatCSV      Format = "csv"
	FormatJSON     Format = "json"
)

// Formats lists the formats in the order the command line shows them.
var Formats = []Format{FormatMarkdown, FormatHTML, FormatCSV, FormatJSON}

// ParseFormat reads a --format value ("markdown" is accepted for md).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatMarkdown, FormatHTML, FormatCSV, FormatJSON:
		return f, nil
	case "markdown":
		return FormatMarkdown, nil
	}
	return "", fmt.Errorf("unknown report format %q: use md, html, csv or json", s)
}

// FormatForPath guesses the format from a file name's extension
// (.md, .markdown, .html, .htm, .csv, .json); ok is false when it cannot.
func FormatForPath(path string) (Format, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".md", ".markdown":
		return FormatMarkdown, true
	case ".html", ".htm":
		return FormatHTML, true
	case ".csv":
		return FormatCSV, true
	case ".json":
		return FormatJSON, true
	}
	return "", false
}

// Write renders the report in format f.
func (r *Report) Write(w io.Writer, f Format) error {
	switch f {
	case FormatMarkdown:
		return r.WriteMarkdown(w)
	case FormatHTML:
		return r.WriteHTML(w)
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatJSON:
		return r.WriteJSON(w)
	}
	return fmt.Errorf("unknown report format %q: use md, html, csv or json", f)
}

// The helpers below format figures the same way in every human format.

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func fmtDuration(s float64) string {
	switch {
	case s < 0.05:
		return "0 s"
	case s < 60:
		return fmt.Sprintf("%.1f s", s)
	case s < 3600:
		return fmt.Sprintf("%d min %02d s", int(s)/60, int(s)%60)
	}
	return fmt.Sprintf("%d h %02d min", int(s)/3600, int(s)%3600/60)
}

// fmtOffset labels a chart offset in seconds: "0s", "45s", "2m", "1h30m".
func fmtOffset(s int) string {
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		if s%60 == 0 {
			return fmt.Sprintf("%dm", s/60)
		}
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	if s%3600 == 0 {
		return fmt.Sprintf("%dh", s/3600)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
}

func fmtBytes(b float64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%.0f B", b)
	}
	div, exp := float64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", b/div, "KMGTPE"[exp])
}

func fmtRate(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f records/s", *p)
}

func fmtOpt(p *float64, format string) string {
	if p == nil {
		return "not recorded"
	}
	return fmt.Sprintf(format, *p)
}

// modeLabel says what kind of job it was: "full sync (live)".
func modeLabel(j JobInfo) string {
	m := j.Mode
	switch j.Mode {
	case state.ModeFull, state.ModeIncremental:
		m += " sync"
	case state.ModeUndo:
		m = "undo of job " + j.UndoOf
	}
	if j.DryRun {
		return m + " (dry run)"
	}
	return m + " (live)"
}

// statusLabel is a job status for people: "done with errors".
func statusLabel(s string) string { return strings.ReplaceAll(s, "_", " ") }

// Badge of a job that finished with records to look at but no error.
const statusNeedsAttention = "needs_attention"

// badgeStatus is the status a report shows for its job: "done with errors"
// only when a record failed (an error), "needs attention" when records are
// invalid, held for review or skipped but none failed, else the job's own.
func badgeStatus(r *Report) string {
	if r.Job.Status != state.StatusDoneWithErrors || r.Total.Failed > 0 {
		return r.Job.Status
	}
	if t := r.Total; t.Invalid+t.Duplicates+t.Conflicts+t.Skipped > 0 {
		return statusNeedsAttention
	}
	return state.StatusDone
}

// fmtScore shows a quality score with two decimals, rounded down, so a
// score below 1 never reads 1.00 (597 clean of 600 is 0.99, not 1.00).
func fmtScore(q float64) string { return fmt.Sprintf("%.2f", math.Floor(q*100+1e-9)/100) }

// scopeLabel describes the job's scope.
func scopeLabel(s state.Scope) string {
	if len(s.Only) == 0 && len(s.PropertyIDs) == 0 {
		return "everything"
	}
	var parts []string
	if len(s.Only) > 0 {
		parts = append(parts, "entities: "+strings.Join(s.Only, ", "))
	}
	if len(s.PropertyIDs) > 0 {
		ids := make([]string, len(s.PropertyIDs))
		for i, id := range s.PropertyIDs {
			ids[i] = fmt.Sprint(id)
		}
		parts = append(parts, "properties: "+strings.Join(ids, ", "))
	}
	return strings.Join(parts, "; ")
}

// dailyLabel describes the daily API budget left.
func dailyLabel(m Metrics) string {
	if m.DailyRemaining == nil || m.DailyLimit == nil || *m.DailyLimit <= 0 {
		return "not recorded"
	}
	return fmt.Sprintf("%.0f of %.0f requests left (%s)", *m.DailyRemaining, *m.DailyLimit, percent(*m.DailyRemaining / *m.DailyLimit))
}

// latencyLabel describes an API's response times.
func latencyLabel(avg, p95 *float64) string {
	if avg == nil && p95 == nil {
		return "not recorded"
	}
	return fmt.Sprintf("average %s, 95th percentile %s", fmtOpt(avg, "%.0f ms"), fmtOpt(p95, "%.0f ms"))
}

// qualityLine explains the quality score with its inputs.
func qualityLine(r *Report) string {
	t := r.Total
	return fmt.Sprintf("%s: %d of %d records read arrived clean (%d invalid, %d duplicates, %d conflicts)",
		fmtScore(r.Metrics.QualityScore), t.Read-t.Invalid-t.Duplicates-t.Conflicts, t.Read, t.Invalid, t.Duplicates, t.Conflicts)
}

// errorRateLine explains the error rate with its inputs.
func errorRateLine(r *Report) string {
	t := r.Total
	return fmt.Sprintf("%s: %d invalid and %d failed of %d records read", percent(r.Metrics.ErrorRate), t.Invalid, t.Failed, t.Read)
}

// memLabel describes the peak memory.
func memLabel(p *float64) string {
	if p == nil {
		return "not recorded"
	}
	return fmtBytes(*p)
}
