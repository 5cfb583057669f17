package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"b2h/internal/termsafe"
)

// MigrationCSVHeader is the migration CSV's header row: one row per
// Buildium record. fix is a seventh column after the six the sign-off
// check names.
var MigrationCSVHeader = []string{"entity", "buildium_id", "name", "status", "hubspot_id", "reason", "fix"}

// statusLabels name the record statuses for people.
var statusLabels = map[string]string{RecordInHubSpot: "in HubSpot", RecordHeld: "held for review",
	RecordInvalid: "invalid", RecordFailed: "failed", RecordSkipped: "skipped"}

// Write renders the migration report in format f.
func (m *Migration) Write(w io.Writer, f Format) error {
	switch f {
	case FormatMarkdown:
		return m.WriteMarkdown(w)
	case FormatHTML:
		return m.WriteHTML(w)
	case FormatCSV:
		return m.WriteCSV(w)
	case FormatJSON:
		enc := json.NewEncoder(termsafe.JSONWriter(w))
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	return fmt.Errorf("unknown report format %q", f)
}

// WriteCSV writes one row per Buildium record (RFC 4180 quoting, formula
// cells defused as in the job CSV).
func (m *Migration) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MigrationCSVHeader); err != nil {
		return err
	}
	for _, r := range m.Records {
		rec := []string{string(r.Entity), r.BuildiumID, r.Name, r.Status, r.HubSpotID, r.Reason, r.Fix}
		for i, v := range rec {
			rec[i] = csvCell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// totalRows are the totals table's rows, the sum last.
func (m *Migration) totalRows() []MigrationTotal {
	t := m.Total
	t.Entity = "total"
	return append(append([]MigrationTotal{}, m.Totals...), t)
}

func optInt(p *int) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprint(*p)
}

func applied(d MigrationDecision) string {
	if d.AppliedBy == "" {
		return "not yet (the next sync applies it)"
	}
	return "by job " + d.AppliedBy
}

// WriteMarkdown renders the migration sign-off document.
func (m *Migration) WriteMarkdown(w io.Writer) error {
	o := &mdWriter{w: bufio.NewWriter(w)}
	o.f("# Migration sign-off: %s\n\n", md(m.Client))
	o.f("Buildium → HubSpot migration of every job in the state file, generated %s.\n\n", fmtTime(m.GeneratedAt))
	o.header("ll", "", "")
	o.row("Client", md(m.Client))
	o.row("HubSpot portal", md(orDash(m.Portal)))
	o.row("Buildium", md(orDash(m.BuildiumHost)))
	o.row("Jobs", fmt.Sprint(len(m.Jobs))+" ("+md(jobSpan(m.Jobs))+")")
	o.row("Records", fmt.Sprintf("%d, %d of them in HubSpot", m.Total.Records, m.Total.InHubSpot))
	if m.Masked {
		o.row("Names", "masked")
	}
	o.f("\n## Totals\n\n")
	o.header("lrrrrrrrr", "Entity", "In HubSpot", "Held", "Invalid", "Failed", "Skipped", "Records", "Buildium now", "Unaccounted")
	for _, t := range m.totalRows() {
		o.row(md(string(t.Entity)), fmt.Sprint(t.InHubSpot), fmt.Sprint(t.Held), fmt.Sprint(t.Invalid), fmt.Sprint(t.Failed),
			fmt.Sprint(t.Skipped), fmt.Sprint(t.Records), optInt(t.Buildium), optInt(t.Unaccounted))
	}
	o.f("\n%s\n\n", md(m.ReconcileMsg))
	if m.LeaseNote != "" {
		o.f("%s\n\n", md(m.LeaseNote))
	}
	o.f("## Decisions\n\n")
	if len(m.Decisions) == 0 {
		o.f("None: no review item was decided.\n\n")
	} else {
		o.header("llllll", "Review item", "Records", "Decision", "Decided by", "Decided at", "Applied")
		for _, d := range m.Decisions {
			o.row(md(d.ReviewItem), md(recordsOf(d)), md(d.Resolution), md(orDash(d.DecidedBy)), md(fmtTime(d.DecidedAt)), md(applied(d)))
		}
		o.f("\n")
	}
	o.f("## Records\n\n%s\n\n", md(m.recordsLine()))
	if len(m.Records) == 0 {
		o.f("None.\n\n")
	}
	o.header("llllll", "Entity", "Buildium id", "Name", "Status", "HubSpot id", "Reason and fix")
	for _, r := range m.Records {
		o.row(md(string(r.Entity)), md(r.BuildiumID), md(orDash(r.Name)), md(statusLabels[r.Status]), md(orDash(r.HubSpotID)),
			md(reasonFix(r)))
	}
	o.f("\n## Sign-off\n\n")
	o.f("| | Name | Signature | Date |\n|---|---|---|---|\n| Client | | | |\n| Consultant | | | |\n")
	if o.err == nil {
		o.err = o.w.Flush()
	}
	return o.err
}

// reasonFix is a record's reason and fix in one cell.
func reasonFix(r MigrationRecord) string {
	if r.Fix == "" {
		return r.Reason
	}
	return strings.TrimSpace(r.Reason + " Fix: " + r.Fix)
}

// recordsLine introduces the records table.
func (m *Migration) recordsLine() string {
	s := fmt.Sprintf("%d Buildium record(s), each once with its latest status.", len(m.Records))
	if m.Total.Unlisted > 0 {
		s += fmt.Sprintf(" The %d leases in HubSpot are counted in the totals, not listed (see the note under the totals).", m.Total.Unlisted)
	}
	return s
}

func recordsOf(d MigrationDecision) string {
	if len(d.BuildiumIDs) == 0 {
		return d.Type
	}
	return string(d.Entity) + " " + strings.Join(d.BuildiumIDs, ", ")
}

// jobSpan describes the jobs' time span: "2026-11-01 12:00 UTC – …".
func jobSpan(js []MigrationJob) string {
	if len(js) == 0 {
		return "none"
	}
	last := js[len(js)-1]
	end := last.FinishedAt
	if end.IsZero() {
		end = last.StartedAt
	}
	return fmtTime(js[0].StartedAt) + " to " + fmtTime(end)
}

// migrationView is what the migration template renders.
type migrationView struct {
	M         *Migration
	Generated string
	Span      string
	Rows      []MigrationTotal
	Intro     string
}

// WriteHTML renders the migration report as one self-contained page that
// prints as a PDF (print CSS: a page break before each section).
func (m *Migration) WriteHTML(w io.Writer) error {
	return migrationTemplate.Execute(w, migrationView{M: m, Generated: fmtTime(m.GeneratedAt), Span: jobSpan(m.Jobs), Rows: m.totalRows(),
		Intro: m.recordsLine()})
}

var migrationTemplate = template.Must(template.New("migration.html.tmpl").
	Funcs(template.FuncMap{"join": strings.Join, "code": codeSpans, "opt": optInt, "time": fmtTime, "dash": orDash,
		"label": func(s string) string { return statusLabels[s] }, "applied": applied, "records": recordsOf}).
	ParseFS(templateFS, "templates/migration.html.tmpl"))
