package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// MaxListed bounds the records listed one by one in the Markdown and HTML
// reports; the CSV always lists every one.
const MaxListed = 500

// mdReplacer escapes the characters that would make Buildium text into
// Markdown structure: emphasis, code, links, HTML, table cells, entities,
// and the "://" and "www." that GitHub's Markdown turns into links.
var mdReplacer = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "~", `\~`, "&", `\&`, "#", `\#`, "://", `\://`, "www.", `www\.`)

// md escapes text for a Markdown paragraph or table cell (text is already
// one line: see clean).
func md(s string) string { return mdReplacer.Replace(oneLine(s)) }

// mdWriter writes Markdown, remembering the first error.
type mdWriter struct {
	w   *bufio.Writer
	err error
}

func (m *mdWriter) f(format string, a ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format, a...)
	}
}

// row writes one table row of already-escaped cells.
func (m *mdWriter) row(cells ...string) { m.f("| %s |\n", strings.Join(cells, " | ")) }

// header writes a table header; align holds "l" or "r" per column.
func (m *mdWriter) header(align string, cells ...string) {
	m.row(cells...)
	seps := make([]string, len(cells))
	for i := range cells {
		seps[i] = "---"
		if i < len(align) && align[i] == 'r' {
			seps[i] = "---:"
		}
	}
	m.row(seps...)
}

// WriteMarkdown renders the sign-off report: scope, counts per entity and
// action, duplicates and decisions, conflicts, the records that need
// attention with reasons and fixes, quality, API usage and duration.
func (r *Report) WriteMarkdown(w io.Writer) error {
	m := &mdWriter{w: bufio.NewWriter(w)}
	j := r.Job
	m.f("# b2h job report %s\n\n", md(j.ID))
	m.f("Buildium → HubSpot migration report for sign-off, generated %s.\n\n", fmtTime(r.GeneratedAt))

	m.f("## Job\n\n")
	m.header("ll", "", "")
	for _, kv := range [][2]string{
		{"Job", j.ID}, {"Kind", modeLabel(j)}, {"Status", statusLabel(badgeStatus(r))}, {"Scope", scopeLabel(j.Scope)},
		{"Started", fmtTime(j.StartedAt)}, {"Finished", fmtTime(j.FinishedAt)}, {"Duration", fmtDuration(r.Metrics.DurationS)},
		{"Operator", j.Operator}, {"Buildium", j.BuildiumHost}, {"HubSpot portal", j.HubSpotPortal},
	} {
		if kv[1] != "" {
			m.row(kv[0], md(kv[1]))
		}
	}
	if j.Error != "" {
		m.row("Error", md(j.Error))
	}
	m.f("\n")

	m.f("## Alerts\n\n")
	if len(r.Alerts) == 0 {
		m.f("None: no alert rule fired.\n\n")
	}
	for _, a := range r.Alerts {
		m.f("- **%s** (%s): %s\n", md(a.Severity), md(a.Rule), md(a.Message))
	}
	if len(r.Alerts) > 0 {
		m.f("\n")
	}

	m.f("## Counts per entity and action\n\n")
	m.header("lrrrrrrrrrr", "Entity", "Read", "Created", "Updated", "Unchanged", "Skipped", "Invalid", "Failed", "Duplicates", "Conflicts", "Quality")
	for _, e := range r.Entities {
		m.row(countCells(md(string(e.Entity)), e.Counts, e.Quality)...)
	}
	m.row(countCells("**Total**", r.Total, r.Metrics.QualityScore)...)
	m.f("\n")
	short := false
	for _, e := range r.Entities {
		if e.Expected > 0 && e.Expected != e.Read {
			m.f("- %s: read %d of the %d Buildium listed: the read was incomplete, and nothing was removed or cleared on its strength.\n", md(string(e.Entity)), e.Read, e.Expected)
			short = true
		}
	}
	if short {
		m.f("\n")
	}

	m.f("## Data quality\n\n")
	m.f("- Quality score %s. Score = (read − invalid − duplicates − conflicts) ÷ read.\n", md(qualityLine(r)))
	m.f("- Error rate %s.\n", md(errorRateLine(r)))
	m.f("- Validation errors (invalid in Buildium, not sent): %d. Mapping errors (values HubSpot rejected): %d.\n\n",
		r.Metrics.ValidationErrors, r.Metrics.MappingErrors)

	r.mdReview(m)
	r.mdIssues(m)

	mt := r.Metrics
	m.f("## API usage\n\n")
	m.header("ll", "", "")
	m.row("HubSpot requests", fmt.Sprintf("%d (%d writes, %d answered 429)", mt.HubSpotRequests, mt.HubSpotWrites, mt.HubSpotRateLimited))
	m.row("HubSpot response times", latencyLabel(mt.HubSpotLatencyAvg, mt.HubSpotLatencyP95))
	m.row("HubSpot wait (pacing, backoff)", fmtOpt(mt.HubSpotWaitS, "%.1f s"))
	m.row("HubSpot daily budget", dailyLabel(mt))
	m.row("Buildium requests", fmt.Sprint(mt.BuildiumRequests))
	m.row("Buildium response times", latencyLabel(mt.BuildiumLatencyAvg, mt.BuildiumLatencyP95))
	m.f("\n")

	m.f("## Duration and throughput\n\n")
	m.header("ll", "", "")
	m.row("Duration", fmtDuration(mt.DurationS))
	m.row("Records read", fmt.Sprint(mt.RecordsRead))
	m.row("Records written", fmt.Sprintf("%d (and %d associations)", mt.RecordsWritten, mt.AssociationsWritten))
	m.row("Throughput", fmtRate(mt.RecordsPerS))
	m.row("Peak memory", memLabel(mt.MemPeakBytes))
	m.f("\n")

	if len(r.Notes) > 0 {
		m.f("## Notes\n\n")
		for _, n := range r.Notes {
			m.f("- %s\n", md(n))
		}
		m.f("\n")
	}

	m.f("## Sign-off\n\n")
	m.f("| | Name | Signature | Date |\n|---|---|---|---|\n| Client | | | |\n| Consultant | | | |\n")
	if m.err != nil {
		return m.err
	}
	return m.w.Flush()
}

