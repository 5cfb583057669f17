package hubspotsim

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestPropertyCreateValidation(t *testing.T) {
	h := enterprise(t)
	h.ensureGroup("contacts")
	base := func(over map[string]any) map[string]any {
		p := map[string]any{"name": "buildium_x", "label": "X", "type": "string", "fieldType": "text", "groupName": "buildium"}
		for k, v := range over {
			p[k] = v
		}
		return p
	}
	opts := []map[string]any{{"label": "A", "value": "a"}}
	cases := []struct {
		name string
		body map[string]any
		want int
	}{
		// ref: hubspot-api.md §5 "required groupName, name, label, type, fieldType"
		{"missing type", base(map[string]any{"type": ""}), 400},
		{"missing group", base(map[string]any{"groupName": ""}), 400},
		{"unknown group", base(map[string]any{"groupName": "nope"}), 400},
		{"bad name", base(map[string]any{"name": "Buildium X"}), 400},
		// ref: hubspot-api.md §5 "type → allowed fieldType"
		{"string/text", base(map[string]any{"name": "p1"}), 201},
		{"string/textarea", base(map[string]any{"name": "p2", "fieldType": "textarea"}), 201},
		{"string/number", base(map[string]any{"name": "p3", "fieldType": "number"}), 400},
		{"number/number", base(map[string]any{"name": "p4", "type": "number", "fieldType": "number"}), 201},
		{"number/text", base(map[string]any{"name": "p5", "type": "number", "fieldType": "text"}), 400},
		{"date/date", base(map[string]any{"name": "p6", "type": "date", "fieldType": "date"}), 201},
		{"datetime/date", base(map[string]any{"name": "p7", "type": "datetime", "fieldType": "date"}), 201},
		{"datetime/text", base(map[string]any{"name": "p8", "type": "datetime", "fieldType": "text"}), 400},
		{"enumeration/select", base(map[string]any{"name": "p9", "type": "enumeration", "fieldType": "select", "options": opts}), 201},
		{"enumeration no options", base(map[string]any{"name": "p10", "type": "enumeration", "fieldType": "select"}), 400},
		{"enumeration/textarea", base(map[string]any{"name": "p11", "type": "enumeration", "fieldType": "textarea", "options": opts}), 400},
		{"bool/booleancheckbox", base(map[string]any{"name": "p12", "type": "bool", "fieldType": "booleancheckbox"}), 201},
		{"bool/select", base(map[string]any{"name": "p13", "type": "bool", "fieldType": "select"}), 400},
		{"unknown type", base(map[string]any{"name": "p14", "type": "json", "fieldType": "text"}), 400},
		{"unique on date", base(map[string]any{"name": "p15", "type": "date", "fieldType": "date", "hasUniqueValue": true}), 400},
		// ref: hubspot-api.md §5 name uniqueness (409 CONFLICT per brief)
		{"existing custom name", base(map[string]any{"name": "p1"}), 409},
		{"existing built-in name", base(map[string]any{"name": "email"}), 409},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/properties/contacts", tc.body).want(t, tc.want)
			if tc.want == 409 && r.str("category") != "CONFLICT" {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	// A created property is writable at once (§5) and readable by name.
	id := h.createContact(props{"p4": "12", "p9": "a"})
	if r := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=p4,p9", nil); r.str("properties.p4") != "12" || r.str("properties.p9") != "a" {
		t.Errorf("new property values = %s", r.raw)
	}
	g := h.do("GET", "/crm/v3/properties/contacts/p9", nil).want(t, 200)
	if g.str("type") != "enumeration" || g.str("options.0.value") != "a" || g.str("hasUniqueValue") != "false" || g.str("modificationMetadata.readOnlyValue") != "false" {
		t.Errorf("property = %s", g.raw)
	}
}

func TestUniquePropertyLimit(t *testing.T) {
	h := enterprise(t)
	h.ensureGroup("contacts")
	// ref: hubspot-api.md §5 "hasUniqueValue: true … max 10 per object"
	for i := 0; i < 10; i++ {
		h.do("POST", "/crm/v3/properties/contacts", map[string]any{
			"name": "u" + strconv.Itoa(i), "label": "U", "type": "string", "fieldType": "text", "groupName": "buildium", "hasUniqueValue": true,
		}).want(t, 201)
	}
	r := h.do("POST", "/crm/v3/properties/contacts", map[string]any{
		"name": "u10", "label": "U", "type": "string", "fieldType": "text", "groupName": "buildium", "hasUniqueValue": true,
	}).want(t, 400)
	if !strings.Contains(r.str("message"), "at most 10") {
		t.Errorf("body = %s", r.raw)
	}
	// hasUniqueValue cannot change afterwards: PATCH leaves it (§5).
	h.do("PATCH", "/crm/v3/properties/contacts/u0", map[string]any{"hasUniqueValue": false, "label": "Renamed"}).want(t, 200)
	if g := h.do("GET", "/crm/v3/properties/contacts/u0", nil); g.str("hasUniqueValue") != "true" || g.str("label") != "Renamed" {
		t.Errorf("after patch = %s", g.raw)
	}
}

func TestPropertiesReadOnlyMetadata(t *testing.T) {
	h := enterprise(t)
	// ref: hubspot-api.md §11 "confirm modificationMetadata.readOnlyValue via GET /crm/v3/properties/contacts/hs_additional_emails"
	for _, name := range []string{"hs_additional_emails", "createdate", "notes_last_contacted", "hs_object_id"} {
		if r := h.do("GET", "/crm/v3/properties/contacts/"+name, nil).want(t, 200); r.str("modificationMetadata.readOnlyValue") != "true" {
			t.Errorf("%s readOnlyValue = %s", name, r.str("modificationMetadata.readOnlyValue"))
		}
	}
	// ref: hubspot-api.md §7 listing defaults; "Truth: GET /crm/v3/properties/0-420"
	r := h.do("GET", "/crm/v3/properties/0-420", nil).want(t, 200)
	for _, name := range []string{"hs_name", "hs_address_1", "hs_city", "hs_state_province", "hs_zip", "hs_price", "hs_year_built", "hs_listing_type"} {
		if !strings.Contains(string(r.raw), `"name":"`+name+`"`) {
			t.Errorf("listing property %s missing", name)
		}
	}
	h.do("GET", "/crm/v3/properties/contacts/nope", nil).want(t, 404)
}

func TestPropertyBatchAndGroups(t *testing.T) {
	h := enterprise(t)
	// Groups (§5).
	h.do("POST", "/crm/v3/properties/contacts/groups", map[string]any{"name": "buildium", "label": "Buildium"}).want(t, 201)
	h.do("POST", "/crm/v3/properties/contacts/groups", map[string]any{"name": "buildium", "label": "Again"}).want(t, 409)
	if r := h.do("GET", "/crm/v3/properties/contacts/groups/buildium", nil).want(t, 200); r.str("label") != "Buildium" {
		t.Errorf("group = %s", r.raw)
	}
	h.do("GET", "/crm/v3/properties/contacts/groups/none", nil).want(t, 404)
	if r := h.do("GET", "/crm/v3/properties/contacts/groups", nil).want(t, 200); !strings.Contains(string(r.raw), `"buildium"`) {
		t.Errorf("groups = %s", r.raw)
	}
	// ref: hubspot-api.md §5 "Batch: POST …/batch/create (201/207)"
	mk := func(name string) map[string]any {
		return map[string]any{"name": name, "label": name, "type": "string", "fieldType": "text", "groupName": "buildium"}
	}
	h.do("POST", "/crm/v3/properties/contacts/batch/create", inputs(mk("b1"), mk("b2"))).want(t, 201)
	r := h.do("POST", "/crm/v3/properties/contacts/batch/create", inputs(mk("b3"), mk("b1"))).want(t, 207)
	if r.len("results") != 1 || r.str("errors.0.context.name.0") != "b1" {
		t.Errorf("207 = %s", r.raw)
	}
	rd := h.do("POST", "/crm/v3/properties/contacts/batch/read", inputs(map[string]any{"name": "b1"}, map[string]any{"name": "zz"})).want(t, 207)
	if rd.len("results") != 1 || rd.str("errors.0.context.names.0") != "zz" {
		t.Errorf("batch read = %s", rd.raw)
	}
	// ref: hubspot-api.md §5 ".../batch/archive (204 regardless of state)"
	h.do("POST", "/crm/v3/properties/contacts/batch/archive", inputs(map[string]any{"name": "b2"}, map[string]any{"name": "email"}, map[string]any{"name": "zz"})).want(t, 204)
	h.do("GET", "/crm/v3/properties/contacts/b2", nil).want(t, 404)
	h.do("GET", "/crm/v3/properties/contacts/email", nil).want(t, 200)
	h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"b2": "x"}}).want(t, 400)
}

