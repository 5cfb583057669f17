package mapping

import (
	"strings"
	"testing"
	"unicode/utf8"

	"b2h/clients/buildium"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		raw, region string
		want        string
		ok          bool
	}{
		{"(555) 010-0199", "US", "+15550100199", true},
		{"555.010.0199", "", "+15550100199", true},
		{"+1 (212) 555-0100", "US", "+12125550100", true},
		{"212-555-0100 x12", "US", "+12125550100 ext. 12", true},
		{"020 7946 0018", "GB", "+442079460018", true},
		{"+44 20 7946 0018", "US", "+442079460018", true},
		{"  (555) 010-0199  ", "us", "+15550100199", true},
		{"12", "US", "12", false},
		{"call me maybe", "US", "call me maybe", false},
		{"  n/a ", "US", "n/a", false},
		{"", "US", "", false},
		{strings.Repeat("9", 80), "US", strings.Repeat("9", 80), false},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.raw, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q, %v", tt.raw, tt.region, got, ok, tt.want, tt.ok)
		}
	}
}

func TestPickPhones(t *testing.T) {
	p := func(typ, n string) buildium.PhoneNumber { return buildium.PhoneNumber{Type: typ, Number: n} }
	tests := []struct {
		name          string
		in            []buildium.PhoneNumber
		phone, mobile string
	}{
		{"none", nil, "", ""},
		{"cell first even when listed last", []buildium.PhoneNumber{p("Home", "1"), p("Office", "2"), p("Cell", "3")}, "3", "3"},
		{"home before office", []buildium.PhoneNumber{p("Office", "2"), p("Home", "1")}, "1", ""},
		{"office before personal", []buildium.PhoneNumber{p("Personal", "4"), p("Office", "2")}, "2", ""},
		{"personal before other", []buildium.PhoneNumber{p("Other", "5"), p("Personal", "4")}, "4", ""},
		{"other before untyped", []buildium.PhoneNumber{p("NotSet", "6"), p("Other", "5")}, "5", ""},
		{"untyped used last", []buildium.PhoneNumber{p("", "6")}, "6", ""},
		{"never fax", []buildium.PhoneNumber{p("Fax", "9")}, "", ""},
		{"fax skipped for home", []buildium.PhoneNumber{p("Fax", "9"), p("Home", "1")}, "1", ""},
		{"blank cell skipped", []buildium.PhoneNumber{p("Cell", "  "), p("Home", "1")}, "1", ""},
		{"case-insensitive types", []buildium.PhoneNumber{p("cell", "3")}, "3", "3"},
		{"write-side names", []buildium.PhoneNumber{p("Work", "2"), p("Mobile", "3")}, "3", "3"},
		{"unknown type counts as other", []buildium.PhoneNumber{p("Pager", "7"), p("NotSet", "6")}, "7", ""},
		{"trimmed", []buildium.PhoneNumber{p("Home", " 1 ")}, "1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phone, mobile := PickPhones(tt.in)
			if phone != tt.phone || mobile != tt.mobile {
				t.Errorf("PickPhones = %q, %q; want %q, %q", phone, mobile, tt.phone, tt.mobile)
			}
		})
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"(555) 010-0199", "+44 20 7946 0018", "x", "212-555-0100 ext 9", "+", "00", "\xff", "+1 800 FLOWERS"} {
		f.Add(s, "US")
	}
	f.Add("020 7946 0018", "GB")
	f.Add("1", "ZZ")
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, ok := NormalizePhone(raw, region)
		if !ok {
			if got != strings.TrimSpace(raw) {
				t.Fatalf("unparseable %q must come back trimmed, got %q", raw, got)
			}
			return
		}
		if !strings.HasPrefix(got, "+") || !utf8.ValidString(got) {
			t.Fatalf("NormalizePhone(%q) = %q: not E.164", raw, got)
		}
		num, _, _ := strings.Cut(got, " ext. ")
		for _, r := range num[1:] {
			if r < '0' || r > '9' {
				t.Fatalf("NormalizePhone(%q) = %q: not E.164", raw, got)
			}
		}
		if again, ok2 := NormalizePhone(num, region); !ok2 || again != num {
			t.Fatalf("E.164 %q does not normalise to itself: %q %v", num, again, ok2)
		}
	})
}

// FuzzFastNANP: wherever the fast path answers, libphonenumber gives the
// same number.
func FuzzFastNANP(f *testing.F) {
	for _, s := range []string{"(555) 010-0199", "1-555-010-0199", "555.010.0199", "1 (212) 555 0100", "0123456789",
		"11234567890", "(((555))) 0100199", "555 010 019", "15550100199", "2125550100", "1 2125550100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fast, ok := fastNANP(raw, "US")
		if !ok {
			return
		}
		slow, sok := normalizeWithLibphonenumber(strings.TrimSpace(raw), "US")
		if !sok || slow != fast {
			t.Fatalf("%q: fast path %q, libphonenumber %q (%v)", raw, fast, slow, sok)
		}
	})
}
