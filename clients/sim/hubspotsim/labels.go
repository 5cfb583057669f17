package hubspotsim

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Association label handlers (hubspot-api.md §4 "Labels (schema)").

// labelNameRe is the form of a label's internal name.
var labelNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,99}$`)

// labelBody is the body of label create and update.
type labelBody struct {
	Label             string `json:"label"`
	Name              string `json:"name"`
	InverseLabel      string `json:"inverseLabel"`
	AssociationTypeID int32  `json:"associationTypeId"`
}

// listLabels answers GET /crm/v4/associations/{from}/{to}/labels: every type
// of the direction, the unlabelled default with label null (§4).
func (s *Server) listLabels(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, _, pd, f := s.pairFor(c.path("from"), c.path("to"), assocRead)
	if f != nil {
		return f.reply()
	}
	return answer(200, map[string]any{"results": s.typesJSON(pd.types)})
}

// createLabel answers POST /crm/v4/associations/{from}/{to}/labels
// {label, name, inverseLabel?} on Professional and Enterprise (403 below,
// 400 past the direction's limit): a USER_DEFINED type with a portal-specific
// id, and its own id for the inverse direction (one symmetric id on a
// same-object pair without inverseLabel). An existing name, or label text in
// the same direction, answers 409 CONFLICT.
func (s *Server) createLabel(c *call) reply {
	var in labelBody
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	in.Label, in.InverseLabel = strings.TrimSpace(in.Label), strings.TrimSpace(in.InverseLabel)
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, pd, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	if f := s.checkLabelRoom(ft, tt); f != nil {
		return f.reply()
	}
	switch {
	case in.Label == "":
		return badRequest("label is required").reply()
	case !labelNameRe.MatchString(in.Name):
		return badRequest("name %q must start with a letter and contain only letters, digits and underscores (at most 100)", in.Name).reply()
	}
	existing := slices.Clone(pd.types)
	if back := s.pairs[pairKey{tt.id, ft.id}]; back != nil {
		existing = append(existing, back.types...)
	}
	for _, id := range existing {
		at := s.atypes[id]
		if strings.EqualFold(at.name, in.Name) {
			return newFailure(409, catConflict, "An association label named %s already exists between %s and %s (associationTypeId %d)", in.Name, ft.id, tt.id, at.id).reply()
		}
		if at.from == ft.id && at.to == tt.id && strings.EqualFold(at.label, in.Label) {
			return newFailure(409, catConflict, "The label %q already exists from %s to %s (associationTypeId %d)", in.Label, ft.id, tt.id, at.id).reply()
		}
	}
	fwd := &assocType{id: s.newTypeID(), category: catUserDefined, label: in.Label, name: in.Name, from: ft.id, to: tt.id}
	created := []*assocType{fwd}
	if ft.id == tt.id && in.InverseLabel == "" {
		fwd.inverse = fwd.id
	} else {
		inv := &assocType{id: s.newTypeID(), category: catUserDefined, label: firstNonEmpty(in.InverseLabel, in.Label), name: in.Name, from: tt.id, to: ft.id, inverse: fwd.id}
		fwd.inverse = inv.id
		created = append(created, inv)
	}
	ids := make([]int32, len(created))
	for i, at := range created {
		s.defineType(at)
		ids[i] = at.id
	}
	return answer(200, map[string]any{"results": s.typesJSON(ids)})
}

// userLabel returns the USER_DEFINED type id of direction ft→tt.
func (s *Server) userLabel(ft, tt *objType, id int32) (*assocType, *failure) {
	at := s.atypes[id]
	if at == nil || at.category != catUserDefined || at.label == "" || at.from != ft.id || at.to != tt.id {
		return nil, newFailure(404, catNotFound, "No association label with associationTypeId %d from %s to %s", id, ft.id, tt.id)
	}
	return at, nil
}

// updateLabel answers PUT /crm/v4/associations/{from}/{to}/labels
// {associationTypeId, label, inverseLabel?}: 204; 403 below Professional.
func (s *Server) updateLabel(c *call) reply {
	var in labelBody
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	if labelLimitOf(s.currentTier()) == 0 {
		return s.labelsNotAvailable().reply()
	}
	at, f := s.userLabel(ft, tt, in.AssociationTypeID)
	if f != nil {
		return f.reply()
	}
	if in.Label = strings.TrimSpace(in.Label); in.Label == "" {
		return badRequest("label is required").reply()
	}
	at.label = in.Label
	if inv := s.atypes[at.inverse]; inv != at && strings.TrimSpace(in.InverseLabel) != "" {
		inv.label = strings.TrimSpace(in.InverseLabel)
	}
	return reply{status: 204}
}

// deleteLabel answers DELETE /crm/v4/associations/{from}/{to}/labels/{associationTypeId}:
// the type and its inverse are removed from the account and from every
// association (which keeps its unlabelled type); 204.
func (s *Server) deleteLabel(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	ft, tt, _, f := s.pairFor(c.path("from"), c.path("to"), assocWrite)
	if f != nil {
		return f.reply()
	}
	n, err := strconv.ParseInt(c.path("typeId"), 10, 32)
	if err != nil {
		return badRequest("associationTypeId must be a number").reply()
	}
	at, f := s.userLabel(ft, tt, int32(n))
	if f != nil {
		return f.reply()
	}
	for _, t := range []*assocType{at, s.atypes[at.inverse]} {
		k := pairKey{t.from, t.to}
		pd := s.pairs[k]
		pd.types = slices.DeleteFunc(pd.types, func(x int32) bool { return x == t.id })
		for from, es := range s.links[k] {
			for i := range es {
				es[i].types = slices.DeleteFunc(es[i].types, func(x int32) bool { return x == t.id })
			}
			s.links[k][from] = slices.DeleteFunc(es, func(e edge) bool { return len(e.types) == 0 })
		}
		delete(s.atypes, t.id)
	}
	return reply{status: 204}
}
