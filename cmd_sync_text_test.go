package main

import (
	"strings"
	"testing"

	"b2h/sync"
	"b2h/sync/mapping"
)

// The text printer's progress uses Buildium's stage total, not the records
// read so far, and shows the amenities read properties wait on.
func TestTextProgressUsesTheStageTotal(t *testing.T) {
	var b strings.Builder
	r := newTextReporter(&b)
	r.Report(sync.StageStarted{Entity: mapping.Properties, Total: 1000})
	r.Report(sync.AmenitiesRead{Done: 256, Total: 1000, ElapsedS: 82})
	r.last = r.last.AddDate(-1, 0, 0)
	r.Report(sync.StageStarted{Entity: mapping.Units, Total: 10000})
	r.Report(sync.Progress{Entity: mapping.Units, Done: 100, Total: 1000})
	out := b.String()
	for _, w := range []string{"properties: amenities 256/1000 (3/s)", "units 100/10000 (1000 read)"} {
		if !strings.Contains(out, w) {
			t.Errorf("text progress lacks %q:\n%s", w, out)
		}
	}
}
