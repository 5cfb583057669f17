package hubspotsim

import "testing"

func TestCompaniesServedLikeContacts(t *testing.T) {
	h := enterprise(t)
	h.addProperty("companies", "buildium_owner_id", "string", "text", true)
	up := func(key, name string) map[string]any {
		return map[string]any{"id": key, "idProperty": "buildium_owner_id", "properties": props{"name": name}}
	}
	r := h.do("POST", "/crm/v3/objects/companies/batch/upsert", inputs(up("o1", "Acme"), up("o2", "Globex"))).want(t, 200)
	if r.len("results") != 2 || r.str("results.0.new") != "true" {
		t.Fatalf("upsert = %s", r.raw)
	}
	r = h.do("POST", "/crm/objects/2026-03/0-2/batch/upsert", inputs(up("o1", "Acme Inc"))).want(t, 200)
	if r.str("results.0.new") != "false" || r.str("results.0.properties.name") != "Acme Inc" {
		t.Errorf("second upsert = %s", r.raw)
	}
	// domain is not a unique-value property.
	h.do("POST", "/crm/v3/objects/companies/batch/upsert", inputs(map[string]any{"id": "acme.com", "idProperty": "domain", "properties": props{}})).want(t, 400)
	co := h.s.Objects("company")
	if len(co) != 2 {
		t.Fatalf("companies = %v", co)
	}
	g := h.do("GET", "/crm/v3/objects/companies/"+co[0].ID, nil).want(t, 200)
	if g.str("properties.name") != "Acme Inc" || g.str("properties.hs_object_id") != co[0].ID || g.str("properties.createdate") == "" {
		t.Errorf("default read = %s", g.raw)
	}
	c, l := h.createContact(props{"email": "a@example.com"}), h.listing("Elm St")
	for _, tc := range []struct {
		path      string
		fwd, back string
	}{
		{"/crm/v4/objects/contacts/" + c + "/associations/default/companies/" + co[0].ID, "279", "280"},
		{"/crm/v4/objects/0-2/" + co[0].ID + "/associations/default/0-1/" + c, "280", "279"},
		{"/crm/v4/objects/listings/" + l + "/associations/default/companies/" + co[1].ID, "884", "885"},
		{"/crm/v4/objects/companies/" + co[1].ID + "/associations/default/listings/" + l, "885", "884"},
	} {
		r := h.do("PUT", tc.path, nil).want(t, 200)
		if r.str("results.0.associationSpec.associationTypeId") != tc.fwd || r.str("results.1.associationSpec.associationTypeId") != tc.back {
			t.Errorf("%s = %s", tc.path, r.raw)
		}
	}
	// The HubSpot-defined Primary label (contact→company 1) is usable on every tier.
	r = h.do("PUT", "/crm/v4/objects/contacts/"+c+"/associations/companies/"+co[0].ID,
		[]map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}}).want(t, 201)
	if r.str("labels.0") != "Primary" {
		t.Errorf("primary = %s", r.raw)
	}
	back := h.do("GET", "/crm/v4/objects/companies/"+co[0].ID+"/associations/contacts", nil).want(t, 200)
	if back.len("results.0.associationTypes") != 2 {
		t.Errorf("company→contact types = %s", back.raw)
	}
	// Scopes: companies need their own record scope.
	n := newHarness(t, Options{Scopes: []string{"crm.objects.contacts.read"}})
	if r := n.do("GET", "/crm/v3/objects/companies", nil).want(t, 403); r.str("errors.0.context.requiredGranularScopes.0") != "crm.objects.companies.read" {
		t.Errorf("scope error = %s", r.raw)
	}
}

func TestValidEmail(t *testing.T) {
	for _, tc := range []struct {
		email string
		ok    bool
	}{
		{"jane@ymail.com", true},
		{"jane@example.co.uk", true},
		{"jane@mail.example.io", true},
		{"jane@ymail.con", false},
		{"jane@gmail.cmo", false},
		{"jane@example.comm", false},
		{"jane@example.c", false},
		{"jane@localhost", false},
		{"jane.doe@EXAMPLE.COM", true},
		{"jane@@example.com", false},
		{"jane@blogspot.com", true},
	} {
		if got := validEmail(tc.email); got != tc.ok {
			t.Errorf("validEmail(%q) = %v, want %v", tc.email, got, tc.ok)
		}
	}
}

func TestUnknownTopLevelDomain(t *testing.T) {
	h := enterprise(t)
	r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"email": "jane@ymail.con"}}).want(t, 400)
	if r.str("errors.0.code") != codeEmail {
		t.Errorf("single = %s", r.raw)
	}
	traced := func(email, trace string) map[string]any {
		return map[string]any{"properties": props{"email": email}, "objectWriteTraceId": trace}
	}
	r = h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(traced("a@ymail.com", "t1"), traced("b@ymail.con", "t2"))).want(t, 207)
	if r.len("results") != 1 || r.str("errors.0.context.objectWriteTraceId.0") != "t2" || r.str("errors.0.errors.0.code") != codeEmail {
		t.Errorf("207 = %s", r.raw)
	}
	plain := inputs(map[string]any{"properties": props{"email": "c@ymail.com"}}, map[string]any{"properties": props{"email": "d@ymail.con"}})
	r = h.do("POST", "/crm/v3/objects/contacts/batch/create", plain).want(t, 400)
	if r.str("errors.0.code") != codeEmail {
		t.Errorf("whole batch = %s", r.raw)
	}
	if n := len(h.s.Objects("contacts")); n != 1 {
		t.Errorf("%d contacts, want 1 (the traced good one)", n)
	}
}

func TestOnePrimaryCompany(t *testing.T) {
	h := enterprise(t)
	c := h.createContact(props{"email": "a@example.com"})
	var co []string
	for _, n := range []string{"Acme", "Globex"} {
		co = append(co, h.do("POST", "/crm/v3/objects/companies", map[string]any{"properties": props{"name": n}}).want(t, 201).str("id"))
	}
	primary := func(typeID int) []map[string]any {
		return []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": typeID}}
	}
	h.do("PUT", "/crm/v4/objects/contacts/"+c+"/associations/companies/"+co[0], primary(1)).want(t, 201)
	// Making the second company primary (from the company side) demotes the first.
	h.do("PUT", "/crm/v4/objects/companies/"+co[1]+"/associations/contacts/"+c, primary(2)).want(t, 201)
	got := map[string][]int{}
	for _, a := range h.s.Associations("contacts", "companies") {
		got[a.ToID] = a.TypeIDs
	}
	if len(got[co[0]]) != 1 || got[co[0]][0] != 279 {
		t.Errorf("first company types = %v, want [279] (still associated, no longer primary)", got[co[0]])
	}
	if len(got[co[1]]) != 2 || got[co[1]][0] != 1 {
		t.Errorf("second company types = %v, want [1 279]", got[co[1]])
	}
	for _, a := range h.s.Associations("companies", "contacts") {
		if a.FromID == co[0] && len(a.TypeIDs) != 1 {
			t.Errorf("company→contact types of the demoted company = %v", a.TypeIDs)
		}
	}
}
