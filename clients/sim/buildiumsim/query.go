package buildiumsim

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"b2h/clients/sim/gen"
)

// Paging limits (ref §2): limit defaults to 50; above 1000 it is
// "overridden" to 1000, which the simulator reads as a clamp (the
// documented behaviour; a 3rd-party report says Buildium rejects it).
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// MaxUpdatedRange is the longest lastupdatedfrom…lastupdatedto window.
// [3rd-party] blackwaxxx/Buildium-MCP says "Buildium caps every date-range
// filter at 365 days" with a 422 whose text contains "time range must be"
// and "365 days" (ref §4); whether it covers lastupdated* is unverified.
// The simulator applies it strictly, also when only lastupdatedfrom is
// given (the window then ends now), so b2h is tested against the harder
// reading.
const MaxUpdatedRange = 365 * 24 * time.Hour

// UpdatedLayout is the only accepted lastupdatedfrom/lastupdatedto form:
// "Must be in UTC and formatted as YYYY-MM-DDTHH:MM:SSZ" (ref §5).
const UpdatedLayout = "2006-01-02T15:04:05Z"

// listSpec describes one list endpoint's query parameters.
type listSpec struct {
	known       []string // declared filters besides pagingParams
	implemented []string // the subset the simulator filters on
	run         func(s *Server, q *listQuery) response
}

// listQuery is a parsed list request.
type listQuery struct {
	offset, limit int
	order         []orderKey
	from, to      time.Time // zero = unbounded
	sets          map[string]map[string]bool
}

type orderKey struct {
	prop string // lower case
	desc bool
}

// has reports whether filter name is set and v is in it (or the filter is
// not set at all).
func (q *listQuery) has(name, v string) bool {
	set, ok := q.sets[name]
	return !ok || set[v]
}

func (q *listQuery) hasID(name string, id int32) bool { return q.has(name, strconv.Itoa(int(id))) }

// filtered reports whether filter name is in force.
func (q *listQuery) filtered(name string) bool { _, ok := q.sets[name]; return ok }

// enumFilters are the array filters whose values must be enum members; the
// rest of the implemented array filters take int32 ids.
var enumFilters = map[string][]string{
	"leasestatuses":     {"Active", "Past", "Future"},
	"leasetermstatuses": {"Active", "Past", "Future"},
	"leasetypes":        {"None", "Fixed", "FixedWithRollover", "AtWill"},
	"status":            {"Active", "InActive"},
}

// parseList validates a list request's query string.
func (s *Server) parseList(r *http.Request, spec *listSpec) (*listQuery, *response) {
	vals := r.URL.Query()
	known := append(slices.Clone(pagingParams), spec.known...)
	for key := range vals {
		if slices.Contains(known, key) {
			if !slices.Contains(pagingParams, key) && !slices.Contains(spec.implemented, key) {
				resp := badParam(key, "The Buildium simulator does not implement the '"+key+"' filter; b2h must not rely on it.")
				return nil, &resp
			}
			continue
		}
		for _, k := range known {
			if strings.EqualFold(k, key) {
				// Parameter names are case-sensitive; a wrong case gets 404 (ref §2).
				resp := errorResponse(http.StatusNotFound, "No HTTP resource was found that matches the request URI: query parameter '"+key+"' must be written '"+k+"'.")
				return nil, &resp
			}
		}
	}
	q := &listQuery{offset: 0, limit: DefaultLimit, sets: map[string]map[string]bool{}}
	if v := vals.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			resp := badParam("offset", "The value '"+v+"' is not valid: offset must be a whole number, 0 or more.")
			return nil, &resp
		}
		q.offset = n
	}
	if v := vals.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			resp := badParam("limit", "The value '"+v+"' is not valid: limit must be a whole number from 1 to 1000.")
			return nil, &resp
		}
		q.limit = min(n, MaxLimit)
	}
	for _, name := range []string{"lastupdatedfrom", "lastupdatedto"} {
		v := vals.Get(name)
		if v == "" {
			continue
		}
		t, err := time.Parse(UpdatedLayout, v)
		if err != nil || len(v) != len(UpdatedLayout) {
			resp := badParam(name, "The value '"+v+"' is not valid: it must be in UTC and formatted as YYYY-MM-DDTHH:MM:SSZ.")
			return nil, &resp
		}
		if name == "lastupdatedfrom" {
			q.from = t
		} else {
			q.to = t
		}
	}
	if !q.from.IsZero() {
		end := q.to
		if end.IsZero() {
			end = s.now().UTC()
		}
		if end.Sub(q.from) > MaxUpdatedRange {
			msg := "The time range must be 365 days or less."
			resp := errorResponse(http.StatusUnprocessableEntity, msg, apiErrItem{Key: "lastupdatedfrom", Value: msg})
			return nil, &resp
		}
	}
	for _, name := range spec.implemented {
		vs, ok := vals[name]
		if !ok {
			continue
		}
		set := map[string]bool{}
		for _, v := range vs {
			if enum, isEnum := enumFilters[name]; isEnum {
				i := slices.IndexFunc(enum, func(e string) bool { return strings.EqualFold(e, v) })
				if i < 0 {
					resp := badParam(name, "The value '"+v+"' is not valid: use one of "+strings.Join(enum, ", ")+".")
					return nil, &resp
				}
				set[enum[i]] = true
				continue
			}
			if _, err := strconv.ParseInt(v, 10, 32); err != nil {
				// Arrays repeat the key (?propertyids=1&propertyids=2);
				// "1,2" is not a number (ref §2).
				resp := badParam(name, "The value '"+v+"' is not valid: give one id per parameter, repeating the key.")
				return nil, &resp
			}
			set[v] = true
		}
		q.sets[name] = set
	}
	if v := vals.Get("orderby"); v != "" {
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(part)
			if len(f) == 0 || len(f) > 2 {
				resp := badParam("orderby", "'"+part+"' is not a valid sort: use 'Property [asc|desc]'.")
				return nil, &resp
			}
			k := orderKey{prop: strings.ToLower(f[0])}
			if len(f) == 2 {
				switch strings.ToLower(f[1]) {
				case "asc":
				case "desc":
					k.desc = true
				default:
					resp := badParam("orderby", "'"+f[1]+"' is not a sort direction: use asc or desc.")
					return nil, &resp
				}
			}
			q.order = append(q.order, k)
		}
	}
	return q, nil
}

