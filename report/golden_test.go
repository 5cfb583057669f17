package report_test

import (
	"bytes"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// goldenFaults fails a few records at HubSpot (207 per-record errors), so
// the golden report has failed rows too; one worker keeps the order of
// requests, and so which records fail, the same on every run.
const goldenFaults = "hubspot.record=0.02,seed=11"

// TestGolden renders the Markdown and CSV reports of a fixed demo job
// (a real sync against the simulators with a pinned clock) and compares
// them with testdata/TestGolden/*.golden (regenerate with -update).
func TestGolden(t *testing.T) {
	d := runDemo(t, demoOptions{faults: goldenFaults, workers: 1})
	r := d.build(t)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"markdown", func(b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"csv", func(b *bytes.Buffer) error { return r.WriteCSV(b) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			golden.RequireEqual(t, b.Bytes())
		})
	}
}
