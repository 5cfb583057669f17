package hubspotsim

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Schemas API handlers (hubspot-api.md §6).

// maxCustomObjects is the number of custom objects an Enterprise account may
// define (§6: count-limited per tier).
const maxCustomObjects = 10

// schemaNameRe is the form of a schema name (§6: letters, digits,
// underscores; starts with a letter).
var schemaNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// schemaEgg is the ObjectSchemaEgg body (§6).
type schemaEgg struct {
	Name   string `json:"name"`
	Labels struct {
		Singular string `json:"singular"`
		Plural   string `json:"plural"`
	} `json:"labels"`
	Description                string           `json:"description"`
	Properties                 []propertyCreate `json:"properties"`
	RequiredProperties         []string         `json:"requiredProperties"`
	PrimaryDisplayProperty     string           `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties []string         `json:"secondaryDisplayProperties"`
	SearchableProperties       []string         `json:"searchableProperties"`
	AssociatedObjects          []string         `json:"associatedObjects"`
	AllowsSensitiveProperties  bool             `json:"allowsSensitiveProperties"`
}

// assocDefJSON is an AssociationDefinition of a schema (§6).
type assocDefJSON struct {
	ID               string `json:"id"`
	Name             string `json:"name,omitempty"`
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
}

// schemaJSON is the ObjectSchema of §6.
type schemaJSON struct {
	ID                         string            `json:"id"`
	ObjectTypeID               string            `json:"objectTypeId"`
	FullyQualifiedName         string            `json:"fullyQualifiedName"`
	Name                       string            `json:"name"`
	Labels                     map[string]string `json:"labels"`
	Description                string            `json:"description,omitempty"`
	RequiredProperties         []string          `json:"requiredProperties"`
	SearchableProperties       []string          `json:"searchableProperties"`
	PrimaryDisplayProperty     string            `json:"primaryDisplayProperty,omitempty"`
	SecondaryDisplayProperties []string          `json:"secondaryDisplayProperties"`
	Properties                 []propertyJSON    `json:"properties"`
	Associations               []assocDefJSON    `json:"associations"`
	Archived                   bool              `json:"archived"`
	AllowsSensitiveProperties  bool              `json:"allowsSensitiveProperties"` // required by the 2026-03 document
	CreatedAt                  string            `json:"createdAt"`
	UpdatedAt                  string            `json:"updatedAt"`
}

// noCustomObjects is the 403 for schema writes below Enterprise (§6; shape
// documented in doc.go).
func (s *Server) noCustomObjects() *failure {
	f := newFailure(403, catForbidden, "Custom objects require an Enterprise subscription; portal %d is on the %s tier.", s.portal, s.currentTier())
	f.body.SubCategory = "crm.schemas.CUSTOM_OBJECTS_NOT_AVAILABLE"
	return f
}

// assocDef renders an association type as a schema association.
func (s *Server) assocDef(id int32, ms int64) assocDefJSON {
	at := s.atypes[id]
	return assocDefJSON{ID: strconv.Itoa(int(id)), Name: at.name, FromObjectTypeID: at.from, ToObjectTypeID: at.to, CreatedAt: iso(ms), UpdatedAt: iso(ms)}
}

// schemaOf renders a custom object type.
func (s *Server) schemaOf(t *objType) schemaJSON {
	m := t.schema
	j := schemaJSON{
		ID: strconv.FormatInt(m.num, 10), ObjectTypeID: t.id, FullyQualifiedName: t.fqn, Name: t.name,
		Labels:      map[string]string{"singular": t.singular, "plural": t.plural},
		Description: m.description, RequiredProperties: nonNil(t.required), SearchableProperties: nonNil(t.searchable),
		PrimaryDisplayProperty: t.primary, SecondaryDisplayProperties: nonNil(t.secondary),
		Properties: []propertyJSON{}, Associations: []assocDefJSON{}, AllowsSensitiveProperties: m.allowsSensitive,
		CreatedAt: iso(m.created), UpdatedAt: iso(m.updated),
	}
	for _, p := range t.props {
		if !p.archived {
			j.Properties = append(j.Properties, propJSON(p))
		}
	}
	for _, id := range m.assocTypeIDs {
		if s.atypes[id] != nil {
			j.Associations = append(j.Associations, s.assocDef(id, m.created))
		}
	}
	return j
}

// nonNil returns v, or an empty slice for nil (JSON [] rather than null).
func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// customTypes returns the custom object types in creation order.
func (s *Server) customTypes() []*objType {
	var out []*objType
	for _, t := range s.types {
		if t.kind == kindCustom {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *objType) int { return int(a.schema.num - b.schema.num) })
	return out
}

// listSchemas answers GET /crm-object-schemas/v3/schemas (every tier; an
// account without custom objects lists none).
func (s *Server) listSchemas(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f := s.needScope("crm.schemas.custom.read"); f != nil {
		return f.reply()
	}
	out := []schemaJSON{}
	for _, t := range s.customTypes() {
		out = append(out, s.schemaOf(t))
	}
	return answer(200, map[string]any{"results": out})
}

// customType resolves {objectType} to a custom object type.
func (s *Server) customType(name string) (*objType, *failure) {
	if t := s.aliases[lower(name)]; t != nil && t.kind == kindCustom {
		return t, nil
	}
	return nil, newFailure(404, catNotFound, "Unable to find object type %s in portal %d", name, s.portal)
}

// getSchema answers GET /crm-object-schemas/v3/schemas/{objectType} by
// objectTypeId, fullyQualifiedName or name.
func (s *Server) getSchema(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if f := s.needScope("crm.schemas.custom.read"); f != nil {
		return f.reply()
	}
	t, f := s.customType(c.path("objectType"))
	if f != nil {
		return f.reply()
	}
	return answer(200, s.schemaOf(t))
}

// createSchema answers POST /crm-object-schemas/v3/schemas (§6): Enterprise
// only; objectTypeId "2-<n>", fullyQualifiedName "p{portal}_{name}",
// portal-specific association types for each associatedObjects entry.
func (s *Server) createSchema(c *call) reply {
	var in schemaEgg
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.needScope("crm.schemas.custom.write"); f != nil {
		return f.reply()
	}
	if s.currentTier() != TierEnterprise {
		return s.noCustomObjects().reply()
	}
	t, f := s.buildSchema(&in, c.ms)
	if f != nil {
		return f.reply()
	}
	var targets []*objType
	for _, name := range in.AssociatedObjects {
		tt, f := s.lookupType(name)
		if f != nil {
			return f.reply()
		}
		targets = append(targets, tt)
	}
	s.addType(t)
	s.nextSchema++
	for _, tt := range targets {
		if tt.id == t.id {
			continue
		}
		fwd, back := s.definePair(t, tt, c.ms)
		t.schema.assocTypeIDs = append(t.schema.assocTypeIDs, fwd, back)
	}
	return answer(201, s.schemaOf(t))
}

// buildSchema validates an egg and builds the type (not yet registered).
func (s *Server) buildSchema(in *schemaEgg, ms int64) (*objType, *failure) {
	switch {
	case !schemaNameRe.MatchString(in.Name):
		return nil, badRequest("Schema name %q is invalid: use letters, digits and underscores, starting with a letter", in.Name)
	case strings.TrimSpace(in.Labels.Singular) == "" || strings.TrimSpace(in.Labels.Plural) == "":
		return nil, badRequest("Some required fields were not set: [labels.singular, labels.plural]")
	case len(in.Properties) == 0:
		return nil, badRequest("A custom object needs at least one property")
	}
	fqn := fmt.Sprintf("p%d_%s", s.portal, in.Name)
	if old := s.aliases[lower(in.Name)]; old != nil || s.aliases[lower(fqn)] != nil {
		return nil, newFailure(409, catConflict, "An object type named %s already exists in portal %d", in.Name, s.portal)
	}
	if len(s.customTypes()) >= maxCustomObjects {
		return nil, badRequest("Portal %d already has %d custom objects, the most its subscription allows", s.portal, maxCustomObjects)
	}
	num := s.nextSchema
	t := newObjType("2-"+strconv.FormatInt(num, 10), in.Name, kindCustom)
	t.fqn, t.singular, t.plural = fqn, in.Labels.Singular, in.Labels.Plural
	t.errName = strings.ToUpper(fqn)
	t.schema = &schemaMeta{num: num, description: in.Description, created: ms, updated: ms, allowsSensitive: in.AllowsSensitiveProperties}
	group := in.Name + "_information"
	t.addGroup(group, in.Labels.Singular+" information")
	unique := 0
	for _, pc := range in.Properties {
		if pc.Type == "" {
			pc.Type, pc.FieldType = "string", firstNonEmpty(pc.FieldType, "text") // §6 defaults
		}
		pc.GroupName = firstNonEmpty(pc.GroupName, group)
		if t.groupByName[pc.GroupName] == nil {
			pc.GroupName = group
		}
		p, f := s.newProperty(t, pc, ms, unique)
		if f != nil {
			return nil, f
		}
		if p.unique {
			unique++
		}
		t.addProp(p)
	}
	t.addBuiltins(group, ms, objectSystemProps)
	t.setAlways("hs_createdate", "hs_lastmodifieddate", "hs_object_id")
	check := func(what string, names ...string) *failure {
		for _, n := range names {
			if p := t.prop(n); p == nil || p.sys != sysNone {
				return badRequest("%s %q is not a property of the schema", what, n)
			}
		}
		return nil
	}
	for _, c := range []*failure{
		check("requiredProperties entry", in.RequiredProperties...),
		check("secondaryDisplayProperties entry", in.SecondaryDisplayProperties...),
		check("searchableProperties entry", in.SearchableProperties...),
	} {
		if c != nil {
			return nil, c
		}
	}
	if in.PrimaryDisplayProperty != "" {
		if f := check("primaryDisplayProperty", in.PrimaryDisplayProperty); f != nil {
			return nil, f
		}
	}
	t.required = slices.Clone(in.RequiredProperties)
	t.primary = in.PrimaryDisplayProperty
	t.secondary = slices.Clone(in.SecondaryDisplayProperties)
	t.searchable = slices.Clone(in.SearchableProperties)
	if t.primary != "" && !slices.Contains(t.searchable, t.primary) {
		t.searchable = append(t.searchable, t.primary)
	}
	return t, nil
}

// createSchemaAssociation answers POST /crm-object-schemas/v3/schemas/{objectType}/associations
// {fromObjectTypeId, toObjectTypeId, name?}: the association types in both
// directions (§4, §6); 200 with the forward definition.
func (s *Server) createSchemaAssociation(c *call) reply {
	var in struct {
		FromObjectTypeID string `json:"fromObjectTypeId"`
		ToObjectTypeID   string `json:"toObjectTypeId"`
		Name             string `json:"name"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.writableCustomType(c.path("objectType"))
	if f != nil {
		return f.reply()
	}
	from, f := s.lookupType(firstNonEmpty(in.FromObjectTypeID, t.id))
	if f != nil {
		return f.reply()
	}
	to, f := s.lookupType(in.ToObjectTypeID)
	if f != nil {
		return f.reply()
	}
	if from != t && to != t {
		return badRequest("One side of the association must be %s", t.id).reply()
	}
	fwd, back := s.definePair(from, to, c.ms)
	if in.Name != "" {
		s.atypes[fwd].name = in.Name
	}
	for _, id := range []int32{fwd, back} {
		if !slices.Contains(t.schema.assocTypeIDs, id) {
			t.schema.assocTypeIDs = append(t.schema.assocTypeIDs, id)
		}
	}
	return answer(201, s.assocDef(fwd, c.ms)) // 201 per the schemas documents
}

