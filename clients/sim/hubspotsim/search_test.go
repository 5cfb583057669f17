package hubspotsim

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// eq is one filter.
func eq(prop, op string, value any) map[string]any {
	f := map[string]any{"propertyName": prop, "operator": op}
	switch v := value.(type) {
	case nil:
	case []string:
		f["values"] = v
	default:
		f["value"] = v
	}
	return f
}

// groups builds filterGroups from groups of filters.
func groups(gs ...[]map[string]any) []map[string]any {
	var out []map[string]any
	for _, g := range gs {
		out = append(out, map[string]any{"filters": g})
	}
	return out
}

// searchIDs runs a search and returns the result ids (and the response).
func (h *harness) searchIDs(t *testing.T, objType string, body map[string]any) ([]string, resp) {
	t.Helper()
	r := h.do("POST", "/crm/v3/objects/"+objType+"/search", body).want(t, 200)
	var ids []string
	for i := 0; i < r.len("results"); i++ {
		ids = append(ids, r.str("results."+strconv.Itoa(i)+".id"))
	}
	return ids, r
}

func TestSearchLimits(t *testing.T) {
	h := enterprise(t)
	filters := func(n int) []map[string]any {
		var f []map[string]any
		for i := 0; i < n; i++ {
			f = append(f, eq("firstname", "HAS_PROPERTY", nil))
		}
		return f
	}
	cases := []struct {
		name string
		body any
		want int
	}{
		// ref: hubspot-api.md §8 "Max 5 groups, 6 filters per group, 18 filters total; too many → VALIDATION_ERROR"
		{"5 groups", map[string]any{"filterGroups": groups(filters(1), filters(1), filters(1), filters(1), filters(1))}, 200},
		{"6 groups", map[string]any{"filterGroups": groups(filters(1), filters(1), filters(1), filters(1), filters(1), filters(1))}, 400},
		{"6 filters", map[string]any{"filterGroups": groups(filters(6))}, 200},
		{"7 filters", map[string]any{"filterGroups": groups(filters(7))}, 400},
		{"18 total", map[string]any{"filterGroups": groups(filters(6), filters(6), filters(6))}, 200},
		{"19 total", map[string]any{"filterGroups": groups(filters(6), filters(6), filters(6), filters(1))}, 400},
		// ref: hubspot-api.md §8 "max limit 200"
		{"limit 200", map[string]any{"limit": 200}, 200},
		{"limit 201", map[string]any{"limit": 201}, 400},
		// ref: hubspot-api.md §8 "10,000 results max per query (paging past → 400)"
		{"after 9800", map[string]any{"limit": 200, "after": "9800"}, 200},
		{"after 9900", map[string]any{"limit": 200, "after": "9900"}, 400},
		{"after 10000", map[string]any{"limit": 1, "after": "10000"}, 400},
		// ref: hubspot-api.md §8 "request body ≤3,000 chars (→ 400)"
		{"body 3001", `{"query":"` + strings.Repeat("x", 2989) + `"}`, 400},
		{"body 3000", `{"query":"` + strings.Repeat("x", 2988) + `"}`, 200},
		// ref: hubspot-api.md §8 "One sort rule only"
		{"two sorts", map[string]any{"sorts": []map[string]string{{"propertyName": "email"}, {"propertyName": "firstname"}}}, 400},
		{"unknown property", map[string]any{"filterGroups": groups([]map[string]any{eq("nope", "EQ", "x")})}, 400},
		{"unknown operator", map[string]any{"filterGroups": groups([]map[string]any{eq("email", "LIKE", "x")})}, 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts/search", tc.body).want(t, tc.want)
			if tc.want == 400 && r.str("category") != "VALIDATION_ERROR" {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
}

func TestSearchOperators(t *testing.T) {
	h := enterprise(t)
	h.addProperty("contacts", "rent", "number", "number", false)
	h.addProperty("contacts", "move_in", "date", "date", false)
	a := h.createContact(props{"email": "alice@example.com", "firstname": "Alice", "lastname": "Smith", "rent": "1200", "move_in": "2024-01-01", "lifecyclestage": "lead"})
	b := h.createContact(props{"email": "bob@acme.io", "firstname": "Bob", "rent": "950", "move_in": "2023-06-15", "lifecyclestage": "customer"})
	c := h.createContact(props{"firstname": "Carol", "lastname": "Smith-Jones"})
	d := h.s.SeedContact(map[string]string{"email": "dan@example.com", "hs_additional_emails": "daniel@old.org"})
	cases := []struct {
		name    string
		filters [][]map[string]any
		want    []string
	}{
		// ref: hubspot-api.md §8 "Values case-insensitive except enumerations (case-sensitive)"
		{"EQ case-insensitive", [][]map[string]any{{eq("firstname", "EQ", "ALICE")}}, []string{a}},
		{"EQ enumeration case-sensitive", [][]map[string]any{{eq("lifecyclestage", "EQ", "LEAD")}}, nil},
		{"EQ enumeration", [][]map[string]any{{eq("lifecyclestage", "EQ", "lead")}}, []string{a}},
		{"NEQ", [][]map[string]any{{eq("firstname", "NEQ", "alice")}}, []string{b, c, d}},
		// ref: hubspot-api.md §8 "IN/NOT_IN on strings need lowercase values"
		{"IN lowercase", [][]map[string]any{{eq("firstname", "IN", []string{"alice", "bob"})}}, []string{a, b}},
		{"IN uppercase misses", [][]map[string]any{{eq("firstname", "IN", []string{"Alice"})}}, nil},
		{"NOT_IN", [][]map[string]any{{eq("firstname", "NOT_IN", []string{"alice", "bob"})}}, []string{c, d}},
		{"HAS_PROPERTY", [][]map[string]any{{eq("rent", "HAS_PROPERTY", nil)}}, []string{a, b}},
		{"NOT_HAS_PROPERTY", [][]map[string]any{{eq("email", "NOT_HAS_PROPERTY", nil)}}, []string{c}},
		{"GT number", [][]map[string]any{{eq("rent", "GT", "1000")}}, []string{a}},
		{"LTE number", [][]map[string]any{{eq("rent", "LTE", 1200)}}, []string{a, b}},
		{"GTE date ms", [][]map[string]any{{eq("move_in", "GTE", "1704067200000")}}, []string{a}},
		{"LT date iso", [][]map[string]any{{eq("move_in", "LT", "2024-01-01")}}, []string{b}},
		{"BETWEEN", [][]map[string]any{{{"propertyName": "rent", "operator": "BETWEEN", "value": "900", "highValue": "1000"}}}, []string{b}},
		{"CONTAINS_TOKEN word", [][]map[string]any{{eq("lastname", "CONTAINS_TOKEN", "jones")}}, []string{c}},
		{"CONTAINS_TOKEN wildcard", [][]map[string]any{{eq("email", "CONTAINS_TOKEN", "*@example.com")}}, []string{a, d}},
		{"NOT_CONTAINS_TOKEN", [][]map[string]any{{eq("lastname", "NOT_CONTAINS_TOKEN", "smith")}}, []string{b, d}}, // "Smith-Jones" has the token smith
		// ref: hubspot-api.md §8 "Filters in one group are ANDed; groups are ORed"
		{"AND", [][]map[string]any{{eq("lastname", "CONTAINS_TOKEN", "smith"), eq("rent", "HAS_PROPERTY", nil)}}, []string{a}},
		{"OR", [][]map[string]any{{eq("firstname", "EQ", "bob")}, {eq("firstname", "EQ", "carol")}}, []string{b, c}},
		// ref: hubspot-api.md §8 "filtering by email EQ does not match secondary emails — add an OR group on hs_additional_emails"
		{"email EQ misses secondary", [][]map[string]any{{eq("email", "EQ", "daniel@old.org")}}, nil},
		{"OR on hs_additional_emails", [][]map[string]any{{eq("email", "EQ", "daniel@old.org")}, {eq("hs_additional_emails", "CONTAINS_TOKEN", "daniel@old.org")}}, []string{d}},
		{"hs_object_id EQ", [][]map[string]any{{eq("hs_object_id", "EQ", b)}}, []string{b}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, r := h.searchIDs(t, "contacts", map[string]any{"filterGroups": groups(tc.filters...)})
			if !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
			if r.str("total") != strconv.Itoa(len(tc.want)) {
				t.Errorf("total = %s, want %d", r.str("total"), len(tc.want))
			}
		})
	}
	// Sorting and paging.
	got, r := h.searchIDs(t, "contacts", map[string]any{"sorts": []map[string]string{{"propertyName": "rent", "direction": "DESCENDING"}}, "limit": 1})
	if !slices.Equal(got, []string{a}) || r.str("paging.next.after") != "1" {
		t.Errorf("sorted page 1 = %v %s", got, r.raw)
	}
	got, _ = h.searchIDs(t, "contacts", map[string]any{"sorts": []string{"-rent"}, "limit": 2, "after": "1"})
	if !slices.Equal(got, []string{b, c}) { // missing values sort last
		t.Errorf("sorted page 2 = %v", got)
	}
	// The query searches default searchable properties.
	if got, _ := h.searchIDs(t, "contacts", map[string]any{"query": "acme"}); !slices.Equal(got, []string{b}) {
		t.Errorf("query = %v", got)
	}
	// Requested properties; archived records never appear (§8).
	h.do("DELETE", "/crm/v3/objects/contacts/"+a, nil).want(t, 204)
	_, r = h.searchIDs(t, "contacts", map[string]any{"properties": []string{"rent"}})
	if r.str("total") != "3" || r.str("results.0.properties.rent") != "950" {
		t.Errorf("after archive = %s", r.raw)
	}
}

func TestSearchEventualConsistency(t *testing.T) {
	h := newHarness(t, Options{Tier: TierEnterprise, ListingsEnabled: true, SearchLag: 2 * time.Second})
	byName := func(name string) []string {
		got, _ := h.searchIDs(t, "contacts", map[string]any{"filterGroups": groups([]map[string]any{eq("firstname", "EQ", name)})})
		return got
	}
	// ref: hubspot-api.md §8 "Eventually consistent: new/updated records may take a few moments to appear"
	id := h.createContact(props{"firstname": "Lag"})
	if got := byName("Lag"); len(got) != 0 {
		t.Errorf("a record created now is already searchable: %v", got)
	}
	h.clock.Advance(2 * time.Second)
	if got := byName("Lag"); !slices.Equal(got, []string{id}) {
		t.Errorf("after the lag: %v", got)
	}
	h.do("PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": props{"firstname": "Late"}}).want(t, 200)
	h.clock.Advance(time.Second)
	if got := byName("Lag"); !slices.Equal(got, []string{id}) {
		t.Errorf("search saw the update early (old value gone): %v", got)
	}
	if got := byName("Late"); len(got) != 0 {
		t.Errorf("search saw the update early: %v", got)
	}
	// Reads by id are immediate.
	if r := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=firstname", nil); r.str("properties.firstname") != "Late" {
		t.Errorf("read = %s", r.raw)
	}
	h.clock.Advance(time.Second)
	if got := byName("Late"); !slices.Equal(got, []string{id}) {
		t.Errorf("after the lag: %v", got)
	}
}
