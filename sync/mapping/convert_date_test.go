package mapping

import (
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2024-02-01", "2024-02-01", true},
		{" 2024-02-01 ", "2024-02-01", true},
		{"2024-02-01T00:00:00", "2024-02-01", true},
		{"2024-02-01T15:04:05Z", "2024-02-01", true},
		{"2022-05-10T15:12:46.2317653Z", "2022-05-10", true},
		{"2024-02-01 15:04:05", "2024-02-01", true},
		// the calendar date as written, not shifted to UTC
		{"1990-05-17T00:00:00+02:00", "1990-05-17", true},
		{"1990-05-17T23:30:00-05:00", "1990-05-17", true},
		{"0001-01-01T00:00:00", "", false}, // .NET DateTime.MinValue
		{"2024-13-01", "", false},
		{"2024-02-30", "", false},
		{"02/01/2024", "", false},
		{"", "", false},
		{"yesterday", "", false},
	}
	for _, tt := range tests {
		got, ok := Date(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Date(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDateTime(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2024-01-02T15:04:05Z", "2024-01-02T15:04:05.000Z", true},
		{"2024-01-02T15:04:05", "2024-01-02T15:04:05.000Z", true}, // no zone means UTC
		{"2022-05-10T15:12:46.2317653Z", "2022-05-10T15:12:46.231Z", true},
		{"2024-01-02T10:04:05-05:00", "2024-01-02T15:04:05.000Z", true},
		{"2024-01-02", "2024-01-02T00:00:00.000Z", true},
		{"0001-01-01T00:00:00", "", false},
		{"not a date", "", false},
	}
	for _, tt := range tests {
		got, ok := DateTime(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("DateTime(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2024-02-01", "2024-02-01T00:00:00Z", "2022-05-10T15:12:46.2317653Z", "9999-12-31T23:59:59-14:00", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := Date(s)
		if ok {
			p, err := time.Parse("2006-01-02", d)
			if err != nil || p.Format("2006-01-02") != d {
				t.Fatalf("Date(%q) = %q: not YYYY-MM-DD", s, d)
			}
			if again, ok2 := Date(d); !ok2 || again != d {
				t.Fatalf("Date not idempotent on %q", d)
			}
		}
		dt, ok := DateTime(s)
		if ok {
			p, err := time.Parse(time.RFC3339, dt)
			if err != nil || p.Location() != time.UTC || len(dt) != len("2006-01-02T15:04:05.000Z") {
				t.Fatalf("DateTime(%q) = %q: not ISO 8601 UTC", s, dt)
			}
		}
	})
}
