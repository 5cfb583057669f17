package hubspotsim

import (
	"cmp"
	"encoding/json"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Search handler (hubspot-api.md §8).

// Search limits (§8).
const (
	searchMaxGroups       = 5
	searchMaxPerGroup     = 6
	searchMaxFilters      = 18
	searchMaxLimit        = 200
	searchDefaultLimit    = 10
	searchMaxResults      = 10_000
	searchMaxBodyChars    = 3000
	searchMaxSortRules    = 1
	searchOperatorsString = "EQ, NEQ, LT, LTE, GT, GTE, BETWEEN, IN, NOT_IN, HAS_PROPERTY, NOT_HAS_PROPERTY, CONTAINS_TOKEN, NOT_CONTAINS_TOKEN"
)

// filter is one search filter.
type filter struct {
	PropertyName string `json:"propertyName"`
	Operator     string `json:"operator"`
	Value        *flex  `json:"value"`
	HighValue    *flex  `json:"highValue"`
	Values       []flex `json:"values"`
}

// sortRule is a sort; HubSpot's spec types sorts as strings, the docs as
// objects (§8) — both are read.
type sortRule struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// UnmarshalJSON reads {"propertyName","direction"} or "name" / "-name".
func (r *sortRule) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		r.Direction = "ASCENDING"
		if name, ok := strings.CutPrefix(s, "-"); ok {
			s, r.Direction = name, "DESCENDING"
		}
		r.PropertyName = s
		return nil
	}
	type plain sortRule
	return json.Unmarshal(b, (*plain)(r))
}

// searchBody is the search request (§8).
type searchBody struct {
	FilterGroups []struct {
		Filters []filter `json:"filters"`
	} `json:"filterGroups"`
	Sorts      []sortRule `json:"sorts"`
	Query      string     `json:"query"`
	Properties []string   `json:"properties"`
	Limit      int        `json:"limit"`
	After      flex       `json:"after"`
}

// compiled is a validated filter.
type compiled struct {
	p      *propDef
	op     string
	value  string
	high   string
	values []string
}

// search answers POST /crm/v3/objects/{type}/search.
func (s *Server) search(c *call) reply {
	if n := len([]rune(string(c.body))); n > searchMaxBodyChars { // §8: body ≤ 3,000 chars
		return badRequest("The request body is %d characters; search accepts at most %d.", n, searchMaxBodyChars).reply()
	}
	var in searchBody
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.typeFor(c, false)
	if f != nil {
		return f.reply()
	}
	if f := s.readable(t, in.Properties); f != nil {
		return f.reply()
	}
	groups, f := compileGroups(t, &in)
	if f != nil {
		return f.reply()
	}
	limit := in.Limit
	switch {
	case limit == 0:
		limit = searchDefaultLimit
	case limit < 0 || limit > searchMaxLimit: // §8 max 200
		return badRequest("limit must be between 1 and %d, got %d", searchMaxLimit, limit).reply()
	}
	offset := 0
	if in.After.s != "" {
		n, err := strconv.Atoi(in.After.s)
		if err != nil || n < 0 {
			return badRequest("after must be the offset from paging.next.after, got %q", in.After.s).reply()
		}
		offset = n
	}
	if offset+limit > searchMaxResults { // §8: 10,000 results max per query
		return badRequest("Search can page through at most %d results (after %d + limit %d); narrow the filters instead.", searchMaxResults, offset, limit).reply()
	}
	var sortBy *propDef
	desc := false
	if len(in.Sorts) > searchMaxSortRules {
		return badRequest("Search accepts one sort rule, got %d", len(in.Sorts)).reply()
	}
	if len(in.Sorts) == 1 {
		if sortBy = t.prop(in.Sorts[0].PropertyName); sortBy == nil {
			return badRequest("Cannot sort by %q: the property does not exist", in.Sorts[0].PropertyName).reply()
		}
		desc = strings.EqualFold(in.Sorts[0].Direction, "DESCENDING")
	}
	query := strings.ToLower(strings.TrimSpace(in.Query))

	type hit struct {
		r       *record
		vals    []string
		updated int64
	}
	var hits []hit
	for _, id := range t.order {
		r := t.records[id]
		vals, updated, ok := s.searchView(r, c.ms)
		if !ok || !matchGroups(t, r, vals, updated, groups) || !matchQuery(t, r, vals, query) {
			continue
		}
		hits = append(hits, hit{r, vals, updated})
	}
	if sortBy != nil {
		slices.SortStableFunc(hits, func(a, b hit) int {
			va, vb := t.value(a.r, a.vals, a.updated, sortBy), t.value(b.r, b.vals, b.updated, sortBy)
			switch { // records without a value sort last
			case va == "" && vb == "":
				return 0
			case va == "":
				return 1
			case vb == "":
				return -1
			}
			cmp := compareValues(sortBy, va, vb)
			if desc {
				cmp = -cmp
			}
			return cmp
		})
	}
	sel := t.selection(in.Properties)
	results := []objectJSON{}
	for i := offset; i < len(hits) && i < offset+limit; i++ {
		results = append(results, t.renderView(hits[i].r, hits[i].vals, hits[i].updated, sel, nil))
	}
	out := map[string]any{"total": len(hits), "results": results}
	if offset+limit < len(hits) && offset+limit < searchMaxResults {
		out["paging"] = map[string]any{"next": map[string]string{"after": strconv.Itoa(offset + limit)}}
	}
	return answer(200, out)
}

