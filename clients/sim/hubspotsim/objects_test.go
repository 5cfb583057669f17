package hubspotsim

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestPropertyValueValidation(t *testing.T) {
	h := enterprise(t)
	h.addProperty("contacts", "buildium_created_at", "datetime", "date", false)
	h.addProperty("contacts", "move_in", "date", "date", false)
	h.addProperty("contacts", "rent", "number", "number", false)
	h.addProperty("contacts", "smoker", "bool", "booleancheckbox", false)
	h.do("POST", "/crm/v3/properties/contacts", map[string]any{
		"name": "pets", "label": "Pets", "type": "enumeration", "fieldType": "checkbox", "groupName": "buildium",
		"options": []map[string]any{{"label": "Dog", "value": "dog"}, {"label": "Cat", "value": "cat"}},
	}).want(t, 201)

	cases := []struct {
		name      string
		props     props
		code      string // "" means accepted
		stored    map[string]string
		msgSubstr string
	}{
		// ref: hubspot-api.md §3 "Invalid property name: 400 VALIDATION_ERROR ... PROPERTY_DOESNT_EXIST"
		{"unknown property", props{"nope": "x"}, "PROPERTY_DOESNT_EXIST", nil, `Property \"nope\" does not exist`},
		// ref: hubspot-api.md §11 "createdate: ... PATCHing it returns 400 VALIDATION_ERROR"
		{"createdate read-only", props{"createdate": "2020-01-01"}, "READ_ONLY_VALUE", nil, "read only"},
		{"hs_object_id read-only", props{"hs_object_id": "1"}, "READ_ONLY_VALUE", nil, ""},
		{"lastmodifieddate read-only", props{"lastmodifieddate": "2020-01-01T00:00:00Z"}, "READ_ONLY_VALUE", nil, ""},
		// ref: hubspot-api.md §11 "hs_additional_emails ... treat as read-only"
		{"hs_additional_emails read-only", props{"hs_additional_emails": "a@example.com"}, "READ_ONLY_VALUE", nil, ""},
		// ref: hubspot-api.md §11 "notes_last_contacted ... read-only"
		{"notes_last_contacted read-only", props{"notes_last_contacted": "hello"}, "READ_ONLY_VALUE", nil, ""},
		// ref: hubspot-api.md §3 'Bad email: "error":"INVALID_EMAIL"'
		{"bad email", props{"email": "not-an-email"}, "INVALID_EMAIL", nil, ""},
		{"email without tld", props{"email": "bob@example"}, "INVALID_EMAIL", nil, ""},
		{"email with space", props{"email": "bob smith@example.com"}, "INVALID_EMAIL", nil, ""},
		{"good email", props{"email": "bob.smith+1@example.co.uk"}, "", map[string]string{"email": "bob.smith+1@example.co.uk"}, ""},
		// ref: hubspot-api.md §5 "number: number"
		{"bad number", props{"rent": "12 dollars"}, "INVALID_DECIMAL", nil, ""},
		{"number canonical", props{"rent": "1500.50"}, "", map[string]string{"rent": "1500.5"}, ""},
		// ref: hubspot-api.md §5 "date: YYYY-MM-DD (recommended) or epoch-ms at midnight UTC; non-midnight ms → error"
		{"date iso", props{"move_in": "2024-03-01"}, "", map[string]string{"move_in": "2024-03-01"}, ""},
		{"date midnight ms", props{"move_in": "1709251200000"}, "", map[string]string{"move_in": "2024-03-01"}, ""},
		{"date not midnight", props{"move_in": "1709251200001"}, "INVALID_DATE", nil, "UTC, not midnight!"},
		{"date garbage", props{"move_in": "March 1st"}, "INVALID_DATE", nil, ""},
		// ref: hubspot-api.md §5 "datetime: ISO 8601 or epoch ms; responses use ISO 8601 ...Z"
		{"datetime ms", props{"buildium_created_at": "1709251200123"}, "", map[string]string{"buildium_created_at": "2024-03-01T00:00:00.123Z"}, ""},
		{"datetime iso offset", props{"buildium_created_at": "2024-03-01T05:00:00-05:00"}, "", map[string]string{"buildium_created_at": "2024-03-01T10:00:00.000Z"}, ""},
		// ref: hubspot-api.md §5 "Enumeration values must be internal option values, not labels"
		{"enum label rejected", props{"pets": "Dog"}, "INVALID_OPTION", nil, "was not one of the allowed options"},
		{"enum multi", props{"pets": "dog;cat"}, "", map[string]string{"pets": "dog;cat"}, ""},
		{"listing type unknown", props{"lifecyclestage": "tenant"}, "INVALID_OPTION", nil, ""},
		// ref: hubspot-api.md §5 "bool: ... values true/false"
		{"bool ok", props{"smoker": "TRUE"}, "", map[string]string{"smoker": "true"}, ""},
		{"bool bad", props{"smoker": "yes"}, "INVALID_BOOLEAN", nil, ""},
		// ref: hubspot-api.md §11 "date_of_birth ... type string"
		{"date_of_birth is text", props{"date_of_birth": "1980-02-30"}, "", map[string]string{"date_of_birth": "1980-02-30"}, ""},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.props["firstname"] = "Case" + strconv.Itoa(i)
			r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": tc.props})
			if tc.code == "" {
				r.want(t, 201)
				for k, v := range tc.stored {
					if got := r.str("properties." + k); got != v {
						t.Errorf("%s stored as %q, want %q", k, got, v)
					}
				}
				return
			}
			r.want(t, 400)
			if r.str("category") != "VALIDATION_ERROR" || r.str("errors.0.code") != tc.code {
				t.Errorf("category %q code %q, want VALIDATION_ERROR %s: %s", r.str("category"), r.str("errors.0.code"), tc.code, r.raw)
			}
			// ref: hubspot-api.md §3 'message `Property values were not valid: [{"isValid":false,...'
			if !strings.HasPrefix(r.str("message"), `Property values were not valid: [{"isValid":false,"message":`) {
				t.Errorf("message = %s", r.str("message"))
			}
			if !strings.Contains(string(r.raw), tc.msgSubstr) {
				t.Errorf("body lacks %q: %s", tc.msgSubstr, r.raw)
			}
			name := ""
			for k := range tc.props {
				if k != "firstname" {
					name = k
				}
			}
			if got := r.str("errors.0.context.propertyName.0"); got != name {
				t.Errorf("context.propertyName = %q, want %q", got, name)
			}
		})
	}
	// Exactly the §3 shape for a missing property.
	r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"x": "1"}}).want(t, 400)
	want := `Property values were not valid: [{"isValid":false,"message":"Property \"x\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"x"`
	if !strings.HasPrefix(r.str("message"), want) {
		t.Errorf("message = %s\nwant prefix %s", r.str("message"), want)
	}
}

