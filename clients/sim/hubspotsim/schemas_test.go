package hubspotsim

import (
	"strconv"
	"strings"
	"testing"
)

func TestSchemasNeedEnterprise(t *testing.T) {
	for _, tier := range []Tier{TierFree, TierStarter, TierProfessional} {
		t.Run(string(tier), func(t *testing.T) {
			h := newHarness(t, Options{Tier: tier, ListingsEnabled: true})
			// ref: hubspot-api.md §6 "Custom objects need an Enterprise tier"
			r := h.do("POST", "/crm-object-schemas/v3/schemas", map[string]any{"name": "unit"}).want(t, 403)
			if r.str("category") != "FORBIDDEN" || !strings.Contains(r.str("message"), "Enterprise") {
				t.Errorf("body = %s", r.raw)
			}
			// Reading schemas works on every tier and lists none.
			if g := h.do("GET", "/crm-object-schemas/v3/schemas", nil).want(t, 200); g.len("results") != 0 {
				t.Errorf("schemas = %s", g.raw)
			}
		})
	}
}

func TestSchemaCreate(t *testing.T) {
	h := enterprise(t)
	typeID := h.unitSchema()
	// ref: hubspot-api.md §6 "objectTypeId: "2-<n>"", "fullyQualifiedName: "p{HubID}_{name}""
	if !strings.HasPrefix(typeID, "2-") {
		t.Fatalf("objectTypeId = %q", typeID)
	}
	r := h.do("GET", "/crm-object-schemas/v3/schemas/p12345678_unit", nil).want(t, 200)
	if r.str("objectTypeId") != typeID || r.str("fullyQualifiedName") != "p12345678_unit" || r.str("id") != strings.TrimPrefix(typeID, "2-") ||
		r.str("primaryDisplayProperty") != "unit_number" || r.str("labels.singular") != "Unit" {
		t.Errorf("schema = %s", r.raw)
	}
	// ref: hubspot-api.md §6 "associations[{id, name, fromObjectTypeId, toObjectTypeId}]" — both directions, portal-specific ids
	dirs := map[string]string{}
	for i := 0; i < r.len("associations"); i++ {
		p := "associations." + strconv.Itoa(i)
		dirs[r.str(p+".fromObjectTypeId")+">"+r.str(p+".toObjectTypeId")] = r.str(p + ".id")
	}
	for _, d := range []string{typeID + ">0-1", "0-1>" + typeID, typeID + ">0-420", "0-420>" + typeID} {
		if dirs[d] == "" {
			t.Errorf("association %s missing: %v", d, dirs)
		}
	}
	if dirs[typeID+">0-1"] == dirs["0-1>"+typeID] {
		t.Errorf("both directions share type id %s", dirs[typeID+">0-1"])
	}
	// The labels endpoint reports the same ids (§4 "discover with the labels endpoint").
	lb := h.do("GET", "/crm/v4/associations/contacts/"+typeID+"/labels", nil).want(t, 200)
	if lb.str("results.0.typeId") != dirs["0-1>"+typeID] || lb.str("results.0.category") != "USER_DEFINED" || lb.get("results.0.label") != nil {
		t.Errorf("labels = %s, want typeId %s", lb.raw, dirs["0-1>"+typeID])
	}
	// Records live under the objectTypeId, the FQN and the name (§6).
	for _, p := range []string{typeID, "p12345678_unit", "unit"} {
		h.do("GET", "/crm/v3/objects/"+p, nil).want(t, 200)
	}
	// ref: hubspot-api.md §6 "the schema's requiredProperties are enforced on create"
	bad := h.do("POST", "/crm/v3/objects/"+typeID, map[string]any{"properties": props{"bedrooms": "2"}}).want(t, 400)
	if bad.str("errors.0.context.propertyName.0") != "unit_number" {
		t.Errorf("missing required = %s", bad.raw)
	}
	u := h.do("POST", "/crm/v3/objects/"+typeID+"/batch/upsert", inputs(map[string]any{
		"id": "U1", "idProperty": "buildium_unit_id", "properties": props{"unit_number": "1A", "bedrooms": "2"},
	})).want(t, 200)
	unitID := u.str("results.0.id")
	// Default association to a contact, with the schema's ids.
	c := h.createContact(props{"firstname": "T"})
	d := h.do("PUT", "/crm/v4/objects/"+typeID+"/"+unitID+"/associations/default/contacts/"+c, nil).want(t, 200)
	if d.str("results.0.associationSpec.associationTypeId") != dirs[typeID+">0-1"] || d.str("results.1.associationSpec.associationTypeId") != dirs["0-1>"+typeID] {
		t.Errorf("default = %s, want %v", d.raw, dirs)
	}
	// Duplicate name → 409; listing in the list.
	h.do("POST", "/crm-object-schemas/v3/schemas", map[string]any{
		"name": "unit", "labels": map[string]string{"singular": "U", "plural": "Us"},
		"properties": []map[string]any{{"name": "n", "label": "N"}},
	}).want(t, 409)
	if l := h.do("GET", "/crm-object-schemas/2026-03/schemas", nil).want(t, 200); l.len("results") != 1 {
		t.Errorf("list = %s", l.raw)
	}
	h.do("GET", "/crm-object-schemas/v3/schemas/nothing", nil).want(t, 404)
}