// searchView returns what search sees of r at ms (§8 eventual consistency):
// archived records never, records written within SearchLag as they were
// before the write.
func (s *Server) searchView(r *record, ms int64) ([]string, int64, bool) {
	if r.archived {
		return nil, 0, false
	}
	if s.searchLag == 0 || ms >= r.visibleAt {
		return r.vals, r.updated, true
	}
	return r.prev, r.prevUpdated, r.prevOK
}

// compileGroups validates filter groups (§8: ≤ 5 groups, ≤ 6 filters each,
// ≤ 18 in all; known properties and operators).
func compileGroups(t *objType, in *searchBody) ([][]compiled, *failure) {
	if len(in.FilterGroups) > searchMaxGroups {
		return nil, badRequest("Too many filter groups: %d. A search accepts at most %d filter groups.", len(in.FilterGroups), searchMaxGroups)
	}
	total := 0
	var out [][]compiled
	for gi, g := range in.FilterGroups {
		if len(g.Filters) > searchMaxPerGroup {
			return nil, badRequest("Too many filters in filterGroups[%d]: %d. A filter group accepts at most %d filters.", gi, len(g.Filters), searchMaxPerGroup)
		}
		total += len(g.Filters)
		if total > searchMaxFilters {
			return nil, badRequest("Too many filters: a search accepts at most %d filters in all its groups.", searchMaxFilters)
		}
		var cg []compiled
		for _, fl := range g.Filters {
			p := t.prop(fl.PropertyName)
			if p == nil {
				return nil, badRequest("There was a problem with the request: property %q does not exist on %s", fl.PropertyName, t.name)
			}
			cf := compiled{p: p, op: strings.ToUpper(fl.Operator)}
			if fl.Value != nil {
				cf.value = fl.Value.s
			}
			if fl.HighValue != nil {
				cf.high = fl.HighValue.s
			}
			for _, v := range fl.Values {
				cf.values = append(cf.values, v.s)
			}
			switch cf.op {
			case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
			case "IN", "NOT_IN":
				if len(cf.values) == 0 {
					return nil, badRequest("Operator %s on %s needs values", cf.op, p.name)
				}
			case "BETWEEN":
				if fl.Value == nil || fl.HighValue == nil {
					return nil, badRequest("Operator BETWEEN on %s needs value and highValue", p.name)
				}
			case "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN":
				if fl.Value == nil {
					return nil, badRequest("Operator %s on %s needs a value", cf.op, p.name)
				}
			default:
				return nil, badRequest("Unknown operator %q; use one of %s", fl.Operator, searchOperatorsString)
			}
			cg = append(cg, cf)
		}
		out = append(out, cg)
	}
	return out, nil
}

