package mapping

import (
	"strings"

	"b2h/clients/buildium"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for phone numbers written without a
// country code: Buildium is a US product.
const DefaultRegion = "US"

// maxPhoneInput bounds what is handed to libphonenumber; longer strings
// are not phone numbers and are kept raw.
const maxPhoneInput = 64

// NormalizePhone formats raw in E.164 ("+15550100199") with libphonenumber,
// reading numbers without a country code in defaultRegion ("" means "US").
// A number with an extension keeps it: "+15550100199 ext. 12". When raw
// cannot be parsed, or its length cannot be a phone number of its region,
// NormalizePhone returns raw with surrounding space trimmed and ok=false:
// DESIGN.md §2 keeps such values as they are rather than dropping them, and
// the mapping reports a warning. Only possible-length is checked, not
// whether the number is assigned, so fictional 555 numbers still normalise.
func NormalizePhone(raw, defaultRegion string) (e164 string, ok bool) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxPhoneInput {
		return s, false
	}
	if defaultRegion == "" {
		defaultRegion = DefaultRegion
	}
	if out, ok := fastNANP(s, defaultRegion); ok {
		return out, true
	}
	return normalizeWithLibphonenumber(s, defaultRegion)
}

// fastNANP formats the commonest input, a plain ten-digit North American
// number ("(555) 010-0199", "1-555-010-0199") read in the US, without
// libphonenumber's regular expressions: it was a sixth of a full sync's CPU.
// Anything else (a '+', letters, an extension, another length or region, an
// area code starting 0 or 1) goes to libphonenumber; FuzzFastNANP checks
// that both agree wherever the fast path answers.
func fastNANP(s, region string) (string, bool) {
	if (region != "US" && region != "us") || len(s) > maxPhoneInput {
		return "", false
	}
	var d [11]byte
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return "", false
			}
			d[n] = c
			n++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	digits := d[:n]
	switch {
	case n == 11 && d[0] == '1':
		digits = d[1:]
	case n != 10:
		return "", false
	}
	if digits[0] < '2' {
		return "", false
	}
	return "+1" + string(digits), true
}

// normalizeWithLibphonenumber is NormalizePhone's general path.
func normalizeWithLibphonenumber(s, defaultRegion string) (string, bool) {
	n, err := phonenumbers.Parse(s, strings.ToUpper(defaultRegion))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return s, false
	}
	out := phonenumbers.Format(n, phonenumbers.E164)
	// A number whose E.164 form does not parse back to itself (libphonenumber
	// strips a national prefix from some +49 0… forms) would change on every
	// run and flap the sync hash; such input is left as typed.
	if back, err := phonenumbers.Parse(out, "ZZ"); err != nil || phonenumbers.Format(back, phonenumbers.E164) != out {
		return s, false
	}
	if ext := n.GetExtension(); ext != "" {
		out += " ext. " + ext
	}
	return out, true
}

// phonePreference is the order in which PickPhones chooses the main phone
// (DESIGN.md §2): Cell, Home, Office, Personal, Other, then untyped (NotSet
// or empty). Fax is never a phone.
var phonePreference = []string{"Cell", "Home", "Office", "Personal", "Other", "NotSet"}

// phoneTypes maps lower-cased Buildium phone types (reference/buildium-api.md
// §8) to their canonical spelling. "Work" and "Mobile" are the write-side
// names (§6 RentalTenantPostMessage); they are accepted on read too in case a
// record carries them.
var phoneTypes = map[string]string{
	"cell": "Cell", "mobile": "Cell", "home": "Home", "office": "Office", "work": "Office",
	"personal": "Personal", "other": "Other", "fax": "Fax", "notset": "NotSet", "": "NotSet",
}

// canonicalPhoneType returns the canonical Buildium phone type for t, and
// "Other" for a type it does not know.
func canonicalPhoneType(t string) string {
	switch t { // Buildium's own spellings, without lower-casing a copy
	case "Cell", "Home", "Office", "Personal", "Other", "Fax", "NotSet":
		return t
	}
	if c, ok := phoneTypes[strings.ToLower(strings.TrimSpace(t))]; ok {
		return c
	}
	return "Other"
}

// PhoneOfType returns the first non-blank number of the given type (see
// PickPhones for type spellings), trimmed, or "".
func PhoneOfType(phones []buildium.PhoneNumber, typ string) string {
	want := canonicalPhoneType(typ)
	for _, p := range phones {
		if n := strings.TrimSpace(p.Number); n != "" && canonicalPhoneType(p.Type) == want {
			return n
		}
	}
	return ""
}

// PickPhones chooses a tenant's phones by Type, never by position (Buildium
// does not document the order, reference/buildium-api.md §7): phone is the
// first non-blank number in the order Cell, Home, Office, Personal, Other,
// untyped; mobile is the first Cell number. A Fax number is never returned.
// Unknown types count as Other. Values are trimmed but not normalised.
func PickPhones(phones []buildium.PhoneNumber) (phone, mobile string) {
	for _, t := range phonePreference {
		if phone = PhoneOfType(phones, t); phone != "" {
			break
		}
	}
	return phone, PhoneOfType(phones, "Cell")
}
