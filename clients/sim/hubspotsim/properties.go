package hubspotsim

import (
	"regexp"
	"slices"
	"strings"
)

// Properties API handlers (hubspot-api.md §5).

// maxUniqueProps is the hasUniqueValue limit per object (§5).
const maxUniqueProps = 10

// propNameRe is the form of a property's internal name (≤ 100 chars, §5).
var propNameRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// fieldTypes lists the fieldTypes each type allows (§5 table).
var fieldTypes = map[string][]string{
	"string":       {"text", "textarea", "html", "phonenumber", "file", "calculation_equation"},
	"number":       {"number", "calculation_equation"},
	"date":         {"date"},
	"datetime":     {"date"},
	"enumeration":  {"select", "radio", "checkbox", "booleancheckbox", "calculation_equation"},
	"bool":         {"booleancheckbox", "calculation_equation"},
	"phone_number": {"phonenumber", "text"},
}

// propertyJSON is the Property of §5.
type propertyJSON struct {
	Name                 string   `json:"name"`
	Label                string   `json:"label"`
	Type                 string   `json:"type"`
	FieldType            string   `json:"fieldType"`
	Description          string   `json:"description"`
	GroupName            string   `json:"groupName"`
	Options              []option `json:"options"`
	DisplayOrder         int      `json:"displayOrder"`
	Calculated           bool     `json:"calculated"`
	ExternalOptions      bool     `json:"externalOptions"`
	HasUniqueValue       bool     `json:"hasUniqueValue"`
	Hidden               bool     `json:"hidden"`
	HubspotDefined       bool     `json:"hubspotDefined,omitempty"`
	ModificationMetadata struct {
		Archivable         bool `json:"archivable"`
		ReadOnlyDefinition bool `json:"readOnlyDefinition"`
		ReadOnlyOptions    bool `json:"readOnlyOptions"`
		ReadOnlyValue      bool `json:"readOnlyValue"`
	} `json:"modificationMetadata"`
	FormField       bool   `json:"formField"`
	DataSensitivity string `json:"dataSensitivity"`
	CreatedAt       string `json:"createdAt"`
	UpdatedAt       string `json:"updatedAt"`
	Archived        bool   `json:"archived"`
}

// propJSON renders a property definition.
func propJSON(p *propDef) propertyJSON {
	j := propertyJSON{
		Name: p.name, Label: p.label, Type: p.typ, FieldType: p.fieldType, Description: p.desc,
		GroupName: p.group, Options: p.options, DisplayOrder: p.displayOrder, Calculated: p.calculated,
		HasUniqueValue: p.unique, Hidden: p.hidden, HubspotDefined: p.hubspotDefined, ExternalOptions: p.external,
		FormField: p.formField, DataSensitivity: p.sensitivity,
		CreatedAt: iso(p.created), UpdatedAt: iso(p.updated), Archived: p.archived,
	}
	if j.Options == nil {
		j.Options = []option{}
	}
	j.ModificationMetadata.Archivable = !p.hubspotDefined
	j.ModificationMetadata.ReadOnlyDefinition = p.hubspotDefined
	j.ModificationMetadata.ReadOnlyOptions = p.hubspotDefined && p.readOnly
	j.ModificationMetadata.ReadOnlyValue = p.readOnly
	return j
}

// propertyCreate is the PropertyCreate body (§5).
type propertyCreate struct {
	Name            string   `json:"name"`
	Label           string   `json:"label"`
	Type            string   `json:"type"`
	FieldType       string   `json:"fieldType"`
	GroupName       string   `json:"groupName"`
	Description     string   `json:"description"`
	HasUniqueValue  bool     `json:"hasUniqueValue"`
	Hidden          bool     `json:"hidden"`
	FormField       *bool    `json:"formField"`
	DisplayOrder    *int     `json:"displayOrder"`
	Options         []option `json:"options"`
	DataSensitivity string   `json:"dataSensitivity"`
}