// matchGroups ORs the groups, each ANDing its filters (§8). No groups match all.
func matchGroups(t *objType, r *record, vals []string, updated int64, groups [][]compiled) bool {
	if len(groups) == 0 {
		return true
	}
	for _, g := range groups {
		all := true
		for i := range g {
			if !matchFilter(t.value(r, vals, updated, g[i].p), &g[i]) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// matchQuery is the free-text query over the searchable properties.
func matchQuery(t *objType, r *record, vals []string, q string) bool {
	if q == "" {
		return true
	}
	for _, n := range t.searchable {
		if p := t.prop(n); p != nil && strings.Contains(strings.ToLower(t.value(r, vals, 0, p)), q) {
			return true
		}
	}
	return false
}

// caseSensitive reports whether p compares case-sensitively: enumerations
// (and bools) do, other values do not (§8).
func caseSensitive(p *propDef) bool { return p.typ == "enumeration" || p.typ == "bool" }

// matchFilter tests stored value v against one filter.
func matchFilter(v string, f *compiled) bool {
	p := f.p
	switch f.op {
	case "HAS_PROPERTY":
		return v != ""
	case "NOT_HAS_PROPERTY":
		return v == ""
	case "NEQ":
		return !equalValue(p, v, f.value)
	case "NOT_IN":
		return !inValues(p, v, f.values)
	case "NOT_CONTAINS_TOKEN":
		return !containsToken(v, f.value)
	}
	if v == "" {
		return false
	}
	switch f.op {
	case "EQ":
		return equalValue(p, v, f.value)
	case "IN":
		return inValues(p, v, f.values)
	case "LT":
		return compareValues(p, v, f.value) < 0
	case "LTE":
		return compareValues(p, v, f.value) <= 0
	case "GT":
		return compareValues(p, v, f.value) > 0
	case "GTE":
		return compareValues(p, v, f.value) >= 0
	case "BETWEEN":
		return compareValues(p, v, f.value) >= 0 && compareValues(p, v, f.high) <= 0
	case "CONTAINS_TOKEN":
		return containsToken(v, f.value)
	}
	return false
}

// equalValue compares a stored value with a filter value by type. A
// multi-checkbox matches when any of its values does.
func equalValue(p *propDef, v, want string) bool {
	if v == "" {
		return false
	}
	if p.fieldType == "checkbox" {
		for _, x := range splitMulti(v) {
			if equalValue(&propDef{typ: p.typ}, x, want) {
				return true
			}
		}
		return false
	}
	switch {
	case isNumeric(p) || isDate(p):
		return compareValues(p, v, want) == 0
	case caseSensitive(p):
		return v == want
	}
	return strings.EqualFold(v, want)
}

// inValues implements IN: string values must be given in lower case (§8),
// so the stored value is lower-cased and compared with values as given.
func inValues(p *propDef, v string, values []string) bool {
	if v == "" {
		return false
	}
	for _, want := range values {
		switch {
		case isNumeric(p) || isDate(p) || caseSensitive(p):
			if equalValue(p, v, want) {
				return true
			}
		case strings.ToLower(v) == want:
			return true
		}
	}
	return false
}

// containsToken matches a token of v (words split on non-alphanumerics), or
// v as a whole; "*" in the filter value is a wildcard.
func containsToken(v, want string) bool {
	v, want = strings.ToLower(v), strings.ToLower(strings.TrimSpace(want))
	if v == "" || want == "" {
		return false
	}
	candidates := append([]string{v}, strings.FieldsFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})...)
	for _, c := range candidates {
		if strings.Contains(want, "*") {
			if ok, _ := path.Match(want, c); ok {
				return true
			}
		} else if c == want {
			return true
		}
	}
	return false
}

// isNumeric reports whether p holds numbers.
func isNumeric(p *propDef) bool { return p.typ == "number" }

// isDate reports whether p holds dates or datetimes.
func isDate(p *propDef) bool { return p.typ == "date" || p.typ == "datetime" }

// compareValues orders a and b as p's type does: numbers numerically,
// dates by instant (epoch ms or ISO accepted), the rest case-insensitively.
func compareValues(p *propDef, a, b string) int {
	switch {
	case isNumeric(p):
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			return cmp.Compare(x, y)
		}
	case isDate(p):
		x, ok1 := parseDateValue(a)
		y, ok2 := parseDateValue(b)
		if ok1 && ok2 {
			return cmp.Compare(x, y)
		}
	}
	if caseSensitive(p) {
		return strings.Compare(a, b)
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}