func TestSchemaValidation(t *testing.T) {
	h := enterprise(t)
	egg := func(over map[string]any) map[string]any {
		e := map[string]any{
			"name": "thing", "labels": map[string]string{"singular": "Thing", "plural": "Things"},
			"properties":             []map[string]any{{"name": "code", "label": "Code"}},
			"primaryDisplayProperty": "code",
		}
		for k, v := range over {
			e[k] = v
		}
		return e
	}
	cases := []struct {
		name string
		body map[string]any
		want int
	}{
		{"bad name", egg(map[string]any{"name": "1thing"}), 400},
		{"no labels", egg(map[string]any{"labels": map[string]string{}}), 400},
		{"primary not a property", egg(map[string]any{"primaryDisplayProperty": "nope"}), 400},
		{"required not a property", egg(map[string]any{"requiredProperties": []string{"nope"}}), 400},
		{"unknown associated object", egg(map[string]any{"associatedObjects": []string{"0-999"}}), 400},
		{"name of a built-in", egg(map[string]any{"name": "contacts"}), 409},
		{"ok", egg(nil), 201},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.do("POST", "/crm-object-schemas/v3/schemas", tc.body).want(t, tc.want)
		})
	}
	// ref: hubspot-api.md §6 "POST /crm-object-schemas/v3/schemas/{objectType}/associations"
	r := h.do("POST", "/crm-object-schemas/v3/schemas/thing/associations", map[string]any{"fromObjectTypeId": "thing", "toObjectTypeId": "0-1", "name": "thing_to_contact"}).want(t, 201)
	if r.str("fromObjectTypeId") == "" || r.str("toObjectTypeId") != "0-1" || r.str("name") != "thing_to_contact" {
		t.Errorf("schema association = %s", r.raw)
	}
}

func TestListingsDisabledBlocksSchemaAssociation(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise})
	r := h.do("POST", "/crm-object-schemas/v3/schemas", map[string]any{
		"name": "unit", "labels": map[string]string{"singular": "Unit", "plural": "Units"},
		"properties": []map[string]any{{"name": "n", "label": "N"}}, "associatedObjects": []string{"0-420"},
	}).want(t, 403)
	if r.str("subCategory") != "crm.objects.OBJECT_TYPE_NOT_ACTIVATED" {
		t.Errorf("body = %s", r.raw)
	}
	if len(h.s.Objects("unit")) != 0 || h.do("GET", "/crm-object-schemas/v3/schemas", nil).len("results") != 0 {
		t.Errorf("a rejected schema was registered")
	}
}
