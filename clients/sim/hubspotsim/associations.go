package hubspotsim

import (
	"strconv"
	"strings"
)

// Associations v4 handlers (hubspot-api.md §4).

// Association batch limits (§3: batch create 2,000 inputs, batch read 1,000).
const (
	assocBatchMax         = 2000
	assocReadMax          = 1000
	assocPageMax          = 500
	assocPageDefault      = 500
	assocWrite, assocRead = true, false
)

// pairFor resolves two object types and checks the object scopes of both
// sides (§1) and that the direction can be associated. The caller holds s.mu.
func (s *Server) pairFor(from, to string, write bool) (*objType, *objType, *pairDef, *failure) {
	ft, f := s.lookupType(from)
	if f != nil {
		return nil, nil, nil, f
	}
	tt, f := s.lookupType(to)
	if f != nil {
		return nil, nil, nil, f
	}
	if f := s.needScope(ft.objectScope(write)); f != nil {
		return nil, nil, nil, f
	}
	if f := s.needScope(tt.objectScope(write)); f != nil {
		return nil, nil, nil, f
	}
	pd := s.pairs[pairKey{ft.id, tt.id}]
	if pd == nil || pd.def == 0 {
		return nil, nil, nil, badRequest("%s (%s) records cannot be associated with %s (%s) records in portal %d",
			ft.singular, ft.id, tt.singular, tt.id, s.portal)
	}
	return ft, tt, pd, nil
}

// refs resolves record ids of both sides and collects the missing ones.
type refs struct {
	bad []badRef
}

// id returns the live record id of key in t, or records it as invalid.
func (r *refs) id(t *objType, key string) int64 {
	if id, ok := parseID(key); ok && t.live(id) != nil {
		return id
	}
	r.bad = append(r.bad, badRef{t, key})
	return 0
}

// fail is the §4 INVALID_OBJECT_IDS 400, or nil.
func (r *refs) fail() *failure {
	if len(r.bad) == 0 {
		return nil
	}
	return invalidObjectIDs(r.bad)
}

// selfLink rejects associating a record with itself.
func selfLink(ft, tt *objType, from, to int64) *failure {
	if ft == tt && from == to && from != 0 {
		return badRequest("A record cannot be associated with itself (%s %d)", ft.singular, from)
	}
	return nil
}

// specJSON is one direction of a default association result.
type specJSON struct {
	From objectRef `json:"from"`
	To   objectRef `json:"to"`
	Spec assocSpec `json:"associationSpec"`
}

// objectRef is {"id": "..."}.
type objectRef struct {
	ID string `json:"id"`
}

// defaultResults describes a default association in both directions.
func (s *Server) defaultResults(pd *pairDef, from, to int64) []specJSON {
	at := s.atypes[pd.def]
	inv := s.atypes[at.inverse]
	return []specJSON{
		{objectRef{idString(from)}, objectRef{idString(to)}, assocSpec{at.category, at.id}},
		{objectRef{idString(to)}, objectRef{idString(from)}, assocSpec{inv.category, inv.id}},
	}
}

// putDefault answers PUT /crm/v4/objects/{fromType}/{fromId}/associations/default/{toType}/{toId}:
// the unlabelled association, both directions in the result (§4: the live
// contact↔contact call returned both with 449).
func (s *Server) putDefault(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, pd, f := s.pairFor(c.path("type"), c.path("toType"), assocWrite)
	if f != nil {
		return f.reply()
	}
	var rf refs
	from, to := rf.id(ft, c.path("id")), rf.id(tt, c.path("toId"))
	if f := rf.fail(); f != nil {
		return f.reply()
	}
	if f := selfLink(ft, tt, from, to); f != nil {
		return f.reply()
	}
	s.link(ft, from, tt, to, []int32{pd.def}, false)
	return answer(200, newBatch(c.ms, s.defaultResults(pd, from, to), nil))
}

// pairInput is {from:{id}, to:{id}, types?} of association batch bodies.
type pairInput struct {
	From  objectID    `json:"from"`
	To    objectID    `json:"to"`
	Types []assocSpec `json:"types"`
}

// pairBody is an association batch body.
type pairBody struct {
	Inputs []pairInput `json:"inputs"`
}

// decodePairs decodes and size-checks an association batch body.
func decodePairs(c *call) (*pairBody, *failure) {
	var in pairBody
	if f := decodeJSON(c.body, &in); f != nil {
		return nil, f
	}
	if len(in.Inputs) > assocBatchMax {
		return nil, tooManyInputs(len(in.Inputs), assocBatchMax)
	}
	return &in, nil
}

