package hubspotsim

import (
	"fmt"
	"slices"
	"sort"
)

// Association categories (hubspot-api.md §4).
const (
	catHubSpotDefined = "HUBSPOT_DEFINED"
	catUserDefined    = "USER_DEFINED"
)

// pairKey is a direction between two object types (by objectTypeId).
type pairKey struct{ from, to string }

// assocType is one association type id. Type ids are directional (§4): the
// inverse direction has its own id (contact→listing 883, listing→contact
// 882), except symmetric same-object types such as contact↔contact 449.
type assocType struct {
	id        int32
	category  string
	label     string // "" for the unlabelled default
	name      string
	from, to  string
	inverse   int32
	isDefault bool
}

// pairDef lists the association types defined for one direction.
type pairDef struct {
	def   int32   // the unlabelled default type (0: none)
	types []int32 // every type of the direction, in creation order
}

// edge is one associated record and the types linking to it.
type edge struct {
	to    int64
	types []int32 // ascending
}

// hubspotAssociations are the HUBSPOT_DEFINED types of §4 between
// contacts, companies and listings: {id, from, to, inverse, label, name}.
// Unlabelled ones are their direction's default; "Primary" (contact→company
// 1, company→contact 2) is a labelled HubSpot-defined type.
var hubspotAssociations = []struct {
	id, inverse     int32
	from, to        string
	label, name     string
	isDefaultOfPair bool
}{
	{449, 449, "0-1", "0-1", "", "contact_to_contact", true},
	{279, 280, "0-1", "0-2", "", "contact_to_company_unlabeled", true},
	{280, 279, "0-2", "0-1", "", "company_to_contact_unlabeled", true},
	{1, 2, "0-1", "0-2", "Primary", "contact_to_company", false},
	{2, 1, "0-2", "0-1", "Primary", "company_to_contact", false},
	{883, 882, "0-1", "0-420", "", "contact_to_listing", true},
	{882, 883, "0-420", "0-1", "", "listing_to_contact", true},
	{884, 885, "0-420", "0-2", "", "listing_to_company", true},
	{885, 884, "0-2", "0-420", "", "company_to_listing", true},
}

// defineHubSpotAssociations adds hubspotAssociations.
func (s *Server) defineHubSpotAssociations() {
	for _, a := range hubspotAssociations {
		s.defineType(&assocType{id: a.id, category: catHubSpotDefined, from: a.from, to: a.to, inverse: a.inverse,
			label: a.label, name: a.name, isDefault: a.isDefaultOfPair})
	}
}

// defineType registers an association type for its direction.
func (s *Server) defineType(at *assocType) {
	s.atypes[at.id] = at
	k := pairKey{at.from, at.to}
	pd := s.pairs[k]
	if pd == nil {
		pd = &pairDef{}
		s.pairs[k] = pd
	}
	pd.types = append(pd.types, at.id)
	if at.isDefault {
		pd.def = at.id
	}
}

// newTypeID allocates a portal-specific association type id.
func (s *Server) newTypeID() int32 {
	for s.atypes[s.nextAssoc] != nil {
		s.nextAssoc++
	}
	id := s.nextAssoc
	s.nextAssoc++
	return id
}

// definePair creates the unlabelled default types between a and b (a custom
// object and another type, §4/§6): one id per direction, USER_DEFINED, or
// one symmetric id for a type with itself. Existing defaults are reused.
func (s *Server) definePair(a, b *objType, ms int64) (fwd, back int32) {
	if pd := s.pairs[pairKey{a.id, b.id}]; pd != nil && pd.def != 0 {
		fwd = pd.def
		return fwd, s.atypes[fwd].inverse
	}
	fwd = s.newTypeID()
	back = fwd
	if a.id != b.id {
		back = s.newTypeID()
	}
	s.defineType(&assocType{id: fwd, category: catUserDefined, from: a.id, to: b.id, inverse: back, isDefault: true, name: a.name + "_to_" + b.name})
	if back != fwd {
		s.defineType(&assocType{id: back, category: catUserDefined, from: b.id, to: a.id, inverse: fwd, isDefault: true, name: b.name + "_to_" + a.name})
	}
	return fwd, back
}

// edgesOf returns the adjacency of one direction, creating it.
func (s *Server) edgesOf(k pairKey) map[int64][]edge {
	m := s.links[k]
	if m == nil {
		m = map[int64][]edge{}
		s.links[k] = m
	}
	return m
}

// findEdge returns the position of to in es (sorted by to) and whether it is there.
func findEdge(es []edge, to int64) (int, bool) {
	i := sort.Search(len(es), func(i int) bool { return es[i].to >= to })
	return i, i < len(es) && es[i].to == to
}

