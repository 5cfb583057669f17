package hubspotsim

import (
	"fmt"
	"testing"
)

// TestB2HFlow walks the calls a b2h full sync makes (DESIGN.md §3) and checks
// that a re-run is idempotent: same records, no new ids, "new": false.
func TestB2HFlow(t *testing.T) {
	h := enterprise(t)
	h.addProperty("contacts", "buildium_tenant_id", "string", "text", true)
	h.addProperty("0-420", "buildium_property_id", "string", "text", true)
	unit := h.unitSchema()
	label := h.do("POST", "/crm/v4/associations/contacts/"+unit+"/labels", map[string]any{"label": "Current tenant", "name": "current_tenant"}).want(t, 200)
	currentTenant := label.get("results.0.typeId")

	run := func() (ids map[string]string, created int) {
		ids = map[string]string{}
		r := h.do("POST", "/crm/v3/objects/listings/batch/upsert", inputs(map[string]any{
			"id": "P1", "idProperty": "buildium_property_id", "properties": props{"hs_name": "Elm Court"}, "objectWriteTraceId": "p1",
		})).want(t, 200)
		ids["P1"] = r.str("results.0.id")
		var units, tenants []map[string]any
		for i := 1; i <= 3; i++ {
			units = append(units, map[string]any{"id": fmt.Sprintf("U%d", i), "idProperty": "buildium_unit_id",
				"properties": props{"unit_number": fmt.Sprintf("%d", i)}, "objectWriteTraceId": fmt.Sprintf("u%d", i)})
			tenants = append(tenants, upsertInput(fmt.Sprintf("T%d", i), props{"email": fmt.Sprintf("t%d@example.com", i), "firstname": "T"}, fmt.Sprintf("t%d", i)))
		}
		for _, batch := range []struct {
			path string
			in   []map[string]any
			pre  string
		}{{"/crm/v3/objects/" + unit + "/batch/upsert", units, "U"}, {"/crm/v3/objects/contacts/batch/upsert", tenants, "T"}} {
			r := h.do("POST", batch.path, inputs(batch.in...)).want(t, 200)
			for i := 0; i < r.len("results"); i++ {
				p := fmt.Sprintf("results.%d", i)
				ids[batch.pre+fmt.Sprint(i+1)] = r.str(p + ".id")
				if r.str(p+".new") == "true" {
					created++
				}
			}
		}
		var pairs []map[string]any
		for i := 1; i <= 3; i++ {
			pairs = append(pairs, map[string]any{
				"from": map[string]string{"id": ids[fmt.Sprintf("T%d", i)]}, "to": map[string]string{"id": ids[fmt.Sprintf("U%d", i)]},
				"types": []map[string]any{{"associationCategory": "USER_DEFINED", "associationTypeId": currentTenant}},
			})
		}
		h.do("POST", "/crm/v4/associations/contacts/"+unit+"/batch/create", inputs(pairs...)).want(t, 201)
		return ids, created
	}
	first, created := run()
	if created != 6 {
		t.Errorf("first run created %d units+tenants, want 6", created)
	}
	second, created := run()
	if created != 0 {
		t.Errorf("re-run created %d records", created)
	}
	for k, v := range first {
		if second[k] != v {
			t.Errorf("%s: id %s then %s", k, v, second[k])
		}
	}
	if n := len(h.s.Objects("contacts")); n != 3 {
		t.Errorf("%d contacts", n)
	}
	if as := h.s.Associations("contacts", "p12345678_unit"); len(as) != 3 || len(as[0].TypeIDs) != 2 || as[0].Labels[0] != "Current tenant" {
		t.Errorf("tenant→unit associations = %+v", as)
	}
}
