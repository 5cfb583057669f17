package mapping

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// emailPlaceholders are what people type into an email box when there is
// no address. They count as no email at all: nothing is sent and nothing is
// reported. The list stays small on purpose: only words that are never an
// address, and a few fakes that are obviously not a person's mailbox.
var emailPlaceholders = set(
	"n/a", "na", "n.a.", "none", "null", "nil", "no email", "noemail", "no-email",
	"unknown", "-", "--", ".", "x", "tbd",
	"no@email", "no@email.com", "noemail@email.com", "noemail@noemail.com", "none@none.com",
)

// NormalizeEmail returns the address in s the way HubSpot stores and
// compares it (reference/hubspot-api.md §11): white space trimmed, a
// "mailto:" prefix, angle brackets ("<jane@x.com>") and a display name
// ("Jane Doe <jane@x.com>") removed, lower-cased. A placeholder such as
// "n/a", "none" or "no@email" (emailPlaceholders) gives "", the same as no
// address. It never rejects anything else: an invalid address comes back
// normalised so that it can be shown and reported; ValidEmail decides
// whether it may be sent. NormalizeEmail(NormalizeEmail(s)) ==
// NormalizeEmail(s).
func NormalizeEmail(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for {
		next := unwrapEmail(s)
		if next == s {
			break
		}
		s = next
	}
	if emailPlaceholders[strings.Join(strings.Fields(s), " ")] {
		return ""
	}
	return s
}

// unwrapEmail removes one layer of wrapping from a trimmed, lower-cased
// address, or returns s unchanged.
func unwrapEmail(s string) string {
	if rest, ok := strings.CutPrefix(s, "mailto:"); ok {
		return strings.TrimSpace(rest)
	}
	if strings.HasSuffix(s, ">") {
		if open := strings.LastIndexByte(s, '<'); open >= 0 {
			inner := strings.TrimSpace(s[open+1 : len(s)-1])
			// "Jane <jane@x.com>": the display name before "<" is dropped,
			// but only when the brackets hold an address.
			if open == 0 || strings.Contains(inner, "@") {
				return inner
			}
		}
	}
	return s
}

// ValidEmail reports whether s is an address HubSpot accepts (it answers
// INVALID_EMAIL otherwise, reference/hubspot-api.md §3); s is expected to
// be normalised (NormalizeEmail). It checks a practical subset of RFC 5322:
// a dot-atom local part of at most 64 bytes, an "@", and a domain of at
// least two dot-separated labels of letters, digits and inner hyphens, 254
// bytes in all, whose top-level domain is one the public suffix list knows
// as an ICANN domain (HubSpot refuses "jane@ymail.con"). Quoted local
// parts, comments and IP-literal domains are rejected: HubSpot and most
// mail systems refuse them anyway. Non-ASCII letters are allowed in both
// parts (internationalised addresses).
func ValidEmail(s string) bool {
	return emailProblem(s) == ""
}

// emailProblem says why s is not a valid address ("" when it is): the
// unknown top-level domain when that is the only fault, else a general
// phrase.
func emailProblem(s string) string {
	const invalid = "is not a valid address"
	if s == "" || len(s) > 254 || !utf8.ValidString(s) {
		return invalid
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return invalid
	}
	local, domain := s[:at], s[at+1:]
	if !validLocal(local) || !validDomain(domain) {
		return invalid
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	if !knownTLD(tld) {
		return "is not a valid address: ." + tld + " is not a known top-level domain"
	}
	return ""
}

// knownTLD reports whether tld is an ICANN top-level domain of the public
// suffix list. A country whose list entry is only a wildcard ("*.ck")
// counts too, which is why a name under the TLD is looked up.
func knownTLD(tld string) bool {
	ascii := strings.ToLower(tld)
	if !isASCIIWord(ascii) {
		var err error // an internationalised TLD is listed in its punycode form
		if ascii, err = idna.Lookup.ToASCII(ascii); err != nil || ascii == "" || strings.Contains(ascii, ".") {
			return false
		}
	}
	if _, icann := publicsuffix.PublicSuffix(ascii); icann {
		return true
	}
	_, icann := publicsuffix.PublicSuffix("a." + ascii)
	return icann
}

// atext is RFC 5322 atext minus nothing: letters, digits and these symbols.
const atextSymbols = "!#$%&'*+-/=?^_`{|}~"

func validLocal(local string) bool {
	if len(local) > 64 || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for _, r := range local {
		switch {
		case r == '.':
		case r < 0x80 && (isASCIILetter(r) || isDigit(r) || strings.ContainsRune(atextSymbols, r)):
		case r >= 0x80 && isWordRune(r):
		default:
			return false
		}
	}
	return true
}

func validDomain(domain string) bool {
	if len(domain) > 253 {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false // a top-level domain is required: "jane@localhost" is refused
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(r == '-' || isDigit(r) || isASCIILetter(r) || (r >= 0x80 && isWordRune(r))) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if strings.HasPrefix(tld, "xn--") {
		return len(tld) > 4
	}
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if isDigit(r) || r == '-' {
			return false
		}
	}
	return true
}

// isASCIIWord reports whether s is ASCII letters, digits and hyphens only.
func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool       { return r >= '0' && r <= '9' }