func TestSingleRecordLifecycle(t *testing.T) {
	h := enterprise(t)
	r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"email": "ann@example.com", "firstname": "Ann"}}).want(t, 201)
	id := r.str("id")
	// ref: hubspot-api.md §2 "Record IDs are numeric strings"
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		t.Fatalf("id %q is not numeric", id)
	}
	// ref: hubspot-api.md §2 "All property values are strings"; createdate/hs_object_id present
	if r.str("properties.hs_object_id") != id || r.str("properties.createdate") == "" || r.str("createdAt") == "" {
		t.Errorf("create response = %s", r.raw)
	}
	for _, k := range []string{"hs_object_id", "email", "createdate"} {
		if _, ok := r.get("properties." + k).(string); !ok {
			t.Errorf("property %s is %T, want a JSON string", k, r.get("properties."+k))
		}
	}
	if _, err := time.Parse(time.RFC3339, r.str("createdAt")); err != nil {
		t.Errorf("createdAt %q is not ISO 8601", r.str("createdAt"))
	}

	// Requested-but-empty → null; not requested → omitted (§2).
	g := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=firstname,phone", nil).want(t, 200)
	p := g.get("properties").(map[string]any)
	if v, ok := p["phone"]; !ok || v != nil {
		t.Errorf("phone = %v (present %v), want null", v, ok)
	}
	if _, ok := p["email"]; ok {
		t.Errorf("email returned although not requested: %s", g.raw)
	}
	// Default properties when none requested (§2): firstname, lastname, email + system.
	g = h.do("GET", "/crm/v3/objects/contacts/"+id, nil).want(t, 200)
	for _, k := range []string{"firstname", "lastname", "email", "createdate", "lastmodifieddate", "hs_object_id"} {
		if _, ok := g.get("properties").(map[string]any)[k]; !ok {
			t.Errorf("default property %s missing: %s", k, g.raw)
		}
	}

	// ref: hubspot-api.md §2 "Single read/patch accept ?idProperty=<unique prop> (contacts: email)"
	h.clock.Advance(time.Second)
	pr := h.do("PATCH", "/crm/v3/objects/contacts/ANN@example.com?idProperty=email", map[string]any{"properties": props{"lastname": "Lee"}}).want(t, 200)
	if pr.str("id") != id || pr.str("properties.lastname") != "Lee" || pr.str("updatedAt") == r.str("updatedAt") {
		t.Errorf("patch by email = %s", pr.raw)
	}
	// ref: hubspot-api.md §2 "Clear a value: send """
	h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"lastname": ""}}).want(t, 200)
	if g := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=lastname", nil); g.get("properties.lastname") != nil {
		t.Errorf("lastname not cleared: %s", g.raw)
	}
	// ref: hubspot-api.md §2 "DELETE moves to recycle bin → 204; deleting a non-existent id also returns 204"
	h.do("DELETE", "/crm/v3/objects/contacts/"+id, nil).want(t, 204)
	h.do("DELETE", "/crm/v3/objects/contacts/999", nil).want(t, 204)
	nf := h.do("GET", "/crm/v3/objects/contacts/"+id, nil).want(t, 404)
	if nf.str("category") != "OBJECT_NOT_FOUND" {
		t.Errorf("404 body = %s", nf.raw)
	}
	if a := h.do("GET", "/crm/v3/objects/contacts/"+id+"?archived=true", nil).want(t, 200); a.str("archived") != "true" || a.str("archivedAt") == "" {
		t.Errorf("archived read = %s", a.raw)
	}
	// The email is free again after archiving.
	h.createContact(props{"email": "ann@example.com"})
}

