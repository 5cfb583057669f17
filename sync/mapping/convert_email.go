package mapping

import (
	"strings"
	"unicode/utf8"
)

// NormalizeEmail trims surrounding white space and lower-cases an address,
// the form HubSpot stores and compares (reference/hubspot-api.md §11). It
// never rejects anything: an invalid address comes back normalised so that
// it can be shown and reported; ValidEmail decides whether it may be sent.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// ValidEmail reports whether s is an address HubSpot accepts (it answers
// INVALID_EMAIL otherwise, reference/hubspot-api.md §3). It checks a
// practical subset of RFC 5322: a dot-atom local part of at most 64 bytes,
// an "@", and a domain of at least two dot-separated labels of letters,
// digits and inner hyphens ending in an alphabetic (or punycode) top-level
// domain, 254 bytes in all. Quoted local parts, comments and IP-literal
// domains are rejected: HubSpot and most mail systems refuse them anyway.
// Non-ASCII letters are allowed in both parts (internationalised addresses).
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || !utf8.ValidString(s) {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	return validLocal(local) && validDomain(domain)
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

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool       { return r >= '0' && r <= '9' }