// sortVal is one record's value of a sortable property.
type sortVal struct {
	null bool
	num  float64
	str  string
}

func num[T int32 | int | float64](v T) sortVal { return sortVal{num: float64(v)} }
func str(v string) sortVal                     { return sortVal{str: strings.ToLower(v), null: v == ""} }
func numPtr[T int32 | float64](v *T) sortVal {
	if v == nil {
		return sortVal{null: true}
	}
	return sortVal{num: float64(*v)}
}

func (a sortVal) cmp(b sortVal) int {
	switch {
	case a.null && b.null:
		return 0
	case a.null:
		return -1
	case b.null:
		return 1
	}
	if c := cmp.Compare(a.num, b.num); c != 0 {
		return c
	}
	return strings.Compare(a.str, b.str)
}

// sortKeys maps a lower-case property name to its value for record i.
type sortKeys map[string]func(p *gen.Portfolio, i int) sortVal

// page filters, sorts and slices one list. Records are stored by Id, so a
// stable sort leaves ties in Id order.
func page[T any](s *Server, q *listQuery, kind gen.Kind, schema string, n int, id func(i int) int32,
	match func(i int) bool, keys sortKeys, defaultOrder []orderKey, render func(i int) T) response {
	order := q.order
	if order == nil {
		order = defaultOrder
	}
	for _, k := range order {
		if _, ok := keys[k.prop]; !ok {
			return badParam("orderby", "'"+k.prop+"' is not a sortable property of "+schema+".")
		}
	}
	if len(q.sets) == 0 && q.from.IsZero() && q.to.IsZero() && len(order) == 1 && order[0] == (orderKey{prop: "id"}) {
		// Unfiltered, by Id: the page is a slice of the records, stored by
		// Id, without a pass over all of them (every match is true when no
		// filter is set).
		lo, hi := min(q.offset, n), min(q.offset+q.limit, n)
		hi = s.shorten(lo, hi)
		out := make([]T, 0, hi-lo)
		for i := lo; i < hi; i++ {
			out = append(out, render(i))
		}
		if kinds := s.oddKinds(kind); lo < len(kinds) {
			return oddPage(kinds, func(j int) int { return lo + j }, out, n)
		}
		return okJSON(out, n)
	}
	idx := make([]int, 0, n)
	for i := range n {
		if !q.from.IsZero() || !q.to.IsZero() {
			t := s.p.Updated[gen.Ref{Kind: kind, ID: id(i)}]
			if (!q.from.IsZero() && t.Before(q.from)) || (!q.to.IsZero() && t.After(q.to)) {
				continue
			}
		}
		if match == nil || match(i) {
			idx = append(idx, i)
		}
	}
	switch {
	case len(order) == 1 && order[0].prop == "id":
		// Records are stored by Id: the common case needs no sort.
		if order[0].desc {
			slices.Reverse(idx)
		}
	case len(order) > 0:
		slices.SortStableFunc(idx, func(a, b int) int {
			for _, k := range order {
				c := keys[k.prop](s.p, a).cmp(keys[k.prop](s.p, b))
				if k.desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		})
	}
	total := len(idx)
	lo := min(q.offset, total)
	hi := s.shorten(lo, min(lo+q.limit, total))
	out := make([]T, 0, hi-lo)
	for _, i := range idx[lo:hi] {
		out = append(out, render(i))
	}
	if kinds := s.oddKinds(kind); len(kinds) > 0 {
		return oddPage(kinds, func(j int) int { return idx[lo+j] }, out, total)
	}
	return okJSON(out, total)
}
