package report_test

import (
	"bytes"
	"strings"
	"testing"

	"b2h/report"
	"b2h/state"
)

// TestReadAgainstExpected: a job whose read fell short of what Buildium's
// list said it holds says so under the counts table; a whole read says
// nothing.
func TestReadAgainstExpected(t *testing.T) {
	for _, tc := range []struct {
		read, expected int64
		note           bool
	}{{8, 10, true}, {10, 10, false}, {10, 0, false}} {
		j := state.Job{ID: "a", Mode: "full", Status: "done",
			Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: tc.read, Created: tc.read}},
			Metrics:  map[string]float64{}}
		if tc.expected > 0 {
			j.Metrics["expected_tenants"] = float64(tc.expected)
		}
		r, err := report.Build(&fakeState{jobs: []state.Job{j}}, "", report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Entities[0].Expected != tc.expected {
			t.Errorf("expected %d in the row, want %d", r.Entities[0].Expected, tc.expected)
		}
		var b bytes.Buffer
		if err := r.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "the read was incomplete"); got != tc.note {
			t.Errorf("read %d of %d: note shown %v, want %v", tc.read, tc.expected, got, tc.note)
		}
	}
}