// batchDefault answers POST /crm/v4/associations/{from}/{to}/batch/associate/default.
func (s *Server) batchDefault(c *call) reply {
	in, f := decodePairs(c)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, pd, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	var rf refs
	ids := make([][2]int64, len(in.Inputs))
	for i, x := range in.Inputs {
		ids[i] = [2]int64{rf.id(ft, x.From.ID.s), rf.id(tt, x.To.ID.s)}
	}
	if f := rf.fail(); f != nil {
		return f.reply()
	}
	for _, p := range ids {
		if f := selfLink(ft, tt, p[0], p[1]); f != nil {
			return f.reply()
		}
	}
	results := []specJSON{}
	for _, p := range ids {
		s.link(ft, p[0], tt, p[1], []int32{pd.def}, false)
		results = append(results, s.defaultResults(pd, p[0], p[1])...)
	}
	return answer(200, newBatch(c.ms, results, nil))
}

// labelsBetweenJSON is LabelsBetweenObjectPair (§4).
type labelsBetweenJSON struct {
	FromObjectTypeID string   `json:"fromObjectTypeId"`
	FromObjectID     int64    `json:"fromObjectId"`
	ToObjectTypeID   string   `json:"toObjectTypeId"`
	ToObjectID       int64    `json:"toObjectId"`
	Labels           []string `json:"labels"`
}

// between renders the labels now between from and to.
func (s *Server) between(ft *objType, from int64, tt *objType, to int64) labelsBetweenJSON {
	return labelsBetweenJSON{ft.id, from, tt.id, to, s.labelsOf(s.edgeBetween(ft, from, tt, to))}
}

// putLabelled answers PUT /crm/v4/objects/{type}/{id}/associations/{toType}/{toId}
// with a body of types: 201, the set of types replaced (§4).
func (s *Server) putLabelled(c *call) reply {
	var specs []assocSpec
	if f := decodeJSON(c.body, &specs); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("type"), c.path("toType"), assocWrite)
	if f != nil {
		return f.reply()
	}
	types, f := s.checkTypes(ft, tt, specs)
	if f != nil {
		return f.reply()
	}
	var rf refs
	from, to := rf.id(ft, c.path("id")), rf.id(tt, c.path("toId"))
	if f := rf.fail(); f != nil {
		return f.reply()
	}
	if f := selfLink(ft, tt, from, to); f != nil {
		return f.reply()
	}
	s.link(ft, from, tt, to, types, true)
	return answer(201, s.between(ft, from, tt, to))
}

// batchCreateAssoc answers POST /crm/v4/associations/{from}/{to}/batch/create:
// types are added to each pair; 201 as HubSpot documents it (§4).
func (s *Server) batchCreateAssoc(c *call) reply {
	in, f := decodePairs(c)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	var rf refs
	ids := make([][2]int64, len(in.Inputs))
	types := make([][]int32, len(in.Inputs))
	for i, x := range in.Inputs {
		if types[i], f = s.checkTypes(ft, tt, x.Types); f != nil {
			return f.reply()
		}
		ids[i] = [2]int64{rf.id(ft, x.From.ID.s), rf.id(tt, x.To.ID.s)}
	}
	if f := rf.fail(); f != nil { // §4 INVALID_OBJECT_IDS, whole request
		return f.reply()
	}
	for _, p := range ids {
		if f := selfLink(ft, tt, p[0], p[1]); f != nil {
			return f.reply()
		}
	}
	results := make([]labelsBetweenJSON, 0, len(ids))
	for i, p := range ids {
		s.link(ft, p[0], tt, p[1], types[i], false)
		results = append(results, s.between(ft, p[0], tt, p[1]))
	}
	return answer(201, newBatch(c.ms, results, nil))
}

// toJSON is one associated record in a read (§4; ids as JSON numbers, as
// the docs' examples show).
type toJSON struct {
	ToObjectID       int64      `json:"toObjectId"`
	AssociationTypes []typeJSON `json:"associationTypes"`
}

// page renders up to limit edges from offset, and the next offset or "".
func (s *Server) page(es []edge, offset, limit int) ([]toJSON, string) {
	out := []toJSON{}
	for i := offset; i < len(es) && len(out) < limit; i++ {
		out = append(out, toJSON{es[i].to, s.typesJSON(es[i].types)})
	}
	if offset+limit < len(es) {
		return out, strconv.Itoa(offset + limit)
	}
	return out, ""
}

// listAssociations answers GET /crm/v4/objects/{type}/{id}/associations/{toType}.
func (s *Server) listAssociations(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ft, tt, _, f := s.pairFor(c.path("type"), c.path("toType"), assocRead)
	if f != nil {
		return f.reply()
	}
	limit, offset := assocPageDefault, 0
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > assocPageMax {
			return badRequest("limit must be between 1 and %d", assocPageMax).reply()
		}
		limit = n
	}
	if v := c.query("after"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return badRequest("after must be the offset from paging.next.after").reply()
		}
		offset = n
	}
	var es []edge
	if id, ok := parseID(c.path("id")); ok {
		es = s.links[pairKey{ft.id, tt.id}][id]
	}
	results, next := s.page(es, offset, limit)
	out := map[string]any{"results": results}
	if next != "" {
		out["paging"] = map[string]any{"next": map[string]string{"after": next}}
	}
	return answer(200, out)
}

