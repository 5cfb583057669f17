package hubspotsim

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// listing creates a listing and returns its id.
func (h *harness) listing(name string) string {
	h.t.Helper()
	return h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": name}}).want(h.t, 201).str("id")
}

func TestDefaultAssociationBothDirections(t *testing.T) {
	h := enterprise(t)
	a, b := h.createContact(props{"firstname": "A"}), h.createContact(props{"firstname": "B"})
	l := h.listing("Elm St")
	cases := []struct {
		name             string
		path             string
		fwd, back        int
		fromType, toType string
	}{
		// ref: hubspot-api.md §4 "Live contact↔contact call returned both directions with HUBSPOT_DEFINED/449"
		{"contact-contact", "/crm/v4/objects/contacts/" + a + "/associations/default/contacts/" + b, 449, 449, "contacts", "contacts"},
		// ref: hubspot-api.md §4 "contact→listing 883; listing→contact 882"
		{"contact-listing", "/crm/v4/objects/0-1/" + a + "/associations/default/0-420/" + l, 883, 882, "contacts", "listings"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("PUT", tc.path, nil).want(t, 200)
			if r.len("results") != 2 || r.str("results.0.associationSpec.associationTypeId") != strconv.Itoa(tc.fwd) ||
				r.str("results.1.associationSpec.associationTypeId") != strconv.Itoa(tc.back) ||
				r.str("results.0.associationSpec.associationCategory") != "HUBSPOT_DEFINED" ||
				r.str("results.1.from.id") != r.str("results.0.to.id") {
				t.Errorf("result = %s", r.raw)
			}
			if got := h.s.Associations(tc.fromType, tc.toType); len(got) == 0 {
				t.Errorf("no %s→%s association stored", tc.fromType, tc.toType)
			}
			if got := h.s.Associations(tc.toType, tc.fromType); len(got) == 0 {
				t.Errorf("no inverse %s→%s association stored", tc.toType, tc.fromType)
			}
		})
	}
	// Reading from the listing side shows the contact with 882.
	r := h.do("GET", "/crm/v4/objects/listings/"+l+"/associations/contacts", nil).want(t, 200)
	if r.str("results.0.toObjectId") != a || r.str("results.0.associationTypes.0.typeId") != "882" || r.get("results.0.associationTypes.0.label") != nil {
		t.Errorf("listing→contact read = %s", r.raw)
	}
	// Batch default.
	c := h.createContact(props{"firstname": "C"})
	r = h.do("POST", "/crm/v4/associations/contacts/listings/batch/associate/default", inputs(map[string]any{"from": map[string]string{"id": c}, "to": map[string]string{"id": l}})).want(t, 200)
	if r.len("results") != 2 {
		t.Errorf("batch default = %s", r.raw)
	}
	// ref: hubspot-api.md §4 listings cannot associate with listings (no type documented)
	l2 := h.listing("Oak St")
	h.do("PUT", "/crm/v4/objects/listings/"+l+"/associations/default/listings/"+l2, nil).want(t, 400)
}

