package logx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// RedactedText replaces a value given the Redacted treatment, and a bearer
// or HubSpot private-app token found in a string.
const RedactedText = "[REDACTED]"

// MaskString masks what looks like personal data or a credential in free
// text, keeping the text around it:
//
//   - an email address keeps the first character of its local part and its
//     domain: "jane.doe@example.com" → "j***@example.com";
//   - an SSN (123-45-6789) becomes "***-**-****", an EIN (12-3456789)
//     "**-*******";
//   - any other phone-like run of seven or more digits (digits with single
//     spaces, dashes, dots, slashes or brackets between them, an optional
//     leading '+') keeps its last two digits: "+1 (555) 010-0199" → "***99";
//   - "Bearer <token>" and HubSpot private-app tokens ("pat-na1-…") become
//     [RedactedText].
//
// Left alone, because they are not personal data and a person reading the
// log needs them: ISO dates and times (2026-11-01T12:00:00Z; a date of
// birth is masked by its key instead), b2h job ids (20261101-120000-0004),
// IPv4 addresses, HubSpot object type ids (2-3508482, 0-420) and UUIDs such
// as HubSpot correlation ids.
//
// MaskString is idempotent, keeps valid UTF-8 valid, and returns s itself
// (no allocation) when there is nothing to mask.
func MaskString(s string) string {
	if !suspicious(s) {
		return s
	}
	// Masking leaves text that a second look may read differently (an
	// address run cut where a masked one ends): mask until nothing changes,
	// so masking is idempotent and nothing address-like survives. Two or
	// three passes at most in practice; the bound is a safety net.
	for range maxMaskPasses {
		var m masker
		m.scan(s)
		out := m.render(s)
		if out == s {
			break
		}
		s = out
	}
	return s
}

// maxMaskPasses bounds MaskString's passes.
const maxMaskPasses = 8

// suspicious is the fast path: only a string with an '@', seven digits or a
// token prefix can hold anything MaskString masks.
func suspicious(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '@':
			return true
		case c >= '0' && c <= '9':
			digits++
			if digits >= 7 {
				return true
			}
		case c == 'p' || c == 'b' || c == 'B':
			if hasTokenPrefix(s, i) {
				return true
			}
		}
	}
	return false
}

// span is one replacement: s[start:end] → text.
type span struct {
	start, end int
	text       string
}

// masker collects the replacements of one string, in order, never
// overlapping.
type masker struct {
	spans []span
	floor int // an email's local part may not reach back before this
}

func (m *masker) add(sp span) { m.spans = append(m.spans, sp) }

func (m *masker) scan(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '@':
			i = m.email(s, i)
			continue
		case (c == 'p' || c == 'b' || c == 'B') && hasTokenPrefix(s, i):
			if end, ok := tokenEnd(s, i); ok {
				m.add(span{i, end, tokenReplacement(s, i)})
				m.floor = end
				i = end
				continue
			}
		case isHex(c) && (i == 0 || !isAlnum(s[i-1])) && isUUID(s[i:]):
			i += 36
			continue
		case isDigit(c) || ((c == '+' || c == '(') && i+1 < len(s) && isDigit(s[i+1])):
			if n := isoDateTime(s[i:]); n > 0 {
				i += n
				continue
			}
			if n := jobID(s[i:]); n > 0 {
				i += n
				continue
			}
			if n := ipv4(s[i:]); n > 0 {
				i += n
				continue
			}
			i = m.number(s, i)
			continue
		}
		if isAlpha(c) {
			// Skip the rest of the letters of a word: no token or UUID
			// starts mid-word, and a number or '@' ends the run.
			j := i + 1
			for j < len(s) && isAlpha(s[j]) {
				j++
			}
			if j > i+1 {
				i = j
				continue
			}
		}
		i++
	}
}

