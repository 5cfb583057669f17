package hubspotsim

import (
	"slices"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	h := enterprise(t)
	cases := []struct {
		name, auth string
		want       int
	}{
		// ref: hubspot-api.md §1 "Header: Authorization: Bearer <token>"
		{"no header", "", 401},
		{"wrong token", "Bearer pat-na1-00000000-0000-4000-8000-000000000000", 401},
		{"not bearer", "Basic " + h.s.Token(), 401},
		// ref: hubspot-api.md §1 "hapikey query auth is dead"
		{"token without scheme", h.s.Token(), 401},
		{"valid", "Bearer " + h.s.Token(), 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.doAuth("GET", "/crm/v3/objects/contacts", tc.auth, nil).want(t, tc.want)
			if tc.want == 401 {
				// ref: hubspot-api.md §10 "INVALID_AUTHENTICATION (401)"
				if r.str("category") != "INVALID_AUTHENTICATION" || r.str("status") != "error" || r.str("correlationId") == "" {
					t.Errorf("401 body = %s", r.raw)
				}
				if strings.Contains(string(r.raw), h.s.Token()) {
					t.Errorf("401 body leaks the token: %s", r.raw)
				}
			}
		})
	}
	if !strings.HasPrefix(h.s.Token(), "pat-na1-") { // ref: hubspot-api.md §1 "pat-<region>-<uuid>"
		t.Errorf("generated token %q is not a pat-na1- token", h.s.Token())
	}
}

func TestMissingScopes(t *testing.T) {
	// A token with read scopes only.
	h := newHarness(t, Options{Tier: TierEnterprise, ListingsEnabled: true, Scopes: []string{
		"crm.objects.contacts.read", "crm.objects.listings.read", "crm.objects.custom.read",
	}})
	cases := []struct {
		name, method, path string
		body               any
		wantScopes         []string
	}{
		// ref: hubspot-api.md §1 "contacts: crm.objects.contacts.read / .write"
		{"contact write", "POST", "/crm/v3/objects/contacts/batch/upsert", inputs(), []string{"crm.objects.contacts.write"}},
		// ref: hubspot-api.md §1 "listings records: crm.objects.listings.read / .write"
		{"listing create", "POST", "/crm/v3/objects/0-420", map[string]any{"properties": props{"hs_name": "x"}}, []string{"crm.objects.listings.write"}},
		// ref: hubspot-api.md §1 "properties/groups: ... create = crm.schemas.contacts.write"
		{"property create", "POST", "/crm/v3/properties/contacts", map[string]any{}, []string{"crm.schemas.contacts.write"}},
		// ref: hubspot-api.md §1 "custom-object schemas: crm.schemas.custom.read / .write"
		{"schema read", "GET", "/crm-object-schemas/v3/schemas", nil, []string{"crm.schemas.custom.read"}},
		{"schema create", "POST", "/crm-object-schemas/v3/schemas", map[string]any{}, []string{"crm.schemas.custom.write"}},
		// ref: hubspot-api.md §1 "associations: the object scopes of both sides"
		{"association write", "POST", "/crm/v4/associations/contacts/0-420/batch/create", inputs(), []string{"crm.objects.contacts.write"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, tc.body).want(t, 403)
			// ref: hubspot-api.md §1 "Missing scope → 403, category: MISSING_SCOPES, errors[0].context.requiredGranularScopes"
			if r.str("category") != "MISSING_SCOPES" {
				t.Errorf("category = %q", r.str("category"))
			}
			var got []string
			for _, s := range r.get("errors.0.context.requiredGranularScopes").([]any) {
				got = append(got, s.(string))
			}
			if !slices.Equal(got, tc.wantScopes) {
				t.Errorf("requiredGranularScopes = %v, want %v", got, tc.wantScopes)
			}
			if r.str("links.scopes") == "" {
				t.Errorf("links.scopes missing: %s", r.raw)
			}
		})
	}
	// Reads are allowed; properties accept the object read scope (§1).
	h.do("GET", "/crm/v3/objects/contacts", nil).want(t, 200)
	h.do("GET", "/crm/v3/properties/contacts", nil).want(t, 200)
}

func TestRoutingPrefixes(t *testing.T) {
	h := enterprise(t)
	id := h.createContact(props{"email": "route@example.com"})
	// ref: hubspot-api.md §0 "the fake should route both /crm/v3/objects/... and /crm/objects/2026-03/... to one handler"
	paths := []string{
		"/crm/v3/objects/contacts/" + id,
		"/crm/objects/2026-03/contacts/" + id,
		"/crm/objects/2026-03/0-1/" + id,
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			if r := h.do("GET", p, nil).want(t, 200); r.str("id") != id {
				t.Errorf("id = %q, want %q", r.str("id"), id)
			}
		})
	}
	for _, p := range []string{
		"/crm/v3/properties/contacts/email", "/crm/properties/2026-03/contacts/email",
		"/crm/v4/associations/contacts/contacts/labels", "/crm/associations/2026-03/contacts/contacts/labels",
		"/crm/associations/v4/0-1/0-1/labels",
		"/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas",
		"/crm/v4/objects/contacts/" + id + "/associations/contacts",
		"/crm/objects/2026-03/contacts/" + id + "/associations/contacts",
	} {
		t.Run(p, func(t *testing.T) { h.do("GET", p, nil).want(t, 200) })
	}
	// An unknown path answers a JSON 404.
	if r := h.do("GET", "/crm/v9/nothing", nil).want(t, 404); r.str("status") != "error" {
		t.Errorf("404 body = %s", r.raw)
	}
}
