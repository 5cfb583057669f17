package logx

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// BenchmarkHandler compares a typical client log line through a plain JSON
// handler and through the masking handler.
func BenchmarkHandler(b *testing.B) {
	err := errors.New("hubspot: batch upsert contacts: 409 Contact already exists. Existing ID: 5120347")
	for _, bc := range []struct {
		name string
		h    slog.Handler
	}{
		{"plain", slog.NewJSONHandler(io.Discard, nil)},
		{"masking", NewMaskingHandler(slog.NewJSONHandler(io.Discard, nil))},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l := slog.New(bc.h)
			b.ReportAllocs()
			for b.Loop() {
				l.Warn("hubspot: retrying", "path", "/crm/v3/objects/contacts/batch/upsert", "status", 429,
					"attempt", 2, "wait", 1500*time.Millisecond, "err", err)
			}
		})
	}
}

func BenchmarkMaskString(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"clean", "buildium: GET /v1/rentals?limit=1000&offset=2000 answered 200 in 12ms"},
		{"dirty", "Contact jane.doe@example.com exists; call +1 (555) 010-0199; SSN 123-45-6789 at 2026-11-01T12:00:00Z"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = MaskString(bc.s)
			}
		})
	}
}
