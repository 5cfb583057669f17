package hubspotsim

import (
	"strings"
	"testing"
)

func TestDefaultPropertyCounts(t *testing.T) {
	h := enterprise(t)
	for _, tc := range []struct {
		objType string
		min     int
	}{{"contacts", 100}, {"companies", 60}, {"listings", 25}, {"0-2", 60}} {
		r := h.do("GET", "/crm/v3/properties/"+tc.objType, nil).want(t, 200)
		if n := r.len("results"); n < tc.min {
			t.Errorf("%s has %d default properties, want at least %d", tc.objType, n, tc.min)
		}
	}
}

func TestDefaultPropertyTablesAreConsistent(t *testing.T) {
	for name, groups := range map[string][]builtinGroup{"contacts": contactGroups, "companies": companyGroups, "listings": listingGroups} {
		seen := map[string]bool{}
		for _, g := range groups {
			for _, b := range g.props {
				if seen[b.name] {
					t.Errorf("%s: %s listed twice", name, b.name)
				}
				seen[b.name] = true
				allowed, ok := fieldTypes[b.typ]
				if !ok || !strings.Contains(" "+strings.Join(allowed, " ")+" ", " "+b.field+" ") {
					t.Errorf("%s: %s has type %s with fieldType %s", name, b.name, b.typ, b.field)
				}
				if b.typ == "enumeration" && len(b.opts) == 0 && b.flags&bExternal == 0 && b.flags&bMultiEmail == 0 {
					t.Errorf("%s: enumeration %s has no options", name, b.name)
				}
			}
		}
	}
}

func TestDefaultPropertyDefinitions(t *testing.T) {
	h := enterprise(t)
	cases := []struct {
		objType, name, typ, field string
		readOnly, calculated      bool
		option                    string // one option value it must offer ("" none)
	}{
		{"contacts", "hs_lead_status", "enumeration", "select", false, false, "ATTEMPTED_TO_CONTACT"},
		{"contacts", "lifecyclestage", "enumeration", "radio", false, false, "marketingqualifiedlead"},
		{"contacts", "hs_analytics_source", "enumeration", "select", true, false, "ORGANIC_SEARCH"},
		{"contacts", "num_notes", "number", "number", true, true, ""},
		{"contacts", "notes_last_contacted", "datetime", "date", true, true, ""},
		{"contacts", "hs_additional_emails", "enumeration", "checkbox", true, false, ""},
		{"contacts", "createdate", "datetime", "date", true, false, ""},
		{"contacts", "hs_object_id", "number", "number", true, true, ""},
		{"contacts", "salutation", "string", "text", false, false, ""},
		{"contacts", "fax", "string", "phonenumber", false, false, ""},
		{"companies", "industry", "enumeration", "select", false, false, "REAL_ESTATE"},
		{"companies", "type", "enumeration", "select", false, false, "VENDOR"},
		{"companies", "num_associated_contacts", "number", "number", true, true, ""},
		{"companies", "hs_lastmodifieddate", "datetime", "date", true, true, ""},
		{"listings", "hs_listing_type", "enumeration", "select", false, false, "multi_family"},
		{"listings", "hubspot_owner_id", "enumeration", "select", false, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.objType+"/"+tc.name, func(t *testing.T) {
			r := h.do("GET", "/crm/v3/properties/"+tc.objType+"/"+tc.name, nil).want(t, 200)
			if r.str("type") != tc.typ || r.str("fieldType") != tc.field || r.str("hubspotDefined") != "true" ||
				r.str("modificationMetadata.readOnlyValue") != boolStr(tc.readOnly) || r.str("calculated") != boolStr(tc.calculated) ||
				r.str("dataSensitivity") != "non_sensitive" || r.str("modificationMetadata.archivable") != "false" {
				t.Errorf("definition = %s", r.raw)
			}
			if tc.option != "" && !strings.Contains(string(r.raw), `"value":"`+tc.option+`"`) {
				t.Errorf("options lack %s: %s", tc.option, r.raw)
			}
		})
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestDefaultPropertyWrites(t *testing.T) {
	h := enterprise(t)
	cases := []struct {
		name    string
		objType string
		props   props
		status  int
		code    string
	}{
		{"lead status", "contacts", props{"email": "a@example.com", "hs_lead_status": "NEW", "salutation": "Ms", "fax": "555", "message": "hi"}, 201, ""},
		{"lead status label is not a value", "contacts", props{"hs_lead_status": "New"}, 400, codeOption},
		{"analytics source is read-only", "contacts", props{"hs_analytics_source": "OFFLINE"}, 400, codeReadOnly},
		{"roll-up is read-only", "contacts", props{"num_notes": "3"}, 400, codeReadOnly},
		{"owner takes an owner id", "contacts", props{"hubspot_owner_id": "81234567"}, 201, ""},
		{"checkbox values", "contacts", props{"hs_buying_role": "CHAMPION;END_USER"}, 201, ""},
		{"checkbox value outside options", "contacts", props{"hs_buying_role": "CHAMPION;BOSS"}, 400, codeOption},
		{"company industry", "companies", props{"name": "Acme", "industry": "REAL_ESTATE", "type": "VENDOR"}, 201, ""},
		{"company industry outside options", "companies", props{"name": "Acme", "industry": "Real estate"}, 400, codeOption},
		{"company record id is read-only", "companies", props{"hs_object_id": "1"}, 400, codeReadOnly},
		{"listing type", "listings", props{"hs_name": "Elm", "hs_listing_type": "condos_co_ops"}, 201, ""},
		{"listing type outside options", "listings", props{"hs_name": "Elm", "hs_listing_type": "single_family"}, 400, codeOption},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/"+tc.objType, map[string]any{"properties": tc.props}).want(t, tc.status)
			if tc.code != "" && r.str("errors.0.code") != tc.code {
				t.Errorf("code %q, want %q: %s", r.str("errors.0.code"), tc.code, r.raw)
			}
		})
	}
	// HubSpot's message names the value and the allowed option values.
	r := h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "castle"}}).want(t, 400)
	want := "castle was not one of the allowed options: [house, townhouse, multi_family, condos_co_ops, lots_land, apartments]"
	if r.str("errors.0.message") != want || !strings.Contains(r.str("message"), `"error":"INVALID_OPTION"`) {
		t.Errorf("message = %s, want %q", r.raw, want)
	}
}

