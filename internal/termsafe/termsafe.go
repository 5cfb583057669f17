// Package termsafe keeps text from outside b2h (Buildium and HubSpot
// values, API error messages, error pages) from acting on the terminal it
// is printed to: no escape sequence, control character or bidirectional
// override reaches stdout or stderr raw.
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"b2h/sync/mapping"
)

// Text returns s fit for a terminal line: escape sequences are removed
// whole, other control characters (but tab and newline) and bidirectional
// overrides are dropped, invalid UTF-8 becomes U+FFFD (mapping.Sanitize).
// Bidirectional marks (LRM, RLM, ALM) go too.
func Text(s string) string {
	s = mapping.Sanitize(s)
	if strings.ContainsAny(s, "\u200e\u200f\u061c") {
		s = strings.Map(func(r rune) rune {
			if r == 0x200e || r == 0x200f || r == 0x061c {
				return -1
			}
			return r
		}, s)
	}
	return s
}

// JSON returns encoded JSON with every character a terminal would act on
// written as a \u escape. encoding/json already escapes C0 controls; DEL,
// C1 controls (U+0080–U+009F: a lone U+009B is CSI to many terminals) and
// bidirectional controls it writes raw. These can only occur inside JSON
// strings, where the escape means the same character, so the value
// decodes unchanged.
func JSON(b []byte) []byte {
	i := firstUnsafe(b)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for len(b[i:]) > 0 {
		r, n := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

func firstUnsafe(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			if b[i] == 0x7f {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			return i
		}
		i += n
	}
	return -1
}

func unsafeRune(r rune) bool {
	return r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 ||
		r == 0x200e || r == 0x200f || r == 0x061c
}

// JSONWriter returns a writer that passes each Write through JSON: for a
// json.Encoder, which writes one whole value per call.
func JSONWriter(w io.Writer) io.Writer { return jsonWriter{w} }

type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(JSON(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}