func TestUnchangedWriteKeepsUpdatedAt(t *testing.T) {
	h := enterprise(t)
	id := h.createContact(props{"email": "same@example.com", "firstname": "Same"})
	before := h.do("GET", "/crm/v3/objects/contacts/"+id, nil).str("updatedAt")
	h.clock.Advance(time.Minute)
	after := h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"firstname": "Same"}}).want(t, 200).str("updatedAt")
	if after != before {
		t.Errorf("a write of the same value moved updatedAt from %s to %s", before, after)
	}
	after = h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"firstname": "Other"}}).want(t, 200).str("updatedAt")
	if after == before {
		t.Errorf("a changing write kept updatedAt %s", before)
	}
}

func TestListPaging(t *testing.T) {
	h := enterprise(t)
	var ids []string
	for i := 0; i < 25; i++ {
		ids = append(ids, h.createContact(props{"firstname": "P" + strconv.Itoa(i)}))
	}
	h.do("DELETE", "/crm/v3/objects/contacts/"+ids[3], nil).want(t, 204)
	var seen []string
	after := ""
	for pages := 0; pages < 10; pages++ {
		path := "/crm/v3/objects/contacts?limit=10"
		if after != "" {
			path += "&after=" + after
		}
		r := h.do("GET", path, nil).want(t, 200)
		for i := 0; i < r.len("results"); i++ {
			seen = append(seen, r.str("results."+strconv.Itoa(i)+".id"))
		}
		// ref: hubspot-api.md §2 "paging.next.after is the next record ID, paging.next.link also present"
		after = r.str("paging.next.after")
		if after == "" {
			break
		}
		if r.str("paging.next.link") == "" {
			t.Errorf("paging.next.link missing")
		}
	}
	if len(seen) != 24 {
		t.Fatalf("listed %d records, want 24 (one archived)", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		a, _ := strconv.ParseInt(seen[i-1], 10, 64)
		b, _ := strconv.ParseInt(seen[i], 10, 64)
		if a >= b {
			t.Fatalf("ids not ascending: %v", seen)
		}
	}
	// ref: hubspot-api.md §2 "default limit 10, max 100"
	if r := h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200); r.len("results") != 10 {
		t.Errorf("default page = %d", r.len("results"))
	}
	h.do("GET", "/crm/v3/objects/contacts?limit=101", nil).want(t, 400)
	if r := h.do("GET", "/crm/v3/objects/contacts?archived=true", nil).want(t, 200); r.len("results") != 1 || r.str("results.0.id") != ids[3] {
		t.Errorf("archived list = %s", r.raw)
	}
}