func TestEditedOptionsVariant(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise, ListingsEnabled: true, Variants: []Variant{VariantEditedOptions}})
	cases := []struct {
		value  string
		status int
	}{{"single_family", 201}, {"apartment", 201}, {"condo", 201}, {"townhouse", 201}, {"house", 400}, {"multi_family", 400}, {"condos_co_ops", 400}}
	for _, tc := range cases {
		r := h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": tc.value}})
		if r.status != tc.status {
			t.Errorf("hs_listing_type %s: status %d, want %d: %s", tc.value, r.status, tc.status, r.raw)
		}
	}
	h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"hs_lead_status": "OPEN_DEAL"}}).want(t, 400)
	// Without the variant HubSpot's default options apply.
	d := enterprise(t)
	d.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "single_family"}}).want(t, 400)
	d.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"hs_lead_status": "OPEN_DEAL"}}).want(t, 201)
}

func TestPatchOptions(t *testing.T) {
	h := enterprise(t)
	h.do("PATCH", "/crm/properties/2026-03/0-420/hs_listing_type", map[string]any{"options": []map[string]any{
		{"label": "Duplex", "value": "duplex", "displayOrder": 0}, {"label": "House", "value": "house", "displayOrder": 1}}}).want(t, 200)
	h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "duplex"}}).want(t, 201)
	h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "apartments"}}).want(t, 400)
	// Read-only built-ins keep their definition.
	h.do("PATCH", "/crm/v3/properties/contacts/hs_analytics_source", map[string]any{"options": []map[string]any{{"label": "X", "value": "x"}}}).want(t, 400)
}
