package hubspotsim

import (
	"strconv"
	"testing"
)

func TestLabelLimitOf(t *testing.T) {
	for _, tc := range []struct {
		tier Tier
		want int
	}{{TierFree, 0}, {TierStarter, 0}, {TierProfessional, labelLimit}, {TierEnterprise, labelLimit}, {"unknown", 0}} {
		if got := labelLimitOf(tc.tier); got != tc.want {
			t.Errorf("labelLimitOf(%s) = %d, want %d", tc.tier, got, tc.want)
		}
	}
}

func TestCustomLabelsByTier(t *testing.T) {
	label := map[string]any{"label": "Current tenant", "name": "current_tenant", "inverseLabel": "Current unit"}
	for _, tc := range []struct {
		tier    Tier
		allowed bool
	}{{TierFree, false}, {TierStarter, false}, {TierProfessional, true}, {TierEnterprise, true}} {
		t.Run(string(tc.tier), func(t *testing.T) {
			h := newHarness(t, Options{Tier: tc.tier, ListingsEnabled: true})
			r := h.do("POST", "/crm/v4/associations/contacts/listings/labels", label)
			lim := h.do("GET", "/crm/v3/limits/associations/labels?fromObjectTypeId=0-1&toObjectTypeId=0-420", nil).want(t, 200)
			if !tc.allowed {
				r.want(t, 403)
				if r.str("category") == catScopes || r.str("category") != catForbidden || r.str("subCategory") != "crm.associations.CUSTOM_LABELS_NOT_AVAILABLE" {
					t.Errorf("refusal = %s", r.raw)
				}
				if n := len(h.s.atypes); n != len(hubspotAssociations) {
					t.Errorf("%d association types after a refused create, want %d", n, len(hubspotAssociations))
				}
				h.do("PUT", "/crm/v4/associations/contacts/listings/labels", map[string]any{"associationTypeId": 883, "label": "x"}).want(t, 403)
				if lim.str("results.0.limit") != "0" || lim.str("results.0.usage") != "0" {
					t.Errorf("limits = %s", lim.raw)
				}
			} else {
				r.want(t, 200)
				if lim.str("results.0.limit") != strconv.Itoa(labelLimit) || lim.str("results.0.usage") != "1" ||
					lim.str("results.0.allLabels.0") != "Current tenant" || lim.str("results.0.percentage") != "2" ||
					lim.str("results.0.fromObjectType.objectTypeId") != "0-1" || lim.str("results.0.toObjectType.singularLabel") != "Listing" {
					t.Errorf("limits = %s", lim.raw)
				}
			}
			// HubSpot-defined types keep working on every tier.
			c, l := h.createContact(props{"firstname": "A"}), h.listing("Elm St")
			h.do("POST", "/crm/v4/associations/contacts/listings/batch/associate/default",
				inputs(map[string]any{"from": map[string]string{"id": c}, "to": map[string]string{"id": l}})).want(t, 200)
			h.do("PUT", "/crm/v4/objects/contacts/"+c+"/associations/listings/"+l,
				[]map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}).want(t, 201)
			h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(map[string]any{
				"from": map[string]string{"id": c}, "to": map[string]string{"id": l},
				"types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}})).want(t, 201)
		})
	}
}

func TestLabelsSurviveDowngrade(t *testing.T) {
	h := newHarness(t, Options{Tier: TierProfessional, ListingsEnabled: true})
	r := h.do("POST", "/crm/v4/associations/contacts/listings/labels", map[string]any{"label": "Owner", "name": "owner"}).want(t, 200)
	id := r.str("results.0.typeId")
	h.s.SetTier(TierStarter)
	got := h.do("GET", "/crm/v4/associations/contacts/listings/labels", nil).want(t, 200)
	found := false
	for i := 0; i < got.len("results"); i++ {
		found = found || got.str("results."+strconv.Itoa(i)+".typeId") == id && got.str("results."+strconv.Itoa(i)+".label") == "Owner"
	}
	if !found {
		t.Errorf("label %s missing after downgrade: %s", id, got.raw)
	}
	h.do("POST", "/crm/v4/associations/contacts/listings/labels", map[string]any{"label": "Agent", "name": "agent"}).want(t, 403)
	lim := h.do("GET", "/crm/v3/limits/associations/labels?fromObjectTypeId=contacts&toObjectTypeId=listings", nil).want(t, 200)
	if lim.str("results.0.limit") != "0" || lim.str("results.0.usage") != "1" {
		t.Errorf("limits after downgrade = %s", lim.raw)
	}
	// The existing label stays usable in association writes, and deletable.
	c, l := h.createContact(props{"firstname": "A"}), h.listing("Elm St")
	n, _ := strconv.Atoi(id)
	b := h.do("POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(map[string]any{
		"from": map[string]string{"id": c}, "to": map[string]string{"id": l},
		"types": []map[string]any{{"associationCategory": "USER_DEFINED", "associationTypeId": n}}})).want(t, 201)
	if b.str("results.0.labels.0") != "Owner" {
		t.Errorf("labelled create after downgrade = %s", b.raw)
	}
	h.do("DELETE", "/crm/v4/associations/contacts/listings/labels/"+id, nil).want(t, 204)
}