func TestListings(t *testing.T) {
	h := enterprise(t)
	// ref: hubspot-api.md §7 "Required property to create: hs_name"
	r := h.do("POST", "/crm/v3/objects/0-420", map[string]any{"properties": props{"hs_city": "Boston"}}).want(t, 400)
	if r.str("errors.0.code") != "REQUIRED_PROPERTY" || r.str("errors.0.context.propertyName.0") != "hs_name" {
		t.Errorf("missing hs_name = %s", r.raw)
	}
	// ref: hubspot-api.md §7 hs_listing_type options
	h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "castle"}}).want(t, 400)
	c := h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "Elm", "hs_listing_type": "apartments", "hs_price": "1200"}}).want(t, 201)
	// ref: hubspot-api.md §2 listings show hs_createdate, hs_lastmodifieddate, hs_object_id
	g := h.do("GET", "/crm/objects/2026-03/listings/"+c.str("id"), nil).want(t, 200)
	for _, k := range []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"} {
		if g.str("properties."+k) == "" {
			t.Errorf("%s missing: %s", k, g.raw)
		}
	}
}

func TestListingsNotActivated(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise, ListingsEnabled: false})
	// ref: hubspot-api.md §7 "Must be activated in the account ... before records can be managed"
	for _, tc := range []struct{ method, path string }{
		{"GET", "/crm/v3/objects/0-420"},
		{"POST", "/crm/v3/objects/listings/batch/upsert"},
		{"POST", "/crm/v3/objects/listings/search"},
		{"GET", "/crm/v3/properties/0-420"},
		{"GET", "/crm/v4/associations/contacts/listings/labels"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := h.do(tc.method, tc.path, map[string]any{}).want(t, 403)
			if !strings.Contains(r.str("message"), "not activated") || r.str("subCategory") != "crm.objects.OBJECT_TYPE_NOT_ACTIVATED" {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	// ref: hubspot-api.md §7 "check via GET /crm/v3/object-library/enablement"
	if r := h.do("GET", "/crm/v3/object-library/enablement", nil).want(t, 200); r.str("enablementByObjectTypeId.0-420") != "false" {
		t.Errorf("enablement = %s", r.raw)
	}
	if r := h.do("GET", "/crm/v3/object-library/enablement/0-420", nil).want(t, 200); r.str("enablement") != "false" {
		t.Errorf("enablement/0-420 = %s", r.raw)
	}
	h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200)
}

func TestUnknownObjectType(t *testing.T) {
	h := enterprise(t)
	r := h.do("GET", "/crm/v3/objects/widgets", nil).want(t, 400)
	if !strings.Contains(r.str("message"), "widgets") {
		t.Errorf("body = %s", r.raw)
	}
}

func TestInvalidJSON(t *testing.T) {
	h := enterprise(t)
	r := h.do("POST", "/crm/v3/objects/contacts/batch/create", `{"inputs": [`).want(t, 400)
	if !strings.HasPrefix(r.str("message"), "Invalid input JSON") {
		t.Errorf("body = %s", r.raw)
	}
	h.do("POST", "/crm/v3/objects/contacts/batch/create", `{"inputs":[{"properties":{"firstname":{"a":1}}}]}`).want(t, 400)
	// Numbers and booleans are accepted as property values (all values are strings on the wire, §2).
	c := h.do("POST", "/crm/v3/objects/listings", `{"properties":{"hs_name":"N","hs_price":1200}}`).want(t, 201)
	if c.str("properties.hs_price") != "1200" {
		t.Errorf("hs_price = %q", c.str("properties.hs_price"))
	}
}