// newProperty validates a property definition for t (§5): required fields,
// name form and uniqueness (409), type/fieldType pairs, options, the
// hasUniqueValue limit and sensitive data (Enterprise only).
func (s *Server) newProperty(t *objType, in propertyCreate, ms int64, extraUnique int) (*propDef, *failure) {
	var missing []string
	for _, f := range [][2]string{{"groupName", in.GroupName}, {"name", in.Name}, {"label", in.Label}, {"type", in.Type}, {"fieldType", in.FieldType}} {
		if strings.TrimSpace(f[1]) == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		return nil, badRequest("Some required fields were not set: %s", listString(missing))
	}
	if !propNameRe.MatchString(in.Name) {
		return nil, badRequest("Property name %q is invalid: use lower-case letters, digits and underscores, starting with a letter (at most 100 characters)", in.Name)
	}
	if t.byName[in.Name] != nil {
		return nil, newFailure(409, catConflict, "Property named '%s' already exists.", in.Name).withContext("name", in.Name)
	}
	if t.groupByName[in.GroupName] == nil {
		return nil, badRequest("Property group %s does not exist for %s; create it with POST /crm/v3/properties/%s/groups", in.GroupName, t.id, t.id)
	}
	allowed, ok := fieldTypes[in.Type]
	if !ok {
		return nil, badRequest("Unknown property type %q; use one of string, number, date, datetime, enumeration, bool, phone_number", in.Type)
	}
	if !slices.Contains(allowed, in.FieldType) {
		return nil, badRequest("fieldType %s is not valid for type %s; use one of %s", in.FieldType, in.Type, listString(allowed))
	}
	opts := in.Options
	switch {
	case in.Type == "bool" || in.FieldType == "booleancheckbox":
		if len(opts) == 0 {
			opts = []option{{Label: "Yes", Value: "true", DisplayOrder: 0}, {Label: "No", Value: "false", DisplayOrder: 1}}
		}
	case in.Type == "enumeration" && in.FieldType != "calculation_equation":
		if len(opts) == 0 {
			return nil, badRequest("An enumeration property needs at least one option")
		}
	}
	seen := map[string]bool{}
	for _, o := range opts {
		if o.Value == "" || o.Label == "" {
			return nil, badRequest("Every option needs a label and a value")
		}
		if seen[o.Value] {
			return nil, badRequest("Option value %q is repeated", o.Value)
		}
		seen[o.Value] = true
	}
	if in.HasUniqueValue {
		if in.Type != "string" && in.Type != "number" {
			return nil, badRequest("hasUniqueValue is only available on string and number properties")
		}
		if t.uniqueCount()+extraUnique >= maxUniqueProps {
			return nil, badRequest("%s already has %d unique value properties; HubSpot allows at most %d per object", t.singular, t.uniqueCount()+extraUnique, maxUniqueProps)
		}
	}
	if f := s.checkSensitivity(t, in.DataSensitivity); f != nil {
		return nil, f
	}
	p := &propDef{
		name: in.Name, label: in.Label, typ: in.Type, fieldType: in.FieldType, group: in.GroupName,
		desc: in.Description, unique: in.HasUniqueValue, hidden: in.Hidden, formField: true,
		displayOrder: -1, sensitivity: in.DataSensitivity, created: ms, updated: ms,
		calculated: in.FieldType == "calculation_equation",
	}
	p.readOnly = p.calculated
	if in.FormField != nil {
		p.formField = *in.FormField
	}
	if in.DisplayOrder != nil {
		p.displayOrder = *in.DisplayOrder
	}
	p.setOptions(opts)
	return p, nil
}

// propTypeFor resolves {type} for the properties API and checks the scope:
// reads accept the object or schema read scope, writes need the schema
// write scope (§1).
func (s *Server) propTypeFor(c *call, write bool) (*objType, *failure) {
	t, f := s.lookupType(c.path("type"))
	if f != nil {
		return nil, f
	}
	if write {
		f = s.needScope(t.schemaScope(true))
	} else {
		f = s.needScope(t.objectScope(false), t.schemaScope(false))
	}
	return t, f
}