func TestInvalidObjectIDs(t *testing.T) {
	h := enterprise(t)
	a := h.createContact(props{"firstname": "A"})
	l := h.listing("L")
	cases := []struct {
		name, method, path string
		body               any
		badID, badType     string
	}{
		// ref: hubspot-api.md §4 "Bad IDs: 400 {"message":"One or more associations are invalid","context":{"INVALID_OBJECT_IDS":["CONTACT=… is not valid"]…}"
		{"default single", "PUT", "/crm/v4/objects/contacts/" + a + "/associations/default/listings/404", nil, "404", "LISTING"},
		{"batch create", "POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(map[string]any{
			"from": map[string]string{"id": "38374264688"}, "to": map[string]string{"id": l},
			"types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}},
		}), "38374264688", "CONTACT"},
		{"create with associations", "POST", "/crm/v3/objects/contacts", map[string]any{
			"properties":   props{"firstname": "X"},
			"associations": []map[string]any{{"to": map[string]string{"id": "5"}, "types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}}},
		}, "5", "LISTING"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, tc.body).want(t, 400)
			if r.str("message") != "One or more associations are invalid" || r.str("category") != "VALIDATION_ERROR" ||
				r.str("context.INVALID_OBJECT_IDS.0") != tc.badType+"="+tc.badID+" is not valid" ||
				r.str("context.objectId.0") != tc.badID || r.str("context.objectType.0") != tc.badType {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	if n := len(h.s.Objects("contacts")); n != 1 {
		t.Errorf("the create with a bad association wrote a contact")
	}
	// ref: hubspot-api.md §13.6 "wrong from/to order" — a type id of the other direction is rejected.
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(map[string]any{
		"from": map[string]string{"id": a}, "to": map[string]string{"id": l},
		"types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 882}},
	})).want(t, 400)
}

func TestLabels(t *testing.T) {
	h := enterprise(t)
	// ref: hubspot-api.md §4 "Labels (schema): GET …/labels → {results:[{category,typeId,label}]}; POST {label, name, inverseLabel?}"
	r := h.do("POST", "/crm/v4/associations/contacts/listings/labels", map[string]any{"label": "Current tenant", "name": "current_tenant"}).want(t, 200)
	if r.len("results") != 2 || r.str("results.0.category") != "USER_DEFINED" || r.str("results.0.label") != "Current tenant" {
		t.Fatalf("create = %s", r.raw)
	}
	cur, curInv := r.str("results.0.typeId"), r.str("results.1.typeId")
	if cur == curInv || cur == "883" || cur == "882" {
		t.Errorf("label type ids %s/%s must be new and per direction", cur, curInv)
	}
	past := h.do("POST", "/crm/v4/associations/0-1/0-420/labels", map[string]any{"label": "Past tenant", "name": "past_tenant"}).want(t, 200).str("results.0.typeId")

	lst := h.do("GET", "/crm/v4/associations/contacts/listings/labels", nil).want(t, 200)
	got := map[string]string{}
	for i := 0; i < lst.len("results"); i++ {
		p := "results." + strconv.Itoa(i)
		got[lst.str(p+".typeId")] = lst.str(p+".category") + ":" + lst.str(p+".label")
	}
	want := map[string]string{"883": "HUBSPOT_DEFINED:", cur: "USER_DEFINED:Current tenant", past: "USER_DEFINED:Past tenant"}
	if len(got) != len(want) {
		t.Errorf("labels = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("label %s = %q, want %q", k, got[k], v)
		}
	}
	// The inverse direction lists the inverse id.
	inv := h.do("GET", "/crm/v4/associations/listings/contacts/labels", nil).want(t, 200)
	if !strings.Contains(string(inv.raw), `"typeId":`+curInv) {
		t.Errorf("inverse labels = %s", inv.raw)
	}

	// Duplicate name or label → 409 (choice documented in doc.go).
	h.do("POST", "/crm/v4/associations/contacts/listings/labels", map[string]any{"label": "Other", "name": "current_tenant"}).want(t, 409)
	h.do("POST", "/crm/v4/associations/contacts/listings/labels", map[string]any{"label": "current TENANT", "name": "x2"}).want(t, 409)

	// Contact↔contact label with inverse: two ids; without: one symmetric id.
	ec := h.do("POST", "/crm/v4/associations/contacts/contacts/labels", map[string]any{"label": "Emergency contact", "name": "emergency_contact", "inverseLabel": "Emergency contact of"}).want(t, 200)
	if ec.len("results") != 2 || ec.str("results.1.label") != "Emergency contact of" {
		t.Errorf("contact label = %s", ec.raw)
	}
	sym := h.do("POST", "/crm/v4/associations/contacts/contacts/labels", map[string]any{"label": "Roommate", "name": "roommate"}).want(t, 200)
	if sym.len("results") != 1 {
		t.Errorf("symmetric label = %s", sym.raw)
	}

	// Labelled associations: batch create adds, labels/archive removes one, archive removes all (§4).
	a := h.createContact(props{"firstname": "Tenant"})
	l := h.listing("Unit 1")
	typ := func(id string) map[string]any {
		n, _ := strconv.Atoi(id)
		return map[string]any{"associationCategory": "USER_DEFINED", "associationTypeId": n}
	}
	pair := func(types ...map[string]any) map[string]any {
		return map[string]any{"from": map[string]string{"id": a}, "to": map[string]string{"id": l}, "types": types}
	}
	bc := h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(pair(typ(cur)))).want(t, 201)
	if bc.str("results.0.labels.0") != "Current tenant" || bc.str("results.0.fromObjectId") != a {
		t.Errorf("batch create = %s", bc.raw)
	}
	assertTypes := func(want ...int) {
		t.Helper()
		as := h.s.Associations("contacts", "listings")
		if len(as) != 1 || !slices.Equal(as[0].TypeIDs, want) {
			t.Errorf("contact→listing types = %+v, want %v", as, want)
		}
	}
	c, _ := strconv.Atoi(cur)
	p, _ := strconv.Atoi(past)
	assertTypes(883, c) // the unlabelled default comes with the label
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(pair(typ(past)))).want(t, 201)
	assertTypes(883, c, p)
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/labels/archive", inputs(pair(typ(cur)))).want(t, 204)
	assertTypes(883, p)
	back := h.s.Associations("listings", "contacts")
	if len(back) != 1 || len(back[0].TypeIDs) != 2 || back[0].Labels[0] != "Past tenant" {
		t.Errorf("listing→contact = %+v", back)
	}
	// Labelled PUT replaces the set (§4).
	pc, _ := strconv.Atoi(cur)
	h.do("PUT", "/crm/v4/objects/contacts/"+a+"/associations/listings/"+l, []map[string]any{{"associationCategory": "USER_DEFINED", "associationTypeId": pc}}).want(t, 201)
	assertTypes(883, c)
	// Batch read.
	rd := h.do("POST", "/crm/v4/associations/contacts/listings/batch/read", inputs(map[string]any{"id": a}, map[string]any{"id": "1"})).want(t, 207)
	if rd.str("results.0.from.id") != a || rd.str("results.0.to.0.toObjectId") != l || rd.len("results.0.to.0.associationTypes") != 2 ||
		rd.str("errors.0.subCategory") != "crm.associations.NO_ASSOCIATIONS_FOUND" {
		t.Errorf("batch read = %s", rd.raw)
	}
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/archive", inputs(map[string]any{"from": map[string]string{"id": a}, "to": []map[string]string{{"id": l}}})).want(t, 204)
	if as := h.s.Associations("contacts", "listings"); len(as) != 0 {
		t.Errorf("after archive: %+v", as)
	}
	if as := h.s.Associations("listings", "contacts"); len(as) != 0 {
		t.Errorf("inverse after archive: %+v", as)
	}
	// Too many inputs (§3: association batch create 2,000, read 1,000).
	var many []map[string]any
	for i := 0; i < 1001; i++ {
		many = append(many, map[string]any{"id": a})
	}
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/read", inputs(many...)).want(t, 400)
	for i := 0; i < 1000; i++ {
		many = append(many, pair(typ(cur)))
	}
	h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(many...)).want(t, 400)
}

