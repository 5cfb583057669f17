package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

// hostile is Buildium text written to break each format: a terminal
// hyperlink escape, HTML, Markdown table and emphasis characters, a
// spreadsheet formula, a bidi override, a newline and an email address.
const hostile = "=HYPERLINK(\"http://x\")\x1b]8;;http://evil\x07click\x1b]8;;\x07 <script>alert(1)</script> a|b *c* _d_ `e` [f](g) \u202eevil\njane.doe@example.com"

// hostileState holds one job whose ledger, review queue and mappings all
// carry hostile text.
func hostileState() *fakeState {
	at := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	return &fakeState{
		jobs: []state.Job{{ID: "20261101-120000-0001", Mode: state.ModeFull, Status: state.StatusDoneWithErrors,
			StartedAt: at, FinishedAt: at.Add(10 * time.Second), Operator: "op\x1b[31m", Error: "",
			Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 3, Failed: 1, Duplicates: 2}}}},
		ledger: []state.LedgerEntry{{Kind: state.KindTenants, SourceID: "7", JobID: "20261101-120000-0001",
			ErrorType: "hubspot", Message: hostile, LastSeen: at.Add(time.Second)}},
		review: []state.ReviewItem{{ID: "dup-email-1", Type: state.ReviewDuplicate, Kind: state.KindTenants,
			SourceIDs: []string{"8", "9"}, Summary: hostile, JobID: "20261101-120000-0001", OpenedAt: at, Status: state.ReviewOpen}},
		mappings: map[state.Kind]map[string]state.Mapping{state.KindTenants: {"7": {Kind: state.KindTenants, SourceID: "7",
			HubSpotID: "501", Snapshot: map[string]string{"firstname": hostile, "lastname": "Doe"}}}},
	}
}

// assertClean fails if out carries anything raw from the hostile text.
func assertClean(t *testing.T, format, out string) {
	t.Helper()
	if strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Errorf("%s: terminal escape, control or bidi character reached the output", format)
	}
	if strings.Contains(out, "jane.doe@") {
		t.Errorf("%s: an email address is not masked", format)
	}
}

func TestEscapingPerFormat(t *testing.T) {
	r, err := report.Build(hostileState(), "", report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	render := func(f report.Format) string {
		var b bytes.Buffer
		if err := r.Write(&b, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		return b.String()
	}

	t.Run("markdown", func(t *testing.T) {
		out := render(report.FormatMarkdown)
		assertClean(t, "markdown", out)
		unescaped := regexp.MustCompile(`(^|[^\\])\|`)
		found := 0
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "| tenants | 7 |") {
				continue
			}
			found++
			if n := len(unescaped.FindAllString(line, -1)); n != 8 {
				t.Errorf("issue row has %d cell separators, want 8 (a | in the text must be escaped): %s", n, line)
			}
			for _, raw := range []string{"<script>", "*c*", "_d_", "`e`", "[f](g)", "http://"} {
				if strings.Contains(line, raw) {
					t.Errorf("issue row carries %q unescaped", raw)
				}
			}
		}
		if found != 1 {
			t.Errorf("found %d issue rows for tenant 7, want 1:\n%s", found, out)
		}
	})

	t.Run("html", func(t *testing.T) {
		out := render(report.FormatHTML)
		assertClean(t, "html", out)
		if strings.Contains(out, "<script>") || !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Error("HTML text is not escaped")
		}
	})

	t.Run("csv", func(t *testing.T) {
		out := render(report.FormatCSV)
		assertClean(t, "csv", out)
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not parse: %v", err)
		}
		if len(rows) != 4 { // header, the ledger entry, two held duplicates
			t.Fatalf("CSV has %d rows, want 4", len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		row := rows[1]
		if got := row[col["name"]]; !strings.HasPrefix(got, "'=HYPERLINK") {
			t.Errorf("name cell %q: a formula must be defused with a leading apostrophe", got)
		}
		if got := row[col["reason"]]; !strings.HasPrefix(got, "'=") {
			t.Errorf("reason cell %q: a formula must be defused", got)
		}
		if got := row[col["hubspot_id"]]; got != "501" {
			t.Errorf("hubspot_id %q, want 501 (from the mapping)", got)
		}
	})

	t.Run("json", func(t *testing.T) {
		out := render(report.FormatJSON)
		if strings.Contains(out, `\u001b`) || strings.Contains(out, `\u202e`) {
			t.Error("JSON carries an escape or bidi character")
		}
		assertClean(t, "json", out)
		var back report.Report
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("JSON does not parse: %v", err)
		}
		if back.Version != report.Version || len(back.Issues) != 3 || back.Job.Operator != "op" {
			t.Errorf("JSON round trip: version %d, %d issues, operator %q", back.Version, len(back.Issues), back.Job.Operator)
		}
	})
}