// listProperties answers GET /crm/v3/properties/{type}: sensitive
// properties only when ?dataSensitivity= asks for them (§5).
func (s *Server) listProperties(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.propTypeFor(c, false)
	if f != nil {
		return f.reply()
	}
	archived, sens := c.queryBool("archived"), firstNonEmpty(c.query("dataSensitivity"), "non_sensitive")
	out := []propertyJSON{}
	for _, p := range t.props {
		if p.archived == archived && p.sensitivity == sens {
			out = append(out, propJSON(p))
		}
	}
	return answer(200, map[string]any{"results": out})
}

// getProperty answers GET /crm/v3/properties/{type}/{name}.
func (s *Server) getProperty(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.propTypeFor(c, false)
	if f != nil {
		return f.reply()
	}
	p := t.byName[c.path("name")]
	if p == nil || p.archived != c.queryBool("archived") {
		return newFailure(404, catNotFound, "Unable to find property %s for object type %s", c.path("name"), t.id).reply()
	}
	return answer(200, propJSON(p))
}

// createProperty answers POST /crm/v3/properties/{type}: 201; the property
// is writable at once.
func (s *Server) createProperty(c *call) reply {
	var in propertyCreate
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.propTypeFor(c, true)
	if f != nil {
		return f.reply()
	}
	p, f := s.newProperty(t, in, c.ms, 0)
	if f != nil {
		return f.reply()
	}
	t.addProp(p)
	return answer(201, propJSON(p))
}

// patchProperty answers PATCH /crm/v3/properties/{type}/{name}: label,
// description, group, options, display order, hidden, formField.
// hasUniqueValue cannot change: it is ignored (§5).
func (s *Server) patchProperty(c *call) reply {
	var in struct {
		Label        *string  `json:"label"`
		Description  *string  `json:"description"`
		GroupName    *string  `json:"groupName"`
		Options      []option `json:"options"`
		DisplayOrder *int     `json:"displayOrder"`
		Hidden       *bool    `json:"hidden"`
		FormField    *bool    `json:"formField"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.propTypeFor(c, true)
	if f != nil {
		return f.reply()
	}
	p := t.prop(c.path("name"))
	if p == nil {
		return newFailure(404, catNotFound, "Unable to find property %s for object type %s", c.path("name"), t.id).reply()
	}
	if p.hubspotDefined && p.readOnly {
		return badRequest("Property %s is read-only and its definition cannot be changed", p.name).reply()
	}
	if in.GroupName != nil && t.groupByName[*in.GroupName] == nil {
		return badRequest("Property group %s does not exist for %s", *in.GroupName, t.id).reply()
	}
	if in.Options != nil {
		if p.typ != "enumeration" && p.typ != "bool" {
			return badRequest("Only enumeration properties have options").reply()
		}
		p.setOptions(in.Options)
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.label, in.Label)
	set(&p.desc, in.Description)
	set(&p.group, in.GroupName)
	if in.DisplayOrder != nil {
		p.displayOrder = *in.DisplayOrder
	}
	if in.Hidden != nil {
		p.hidden = *in.Hidden
	}
	if in.FormField != nil {
		p.formField = *in.FormField
	}
	p.updated = c.ms
	return answer(200, propJSON(p))
}

// batchCreateProperties answers POST /crm/v3/properties/{type}/batch/create:
// 201, or 207 with the inputs that failed (§5).
func (s *Server) batchCreateProperties(c *call) reply {
	var in struct {
		Inputs []propertyCreate `json:"inputs"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.propTypeFor(c, true)
	if f != nil {
		return f.reply()
	}
	results := []propertyJSON{}
	var errs []*apiError
	for _, x := range in.Inputs {
		p, f := s.newProperty(t, x, c.ms, 0)
		if f != nil {
			e := f.body
			e.CorrelationID = ""
			e.Context = map[string][]string{"name": {x.Name}}
			errs = append(errs, &e)
			continue
		}
		t.addProp(p)
		results = append(results, propJSON(p))
	}
	status := 201
	if len(errs) > 0 {
		status = 207
	}
	return answer(status, newBatch(c.ms, results, errs))
}

// nameInputs is {"inputs":[{"name":...}]}.
type nameInputs struct {
	Inputs []struct {
		Name string `json:"name"`
	} `json:"inputs"`
	Archived bool `json:"archived"`
}

// batchReadProperties answers POST /crm/v3/properties/{type}/batch/read.
func (s *Server) batchReadProperties(c *call) reply {
	var in nameInputs
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.propTypeFor(c, false)
	if f != nil {
		return f.reply()
	}
	results := []propertyJSON{}
	var missing []string
	for _, x := range in.Inputs {
		if p := t.byName[x.Name]; p != nil && p.archived == in.Archived {
			results = append(results, propJSON(p))
		} else {
			missing = append(missing, x.Name)
		}
	}
	if len(missing) > 0 {
		e := newFailure(404, catNotFound, "Unable to find some properties for object type %s", t.id).withContext("names", missing...).body
		return answer(207, newBatch(c.ms, results, []*apiError{&e}))
	}
	return answer(200, newBatch(c.ms, results, nil))
}

// batchArchiveProperties answers POST /crm/v3/properties/{type}/batch/archive:
// custom properties are archived; 204 regardless of state (§5).
func (s *Server) batchArchiveProperties(c *call) reply {
	var in nameInputs
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.propTypeFor(c, true)
	if f != nil {
		return f.reply()
	}
	for _, x := range in.Inputs {
		if p := t.prop(x.Name); p != nil && !p.hubspotDefined && t.primary != p.name && !slices.Contains(t.required, p.name) {
			p.archived, p.updated = true, c.ms
		}
	}
	return reply{status: 204}
}

// groupJSON is a property group (§5).
type groupJSON struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived"`
}