// schemaPatch is the ObjectTypeDefinitionPatch body: nil fields are left
// as they are.
type schemaPatch struct {
	Labels *struct {
		Singular string `json:"singular"`
		Plural   string `json:"plural"`
	} `json:"labels"`
	Description                *string   `json:"description"`
	ClearDescription           bool      `json:"clearDescription"`
	RequiredProperties         *[]string `json:"requiredProperties"`
	PrimaryDisplayProperty     *string   `json:"primaryDisplayProperty"`
	SecondaryDisplayProperties *[]string `json:"secondaryDisplayProperties"`
	SearchableProperties       *[]string `json:"searchableProperties"`
}

// patchSchema answers PATCH /crm-object-schemas/v3/schemas/{objectType}
// (Enterprise, crm.schemas.custom.write): labels, description, required,
// display and searchable properties change; every property named must
// exist on the object first (400 otherwise, nothing changed). 200 with the
// object type definition.
func (s *Server) patchSchema(c *call) reply {
	var in schemaPatch
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.writableCustomType(c.path("objectType"))
	if f != nil {
		return f.reply()
	}
	check := func(what string, names []string) *failure {
		for _, n := range names {
			if p := t.prop(n); p == nil || p.sys != sysNone {
				return badRequest("%s %q is not a property of %s; create the property first", what, n, t.fqn)
			}
		}
		return nil
	}
	list := func(v *[]string) []string {
		if v == nil {
			return nil
		}
		return *v
	}
	var primary []string
	if in.PrimaryDisplayProperty != nil && *in.PrimaryDisplayProperty != "" {
		primary = []string{*in.PrimaryDisplayProperty}
	}
	for _, f := range []*failure{
		check("requiredProperties entry", list(in.RequiredProperties)),
		check("primaryDisplayProperty", primary),
		check("secondaryDisplayProperties entry", list(in.SecondaryDisplayProperties)),
		check("searchableProperties entry", list(in.SearchableProperties)),
	} {
		if f != nil {
			return f.reply()
		}
	}
	if in.Labels != nil {
		if strings.TrimSpace(in.Labels.Singular) == "" || strings.TrimSpace(in.Labels.Plural) == "" {
			return badRequest("labels needs both singular and plural").reply()
		}
		t.singular, t.plural = in.Labels.Singular, in.Labels.Plural
	}
	switch {
	case in.ClearDescription:
		t.schema.description = ""
	case in.Description != nil:
		t.schema.description = *in.Description
	}
	if in.RequiredProperties != nil {
		t.required = slices.Clone(*in.RequiredProperties)
	}
	if in.PrimaryDisplayProperty != nil {
		t.primary = *in.PrimaryDisplayProperty
	}
	if in.SecondaryDisplayProperties != nil {
		t.secondary = slices.Clone(*in.SecondaryDisplayProperties)
	}
	if in.SearchableProperties != nil {
		t.searchable = slices.Clone(*in.SearchableProperties)
	}
	if t.primary != "" && !slices.Contains(t.searchable, t.primary) {
		t.searchable = append(t.searchable, t.primary)
	}
	t.schema.updated = c.ms
	j := s.schemaOf(t)
	return answer(200, map[string]any{
		"id": j.ID, "objectTypeId": j.ObjectTypeID, "fullyQualifiedName": j.FullyQualifiedName, "name": j.Name,
		"labels": j.Labels, "description": j.Description, "requiredProperties": j.RequiredProperties,
		"searchableProperties": j.SearchableProperties, "primaryDisplayProperty": j.PrimaryDisplayProperty,
		"secondaryDisplayProperties": j.SecondaryDisplayProperties, "portalId": s.portal,
		"archived": false, "allowsSensitiveProperties": j.AllowsSensitiveProperties,
		"createdAt": j.CreatedAt, "updatedAt": j.UpdatedAt,
	})
}

// writableCustomType is the custom object a schema write names, once the
// token may write schemas (the scope is checked before the tier, so the two
// refusals differ) and the account has custom objects. s.mu is held.
func (s *Server) writableCustomType(objectType string) (*objType, *failure) {
	if f := s.needScope("crm.schemas.custom.write"); f != nil {
		return nil, f
	}
	if s.currentTier() != TierEnterprise {
		return nil, s.noCustomObjects()
	}
	return s.customType(objectType)
}
