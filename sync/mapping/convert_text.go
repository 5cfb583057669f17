package mapping

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"b2h/clients/buildium"
)

// MaxStringLen is HubSpot's limit for a string property value: 65,536
// characters (reference/hubspot-api.md §5). HubSpot counts UTF-16 code
// units, so Sanitize does too.
const MaxStringLen = 65536

// JoinAddressLines joins the non-blank address lines 1–3 with ", ", the
// single-line form HubSpot's address properties hold (DESIGN.md §2). A nil
// address gives "".
func JoinAddressLines(a *buildium.Address) string {
	if a == nil {
		return ""
	}
	var stack [3]string
	parts := stack[:0]
	for _, l := range [...]string{a.AddressLine1, a.AddressLine2, a.AddressLine3} {
		if l = singleLine(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}

// nameSuffixes stay with the last name: "John Smith Jr." → "John", "Smith Jr.".
var nameSuffixes = map[string]bool{
	"jr": true, "jr.": true, "sr": true, "sr.": true, "ii": true, "iii": true, "iv": true,
}

// nameParticles join the last name when written in lower case:
// "Ludwig van Beethoven" → "Ludwig", "van Beethoven".
var nameParticles = map[string]bool{
	"van": true, "von": true, "der": true, "den": true, "de": true, "del": true, "della": true,
	"da": true, "di": true, "dos": true, "du": true, "la": true, "le": true, "bin": true, "al": true,
}

// SplitName splits an emergency contact's single Name field into HubSpot's
// firstname and lastname (DESIGN.md §2). The last word is the last name and
// the rest the first name ("Mary Ann Smith" → "Mary Ann", "Smith"); a
// trailing suffix (Jr., III) and lower-case particles (van, de) stay with the
// last name; "Smith, Mary" is read as last, first. A single word — including
// CJK names written without spaces, which cannot be split reliably — is all
// first name. White space is trimmed and collapsed.
func SplitName(full string) (first, last string) {
	if before, after, ok := strings.Cut(full, ","); ok {
		l, f := strings.Join(strings.Fields(before), " "), strings.Join(strings.Fields(after), " ")
		if l != "" && f != "" && !nameSuffixes[strings.ToLower(f)] {
			return f, l
		}
	}
	w := strings.Fields(full)
	switch len(w) {
	case 0:
		return "", ""
	case 1:
		return w[0], ""
	}
	cut := len(w) - 1
	if nameSuffixes[strings.ToLower(w[cut])] && cut >= 2 {
		cut--
	}
	for cut > 1 && nameParticles[w[cut-1]] {
		cut--
	}
	return strings.Join(w[:cut], " "), strings.Join(w[cut:], " ")
}

// maxNumber bounds the magnitude FormatNumber writes: below it a float64
// is written exactly in at most 15 integer digits (2^53 ≈ 9.007e15).
const maxNumber = 1e15

// FormatNumber writes a number the way HubSpot stores number properties:
// shortest decimal form, no exponent, no trailing zeros ("1450", "1.5").
// NaN, infinities and magnitudes of 1e15 or more give ok=false: they are no
// Buildium value and would be written with dozens of digits. A fraction
// whose shortest form is longer than 24 characters (1e-300) is rounded to
// 10 decimal places, so no number is written with hundreds of digits.
func FormatNumber(f float64) (string, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) >= maxNumber {
		return "", false
	}
	if f == 0 {
		f = 0 // normalise -0
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if len(s) > 24 {
		s = strings.TrimRight(strconv.FormatFloat(f, 'f', 10, 64), "0")
		s = strings.TrimSuffix(s, ".")
		if s == "-0" {
			s = "0"
		}
	}
	return s, true
}

// Sanitize makes a value safe to send to HubSpot and to show in a
// terminal: invalid UTF-8 becomes U+FFFD; terminal escape sequences (ESC
// and C1 introduced: CSI, OSC, DCS …) are removed whole; every other C0 and
// C1 control character and DEL is dropped, except tab and newline (CR LF
// and lone CR become LF); bidirectional override and isolate characters
// (U+202A–U+202E, U+2066–U+2069), which can make text display as something
// else, are dropped; and the result is cut to MaxStringLen UTF-16 units
// without splitting a character. Sanitize is idempotent.
func Sanitize(s string) string {
	out, _ := sanitize(s)
	return out
}

// sanitize is Sanitize that also reports whether it had to truncate.
func sanitize(s string) (string, bool) {
	if isClean(s) {
		return s, false
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	units := 0
	truncated := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 0x1b:
			i = skipEscape(rs, i)
			continue
		case r >= 0x80 && r <= 0x9f:
			i = skipC1(rs, i)
			continue
		case r == '\r':
			if i+1 < len(rs) && rs[i+1] == '\n' {
				continue
			}
			r = '\n'
		case r == '\n' || r == '\t':
		case r < 0x20 || r == 0x7f || isBidiControl(r):
			continue
		}
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if units+n > MaxStringLen {
			truncated = true
			break
		}
		units += n
		b.WriteRune(r)
	}
	return b.String(), truncated
}

// isClean reports whether s needs no change, the common case, without
// allocating.
func isClean(s string) bool {
	if len(s) > MaxStringLen { // may exceed in UTF-16 units; take the slow path
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || isBidiControl(r) {
			return false
		}
	}
	return true
}

func isBidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// skipEscape returns the index of the last rune of the escape sequence
// that starts with ESC at rs[i] (ECMA-48 §5.3–5.6).
func skipEscape(rs []rune, i int) int {
	if i+1 >= len(rs) {
		return i
	}
	switch next := rs[i+1]; {
	case next == '[':
		return skipCSI(rs, i+2)
	case next == ']' || next == 'P' || next == 'X' || next == '^' || next == '_':
		return skipString(rs, i+2)
	case next >= 0x20 && next <= 0x2f: // intermediates, then a final byte
		j := i + 1
		for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x2f {
			j++
		}
		if j < len(rs) && rs[j] >= 0x30 && rs[j] <= 0x7e {
			return j
		}
		return j - 1
	case next >= 0x30 && next <= 0x7e: // two-character sequence such as ESC c
		return i + 1
	}
	return i
}

// skipC1 handles a C1 control at rs[i]: CSI (U+009B) and the string
// introducers take their parameters with them.
func skipC1(rs []rune, i int) int {
	switch rs[i] {
	case 0x9b:
		return skipCSI(rs, i+1)
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f:
		return skipString(rs, i+1)
	}
	return i
}

// skipCSI returns the index of the final byte of a control sequence whose
// parameters start at rs[j], or the index before the first rune that is not
// part of one.
func skipCSI(rs []rune, j int) int {
	for j < len(rs) && rs[j] >= 0x20 && rs[j] <= 0x3f {
		j++
	}
	if j < len(rs) && rs[j] >= 0x40 && rs[j] <= 0x7e {
		return j
	}
	return j - 1
}

// skipString returns the index of the terminator (BEL, ST or ESC \) of a
// control string starting at rs[j]. An unterminated string runs to the
// next control character (kept, with what follows, as text: safe because
// the introducer is gone) or to the end of s.
func skipString(rs []rune, j int) int {
	for ; j < len(rs); j++ {
		switch r := rs[j]; {
		case r == 0x07 || r == 0x9c:
			return j
		case r == 0x1b:
			if j+1 < len(rs) && rs[j+1] == '\\' {
				return j + 1
			}
			return j - 1
		case r < 0x20 && r != '\t' || r >= 0x7f && r <= 0x9f:
			return j - 1
		}
	}
	return j - 1
}

// singleLine collapses runs of white space (including newlines and tabs)
// into one space and trims the ends: the form of values sent to one-line
// HubSpot properties.
func singleLine(s string) string {
	if isSingleLine(s) {
		return s // the common case, without allocating
	}
	return strings.Join(strings.Fields(s), " ")
}

// isSingleLine reports whether singleLine(s) == s: printable ASCII with
// single spaces between words and none at the ends (anything else takes
// the general path).
func isSingleLine(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f {
			if c != ' ' || i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
		}
	}
	return true
}

// isWordRune reports whether r is a letter, digit or combining mark in any
// script.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}
