package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"

	"b2h/report"
	"b2h/state"
)

// hostileName is a record value as Buildium could hold it (issue 9):
// terminal escapes (OSC, CSI, C1 CSI, bell), a bidi override, a carriage
// return, an HTML tag, a Markdown link, a CSV formula and invalid UTF-8.
const hostileName = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eEve\rRoot <script>alert(1)</script> [x](javascript:alert(1)) =HYPERLINK(\"http://x\") \xff"

// formula is a value a spreadsheet would run if a CSV cell began with it.
const formula = "=HYPERLINK(\"http://evil.example\",\"click\")"

// TestReportsEscapeHostileText builds a report whose job, ledger, review
// queue, decisions and record names all carry hostile text, and writes it
// in every format. Markdown, CSV and HTML must hold no control character
// (tab and newline aside), no bidi override and no live HTML tag; the JSON
// report must stay valid JSON with C0 controls escaped.
func TestReportsEscapeHostileText(t *testing.T) {
	const job = "20261101-120000-0002"
	long := strings.Repeat("A", 70_000) // a 64 KiB+ value
	f := &fakeState{
		jobs: []state.Job{{ID: job, Mode: "full", Status: state.StatusDoneWithErrors, StartedAt: t0, FinishedAt: t0,
			Error: hostileName, Operator: hostileName, BuildiumHost: hostileName, HubSpotPortal: hostileName,
			Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 3, Created: 1, Invalid: 1, Failed: 1}}}},
		ledger: []state.LedgerEntry{
			{Kind: state.KindTenants, SourceID: "10", JobID: job, ErrorType: "validation", LastSeen: t0, Message: hostileName},
			{Kind: state.KindTenants, SourceID: hostileName, JobID: job, ErrorType: "hubspot", LastSeen: t0, Message: long},
			{Kind: state.KindTenants, SourceID: "11", JobID: job, ErrorType: "hubspot", LastSeen: t0, Message: formula},
		},
		review: []state.ReviewItem{{ID: "dup-1", Type: state.ReviewDuplicate, Kind: state.KindTenants, SourceIDs: []string{"12", hostileName},
			Summary: hostileName, JobID: job, OpenedAt: t0, Status: state.ReviewDecided}},
		decisions: []state.Decision{{ID: "dup-1", Type: "duplicate", Resolution: "keep_separate", DecidedBy: hostileName}},
		audit: map[string][]state.AuditEntry{job: {{Action: state.ActionSkip, Kind: state.KindTenants, SourceID: "10", Time: t0,
			Changes: []state.FieldChange{{Field: hostileName, Old: hostileName, New: hostileName}}}}},
		mappings: map[state.Kind]map[string]state.Mapping{state.KindTenants: {
			"10": {HubSpotID: "7001", Snapshot: map[string]string{"firstname": hostileName, "lastname": hostileName}}}},
	}
	r, err := report.Build(f, job, report.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []report.Format{report.FormatMarkdown, report.FormatCSV, report.FormatHTML, report.FormatJSON} {
		t.Run(string(format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := r.Write(&buf, format); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if format == report.FormatJSON {
				var v any
				if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
					t.Fatalf("invalid JSON: %v", err)
				}
				if i := strings.IndexFunc(out, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }); i >= 0 {
					t.Errorf("raw control character %U in the JSON report", []rune(out[i:])[0])
				}
				return
			}
			if i := strings.IndexFunc(out, unsafeInReport); i >= 0 {
				t.Errorf("%U raw in the %s report: %q", []rune(out[i:])[0], format, out[max(0, i-60):min(len(out), i+30)])
			}
			if !strings.Contains(out, "Eve") {
				t.Errorf("the %s report does not show the hostile record at all: the test proves nothing", format)
			}
			if format == report.FormatHTML && strings.Contains(out, "<script>alert") {
				t.Error("the HTML report holds a live <script> tag from the data")
			}
			if format == report.FormatCSV {
				if !strings.Contains(out, "HYPERLINK(") {
					t.Error("the CSV report does not show the formula record: the formula check proves nothing")
				}
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatalf("invalid CSV: %v", err)
				}
				for _, row := range rows {
					for _, cell := range row {
						if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
							t.Errorf("CSV cell %q would run as a spreadsheet formula", cell)
						}
					}
				}
			}
		})
	}
}

// unsafeInReport reports characters that must not appear raw in a report a
// person opens in a terminal, a spreadsheet or a browser.
func unsafeInReport(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}
