package hubspotsim

import (
	"slices"
	"testing"
)

func TestSchemaPatch(t *testing.T) {
	h := enterprise(t)
	typeID := h.unitSchema()
	// A property that does not exist yet cannot become the display property.
	r := h.do("PATCH", "/crm-object-schemas/v3/schemas/"+typeID, map[string]any{"primaryDisplayProperty": "unit_name"}).want(t, 400)
	if r.str("category") != catValidation {
		t.Errorf("body = %s", r.raw)
	}
	h.do("POST", "/crm/v3/properties/"+typeID, map[string]any{"name": "unit_name", "label": "Unit name", "type": "string",
		"fieldType": "text", "groupName": "unit_information"}).want(t, 201)
	r = h.do("PATCH", "/crm-object-schemas/2026-03/schemas/p12345678_unit", map[string]any{
		"primaryDisplayProperty":     "unit_name",
		"secondaryDisplayProperties": []string{"unit_number"},
		"requiredProperties":         []string{"unit_name"},
		"labels":                     map[string]string{"singular": "Rental unit", "plural": "Rental units"},
	}).want(t, 200)
	if r.str("primaryDisplayProperty") != "unit_name" || r.str("labels.plural") != "Rental units" || r.str("objectTypeId") != typeID {
		t.Errorf("patch = %s", r.raw)
	}
	g := h.do("GET", "/crm-object-schemas/v3/schemas/unit", nil).want(t, 200)
	if g.str("primaryDisplayProperty") != "unit_name" || g.str("requiredProperties.0") != "unit_name" || g.len("requiredProperties") != 1 ||
		g.str("secondaryDisplayProperties.0") != "unit_number" {
		t.Errorf("schema after patch = %s", g.raw)
	}
	var searchable []string
	for i := 0; i < g.len("searchableProperties"); i++ {
		searchable = append(searchable, g.str("searchableProperties."+itoa(i)))
	}
	if !slices.Contains(searchable, "unit_name") {
		t.Errorf("the primary display property is not searchable: %v", searchable)
	}
	// Required properties are enforced on create.
	c := h.do("POST", "/crm/v3/objects/"+typeID, map[string]any{"properties": props{"unit_number": "1A"}}).want(t, 400)
	if c.str("errors.0.code") != codeRequired || c.str("errors.0.context.propertyName.0") != "unit_name" {
		t.Errorf("create without the required property = %s", c.raw)
	}
	h.do("POST", "/crm/v3/objects/"+typeID, map[string]any{"properties": props{"unit_name": "Unit 1A"}}).want(t, 201)
	// System properties and unknown schemas are refused.
	h.do("PATCH", "/crm-object-schemas/v3/schemas/"+typeID, map[string]any{"searchableProperties": []string{"hs_object_id"}}).want(t, 400)
	h.do("PATCH", "/crm-object-schemas/v3/schemas/nosuch", map[string]any{"primaryDisplayProperty": "x"}).want(t, 404)
}

func TestSchemaScopeVersusTier(t *testing.T) {
	noSchemas := func() []string {
		return slices.DeleteFunc(slices.Clone(DefaultScopes), func(s string) bool { return s == "crm.schemas.custom.read" || s == "crm.schemas.custom.write" })
	}
	cases := []struct {
		name     string
		tier     Tier
		scopes   []string
		method   string
		path     string
		status   int
		category string
	}{
		{"read without scope", TierEnterprise, noSchemas(), "GET", "/crm-object-schemas/v3/schemas", 403, catScopes},
		{"read one without scope", TierEnterprise, noSchemas(), "GET", "/crm-object-schemas/v3/schemas/unit", 403, catScopes},
		{"create without scope", TierEnterprise, noSchemas(), "POST", "/crm-object-schemas/v3/schemas", 403, catScopes},
		{"patch without scope", TierEnterprise, noSchemas(), "PATCH", "/crm-object-schemas/v3/schemas/unit", 403, catScopes},
		{"create below Enterprise", TierProfessional, nil, "POST", "/crm-object-schemas/v3/schemas", 403, catForbidden},
		{"patch below Enterprise", TierStarter, nil, "PATCH", "/crm-object-schemas/v3/schemas/unit", 403, catForbidden},
		{"read below Enterprise", TierFree, nil, "GET", "/crm-object-schemas/v3/schemas", 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Tier: tc.tier, Scopes: tc.scopes})
			r := h.do(tc.method, tc.path, map[string]any{"name": "unit"}).want(t, tc.status)
			if tc.category == "" {
				return
			}
			if r.str("category") != tc.category {
				t.Errorf("category %q, want %q: %s", r.str("category"), tc.category, r.raw)
			}
			scopes := r.str("errors.0.context.requiredGranularScopes.0")
			if tc.category == catScopes && scopes != "crm.schemas.custom.read" && scopes != "crm.schemas.custom.write" {
				t.Errorf("requiredGranularScopes = %q: %s", scopes, r.raw)
			}
			if tc.category == catForbidden && (scopes != "" || r.str("subCategory") != "crm.schemas.CUSTOM_OBJECTS_NOT_AVAILABLE") {
				t.Errorf("tier refusal looks like a scope error: %s", r.raw)
			}
		})
	}
}