// email masks the address whose '@' is at s[at], if there is one, and
// returns where scanning resumes. An address is a run of local-part
// characters and '@'s; the last '@' of the run separates the local part
// from the domain, so "a@b@example.com" is masked whole.
func (m *masker) email(s string, at int) int {
	// Not the last '@' of its run: the last one masks the whole run.
	// A later '@' with no domain after it ("a@b.com@") is not the
	// separator: this one is.
	for j := at + 1; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == '@' {
			if _, ok := domainAfter(s, j); ok {
				return at + 1
			}
			break
		}
		if !isLocalRune(r) {
			break
		}
		j += size
	}
	de, letter := domainAfter(s, at)
	// An invalid byte does not end the local part: "jane\xff@x.com" is
	// still Jane's address once a JSON handler has written U+FFFD for it.
	ls := at
	for ls > m.floor {
		r, size := utf8.DecodeLastRuneInString(s[:ls])
		if !isLocalRune(r) && r != '@' {
			break
		}
		ls -= size
	}
	if ls == at || !letter {
		return at + 1
	}
	// Numbers already masked inside the local part are part of this
	// address; one that began before it is cut where the address starts.
	for len(m.spans) > 0 && m.spans[len(m.spans)-1].end > ls {
		last := m.spans[len(m.spans)-1]
		m.spans = m.spans[:len(m.spans)-1]
		if last.start < ls {
			// s[ls-1] is the separator that stopped the local part; keeping
			// it keeps the result stable when masked again.
			m.add(span{last.start, ls, "***" + s[ls-1:ls]})
		}
	}
	var b strings.Builder
	b.Grow(len("***@") + de - at + utf8.UTFMax)
	writeInitialLocal(&b, s[ls:at])
	b.WriteString(s[at:de])
	m.add(span{ls, de, b.String()})
	m.floor = de
	return de
}

// domainAfter returns the end of the domain that follows the '@' at s[at]
// and whether it is one (it holds a letter).
func domainAfter(s string, at int) (de int, letter bool) {
	de = at + 1
	for de < len(s) {
		r, size := utf8.DecodeRuneInString(s[de:])
		if !isDomainRune(r) || r == utf8.RuneError && size == 1 {
			break
		}
		de += size
	}
	// A domain does not end with a dot or dash ("write to a@b.com.").
	for de > at+1 && (s[de-1] == '.' || s[de-1] == '-') {
		de--
	}
	for _, r := range s[at+1 : de] {
		letter = letter || unicode.IsLetter(r)
	}
	return de, letter
}

// writeInitialLocal writes the first rune of an email local part (U+FFFD
// for an invalid byte) and "***".
func writeInitialLocal(b *strings.Builder, local string) {
	r, _ := utf8.DecodeRuneInString(local)
	b.WriteRune(r)
	b.WriteString("***")
}

// number masks the phone-like digit run starting at s[i], if it has seven
// digits or more, and returns where scanning resumes.
func (m *masker) number(s string, i int) int {
	j, digits, lastDigit := i, 0, i
	if s[j] == '+' || s[j] == '(' {
		j++
	}
	for j < len(s) {
		if isDigit(s[j]) {
			digits++
			j++
			lastDigit = j
			continue
		}
		// Up to two separators between digits: "(555) 010-0199".
		k := j
		for k < len(s) && k-j < 2 && isNumberSep(s[k]) {
			k++
		}
		if k == j || k >= len(s) || !isDigit(s[k]) {
			break
		}
		j = k
	}
	tok := s[i:lastDigit]
	if digits < 7 || objectTypeID(tok) {
		return lastDigit
	}
	switch {
	case shaped(tok, "ddd-dd-dddd") || shaped(tok, "ddd dd dddd"):
		m.add(span{i, lastDigit, "***-**-****"})
	case shaped(tok, "dd-ddddddd"):
		m.add(span{i, lastDigit, "**-*******"})
	default:
		m.add(span{i, lastDigit, "***" + lastTwoDigits(tok)})
	}
	return lastDigit
}

