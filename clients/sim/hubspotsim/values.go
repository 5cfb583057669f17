package hubspotsim

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/publicsuffix"
)

// maxStringLen is the longest string value (§5: string ≤ 65,536 chars).
const maxStringLen = 65536

// emailRe accepts the shape of addresses HubSpot accepts: a dot-atom local
// part and a dotted domain with an alphabetic TLD.
var emailRe = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.[A-Za-z]{2,}$")

// validEmail reports whether s is an address HubSpot would store: the
// shape of emailRe and a top-level domain that is an ICANN public suffix
// ("ymail.con" is refused, §3 INVALID_EMAIL).
func validEmail(s string) bool {
	if len(s) > 254 || !emailRe.MatchString(s) {
		return false
	}
	tld := strings.ToLower(s[strings.LastIndexByte(s, '.')+1:])
	suffix, icann := publicsuffix.PublicSuffix(tld)
	return icann && suffix == tld
}

// normalize validates raw for property p and returns the value to store.
// cur is the record's current value (multi-checkbox ";" appends to it,
// §5). "" always clears (§2).
func normalize(p *propDef, raw, cur string) (string, *propErr) {
	if raw == "" {
		return "", nil
	}
	bad := func(code, format string, args ...any) (string, *propErr) {
		return "", &propErr{name: p.name, code: code, msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case p.email:
		v := strings.TrimSpace(raw)
		if !validEmail(v) {
			return bad(codeEmail, "Email address %s is invalid", raw) // §3 INVALID_EMAIL
		}
		return v, nil
	case p.multiEmail:
		var out []string
		for _, e := range splitMulti(raw) {
			if !validEmail(e) {
				return bad(codeEmail, "Email address %s is invalid", e)
			}
			out = append(out, e)
		}
		return strings.Join(out, ";"), nil
	}
	switch p.typ {
	case "number":
		f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return bad(codeNumber, "%s was not a valid number.", raw)
		}
		return strconv.FormatFloat(f, 'f', -1, 64), nil
	case "date":
		ms, ok := parseDateValue(raw)
		if !ok {
			return bad(codeDate, "%s was not a valid date. Use YYYY-MM-DD or epoch milliseconds at midnight UTC.", raw)
		}
		t := time.UnixMilli(ms).UTC()
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			// §5: date = midnight UTC; the live message, verbatim in shape.
			return bad(codeDate, "%s is at %s UTC, not midnight!", raw, t.Format("15:04:05.000"))
		}
		return t.Format(time.DateOnly), nil
	case "datetime":
		ms, ok := parseDateValue(raw)
		if !ok {
			return bad(codeDateTime, "%s was not a valid datetime. Use ISO 8601 or epoch milliseconds.", raw)
		}
		return iso(ms), nil
	case "bool":
		switch strings.ToLower(strings.TrimSpace(raw)) {
		case "true":
			return "true", nil
		case "false":
			return "false", nil
		}
		return bad(codeBool, "%s is not a valid boolean; use true or false.", raw)
	case "enumeration":
		return normalizeEnum(p, raw, cur)
	case "string", "phone_number":
		if len([]rune(raw)) > maxStringLen {
			return bad(codeTooLong, "Value of %s is longer than %d characters.", p.name, maxStringLen)
		}
	}
	return raw, nil
}

// normalizeEnum checks enumeration values against the option values (not
// labels, §5). Checkbox properties hold ";"-separated values and a leading
// ";" appends to the current set (§5 multi-checkbox append). A property
// with externalOptions (owners, teams, pipelines) takes any value: its
// options live outside the property definition.
func normalizeEnum(p *propDef, raw, cur string) (string, *propErr) {
	if p.fieldType == "booleancheckbox" {
		switch strings.ToLower(raw) {
		case "true", "false":
			return strings.ToLower(raw), nil
		}
	}
	values := []string{raw}
	if p.fieldType == "checkbox" {
		values = splitMulti(raw)
		if strings.HasPrefix(raw, ";") {
			values = append(splitMulti(cur), values...)
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !p.external && !p.optionSet[v] {
			allowed := make([]string, len(p.options))
			for i, o := range p.options {
				allowed[i] = o.Value
			}
			return "", &propErr{name: p.name, code: codeOption,
				msg: fmt.Sprintf("%s was not one of the allowed options: %s", v, listString(allowed))}
		}
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return strings.Join(out, ";"), nil
}

// parseDateValue reads epoch milliseconds, YYYY-MM-DD or ISO 8601.
func parseDateValue(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04:05.000"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), true
		}
	}
	return 0, false
}
