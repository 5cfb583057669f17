package mapping

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"b2h/clients/buildium"
)

// TestImplausibleValues: each value no Buildium record can really hold is
// left off the record with a warning naming the field, quoting the value
// (bounded) and saying where to fix it; text over HubSpot's limit is sent
// cut, with a warning.
func TestImplausibleValues(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC) }
	m := Default(Options{})
	ptr := func(f float64) *float64 { return &f }
	huge := "1" + strings.Repeat("0", 300) // 1e300 as written by a price field
	big := ptr(1e300)
	cases := []struct {
		name   string
		rec    func() Record
		prop   string
		sent   bool   // the property is sent (cut), not left off
		label  string // in the warning
		quoted string // the warning quotes this (a prefix of the value)
	}{
		{"dob 9999-12-31", func() Record { return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", DateOfBirth: "9999-12-31"}) }, "date_of_birth", false, "date of birth", "9999-12-31"},
		{"dob 1899-12-31", func() Record { return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", DateOfBirth: "1899-12-31"}) }, "date_of_birth", false, "date of birth", "1899-12-31"},
		{"dob tomorrow", func() Record { return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", DateOfBirth: "2026-12-10"}) }, "date_of_birth", false, "date of birth", "2026-12-10"},
		{"phone 5000 digits", func() Record {
			return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", PhoneNumbers: []buildium.PhoneNumber{{Number: strings.Repeat("5", 5000), Type: "Home"}}})
		}, "phone", false, "phone", strings.Repeat("5", 40)},
		{"phone 16 digits", func() Record {
			return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", PhoneNumbers: []buildium.PhoneNumber{{Number: "+1234567890123456", Type: "Home"}}})
		}, "phone", false, "phone", "+1234567890123456"},
		{"rent -5000", func() Record { return m.Unit(buildium.RentalUnit{ID: 2, UnitNumber: "1", MarketRent: ptr(-5000)}, "P") }, "market_rent", false, "market rent", "-5000"},
		{"rent 1e300", func() Record { return m.Unit(buildium.RentalUnit{ID: 2, UnitNumber: "1", MarketRent: big}, "P") }, "market_rent", false, "market rent", huge[:40]},
		{"rent over ceiling", func() Record {
			return m.Unit(buildium.RentalUnit{ID: 2, UnitNumber: "1", MarketRent: ptr(100_000_001)}, "P")
		}, "market_rent", false, "market rent", "100000001"},
		{"rent +Inf", func() Record {
			return m.Unit(buildium.RentalUnit{ID: 2, UnitNumber: "1", MarketRent: ptr(math.Inf(1))}, "P")
		}, "market_rent", false, "market rent", ""},
		{"comment 70000", func() Record {
			return m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", Comment: strings.Repeat("x", 70000)})
		}, "buildium_comment", true, "comments", strings.Repeat("x", 40)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := tc.rec()
			v, has := rec.Properties[tc.prop]
			if has != tc.sent {
				t.Fatalf("%s sent=%v (%d chars), want sent=%v", tc.prop, has, len(v), tc.sent)
			}
			if tc.sent && len(v) != MaxStringLen {
				t.Errorf("%s is %d chars, want cut to %d", tc.prop, len(v), MaxStringLen)
			}
			if !rec.Valid() {
				t.Fatalf("record refused: %v", rec.Errors)
			}
			var w *ValidationError
			for i := range rec.WarningDetails {
				if rec.WarningDetails[i].Field == tc.prop {
					w = &rec.WarningDetails[i]
				}
			}
			if w == nil {
				t.Fatalf("no warning about %s: %v", tc.prop, rec.Warnings)
			}
			text := w.Reveal()
			if w.Severity != SeverityWarning || !strings.Contains(text, tc.label) || !strings.Contains(text, tc.quoted) || !strings.Contains(text, "Buildium") {
				t.Errorf("warning %q: want severity warning, the label %q, the value %q and the fix in Buildium", text, tc.label, tc.quoted)
			}
			if len(text) > 600 {
				t.Errorf("warning is %d chars: a huge value must be quoted bounded: %.300s…", len(text), text)
			}
		})
	}
}

// TestPlausibleValuesPass: the edges that are fine stay on the record,
// without a warning.
func TestPlausibleValuesPass(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC) }
	m := Default(Options{})
	ptr := func(f float64) *float64 { return &f }
	for _, dob := range []string{"1900-01-01", "1985-06-30", "2026-12-08", "2026-12-09"} {
		rec := m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", DateOfBirth: dob})
		if rec.Properties["date_of_birth"] != dob || len(rec.Warnings) > 0 {
			t.Errorf("dob %s: sent %q, warnings %v", dob, rec.Properties["date_of_birth"], rec.Warnings)
		}
	}
	for _, rent := range []float64{0, 1450.5, 100_000_000} {
		rec := m.Unit(buildium.RentalUnit{ID: 2, UnitNumber: "1", MarketRent: ptr(rent)}, "P")
		if _, ok := rec.Properties["market_rent"]; !ok || len(rec.Warnings) > 0 {
			t.Errorf("rent %v: sent %q, warnings %v", rent, rec.Properties["market_rent"], rec.Warnings)
		}
	}
	rec := m.Tenant(buildium.Tenant{ID: 1, FirstName: "A", PhoneNumbers: []buildium.PhoneNumber{{Number: "+44 20 7946 0958", Type: "Home"}}})
	if rec.Properties["phone"] != "+442079460958" || len(rec.Warnings) > 0 {
		t.Errorf("phone: sent %q, warnings %v", rec.Properties["phone"], rec.Warnings)
	}
}

// TestFormatNumberNeverLong: no number is written in exponent form or
// with more digits than a float64 holds.
func TestFormatNumberNeverLong(t *testing.T) {
	a, b := 0.1, 0.2
	for _, f := range []float64{1e300, -1e300, 1e-300, 1e21, 123456789012345678, a + b, math.SmallestNonzeroFloat64} {
		s, ok := FormatNumber(f)
		if !ok {
			continue
		}
		if strings.ContainsAny(s, "eE") || len(s) > 24 {
			t.Errorf("FormatNumber(%g) = %q", f, s)
		}
	}
	for f, want := range map[float64]string{1450: "1450", 1.5: "1.5", a + b: "0.30000000000000004", math.Copysign(0, -1): "0", 100_000_000: "100000000", 1e-300: "0"} {
		if s, _ := FormatNumber(f); s != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", f, s, want)
		}
	}
}

// TestImplausibleTable pins the definition at its edges.
func TestImplausibleTable(t *testing.T) {
	defer func(f func() time.Time) { now = f }(now)
	now = func() time.Time { return time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC) }
	dob := Field{Source: "DateOfBirth", Transform: TransformDate}
	lease := Field{Source: "LeaseToDate", Transform: TransformDate}
	ph := Field{Source: "Phones", Transform: TransformPhone}
	rent := Field{Source: "MarketRent", Transform: TransformNumber}
	id := Field{Source: "PropertyId", Transform: TransformNumber}
	for _, tc := range []struct {
		f    Field
		v    value
		out  string
		want bool
	}{
		{dob, date("1899-12-31"), "1899-12-31", true},
		{dob, date("1900-01-01"), "1900-01-01", false},
		{dob, date("2026-12-09"), "2026-12-09", false}, // today somewhere (UTC+14)
		{dob, date("2026-12-10"), "2026-12-10", true},
		{lease, date("9999-12-31"), "9999-12-31", false}, // only dates of birth
		{ph, text("+123456789012345"), "+123456789012345", false},
		{ph, text("+1234567890123456"), "+1234567890123456", true},
		{ph, text("+15550100199 ext. 123456789"), "+15550100199 ext. 123456789", false},
		{ph, text("555 0100 x 12345678901234567"), "555 0100 x 12345678901234567", false},
		{rent, number(0), "0", false},
		{rent, number(100_000_000), "100000000", false},
		{rent, number(100_000_000.01), "100000000.01", true},
		{rent, number(-0.01), "-0.01", true},
		{rent, number(math.NaN()), "", true},
		{rent, number(math.Inf(-1)), "", true},
		{rent, text("1e300"), "", true},
		{rent, text("1,450.00"), "1450", false},
		{rent, text("n/a"), "", false}, // not a number: the transform warns
		{id, number(2_000_000_000), "2000000000", false},
	} {
		msg, _ := implausible(tc.f, tc.v, tc.out)
		if (msg != "") != tc.want {
			t.Errorf("%s %q: implausible=%q, want %v", tc.f.Source, tc.out, msg, tc.want)
		}
	}
	if s, n := boundQuote(strings.Repeat("é", 81)); n != 81 || utf8.RuneCountInString(s) != maxQuoted+1 {
		t.Errorf("boundQuote: %q, %d", s, n)
	}
}

// TestImplausibleLeaseRentOnUnit: a lease's implausible rent is left off the
// unit record it is written to, and the unit record carries the warning,
// which points at the lease in Buildium.
func TestImplausibleLeaseRentOnUnit(t *testing.T) {
	rent := -5000.0
	lease := &buildium.Lease{ID: 77, UnitID: 2, AccountDetails: &buildium.AccountDetails{Rent: &rent}}
	for _, target := range []string{TargetUnit, TargetListings} {
		m := Default(Options{UnitTarget: target})
		rec := m.UnitRecord(buildium.RentalUnit{ID: 2, UnitNumber: "1"}, UnitProperty{Name: "P"}, lease)
		prop := "current_rent"
		if target == TargetListings {
			prop = "buildium_current_rent"
		}
		if v, ok := rec.Properties[prop]; ok {
			t.Errorf("%s: %s = %q sent (or cleared)", target, prop, v)
		}
		if len(rec.WarningDetails) != 1 || rec.WarningDetails[0].Field != prop ||
			!strings.Contains(rec.WarningDetails[0].Reveal(), "-5000") || !strings.Contains(rec.WarningDetails[0].Reveal(), "lease 77") {
			t.Errorf("%s: warnings %v", target, rec.Warnings)
		}
	}
}
