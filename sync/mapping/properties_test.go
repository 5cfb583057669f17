package mapping

import (
	"strings"
	"testing"
)

func TestProperties(t *testing.T) {
	defs := func(m *Mapping, target string) map[string]PropertyDef {
		out := map[string]PropertyDef{}
		for _, d := range m.Properties(target) {
			if _, dup := out[d.Name]; dup {
				t.Errorf("%s: %s listed twice", target, d.Name)
			}
			out[d.Name] = d
		}
		return out
	}
	m := Default(Options{})
	contacts := defs(m, TargetContacts)
	for name, want := range map[string]struct {
		typ, field      string
		unique, builtIn bool
	}{
		KeyTenant:                  {"string", "text", true, false},
		KeyEmergencyContact:        {"string", "text", true, false},
		"email":                    {"string", "text", false, true},
		"phone":                    {"string", "phonenumber", false, true},
		"date_of_birth":            {"date", "date", false, true},
		"buildium_created_at":      {"datetime", "date", false, false},
		"buildium_comment":         {"string", "textarea", false, false},
		"buildium_alternate_email": {"string", "text", false, false},
		"buildium_relationship":    {"string", "text", false, false},
	} {
		d, ok := contacts[name]
		if !ok {
			t.Errorf("contacts: %s missing", name)
			continue
		}
		if d.Type != want.typ || d.FieldType != want.field || d.Unique != want.unique || d.BuiltIn != want.builtIn || d.Group != PropertyGroup || d.Label == "" {
			t.Errorf("contacts %s = %+v", name, d)
		}
	}
	for name, d := range contacts {
		if !d.BuiltIn && !strings.HasPrefix(name, "buildium_") {
			t.Errorf("created contact property %s is not named buildium_*", name)
		}
		if readOnly[name] {
			t.Errorf("read-only %s is written", name)
		}
	}
	listings := defs(m, TargetListings)
	rt := listings[RecordTypeProperty]
	if rt.Type != "enumeration" || len(rt.Options) != 2 || rt.Options[0].Value != "property" || rt.Options[1].Value != "unit" {
		t.Errorf("buildium_record_type = %+v", rt)
	}
	if !listings[KeyProperty].Unique || !listings["hs_name"].BuiltIn || listings["buildium_base_rent_amount"].NumberDisplayHint != "currency" {
		t.Errorf("listings: %+v", listings)
	}
	if lt := listings["hs_listing_type"]; lt.Type != "enumeration" || len(lt.Options) != 6 {
		t.Errorf("hs_listing_type = %+v", lt)
	}
	if _, ok := listings[KeyUnit]; ok {
		t.Error("with the unit object, listings carry no unit key")
	}
	fallback := defs(Default(Options{UnitTarget: TargetListings}), TargetListings)
	for _, name := range []string{KeyProperty, KeyUnit} {
		if !fallback[name].Unique {
			t.Errorf("fallback listings: %s must be unique", name)
		}
	}
	for _, name := range []string{"buildium_current_lease_start", "buildium_current_rent", "buildium_parent_property_id", "hs_bedrooms"} {
		if _, ok := fallback[name]; !ok {
			t.Errorf("fallback listings: %s missing", name)
		}
	}
	if len(Default(Options{UnitTarget: TargetListings}).Properties(TargetUnit)) != 0 {
		t.Error("no unit properties without the unit object")
	}
	occ := defs(m, TargetUnit)["occupancy_status"]
	if occ.Type != "enumeration" || occ.Options[0].Value != "occupied" || occ.Options[1].Value != "vacant" {
		t.Errorf("occupancy_status = %+v", occ)
	}
}

func TestUnitSchema(t *testing.T) {
	s := UnitSchema()
	if s.Name != "unit" || s.PrimaryDisplayProperty != "unit_name" || s.Labels.Singular != "Unit" || s.Labels.Plural != "Units" {
		t.Errorf("schema: %+v", s)
	}
	if strings.Join(s.AssociatedObjects, ",") != "0-1,0-420" {
		t.Errorf("associated objects %v", s.AssociatedObjects)
	}
	if strings.Join(s.RequiredProperties, ",") != KeyUnit+",unit_name" {
		t.Errorf("required %v", s.RequiredProperties)
	}
	if strings.Join(s.SecondaryDisplayProperties, ",") != "unit_number,occupancy_status,"+KeyProperty {
		t.Errorf("secondary %v", s.SecondaryDisplayProperties)
	}
	have := map[string]PropertyDef{}
	for _, p := range s.Properties {
		have[p.Name] = p
		if strings.HasPrefix(p.Name, "hs_") || p.BuiltIn {
			t.Errorf("unit schema property %s cannot be built in", p.Name)
		}
	}
	for _, name := range []string{KeyUnit, KeyProperty, "unit_name", "unit_number", "bedrooms", "bathrooms", "square_feet", "market_rent",
		"unit_description", "occupancy_status", "listing_status", "current_lease_start", "current_lease_end", "current_rent"} {
		if _, ok := have[name]; !ok {
			t.Errorf("unit schema lacks %s", name)
		}
	}
	if !have[KeyUnit].Unique || have[KeyProperty].Unique {
		t.Error("only buildium_unit_id is unique on units")
	}
	if have["current_lease_start"].Type != "date" || have["current_rent"].Type != "number" || have["bathrooms"].Type != "number" {
		t.Error("lease and number property types")
	}
	for _, p := range append(append([]string{}, s.SearchableProperties...), s.SecondaryDisplayProperties...) {
		if _, ok := have[p]; !ok {
			t.Errorf("schema references %s, which it does not define", p)
		}
	}
}