// batchReadAssoc answers POST /crm/v4/associations/{from}/{to}/batch/read
// (≤ 1,000 ids, §3/§13.10). Ids without associations come back as
// NO_ASSOCIATIONS_FOUND errors in a 207.
func (s *Server) batchReadAssoc(c *call) reply {
	var in struct {
		Inputs []struct {
			ID    flex   `json:"id"`
			After string `json:"after"`
		} `json:"inputs"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	if len(in.Inputs) > assocReadMax {
		return tooManyInputs(len(in.Inputs), assocReadMax).reply()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocRead)
	if f != nil {
		return f.reply()
	}
	type fromJSON struct {
		From   objectRef      `json:"from"`
		To     []toJSON       `json:"to"`
		Paging map[string]any `json:"paging,omitempty"`
	}
	m := s.links[pairKey{ft.id, tt.id}]
	results := []fromJSON{}
	var errs []*apiError
	for _, x := range in.Inputs {
		var es []edge
		if id, ok := parseID(x.ID.s); ok {
			es = m[id]
		}
		if len(es) == 0 {
			e := newFailure(404, catNotFound, "No %s is associated with %s %s.", lower(tt.singular), lower(ft.singular), x.ID.s).
				withContext("fromObjectId", x.ID.s).body
			e.SubCategory = "crm.associations.NO_ASSOCIATIONS_FOUND"
			errs = append(errs, &e)
			continue
		}
		offset, _ := strconv.Atoi(x.After)
		to, next := s.page(es, offset, assocPageMax)
		r := fromJSON{From: objectRef{x.ID.s}, To: to}
		if next != "" {
			r.Paging = map[string]any{"next": map[string]string{"after": next}}
		}
		results = append(results, r)
	}
	status := 200
	if len(errs) > 0 {
		status = 207
	}
	return answer(status, newBatch(c.ms, results, errs))
}

// deleteAssociation answers DELETE /crm/v4/objects/{type}/{id}/associations/{toType}/{toId}:
// every type between the pair is removed (§4); 204.
func (s *Server) deleteAssociation(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("type"), c.path("toType"), assocWrite)
	if f != nil {
		return f.reply()
	}
	from, ok1 := parseID(c.path("id"))
	to, ok2 := parseID(c.path("toId"))
	if ok1 && ok2 {
		s.unlink(ft, from, tt, to, nil)
	}
	return reply{status: 204}
}

// batchArchiveAssoc answers POST /crm/v4/associations/{from}/{to}/batch/archive
// {"inputs":[{"from":{"id"},"to":[{"id"}]}]}: all types removed; 204.
func (s *Server) batchArchiveAssoc(c *call) reply {
	var in struct {
		Inputs []struct {
			From objectID   `json:"from"`
			To   []objectID `json:"to"`
		} `json:"inputs"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	if len(in.Inputs) > assocBatchMax {
		return tooManyInputs(len(in.Inputs), assocBatchMax).reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	for _, x := range in.Inputs {
		from, ok := parseID(x.From.ID.s)
		for _, t := range x.To {
			if to, ok2 := parseID(t.ID.s); ok && ok2 {
				s.unlink(ft, from, tt, to, nil)
			}
		}
	}
	return archived(c)
}

// archived answers an association batch archive: 204 under /crm/v4 and
// /crm/associations/v4, 200 with an empty batch envelope under the dated
// paths, as the 2026-03 document has it.
func archived(c *call) reply {
	if strings.Contains(c.r.URL.Path, "/2026-03/") {
		return answer(200, newBatch(c.ms, []any{}, nil))
	}
	return reply{status: 204}
}

// batchArchiveLabels answers POST /crm/v4/associations/{from}/{to}/batch/labels/archive:
// the listed types are removed; removing the unlabelled type removes all (§4);
// 204 (200 under the dated paths, see archived).
func (s *Server) batchArchiveLabels(c *call) reply {
	in, f := decodePairs(c)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	types := make([][]int32, len(in.Inputs))
	for i, x := range in.Inputs {
		if types[i], f = s.checkTypes(ft, tt, x.Types); f != nil {
			return f.reply()
		}
	}
	for i, x := range in.Inputs {
		from, ok1 := parseID(x.From.ID.s)
		to, ok2 := parseID(x.To.ID.s)
		if ok1 && ok2 {
			s.unlink(ft, from, tt, to, types[i])
		}
	}
	return archived(c)
}