func (m *masker) render(s string) string {
	if len(m.spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	at := 0
	for _, sp := range m.spans {
		b.WriteString(s[at:sp.start])
		b.WriteString(sp.text)
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}

// hasTokenPrefix reports whether a bearer token or a HubSpot private-app
// token starts at s[i] (at a word boundary).
func hasTokenPrefix(s string, i int) bool {
	if i > 0 && isAlnum(s[i-1]) {
		return false
	}
	rest := s[i:]
	return strings.HasPrefix(rest, "pat-") || len(rest) > 7 && strings.EqualFold(rest[:7], "bearer ")
}

// tokenEnd returns the end of the token starting at s[i], and whether it is
// long enough to be a credential (short ones are words like "pat-down").
func tokenEnd(s string, i int) (int, bool) {
	j := i
	if s[i] != 'p' {
		j += len("bearer ")
		for j < len(s) && s[j] == ' ' {
			j++
		}
	}
	start := j
	for j < len(s) && isTokenChar(s[j]) {
		j++
	}
	return j, j-start >= 12
}

func tokenReplacement(s string, i int) string {
	if s[i] == 'p' {
		return RedactedText
	}
	return s[i:i+len("bearer")] + " " + RedactedText
}

// isoDateTime returns the length of an ISO date (YYYY-MM-DD) at the start
// of s, with its time and zone if they follow, or 0.
func isoDateTime(s string) int {
	if len(s) < 10 || !shaped(s[:10], "dddd-dd-dd") || (len(s) > 10 && isDigit(s[10])) {
		return 0
	}
	mo, d := (s[5]-'0')*10+s[6]-'0', (s[8]-'0')*10+s[9]-'0'
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return 0
	}
	n := 10
	if len(s) >= n+6 && (s[n] == 'T' || s[n] == ' ') && shaped(s[n+1:n+6], "dd:dd") {
		n += 6
		if len(s) >= n+3 && shaped(s[n:n+3], ":dd") {
			n += 3
			if len(s) > n+1 && s[n] == '.' && isDigit(s[n+1]) {
				n++
				for n < len(s) && isDigit(s[n]) {
					n++
				}
			}
		}
		switch {
		case n < len(s) && s[n] == 'Z':
			n++
		case len(s) >= n+6 && (s[n] == '+' || s[n] == '-') && shaped(s[n+1:n+6], "dd:dd"):
			n += 6
		}
	}
	return n
}

// jobID returns the length of a b2h job id (a compact UTC start time and
// a hex sequence: 20261101-120000-0004) at the start of s, or 0.
func jobID(s string) int {
	if len(s) < 15 || !shaped(s[:15], "dddddddd-dddddd") || (len(s) > 15 && isDigit(s[15])) {
		return 0
	}
	mo, d := (s[4]-'0')*10+s[5]-'0', (s[6]-'0')*10+s[7]-'0'
	if mo < 1 || mo > 12 || d < 1 || d > 31 || s[9] > '2' {
		return 0
	}
	n := 15
	if n+1 < len(s) && s[n] == '-' && isHex(s[n+1]) {
		j := n + 1
		for j < len(s) && isHex(s[j]) {
			j++
		}
		if j-n-1 <= 8 && (j == len(s) || !isAlnum(s[j])) {
			n = j
		}
	}
	return n
}

// ipv4 returns the length of a dotted-quad IPv4 address at the start of s,
// or 0.
func ipv4(s string) int {
	n := 0
	for part := 0; part < 4; part++ {
		if part > 0 {
			if n >= len(s) || s[n] != '.' {
				return 0
			}
			n++
		}
		v, d := 0, 0
		for n < len(s) && isDigit(s[n]) && d < 4 {
			v = v*10 + int(s[n]-'0')
			n++
			d++
		}
		if d == 0 || d > 3 || v > 255 {
			return 0
		}
	}
	if n < len(s) && (isDigit(s[n]) || s[n] == '.' && n+1 < len(s) && isDigit(s[n+1])) {
		return 0
	}
	return n
}

// objectTypeID reports whether tok is a HubSpot object type id such as
// "0-420" or "2-3508482".
func objectTypeID(tok string) bool {
	if len(tok) < 3 || !isDigit(tok[0]) || tok[1] != '-' {
		return false
	}
	for i := 2; i < len(tok); i++ {
		if !isDigit(tok[i]) {
			return false
		}
	}
	return true
}

// isUUID reports whether s starts with a UUID (8-4-4-4-12 hex digits) that
// is not part of a longer word.
func isUUID(s string) bool {
	if len(s) < 36 || (len(s) > 36 && isAlnum(s[36])) {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// shaped reports whether s matches pattern, where 'd' is any ASCII digit
// and every other byte stands for itself.
func shaped(s, pattern string) bool {
	if len(s) != len(pattern) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if pattern[i] == 'd' {
			if !isDigit(s[i]) {
				return false
			}
		} else if s[i] != pattern[i] {
			return false
		}
	}
	return true
}

func lastTwoDigits(tok string) string {
	var out [2]byte
	n := 0
	for i := len(tok) - 1; i >= 0 && n < 2; i-- {
		if isDigit(tok[i]) {
			n++
			out[2-n] = tok[i]
		}
	}
	return string(out[2-n:])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
func isHex(c byte) bool   { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }

func isNumberSep(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')'
}

func isTokenChar(c byte) bool {
	return isAlnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '='
}

// isLocalRune reports whether r may appear in an email local part
// (RFC 5322 atext plus dots; any letter, for internationalised addresses).
// An invalid byte (decoded as utf8.RuneError) counts, so that it cannot
// hide the address around it.
func isLocalRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return isAlnum(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~.-", c) >= 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == utf8.RuneError
}

// isDomainRune reports whether r may appear in a domain name.
func isDomainRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return isAlnum(c) || c == '-' || c == '.'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
