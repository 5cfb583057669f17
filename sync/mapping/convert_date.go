package mapping

import (
	"strings"
	"time"
)

// dateLayouts are the shapes a Buildium date or date-time takes on the wire
// (reference/buildium-api.md §9: the date-time format is undocumented, so
// every plausible ISO 8601 form is accepted, with or without a zone).
var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.9999999",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
}

// parseBuildiumTime parses s in any accepted layout. zoned reports whether
// s carried its own offset; when it did not, the time is read as UTC.
func parseBuildiumTime(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < 10 || len(s) > 40 {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			// .NET writes DateTime.MinValue (0001-01-01) for "no date"; years
			// before 1000 are never real in property data.
			if t.Year() < 1000 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// Date converts a Buildium date ("2024-02-01") or date-time
// ("2024-02-01T00:00:00", "2024-02-01T15:04:05Z") to the "YYYY-MM-DD" form a
// HubSpot date property needs (reference/hubspot-api.md §5: date values are
// UTC midnight; the string form cannot carry a time). The calendar date is
// taken as written, never shifted by a zone: a birthday stays on its day.
// Blank, unparseable, or out-of-range (year < 1000, e.g. .NET's 0001-01-01
// "no value") input gives ok=false.
func Date(s string) (string, bool) {
	t, ok := parseBuildiumTime(s)
	if !ok {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// DateTime converts a Buildium date-time to ISO 8601 in UTC with
// milliseconds ("2024-01-02T15:04:05.000Z"), the form HubSpot returns for
// datetime properties (reference/hubspot-api.md §5), so values compare
// equal after a round trip. Input without a zone is read as UTC, as
// buildium.ParseDateTime does. ok=false as for Date.
func DateTime(s string) (string, bool) {
	t, ok := parseBuildiumTime(s)
	if u := t.UTC(); !ok || u.Year() < 1000 || u.Year() > 9999 {
		return "", false // out of range once shifted to UTC
	}
	return FormatDateTime(t), true
}

// FormatDateTime formats t as DateTime does.
func FormatDateTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
