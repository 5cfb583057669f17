package schema

import (
	"strings"
	"testing"

	"b2h/clients/hubspot"
)

func TestDecide(t *testing.T) {
	unit := &hubspot.Schema{Name: "unit", ObjectTypeID: "2-77"}
	for _, tc := range []struct {
		name      string
		f         Facts
		prior     Prior
		mode      string
		unitType  string
		probeUnit bool
		assoc     string
		probeLbl  bool
		tier      string
	}{
		{"existing unit schema", Facts{UnitSchema: unit, CustomObjects: Available, Labels: Available}, Prior{},
			UnitCustomObject, "2-77", false, AssocLabelled, false, "enterprise"},
		{"units already listings stay listings", Facts{CustomObjects: Available, Labels: Available}, Prior{UnitMode: UnitListing, UnitsSynced: 4},
			UnitListing, ObjListings, false, AssocLabelled, false, "enterprise"},
		{"custom objects, no schema yet", Facts{CustomObjects: Available}, Prior{},
			UnitCustomObject, "", false, AssocLabelled, false, "enterprise"},
		{"no labels means no custom objects", Facts{Labels: Unavailable, CustomObjects: Unavailable}, Prior{},
			UnitListing, ObjListings, false, AssocDefault, false, "free or starter"},
		{"professional", Facts{Labels: Available, CustomObjects: Unavailable}, Prior{},
			UnitListing, ObjListings, false, AssocLabelled, false, "professional"},
		{"nothing known: probe both", Facts{}, Prior{},
			UnitListing, ObjListings, true, AssocLabelled, true, "unknown"},
		{"a big quota is only a hint", Facts{DailyKnown: true, DailyLimit: 2_000_000}, Prior{},
			UnitCustomObject, "", true, AssocLabelled, true, "enterprise (a guess from the daily quota)"},
		{"a big quota never outvotes a refused label", Facts{DailyKnown: true, DailyLimit: 2_000_000, Labels: Unavailable, CustomObjects: Unavailable}, Prior{},
			UnitListing, ObjListings, false, AssocDefault, false, "free or starter"},
		{"learned refusals stand in for unknown facts", Facts{}, Prior{Labels: Unavailable, CustomObjects: Unavailable},
			UnitListing, ObjListings, false, AssocDefault, false, "free or starter"},
		{"facts outvote what was learned", Facts{Labels: Available}, Prior{Labels: Unavailable},
			UnitListing, ObjListings, true, AssocLabelled, false, "professional or enterprise"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Decide(tc.f, tc.prior)
			if d.UnitMode != tc.mode || d.UnitType != tc.unitType || d.ProbeUnitSchema != tc.probeUnit {
				t.Errorf("units %q %q probe %v, want %q %q probe %v (%s)", d.UnitMode, d.UnitType, d.ProbeUnitSchema, tc.mode, tc.unitType, tc.probeUnit, d.UnitReason)
			}
			if d.AssocMode != tc.assoc || d.ProbeLabels != tc.probeLbl {
				t.Errorf("associations %q probe %v, want %q probe %v (%s)", d.AssocMode, d.ProbeLabels, tc.assoc, tc.probeLbl, d.AssocReason)
			}
			if d.Tier != tc.tier {
				t.Errorf("tier %q, want %q", d.Tier, tc.tier)
			}
			if d.UnitReason == "" || d.AssocReason == "" {
				t.Errorf("a decision without a reason: %+v", d)
			}
		})
	}
}

func TestForce(t *testing.T) {
	unit := &hubspot.Schema{Name: "unit", ObjectTypeID: "2-77"}
	for _, tc := range []struct {
		name, choice string
		f            Facts
		prior        Prior
		mode, err    string
	}{
		{"auto keeps the decision", UnitsAuto, Facts{CustomObjects: Available}, Prior{}, UnitCustomObject, ""},
		{"listings on an enterprise account", UnitsList, Facts{CustomObjects: Available}, Prior{}, UnitListing, ""},
		{"listings after units were custom objects", UnitsList, Facts{UnitSchema: unit, CustomObjects: Available}, Prior{UnitMode: UnitCustomObject, UnitsSynced: 3}, "", "second time"},
		{"custom object after units were listings", UnitsObj, Facts{CustomObjects: Available}, Prior{UnitMode: UnitListing, UnitsSynced: 3}, "", "second time"},
		{"custom object where there are none", UnitsObj, Facts{CustomObjects: Unavailable}, Prior{}, "", "no custom objects"},
		{"custom object when unknown", UnitsObj, Facts{}, Prior{}, UnitCustomObject, ""},
		{"nonsense", "units", Facts{}, Prior{}, "", "is not auto"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Force(Decide(tc.f, tc.prior), tc.f, tc.prior, tc.choice)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("err %v, want one saying %q", err, tc.err)
				}
			case err != nil:
				t.Errorf("err %v", err)
			case d.UnitMode != tc.mode:
				t.Errorf("mode %q, want %q", d.UnitMode, tc.mode)
			}
		})
	}
}

func TestMissingOf(t *testing.T) {
	f := Facts{Scopes: []string{"a", "b"}, ScopesKnown: true, MissingScopes: []string{"c"}}
	if got := f.MissingOf([]string{"a", "c", "d"}); strings.Join(got, ",") != "c,d" {
		t.Errorf("missing %q, want c,d", got)
	}
	unknown := Facts{MissingScopes: []string{"c"}}
	if got := unknown.MissingOf([]string{"a", "c"}); strings.Join(got, ",") != "c" {
		t.Errorf("with unknown scopes, missing %q, want only the refused c", got)
	}
}