func TestLabelLimitReached(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise})
	for i := 0; i < labelLimit; i++ {
		h.do("POST", "/crm/associations/2026-03/contacts/contacts/labels", map[string]any{"label": "L" + strconv.Itoa(i), "name": "l" + strconv.Itoa(i)}).want(t, 200)
	}
	h.do("POST", "/crm/v4/associations/contacts/contacts/labels", map[string]any{"label": "One more", "name": "one_more"}).want(t, 400)
	all := h.do("GET", "/crm/limits/2026-03/associations/labels", nil).want(t, 200)
	if all.len("results") != 3 { // contact→contact, contact→company, company→contact
		t.Errorf("unfiltered limits list %d directions: %s", all.len("results"), all.raw)
	}
	from := h.do("GET", "/crm/v3/limits/associations/labels?fromObjectTypeId=0-2", nil).want(t, 200)
	if from.len("results") != 1 || from.str("results.0.toObjectType.objectTypeId") != "0-1" {
		t.Errorf("from companies = %s", from.raw)
	}
	h.do("GET", "/crm/v3/limits/associations/labels?toObjectTypeId=nosuch", nil).want(t, 400)
	for i := 0; i < all.len("results"); i++ {
		p := "results." + strconv.Itoa(i)
		if all.str(p+".fromObjectType.objectTypeId") == "0-420" || all.str(p+".toObjectType.objectTypeId") == "0-420" {
			t.Errorf("listings (not activated) listed: %s", all.raw)
		}
		if all.str(p+".fromObjectType.objectTypeId") == "0-1" && all.str(p+".toObjectType.objectTypeId") == "0-1" && all.str(p+".percentage") != "100" {
			t.Errorf("contact→contact = %v", all.get(p))
		}
	}
}

func TestAssociationWriteStatuses(t *testing.T) {
	h := enterprise(t)
	c, l := h.createContact(props{"firstname": "A"}), h.listing("Elm St")
	pair := map[string]any{"from": map[string]string{"id": c}, "to": map[string]string{"id": l}}
	typed := map[string]any{"from": pair["from"], "to": pair["to"], "types": []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}}
	for _, tc := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"PUT", "/crm/v4/objects/contacts/" + c + "/associations/default/listings/" + l, nil, 200},
		{"POST", "/crm/v4/associations/contacts/listings/batch/associate/default", inputs(pair), 200},
		{"PUT", "/crm/v4/objects/contacts/" + c + "/associations/listings/" + l, []map[string]any{{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 883}}, 201},
		{"POST", "/crm/v4/associations/contacts/listings/batch/create", inputs(typed), 201},
	} {
		h.do(tc.method, tc.path, tc.body).want(t, tc.want)
	}
}
