package fault

import (
	"strings"
	"testing"
)

func TestParseListShapes(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		target string
		want   Profile
	}{
		{"buildium.short=50", "buildium", Profile{Short: 50}},
		{"buildium.short=50,buildium.shortfor=3", "buildium", Profile{Short: 50, ShortFor: 3}},
		{"buildium.short=50,buildium.shortfor=3", "hubspot", Profile{}},
		{"buildium.odd=all", "buildium", Profile{Odd: OddAll}},
		{"buildium.odd=null+zero+stringid", "buildium", Profile{Odd: OddNull | OddZeroID | OddStringID}},
		{"buildium.odd=bigid+negative+emergency,5xx=0.1", "buildium", Profile{Odd: OddBigID | OddNegative | OddEmergency, ServerError: 0.1}},
	} {
		got, err := Parse(tc.spec, tc.target)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.spec, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Parse(%q, %s) = %+v, want %+v", tc.spec, tc.target, got, tc.want)
		}
		if got.Zero() != (tc.want == Profile{}) {
			t.Errorf("Parse(%q).Zero() = %v", tc.spec, got.Zero())
		}
	}
	for _, bad := range []string{"short=-1", "short=x", "shortfor=1.5", "odd=weird", "odd=null+", "odd="} {
		if _, err := Parse(bad, "buildium"); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if _, err := Parse("bogus=1", "buildium"); err == nil || !strings.Contains(err.Error(), "short, shortfor, odd") {
		t.Errorf("unknown key error does not list the new keys: %v", err)
	}
}

func TestOddKindsOrderAndNames(t *testing.T) {
	if got := OddAll.String(); got != "null+zero+negative+stringid+bigid+emergency" {
		t.Errorf("OddAll = %q", got)
	}
	k := (OddEmergency | OddNull).Kinds()
	if len(k) != 2 || k[0] != OddNull || k[1] != OddEmergency {
		t.Errorf("Kinds = %v, want null then emergency", k)
	}
	for _, o := range OddAll.Kinds() {
		back, err := ParseOdd(o.String())
		if err != nil || back != o {
			t.Errorf("ParseOdd(%q) = %v, %v", o.String(), back, err)
		}
	}
}