// addEdgeTypes adds types to from→to in m.
func addEdgeTypes(m map[int64][]edge, from, to int64, types []int32) {
	es := m[from]
	i, ok := findEdge(es, to)
	if !ok {
		es = slices.Insert(es, i, edge{to: to})
	}
	for _, t := range types {
		if j, found := slices.BinarySearch(es[i].types, t); !found {
			es[i].types = slices.Insert(es[i].types, j, t)
		}
	}
	m[from] = es
}

// removeEdgeTypes removes types (nil: all) from from→to in m.
func removeEdgeTypes(m map[int64][]edge, from, to int64, types []int32) {
	es := m[from]
	i, ok := findEdge(es, to)
	if !ok {
		return
	}
	if types != nil {
		es[i].types = slices.DeleteFunc(es[i].types, func(t int32) bool { return slices.Contains(types, t) })
	}
	if types == nil || len(es[i].types) == 0 {
		es = slices.Delete(es, i, i+1)
	}
	if len(es) == 0 {
		delete(m, from)
	} else {
		m[from] = es
	}
}

// link associates from→to with types and the inverse types to→from. The
// pair's unlabelled default is always added (§4: a labelled association is
// also an unlabelled one). With replace, types not listed are removed
// first (§4 "Sending labels replaces the set").
func (s *Server) link(ft *objType, fromID int64, tt *objType, toID int64, types []int32, replace bool) {
	if replace {
		s.unlink(ft, fromID, tt, toID, nil)
	}
	if pd := s.pairs[pairKey{ft.id, tt.id}]; pd != nil && pd.def != 0 && !slices.Contains(types, pd.def) {
		types = append([]int32{pd.def}, types...)
	}
	inv := make([]int32, 0, len(types))
	for _, t := range types {
		inv = append(inv, s.atypes[t].inverse)
	}
	switch {
	case slices.Contains(types, primaryCompany):
		s.dropOtherPrimary(fromID, toID)
	case slices.Contains(types, primaryContact):
		s.dropOtherPrimary(toID, fromID)
	}
	addEdgeTypes(s.edgesOf(pairKey{ft.id, tt.id}), fromID, toID, types)
	addEdgeTypes(s.edgesOf(pairKey{tt.id, ft.id}), toID, fromID, inv)
}

// The HubSpot-defined "Primary" types: contact→company 1, company→contact 2.
const (
	primaryCompany int32 = 1
	primaryContact int32 = 2
)

// dropOtherPrimary removes the Primary types between contact and every
// company but company: a contact has at most one primary company.
func (s *Server) dropOtherPrimary(contact, company int64) {
	fwd, back := s.links[pairKey{"0-1", "0-2"}], s.links[pairKey{"0-2", "0-1"}]
	for _, e := range slices.Clone(fwd[contact]) {
		if e.to != company && slices.Contains(e.types, primaryCompany) {
			removeEdgeTypes(fwd, contact, e.to, []int32{primaryCompany})
			removeEdgeTypes(back, e.to, contact, []int32{primaryContact})
		}
	}
}

// unlink removes types (nil: all) between from and to in both directions.
// Removing the unlabelled default removes everything (§4).
func (s *Server) unlink(ft *objType, fromID int64, tt *objType, toID int64, types []int32) {
	if pd := s.pairs[pairKey{ft.id, tt.id}]; types != nil && pd != nil && slices.Contains(types, pd.def) {
		types = nil
	}
	var inv []int32
	if types != nil {
		for _, t := range types {
			if at := s.atypes[t]; at != nil {
				inv = append(inv, at.inverse)
			}
		}
	}
	if m := s.links[pairKey{ft.id, tt.id}]; m != nil {
		removeEdgeTypes(m, fromID, toID, types)
	}
	if m := s.links[pairKey{tt.id, ft.id}]; m != nil {
		removeEdgeTypes(m, toID, fromID, inv)
		if types == nil {
			return
		}
		// A pair left with only labels in one direction keeps both sides
		// consistent: drop the inverse edge if the forward one is gone.
		if fm := s.links[pairKey{ft.id, tt.id}]; fm != nil {
			if _, ok := findEdge(fm[fromID], toID); !ok {
				removeEdgeTypes(m, toID, fromID, nil)
			}
		}
	}
}