func TestArchivingRemovesAssociations(t *testing.T) {
	h := enterprise(t)
	a, b := h.createContact(props{"firstname": "A"}), h.createContact(props{"firstname": "B"})
	h.do("PUT", "/crm/v4/objects/contacts/"+a+"/associations/default/contacts/"+b, nil).want(t, 200)
	h.do("DELETE", "/crm/v3/objects/contacts/"+b, nil).want(t, 204)
	if as := h.s.Associations("contacts", "contacts"); len(as) != 0 {
		t.Errorf("associations of an archived record remain: %+v", as)
	}
}

func TestCreateWithAssociations(t *testing.T) {
	h := enterprise(t)
	l := h.listing("Home")
	// ref: hubspot-api.md §3 create input "associations":[{"to":{"id":"123"},"types":[…]}]
	r := h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(map[string]any{
		"properties":   props{"firstname": "Assoc"},
		"associations": []map[string]any{{"to": map[string]string{"id": l}, "types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}}},
	})).want(t, 201)
	as := h.s.Associations("listings", "contacts")
	if len(as) != 1 || as[0].FromID != l || as[0].ToID != r.str("results.0.id") || !slices.Equal(as[0].TypeIDs, []int{882}) {
		t.Errorf("associations = %+v", as)
	}
}
