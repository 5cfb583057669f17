package report

import (
	"testing"
	"time"

	"b2h/state"
)

func TestTimelineBuckets(t *testing.T) {
	start := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		durationS float64
		events    []time.Duration // written events, after the start
		step, n   int
		first     int // written in the first bucket
	}{
		{"no events", 10, nil, 0, 0, 0},
		{"one second", 0, []time.Duration{0, 0, 0}, 1, 1, 3},
		{"a minute in seconds", 60, []time.Duration{0, 59 * time.Second}, 1, 60, 1},
		{"two minutes in 2 s buckets", 120, []time.Duration{time.Second, 3 * time.Second}, 2, 60, 1},
		{"the duration widens the chart", 3600, []time.Duration{0}, 60, 60, 1},
		{"events past the recorded duration extend it", 10, []time.Duration{0, 200 * time.Second}, 5, 41, 1},
		{"events before the start count at zero", 5, []time.Duration{-3 * time.Second}, 1, 5, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := newTimeline(state.Job{StartedAt: start, Metrics: map[string]float64{MetricDurationS: tc.durationS}})
			for _, d := range tc.events {
				tl.written(start.Add(d))
			}
			tp := tl.result()
			if tp.BucketS != tc.step || len(tp.Points) != tc.n {
				t.Fatalf("step %d with %d buckets, want %d with %d", tp.BucketS, len(tp.Points), tc.step, tc.n)
			}
			total := 0
			for i, p := range tp.Points {
				total += p.Written
				if p.OffsetS != i*tc.step {
					t.Errorf("bucket %d starts at %ds, want %d", i, p.OffsetS, i*tc.step)
				}
			}
			if total != len(tc.events) {
				t.Errorf("buckets hold %d events, want %d", total, len(tc.events))
			}
			if tc.n > 0 && tp.Points[0].Written != tc.first {
				t.Errorf("first bucket %d, want %d", tp.Points[0].Written, tc.first)
			}
		})
	}
}

func TestReadableHubSpot(t *testing.T) {
	msg := `HubSpot rejected it: Property values were not valid: [{"isValid":false,"message":"Property \"x\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x"},{"isValid":false,"message":"Email is invalid","error":"INVALID_EMAIL","name":"email"}]; extra`
	got, props := readableHubSpot(msg)
	want := `HubSpot rejected it: Property "x" does not exist (PROPERTY_DOESNT_EXIST); email: Email is invalid (INVALID_EMAIL); extra`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if len(props) != 2 || props[0] != "x" || props[1] != "email" {
		t.Errorf("props %v", props)
	}
	if got, props := readableHubSpot("Property values were not valid: [broken"); got != "Property values were not valid: [broken" || props != nil {
		t.Errorf("malformed JSON must be left alone: %q %v", got, props)
	}
}
