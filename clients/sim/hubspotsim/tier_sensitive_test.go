package hubspotsim

import (
	"slices"
	"strings"
	"testing"
)

// taxID creates a highly sensitive contact property on h (Enterprise, with
// the sensitive write scope).
func (h *harness) taxID(level string) {
	h.t.Helper()
	h.do("POST", "/crm/v3/properties/contacts", map[string]any{"name": "tax_id", "label": "Tax ID", "type": "string",
		"fieldType": "text", "groupName": "contactinformation", "dataSensitivity": level}).want(h.t, 201)
}

func TestSensitiveScopesList(t *testing.T) {
	for _, want := range []string{"crm.objects.contacts.highly_sensitive.read.v2", "crm.objects.contacts.highly_sensitive.write.v2",
		"crm.objects.contacts.sensitive.read.v2", "crm.objects.companies.sensitive.write.v2", "crm.objects.custom.highly_sensitive.read.v2"} {
		if !slices.Contains(SensitiveScopes, want) {
			t.Errorf("SensitiveScopes lacks %s", want)
		}
	}
	for _, sc := range SensitiveScopes {
		if slices.Contains(DefaultScopes, sc) {
			t.Errorf("DefaultScopes grants %s", sc)
		}
	}
}

func TestSensitivePropertyCreate(t *testing.T) {
	body := func(level string) map[string]any {
		return map[string]any{"name": "tax_id", "label": "Tax ID", "type": "string", "fieldType": "text", "groupName": "contactinformation", "dataSensitivity": level}
	}
	withSensitive := append(slices.Clone(DefaultScopes), SensitiveScopes...)
	cases := []struct {
		name, level, objType string
		tier                 Tier
		scopes               []string
		status               int
		category             string
	}{
		{"professional", "highly_sensitive", "contacts", TierProfessional, withSensitive, 403, catForbidden},
		{"starter sensitive", "sensitive", "contacts", TierStarter, withSensitive, 403, catForbidden},
		{"enterprise without scope", "highly_sensitive", "contacts", TierEnterprise, nil, 403, catScopes},
		{"enterprise", "highly_sensitive", "contacts", TierEnterprise, withSensitive, 201, ""},
		{"enterprise sensitive", "sensitive", "contacts", TierEnterprise, withSensitive, 201, ""},
		{"unversioned scope name", "sensitive", "contacts", TierEnterprise, append(slices.Clone(DefaultScopes), "crm.objects.contacts.sensitive.write"), 201, ""},
		{"listings", "sensitive", "listings", TierEnterprise, withSensitive, 400, catValidation},
		{"bad level", "secret", "contacts", TierEnterprise, withSensitive, 400, catValidation},
		{"non sensitive anywhere", "non_sensitive", "contacts", TierFree, nil, 201, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Options{Tier: tc.tier, Scopes: tc.scopes, ListingsEnabled: true})
			b := body(tc.level)
			if tc.objType == "listings" {
				b["groupName"] = "listing_information"
			}
			r := h.do("POST", "/crm/v3/properties/"+tc.objType, b).want(t, tc.status)
			if tc.category != "" && r.str("category") != tc.category {
				t.Errorf("category %q, want %q: %s", r.str("category"), tc.category, r.raw)
			}
			if tc.category == catScopes && r.str("errors.0.context.requiredGranularScopes.0") != "crm.objects.contacts.highly_sensitive.write.v2" {
				t.Errorf("scopes = %s", r.raw)
			}
		})
	}
}

func TestSensitivePropertyListing(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise, Scopes: append(slices.Clone(DefaultScopes), SensitiveScopes...)})
	h.taxID("highly_sensitive")
	has := func(r resp) bool {
		for i := 0; i < r.len("results"); i++ {
			if r.str("results."+itoa(i)+".name") == "tax_id" {
				return true
			}
		}
		return false
	}
	for _, tc := range []struct {
		query string
		want  bool
	}{{"", false}, {"?dataSensitivity=non_sensitive", false}, {"?dataSensitivity=sensitive", false}, {"?dataSensitivity=highly_sensitive", true}} {
		if got := has(h.do("GET", "/crm/v3/properties/contacts"+tc.query, nil).want(t, 200)); got != tc.want {
			t.Errorf("GET properties%s lists tax_id = %v, want %v", tc.query, got, tc.want)
		}
	}
	r := h.do("GET", "/crm/v3/properties/contacts/tax_id", nil).want(t, 200)
	if r.str("dataSensitivity") != "highly_sensitive" {
		t.Errorf("property = %s", r.raw)
	}
}

func TestHighlySensitiveValuesNeedScopes(t *testing.T) {
	scopes := func(drop ...string) []string {
		return slices.DeleteFunc(append(slices.Clone(DefaultScopes), SensitiveScopes...), func(s string) bool { return slices.Contains(drop, s) })
	}
	const (
		rd = "crm.objects.contacts.highly_sensitive.read.v2"
		wr = "crm.objects.contacts.highly_sensitive.write.v2"
	)
	setup := func(t *testing.T, drop ...string) (*harness, string) {
		h := newHarness(t, Options{Tier: TierEnterprise, Scopes: append(slices.Clone(DefaultScopes), SensitiveScopes...)})
		h.taxID("highly_sensitive")
		id := h.createContact(props{"email": "a@example.com", "tax_id": "123-45-6789"})
		h.s.scopeSet = map[string]bool{}
		for _, sc := range scopes(drop...) {
			h.s.scopeSet[sc] = true
		}
		return h, id
	}
	wantScope := func(t *testing.T, r resp, scope string) {
		t.Helper()
		r.want(t, 403)
		if r.str("category") != catScopes || r.str("errors.0.context.requiredGranularScopes.0") != scope {
			t.Errorf("body = %s", r.raw)
		}
	}
	t.Run("write", func(t *testing.T) {
		h, id := setup(t, wr)
		wantScope(t, h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"tax_id": "987"}}), wr)
		// Even with trace ids the whole batch is refused, and nothing is written.
		in := inputs(map[string]any{"properties": props{"email": "b@example.com"}, "objectWriteTraceId": "t1"},
			map[string]any{"properties": props{"email": "c@example.com", "tax_id": "1"}, "objectWriteTraceId": "t2"})
		wantScope(t, h.do("POST", "/crm/v3/objects/contacts/batch/create", in), wr)
		if n := len(h.s.Objects("contacts")); n != 1 {
			t.Errorf("%d contacts after a refused batch, want 1", n)
		}
		// Other properties stay writable.
		h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"firstname": "A"}}).want(t, 200)
	})
	t.Run("read", func(t *testing.T) {
		h, id := setup(t, rd)
		wantScope(t, h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=email,tax_id", nil), rd)
		wantScope(t, h.do("GET", "/crm/v3/objects/contacts?properties=tax_id", nil), rd)
		wantScope(t, h.do("POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"inputs": []map[string]any{{"id": id}}, "properties": []string{"tax_id"}}), rd)
		wantScope(t, h.do("POST", "/crm/v3/objects/contacts/search", map[string]any{"properties": []string{"tax_id"}}), rd)
		h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=email", nil).want(t, 200)
	})
	t.Run("granted", func(t *testing.T) {
		h, id := setup(t)
		r := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=tax_id", nil).want(t, 200)
		if r.str("properties.tax_id") != "123-45-6789" {
			t.Errorf("read = %s", r.raw)
		}
		h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"tax_id": "987"}}).want(t, 200)
		if !strings.Contains(h.s.Objects("contacts")[0].Properties["tax_id"], "987") {
			t.Errorf("value not written")
		}
	})
}