func TestSensitiveProperties(t *testing.T) {
	body := map[string]any{"name": "tax_id", "label": "Tax id", "type": "string", "fieldType": "text", "groupName": "contactinformation", "dataSensitivity": "highly_sensitive"}
	// ref: hubspot-api.md §12 tax_id "highly sensitive data (Enterprise, …)"
	pro := newHarness(t, Options{Tier: TierProfessional, ListingsEnabled: true})
	pro.do("POST", "/crm/v3/properties/contacts", body).want(t, 403)
	// Creating one also needs the sensitive write scope.
	ent := newHarness(t, Options{Tier: TierEnterprise, Scopes: append(slices.Clone(DefaultScopes), SensitiveScopes...)})
	ent.do("POST", "/crm/v3/properties/contacts", body).want(t, 201)
	// ref: hubspot-api.md §5 "GET lists only non-sensitive unless dataSensitivity=sensitive"
	if r := ent.do("GET", "/crm/v3/properties/contacts", nil); strings.Contains(string(r.raw), `"tax_id"`) {
		t.Errorf("sensitive property listed by default")
	}
	if r := ent.do("GET", "/crm/v3/properties/contacts?dataSensitivity=highly_sensitive", nil); !strings.Contains(string(r.raw), `"tax_id"`) {
		t.Errorf("sensitive property not listed on request: %s", r.raw)
	}
}