// unlinkAll removes every association of record id of type t.
func (s *Server) unlinkAll(t *objType, id int64) {
	for k, m := range s.links {
		if k.from != t.id {
			continue
		}
		back := s.links[pairKey{k.to, k.from}]
		for _, e := range m[id] {
			if back != nil {
				removeEdgeTypes(back, e.to, id, nil)
			}
		}
		delete(m, id)
	}
}

// edgeBetween returns the types from→to (nil when not associated).
func (s *Server) edgeBetween(ft *objType, fromID int64, tt *objType, toID int64) []int32 {
	es := s.links[pairKey{ft.id, tt.id}][fromID]
	if i, ok := findEdge(es, toID); ok {
		return es[i].types
	}
	return nil
}

// labelsOf returns the non-empty labels of types.
func (s *Server) labelsOf(types []int32) []string {
	out := []string{}
	for _, t := range types {
		if at := s.atypes[t]; at != nil && at.label != "" {
			out = append(out, at.label)
		}
	}
	return out
}

// typeJSON is an association type as read endpoints show it (§4).
type typeJSON struct {
	Category string  `json:"category"`
	TypeID   int32   `json:"typeId"`
	Label    *string `json:"label"`
}

// typesJSON renders type ids.
func (s *Server) typesJSON(types []int32) []typeJSON {
	out := make([]typeJSON, 0, len(types))
	for _, t := range types {
		at := s.atypes[t]
		tj := typeJSON{Category: at.category, TypeID: at.id}
		if at.label != "" {
			l := at.label
			tj.Label = &l
		}
		out = append(out, tj)
	}
	return out
}

// createAssoc is an association given inside a create input (§3).
type createAssoc struct {
	To    objectID    `json:"to"`
	Types []assocSpec `json:"types"`
}

// badRef is an object id that does not exist.
type badRef struct {
	t  *objType
	id string
}

// invalidObjectIDs is the 400 of §4 for associations naming missing records:
// context INVALID_OBJECT_IDS ["CONTACT=N is not valid"], objectId, objectType.
func invalidObjectIDs(bad []badRef) *failure {
	f := badRequest("One or more associations are invalid")
	for _, b := range bad {
		f.withContext("INVALID_OBJECT_IDS", fmt.Sprintf("%s=%s is not valid", b.t.errName, b.id))
		f.withContext("objectId", b.id)
		f.withContext("objectType", b.t.errName)
	}
	return f
}

// checkTypes verifies that every spec is a type of direction ft→tt with
// its category (§4: type ids are direction- and portal-specific).
func (s *Server) checkTypes(ft, tt *objType, specs []assocSpec) ([]int32, *failure) {
	if len(specs) == 0 {
		return nil, badRequest("types must name at least one association type")
	}
	out := make([]int32, 0, len(specs))
	for _, sp := range specs {
		at := s.atypes[sp.TypeID]
		if at == nil || at.from != ft.id || at.to != tt.id {
			return nil, badRequest("associationTypeId %d is not an association type from %s (%s) to %s (%s) in portal %d; list the valid ones with GET /crm/v4/associations/%s/%s/labels",
				sp.TypeID, ft.name, ft.id, tt.name, tt.id, s.portal, ft.id, tt.id)
		}
		if sp.Category != "" && sp.Category != at.category {
			return nil, badRequest("associationTypeId %d has category %s, not %s", sp.TypeID, at.category, sp.Category)
		}
		out = append(out, at.id)
	}
	return out, nil
}

// planLinks validates the associations of a create input.
func (s *Server) planLinks(t *objType, in []createAssoc) ([]pendingLink, *failure) {
	var out []pendingLink
	var bad []badRef
	for _, a := range in {
		if len(a.Types) == 0 {
			return nil, badRequest("associations[].types must name at least one association type")
		}
		at := s.atypes[a.Types[0].TypeID]
		if at == nil || at.from != t.id {
			return nil, badRequest("associationTypeId %d is not an association type from %s in portal %d", a.Types[0].TypeID, t.id, s.portal)
		}
		tt := s.types[at.to]
		if tt.kind == kindListing && !s.listings {
			return nil, listingsNotActivated(s.portal)
		}
		if f := s.needScope(tt.objectScope(true)); f != nil {
			return nil, f
		}
		types, f := s.checkTypes(t, tt, a.Types)
		if f != nil {
			return nil, f
		}
		id, ok := parseID(a.To.ID.s)
		if !ok || tt.live(id) == nil {
			bad = append(bad, badRef{tt, a.To.ID.s})
			continue
		}
		out = append(out, pendingLink{to: tt, toID: id, types: types})
	}
	if len(bad) > 0 {
		return nil, invalidObjectIDs(bad)
	}
	return out, nil
}
