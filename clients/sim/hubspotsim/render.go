package hubspotsim

import "strings"

// lower is strings.ToLower.
func lower(s string) string { return strings.ToLower(s) }

// lookupType resolves an object type as paths name it: "contacts",
// "contact", "0-1", "0-420", "listings", "2-N", a custom object's name or
// its fullyQualifiedName (§2, §6). The caller holds s.mu.
func (s *Server) lookupType(name string) (*objType, *failure) {
	t := s.aliases[lower(name)]
	if t == nil {
		return nil, badRequest("Unable to infer object type from: %s", name)
	}
	if t.kind == kindListing && !s.listings {
		return nil, listingsNotActivated(s.portal)
	}
	return t, nil
}

// listingsNotActivated is the simulator's answer for 0-420 while the
// Listings object is not activated (§7; shape documented in doc.go).
func listingsNotActivated(portal int) *failure {
	f := newFailure(403, catForbidden, "The listings object (0-420) is not activated in portal %d. A super admin can activate it in Settings > Data Management > Data Model; GET /crm/v3/object-library/enablement reports its state.", portal)
	f.body.SubCategory = "crm.objects.OBJECT_TYPE_NOT_ACTIVATED"
	return f.withContext("objectTypeId", "0-420")
}

// typeFor resolves the {type} wildcard and checks the record scope (§1).
// The caller holds s.mu.
func (s *Server) typeFor(c *call, write bool) (*objType, *failure) {
	t, f := s.lookupType(c.path("type"))
	if f != nil {
		return nil, f
	}
	if f := s.needScope(t.objectScope(write)); f != nil {
		return nil, f
	}
	return t, nil
}

// selection returns the properties to show for a read: the requested ones
// (unknown names are ignored) or the type's defaults, plus the system
// properties every record carries (§2).
func (t *objType) selection(requested []string) []*propDef {
	names := requested
	if len(names) == 0 {
		names = t.defaults
	}
	sel := make([]*propDef, 0, len(names)+len(t.always))
	for _, n := range names {
		if p := t.prop(n); p != nil {
			sel = appendMissing(sel, []*propDef{p})
		}
	}
	return appendMissing(sel, t.always)
}

// history returns the requested propertiesWithHistory definitions.
func (t *objType) history(requested []string) []*propDef {
	var out []*propDef
	for _, n := range requested {
		if p := t.prop(n); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// render builds the SimplePublicObject for r. Requested properties without
// a value are null (§2, contacts guide).
func (t *objType) render(r *record, sel, hist []*propDef) objectJSON {
	return t.renderView(r, r.vals, r.updated, sel, hist)
}

// renderView renders r with the given values (a search snapshot or the
// current ones).
func (t *objType) renderView(r *record, vals []string, updated int64, sel, hist []*propDef) objectJSON {
	created, upd := iso(r.created), iso(updated)
	props := make(propValues, len(sel))
	for i, p := range sel {
		var v string
		switch p.sys {
		case sysCreated:
			v = created
		case sysUpdated:
			v = upd
		default:
			v = t.value(r, vals, updated, p)
		}
		props[i] = propValue{p.name, v}
	}
	o := objectJSON{
		ID: idString(r.id), Properties: props,
		CreatedAt: created, UpdatedAt: upd, Archived: r.archived,
	}
	if r.archived {
		o.ArchivedAt = iso(r.archAt)
	}
	if len(hist) > 0 {
		o.PropertiesWithHistory = map[string][]historyJSON{}
		for _, p := range hist {
			h := []historyJSON{}
			if v := t.value(r, vals, updated, p); v != "" {
				h = append(h, historyJSON{Value: v, Timestamp: iso(updated), SourceType: "API"})
			}
			o.PropertiesWithHistory[p.name] = h
		}
	}
	return o
}
