package buildium

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
)

// FuzzDateTime feeds arbitrary JSON to DateTime: it must never panic, and
// whatever it accepts must survive a write/read round trip at the
// one-second resolution it is written with.
func FuzzDateTime(f *testing.F) {
	for _, s := range []string{`"2022-05-10T15:12:46.2317653Z"`, `"2024-01-02T15:04:05Z"`, `"2024-01-02 15:04:05"`,
		`"2024-01-02"`, `null`, `""`, `12`, `"2024-13-40T99:99:99Z"`, `"2024-01-02T15:04:05+05:30"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var d DateTime
		if err := json.Unmarshal([]byte(in), &d); err != nil || d.IsZero() {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal %v: %v", d.Time, err)
		}
		var back DateTime
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-read %s: %v", b, err)
		}
		if !back.Equal(d.Truncate(time.Second)) {
			t.Fatalf("%s → %v → %s → %v", in, d.Time, b, back.Time)
		}
	})
}

// FuzzExcerpt: whatever an error page holds, the excerpt put in an error
// message is short and has no control characters (no terminal escapes).
func FuzzExcerpt(f *testing.F) {
	for _, s := range []string{"<html><body>\x1b[31mBad\x1b[0m Gateway</body></html>", "plain", "\x1b]0;title\x07x", strings.Repeat("é", 300)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got := excerpt(body)
		if len([]rune(got)) > 201 {
			t.Fatalf("excerpt of %d runes", len([]rune(got)))
		}
		for _, r := range got {
			if unicode.IsControl(r) {
				t.Fatalf("control character %U in %q", r, got)
			}
		}
	})
}
