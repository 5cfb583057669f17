package mapping

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Plausibility bounds. A value outside them cannot be what the Buildium
// record means (a typing slip, a placeholder, corrupt data): it is left off
// the HubSpot record, so HubSpot keeps the value it has, and the record is
// sent with a warning that quotes the value and says where to fix it.
const (
	// EarliestBirthYear: a date of birth before 1 January of this year is
	// implausible.
	EarliestBirthYear = 1900
	// MaxPhoneDigits is E.164's maximum: a phone number, after
	// normalisation and without its extension, has at most 15 digits.
	MaxPhoneDigits = 15
	// MaxAmount is the ceiling of a number sent by the number transform
	// (rent, deposit, reserve, size, count): above it the value is
	// implausible. Negative and non-finite numbers are implausible too.
	MaxAmount = 100_000_000
	// maxQuoted bounds the characters of a value a warning quotes; a longer
	// value is cut with "…" and the message gives its length.
	maxQuoted = 80
)

// RuleImplausible is ValidationError.Rule of a warning about an implausible
// value: not a rule of a mapping file, and always a warning.
const RuleImplausible = "implausible"

// now is the clock for "a date of birth after today"; tests replace it.
var now = time.Now

// latestBirthDate is the last plausible date of birth: today where the day
// is furthest ahead (UTC+14), so that no time zone sees a valid date
// refused.
func latestBirthDate() string {
	return now().UTC().Add(14 * time.Hour).Format("2006-01-02")
}

// implausible returns why out, the converted value of field f (v as read),
// cannot be a real value, and the value to quote; msg is "" for a
// plausible value. The rules, by transform:
//
//   - date, datetime of a DateOfBirth source: before EarliestBirthYear-01-01,
//     or after latestBirthDate;
//   - phone: more than MaxPhoneDigits digits before an extension marker
//     ("ext", "x", "#"), in the normalised value or, when the value could
//     not be normalised, as written;
//   - number, except of an id source ("Id", "…Id"): NaN or infinite,
//     negative, or over MaxAmount.
func implausible(f Field, v value, out string) (msg, shown string) {
	if !v.set || f.Source == "" {
		return "", ""
	}
	switch f.Transform {
	case TransformDate, TransformDateTime:
		if f.Source != "DateOfBirth" && !strings.HasSuffix(f.Source, ".DateOfBirth") || len(out) < 10 {
			return "", ""
		}
		switch d := out[:10]; {
		case d < strconv.Itoa(EarliestBirthYear)+"-01-01":
			return "is before " + strconv.Itoa(EarliestBirthYear) + ", not a plausible date of birth; it was left off, so HubSpot keeps its current value", d
		case d > latestBirthDate():
			return "is after today, not a plausible date of birth; it was left off, so HubSpot keeps its current value", d
		}
	case TransformPhone:
		if n := phoneDigits(out); n > MaxPhoneDigits {
			return "has " + strconv.Itoa(n) + " digits, more than a phone number can have (" + strconv.Itoa(MaxPhoneDigits) + ", E.164); it was left off, so HubSpot keeps its current value", out
		}
	case TransformNumber:
		if f.Source == "Id" || strings.HasSuffix(f.Source, "Id") {
			return "", ""
		}
		n, ok := numberOf(v)
		if !ok {
			return "", "" // not a number: the transform's own warning says so
		}
		shown := strconv.FormatFloat(n, 'f', -1, 64)
		const left = "; it was left off, so HubSpot keeps its current value"
		switch {
		case math.IsNaN(n) || math.IsInf(n, 0):
			return "is not a finite number" + left, v.raw()
		case n < 0:
			return "is negative" + left, shown
		case n > MaxAmount:
			return "is over " + formatThousands(MaxAmount) + ", not a plausible amount" + left, shown
		}
	}
	return "", ""
}

// numberOf reads v as the number transform does.
func numberOf(v value) (float64, bool) {
	if v.k == kNumber {
		return v.n, true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(v.s, ",", "")), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// phoneDigits counts the digits of a phone number before its extension.
func phoneDigits(s string) int {
	lower := strings.ToLower(s)
	if i := strings.IndexAny(lower, "x#"); i >= 0 {
		lower = lower[:i]
	}
	if i := strings.Index(lower, "ext"); i >= 0 {
		lower = lower[:i]
	}
	n := 0
	for i := 0; i < len(lower); i++ {
		if lower[i] >= '0' && lower[i] <= '9' {
			n++
		}
	}
	return n
}

// boundQuote cuts a value to maxQuoted characters for a warning, with
// "…", and returns its length in characters when it was cut (else 0).
func boundQuote(s string) (string, int) {
	n := utf8.RuneCountInString(s)
	if n <= maxQuoted {
		return s, 0
	}
	i, k := 0, 0
	for i = range s {
		if k == maxQuoted {
			break
		}
		k++
	}
	return s[:i] + "…", n
}

// formatThousands writes n with comma separators: 100000000 → "100,000,000".
func formatThousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
