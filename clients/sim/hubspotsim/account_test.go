package hubspotsim

import (
	"slices"
	"testing"
)

func TestAccountEndpoints(t *testing.T) {
	h := newHarness(t, Options{Tier: TierProfessional, ListingsEnabled: true, PortalID: 777, RateLimits: true})
	d := h.do("GET", "/account-info/v3/details", nil).want(t, 200)
	want := map[string]string{"portalId": "777", "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD", "uiDomain": "app.hubspot.com", "dataHostingLocation": "na1"}
	for k, v := range want {
		if d.str(k) != v {
			t.Errorf("%s = %q, want %q", k, d.str(k), v)
		}
	}
	u := h.do("GET", "/account-info/v3/api-usage/daily/private-apps", nil).want(t, 200)
	if u.str("results.0.name") != "private-apps-api-calls-daily" || u.str("results.0.usageLimit") != "625000" ||
		u.str("results.0.currentUsage") != "2" || u.str("results.0.fetchStatus") != "SUCCESS" ||
		u.str("results.0.resetsAt") != "2026-11-03T05:00:00.000Z" {
		t.Errorf("usage = %s", u.raw)
	}
	if e := h.do("GET", "/crm/v3/object-library/enablement", nil).want(t, 200); e.str("enablementByObjectTypeId.0-420") != "true" {
		t.Errorf("enablement = %s", e.raw)
	}
	// Token introspection needs no bearer token and reports scopes.
	ti := h.doAuth("POST", "/oauth/v2/private-apps/get/access-token-info", "", map[string]string{"tokenKey": h.s.Token()}).want(t, 200)
	if ti.str("hubId") != "777" || ti.len("scopes") != len(DefaultScopes) {
		t.Errorf("token info = %s", ti.raw)
	}
	h.doAuth("POST", "/oauth/v2/private-apps/get/access-token-info", "", map[string]string{"tokenKey": "pat-na1-x"}).want(t, 401)
	restricted := newHarness(t, Options{Scopes: []string{"crm.objects.contacts.read"}})
	ti = restricted.doAuth("POST", "/oauth/v2/private-apps/get/access-token-info", "", map[string]string{"tokenKey": restricted.s.Token()}).want(t, 200)
	if ti.len("scopes") != 1 || ti.str("scopes.0") != "crm.objects.contacts.read" || ti.str("hubId") != "12345678" {
		t.Errorf("restricted token info = %s", ti.raw)
	}
}

func TestStats(t *testing.T) {
	h := enterprise(t)
	h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(contactInput("s@example.com", "S"))).want(t, 201)
	h.do("POST", "/crm/v3/objects/contacts/batch/read", inputs(map[string]any{"id": "1"})).want(t, 207)
	h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{}).want(t, 200)
	h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(contactInput("s@example.com", "S"))).want(t, 409)
	h.doAuth("GET", "/crm/v3/objects/contacts", "", nil).want(t, 401)
	st := h.s.Stats()
	if st.Requests != 5 || st.Writes != 2 || st.Errors[409] != 1 || st.Errors[401] != 1 || st.RateLimited != 0 {
		t.Errorf("stats = %+v", st)
	}
	for k, v := range map[string]int64{"objects.batch.create": 2, "objects.batch.read": 1, "search": 1, "objects.list": 1} {
		if st.ByKind[k] != v {
			t.Errorf("ByKind[%s] = %d, want %d", k, st.ByKind[k], v)
		}
	}
	st.ByKind["x"] = 9 // a copy
	h.s.ResetStats()
	if st := h.s.Stats(); st.Requests != 0 || len(st.ByKind) != 0 {
		t.Errorf("after reset = %+v", st)
	}
}

func TestInspectionHelpers(t *testing.T) {
	h := enterprise(t)
	id := h.s.SeedContact(map[string]string{"email": "seed@example.com", "hs_additional_emails": "alt@example.com", "firstname": "Seed"})
	objs := h.s.Objects("0-1")
	if len(objs) != 1 || objs[0].ID != id || objs[0].Properties["hs_additional_emails"] != "alt@example.com" || objs[0].Properties["hs_object_id"] != id {
		t.Fatalf("objects = %+v", objs)
	}
	if h.s.Objects("nothing") != nil {
		t.Errorf("unknown type gave records")
	}
	before := objs[0].UpdatedAt
	if err := h.s.EditObject("contacts", id, map[string]string{"firstname": "Seed"}); err != nil {
		t.Fatal(err)
	}
	if after := h.s.Objects("contacts")[0].UpdatedAt; !after.After(before) {
		t.Errorf("EditObject did not bump updatedAt: %v → %v", before, after)
	}
	if err := h.s.EditObject("contacts", id, map[string]string{"email": "bad"}); err == nil {
		t.Errorf("EditObject accepted an invalid email")
	}
	if err := h.s.EditObject("contacts", "1", nil); err == nil {
		t.Errorf("EditObject on a missing record succeeded")
	}
	if err := h.s.EditObject("widgets", id, nil); err == nil {
		t.Errorf("EditObject on a missing type succeeded")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("SeedContact with a taken email did not panic")
			}
		}()
		h.s.SeedContact(map[string]string{"email": "ALT@example.com"})
	}()
	// Associations helper lists both directions with their type ids.
	b := h.createContact(props{"firstname": "B"})
	h.do("PUT", "/crm/v4/objects/contacts/"+id+"/associations/default/contacts/"+b, nil).want(t, 200)
	as := h.s.Associations("contact", "0-1")
	if len(as) != 2 || !slices.Equal(as[0].TypeIDs, []int{449}) || as[0].FromID != id || as[1].FromID != b {
		t.Errorf("associations = %+v", as)
	}
}
