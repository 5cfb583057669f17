package hubspotsim

import (
	"net/url"
	"strconv"
)

// Object list and single-record handlers (hubspot-api.md §2).

// listLimitMax is the object list page maximum (§2: default 10, max 100).
const listLimitMax = 100

// notFound is the 404 for a record that does not exist.
func notFound(id string) *failure {
	return newFailure(404, catNotFound, "Object not found.  objectId are usually numeric.").withContext("id", id)
}

// nonUniqueKey is the 400 for an idProperty that is not a unique property
// (§3, §13.5), exact message.
func (s *Server) nonUniqueKey(t *objType, name string) *failure {
	return badRequest("Unable to perform update/upsert by non-unique %s property %s in portal ID %d", t.id, name, s.portal)
}

// keyProperty resolves an idProperty: a hasUniqueValue property, or email on
// contacts when allowEmail (§2, §3). hs_object_id is not unique (§3).
func (s *Server) keyProperty(t *objType, name string, allowEmail bool) (*propDef, *failure) {
	p := t.prop(name)
	if p != nil && (p.unique || allowEmail && p.email) {
		return p, nil
	}
	return nil, s.nonUniqueKey(t, name)
}

// findRecord finds a live (or, with archived, an archived) record by id or
// by a unique idProperty value. An additional email finds its contact (§11).
func (s *Server) findRecord(t *objType, key, idProperty string, archived bool) (*record, *failure) {
	if idProperty == "" || idProperty == "hs_object_id" {
		id, ok := parseID(key)
		if r := t.records[id]; ok && r != nil && r.archived == archived {
			return r, nil
		}
		return nil, notFound(key)
	}
	p, f := s.keyProperty(t, idProperty, true)
	if f != nil {
		return nil, f
	}
	if id := t.uniq[t.lookupKey(p, key)]; id != 0 && !archived {
		if r := t.live(id); r != nil {
			return r, nil
		}
	}
	return nil, notFound(key)
}

// listObjects answers GET /crm/v3/objects/{type} (§2): pages by ascending
// id, paging.next.after is the next record's id.
func (s *Server) listObjects(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.typeFor(c, false)
	if f != nil {
		return f.reply()
	}
	limit := 10
	if v := c.query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > listLimitMax {
			return badRequest("limit must be a whole number between 1 and %d, got %q", listLimitMax, v).reply()
		}
		limit = n
	}
	var after int64
	if v := c.query("after"); v != "" {
		n, ok := parseID(v)
		if !ok {
			return badRequest("after must be a record id returned in paging.next.after, got %q", v).reply()
		}
		after = n
	}
	if f := s.readable(t, c.queryList("properties"), c.queryList("propertiesWithHistory")); f != nil {
		return f.reply()
	}
	archived := c.queryBool("archived")
	sel, hist := t.selection(c.queryList("properties")), t.history(c.queryList("propertiesWithHistory"))
	results := make([]objectJSON, 0, limit)
	var next *record
	for i := t.firstAtOrAfter(after); i < len(t.order); i++ {
		r := t.records[t.order[i]]
		if r.archived != archived {
			continue
		}
		if len(results) == limit {
			next = r
			break
		}
		results = append(results, t.render(r, sel, hist))
	}
	out := map[string]any{"results": results}
	if next != nil {
		q := c.r.URL.Query()
		q.Set("after", idString(next.id))
		link := (&url.URL{Scheme: "http", Host: c.r.Host, Path: c.r.URL.Path, RawQuery: q.Encode()}).String()
		out["paging"] = map[string]any{"next": map[string]string{"after": idString(next.id), "link": link}}
	}
	return answer(200, out)
}

// getObject answers GET /crm/v3/objects/{type}/{id} (§2).
func (s *Server) getObject(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.typeFor(c, false)
	if f != nil {
		return f.reply()
	}
	if f := s.readable(t, c.queryList("properties"), c.queryList("propertiesWithHistory")); f != nil {
		return f.reply()
	}
	r, f := s.findRecord(t, c.path("id"), c.query("idProperty"), c.queryBool("archived"))
	if f != nil {
		return f.reply()
	}
	return answer(200, t.render(r, t.selection(c.queryList("properties")), t.history(c.queryList("propertiesWithHistory"))))
}

// singleInput is the body of a single create or patch.
type singleInput struct {
	Properties   map[string]flex `json:"properties"`
	Associations []createAssoc   `json:"associations"`
}

// createObject answers POST /crm/v3/objects/{type}: 201, or the first
// failure (409 "Contact already exists. Existing ID: N" for a duplicate
// email, §3).
func (s *Server) createObject(c *call) reply {
	var in singleInput
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	links, f := s.planLinks(t, in.Associations)
	if f != nil {
		return f.reply()
	}
	w := s.newWriteCtx(t, c.ms)
	pl := w.planWrite(nil, in.Properties, true)
	pl.links = links
	if pl.fail != nil {
		return pl.fail.reply()
	}
	r := w.apply(pl)
	return answer(201, t.render(r, t.written(pl, nil), nil))
}

// patchObject answers PATCH /crm/v3/objects/{type}/{id} (§2; ?idProperty=).
func (s *Server) patchObject(c *call) reply {
	var in singleInput
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	r, f := s.findRecord(t, c.path("id"), c.query("idProperty"), false)
	if f != nil {
		return f.reply()
	}
	w := s.newWriteCtx(t, c.ms)
	pl := w.planWrite(r, in.Properties, false)
	if pl.fail != nil {
		return pl.fail.reply()
	}
	w.apply(pl)
	return answer(200, t.render(r, t.written(pl, nil), nil))
}

// deleteObject answers DELETE /crm/v3/objects/{type}/{id}: the record moves
// to the recycle bin; a missing id also answers 204 (§2).
func (s *Server) deleteObject(c *call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	if id, ok := parseID(c.path("id")); ok {
		if r := t.live(id); r != nil {
			s.archive(t, r, c.ms)
		}
	}
	return reply{status: 204}
}