// listGroups answers GET /crm/v3/properties/{type}/groups.
func (s *Server) listGroups(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.propTypeFor(c, false)
	if f != nil {
		return f.reply()
	}
	out := []groupJSON{}
	for _, g := range t.groups {
		out = append(out, groupJSON{g.name, g.label, g.displayOrder, false})
	}
	return answer(200, map[string]any{"results": out})
}

// getGroup answers GET /crm/v3/properties/{type}/groups/{name}.
func (s *Server) getGroup(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.propTypeFor(c, false)
	if f != nil {
		return f.reply()
	}
	g := t.groupByName[c.path("name")]
	if g == nil {
		return newFailure(404, catNotFound, "Unable to find property group %s for object type %s", c.path("name"), t.id).reply()
	}
	return answer(200, groupJSON{g.name, g.label, g.displayOrder, false})
}

// createGroup answers POST /crm/v3/properties/{type}/groups {name,label,displayOrder}:
// 201; an existing name answers 409.
func (s *Server) createGroup(c *call) reply {
	var in struct {
		Name         string `json:"name"`
		Label        string `json:"label"`
		DisplayOrder *int   `json:"displayOrder"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.propTypeFor(c, true)
	if f != nil {
		return f.reply()
	}
	switch {
	case !propNameRe.MatchString(in.Name):
		return badRequest("Group name %q is invalid: use lower-case letters, digits and underscores, starting with a letter", in.Name).reply()
	case strings.TrimSpace(in.Label) == "":
		return badRequest("Some required fields were not set: [label]").reply()
	case t.groupByName[in.Name] != nil:
		return newFailure(409, catConflict, "Property group named '%s' already exists.", in.Name).reply()
	}
	g := t.addGroup(in.Name, in.Label)
	if in.DisplayOrder != nil {
		g.displayOrder = *in.DisplayOrder
	}
	return answer(201, groupJSON{g.name, g.label, g.displayOrder, false})
}