// countCells formats one line of the counts table.
func countCells(name string, c Counts, q float64) []string {
	return []string{name, fmt.Sprint(c.Read), fmt.Sprint(c.Created), fmt.Sprint(c.Updated), fmt.Sprint(c.Unchanged),
		fmt.Sprint(c.Skipped), fmt.Sprint(c.Invalid), fmt.Sprint(c.Failed), fmt.Sprint(c.Duplicates),
		fmt.Sprint(c.Conflicts), fmtScore(q)}
}

// mdReview writes the duplicates, conflicts and decisions sections.
func (r *Report) mdReview(m *mdWriter) {
	for _, sec := range []struct{ title, typ, none string }{
		{"Duplicates", "duplicate", "No duplicate group was opened by this job."},
		{"Conflicts", "conflict", "No conflict was opened by this job."},
	} {
		m.f("## %s\n\n", sec.title)
		n := 0
		for _, rv := range r.Review {
			if rv.Type != sec.typ {
				continue
			}
			if n == 0 {
				m.header("llllll", "Review item", "Entity", "Buildium ids", "Summary", "Status", "Decision")
			}
			n++
			m.row(md(rv.ID), md(string(rv.Entity)), md(strings.Join(rv.SourceIDs, ", ")), md(rv.Summary), md(rv.Status), md(orDash(rv.Resolution)))
		}
		if n == 0 {
			m.f("%s\n", sec.none)
		}
		m.f("\n")
	}
	m.f("## Decisions\n\n")
	if len(r.Decisions) == 0 {
		m.f("No decision concerns this job. Open items are decided with `b2h review`.\n\n")
		return
	}
	m.header("lllll", "Decision", "Type", "Resolution", "Decided by", "Applied by job")
	for _, d := range r.Decisions {
		m.row(md(d.ID), md(d.Type), md(d.Resolution), md(orDash(d.DecidedBy)), md(orDash(d.AppliedBy)))
	}
	m.f("\n")
}

// mdIssues writes the records that need attention.
func (r *Report) mdIssues(m *mdWriter) {
	m.f("## Invalid, failed, skipped and held records\n\n")
	if len(r.Issues) == 0 {
		m.f("None.\n\n")
		return
	}
	m.f("%d record(s); the CSV report lists the same with every column.\n\n", len(r.Issues))
	m.header("lllllll", "Entity", "Buildium id", "Name", "Outcome", "Reason", "Fix", "Status")
	for i, is := range r.Issues {
		if i == MaxListed {
			m.f("\n… and %d more: see the CSV report (`b2h report --format csv`).\n", len(r.Issues)-MaxListed)
			break
		}
		m.row(md(string(is.Entity)), md(is.SourceID), md(orDash(is.Name)), md(is.Outcome), md(is.Reason), md(is.Fix), md(is.Status))
	}
	m.f("\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
