package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"b2h/report"
)

// TestMigrationHTML: the page is self-contained (no script, no fetch),
// carries the cover, totals, decisions and records, and breaks pages
// between sections when printed. B2H_MIGRATION_HTML=FILE keeps the page
// (of the demo migration) for a look in a browser.
func TestMigrationHTML(t *testing.T) {
	m, err := report.BuildMigration(migrationFixture(), report.MigrationOptions{Now: fixedNow, Client: "Acme Property Co"})
	if err != nil {
		t.Fatal(err)
	}
	if path := os.Getenv("B2H_MIGRATION_HTML"); path != "" {
		d, bd := migrationDemo(t)
		if m, err = report.BuildMigration(d.st, report.MigrationOptions{Now: fixedNow, Client: "Acme Property Co",
			BuildiumCounts: buildiumNow(t, bd)}); err != nil {
			t.Fatal(err)
		}
		defer func() {
			var b bytes.Buffer
			_ = m.WriteHTML(&b)
			_ = os.WriteFile(path, b.Bytes(), 0o600)
		}()
	}
	var b bytes.Buffer
	if err := m.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"Acme Property Co", "HubSpot portal", "<h2>Totals</h2>", "<h2>Decisions</h2>", "<h2>Records</h2>",
		"<h2>Sign-off</h2>", "break-before: page", "@media print", "default-src 'none'"} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "<button", "<details"} {
		if strings.Contains(s, bad) {
			t.Errorf("the page has interactive or remote content %q", bad)
		}
	}
}
