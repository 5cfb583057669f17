package hubspotsim

import (
	"strings"
)

// Object batch handlers (hubspot-api.md §3).

// batchMax is the object batch input limit (§3 "Max 100 inputs per request").
const batchMax = 100

// batchWriteInput is one input of batch create/update/upsert (§3 shapes).
type batchWriteInput struct {
	ID           flex            `json:"id"`
	IDProperty   string          `json:"idProperty"`
	Properties   map[string]flex `json:"properties"`
	TraceID      string          `json:"objectWriteTraceId"`
	Associations []createAssoc   `json:"associations"`
}

// batchBody is a batch request body.
type batchBody struct {
	Inputs                []batchWriteInput `json:"inputs"`
	IDProperty            string            `json:"idProperty"`
	Properties            []string          `json:"properties"`
	PropertiesWithHistory []string          `json:"propertiesWithHistory"`
}

// tooManyInputs is the 400 for an oversized batch (§3).
func tooManyInputs(n, max int) *failure {
	return badRequest("Too many inputs: %d. A batch request accepts at most %d inputs.", n, max).
		withContext("inputs", itoa(n)).withContext("max", itoa(max))
}

// decodeBatch decodes and size-checks a batch body.
func decodeBatch(c *call, max int) (*batchBody, *failure) {
	var in batchBody
	if f := decodeJSON(c.body, &in); f != nil {
		return nil, f
	}
	if len(in.Inputs) > max {
		return nil, tooManyInputs(len(in.Inputs), max)
	}
	return &in, nil
}

// allTraced reports whether every input carries an objectWriteTraceId,
// which turns on 207 multi-status (§3).
func allTraced(in []batchWriteInput) bool {
	if len(in) == 0 {
		return false
	}
	for _, x := range in {
		if x.TraceID == "" {
			return false
		}
	}
	return true
}

// duplicateIDs returns the values that occur more than once (first
// occurrences, in order); fold lower-cases before comparing (email).
func duplicateIDs(ids []string, fold bool) []string {
	first := make(map[string]string, len(ids))
	reported := map[string]bool{}
	var dups []string
	for _, id := range ids {
		k := id
		if fold {
			k = strings.ToLower(id)
		}
		f, ok := first[k]
		switch {
		case !ok:
			first[k] = id
		case !reported[k]:
			reported[k] = true
			dups = append(dups, f)
		}
	}
	return dups
}

// duplicateIDsFailure is the whole-request 400 of §3 / §13.4, exact message.
func duplicateIDsFailure(dups []string) *failure {
	return badRequest("Duplicate IDs found in batch input: %s. IDs must be unique", listString(dups)).withContext("ids", dups...)
}

// finish answers a planned batch. In partial (207) mode failed inputs
// become errors carrying their trace id and the rest are written; otherwise
// the first failure answers for the whole request and nothing is written.
//
// With VariantBatch409 a contact input whose email another contact holds
// fails the whole request with its 409, trace ids or not; with
// VariantNoEcho the results carry neither trace ids nor any but the system
// properties, in shuffled order.
//
// With VariantBatch409 a contact input whose email another contact holds
// fails the whole request with its 409, trace ids or not; with
// VariantNoEcho the results carry neither trace ids nor any but the system
// properties, in shuffled order.
func (w *writeCtx) finish(plans []*plan, okStatus int, result func(*plan, *record) objectJSON) reply {
	if f := w.batchConflict(plans); f != nil {
		return f.reply()
	}
	if f := w.batchConflict(plans); f != nil {
		return f.reply()
	}
	if w.fatal != nil {
		return w.fatal.reply()
	}
	if !w.partial {
		for _, pl := range plans {
			if pl.fail != nil {
				return pl.fail.reply()
			}
		}
	}
	results := make([]objectJSON, 0, len(plans))
	var errs []*apiError
	for _, pl := range plans {
		if pl.fail != nil {
			errs = append(errs, traced(pl.fail, pl.trace))
			continue
		}
		o := result(pl, w.apply(pl))
		o.ObjectWriteTraceID = pl.trace
		results = append(results, o)
	}
	if w.s.Has(VariantNoEcho) {
		results = w.t.withoutEcho(results)
	}
	if w.s.Has(VariantNoEcho) {
		results = w.t.withoutEcho(results)
	}
	status := okStatus
	if len(errs) > 0 {
		status = 207
	}
	return answer(status, newBatch(w.ms, results, errs))
}

// batchCreate answers POST .../batch/create: 201, 207 with trace ids, or
// the first failure (409 duplicate email naming only the first, §3, §13.2).
func (s *Server) batchCreate(c *call) reply {
	in, f := decodeBatch(c, batchMax)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	w := s.newWriteCtx(t, c.ms)
	w.partial, w.faults = allTraced(in.Inputs), true
	plans := make([]*plan, len(in.Inputs))
	for i, x := range in.Inputs {
		var pl *plan
		if links, lf := s.planLinks(t, x.Associations); lf != nil {
			pl = &plan{fail: lf}
		} else {
			pl = w.planWrite(nil, x.Properties, true)
			pl.links = links
		}
		pl.trace = x.TraceID
		plans[i] = pl
	}
	return w.finish(plans, 201, func(pl *plan, r *record) objectJSON { return t.render(r, t.written(pl, nil), nil) })
}

// batchUpdate answers POST .../batch/update (§3): by record id, or by a
// hasUniqueValue idProperty; email on contacts and hs_object_id are
// rejected as non-unique.
func (s *Server) batchUpdate(c *call) reply {
	in, f := decodeBatch(c, batchMax)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	keys := make([]*propDef, len(in.Inputs))
	ids := make([]string, len(in.Inputs))
	for i, x := range in.Inputs {
		if name := firstNonEmpty(x.IDProperty, in.IDProperty); name != "" {
			if keys[i], f = s.keyProperty(t, name, false); f != nil {
				return f.reply()
			}
		}
		if ids[i] = x.ID.s; ids[i] == "" {
			return badRequest("inputs[%d].id is required", i).reply()
		}
	}
	if dups := duplicateIDs(ids, false); len(dups) > 0 {
		return duplicateIDsFailure(dups).reply()
	}
	w := s.newWriteCtx(t, c.ms)
	w.partial, w.faults = allTraced(in.Inputs), true
	plans := make([]*plan, len(in.Inputs))
	for i, x := range in.Inputs {
		var r *record
		if keys[i] == nil {
			if id, ok := parseID(ids[i]); ok {
				r = t.live(id)
			}
		} else {
			r = t.live(t.uniq[t.lookupKey(keys[i], ids[i])])
		}
		if r == nil {
			plans[i] = &plan{fail: s.someMissing(t, 404, ids[i]), trace: x.TraceID}
			continue
		}
		plans[i] = w.planWrite(r, x.Properties, false)
		plans[i].trace = x.TraceID
	}
	return w.finish(plans, 200, func(pl *plan, r *record) objectJSON { return t.render(r, t.written(pl, nil), nil) })
}

// someMissing is the OBJECT_NOT_FOUND error naming ids that do not exist.
func (s *Server) someMissing(t *objType, status int, ids ...string) *failure {
	return newFailure(status, catNotFound, "Could not get some %s objects, they may be deleted or not exist. Check that ids are valid.", t.errName).
		withContext("ids", ids...)
}

// batchUpsert answers POST .../batch/upsert (§3): idProperty must be a
// hasUniqueValue property or email on contacts; each result says "new";
// 207 with trace ids, except that upserts keyed by email are
// all-or-nothing ("partial upserts are not supported", §3).
func (s *Server) batchUpsert(c *call) reply {
	in, f := decodeBatch(c, batchMax)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	keys := make([]*propDef, len(in.Inputs))
	ids := make([]string, len(in.Inputs))
	byEmail := false
	for i, x := range in.Inputs {
		name := firstNonEmpty(x.IDProperty, in.IDProperty)
		if name == "" {
			return badRequest("inputs[%d].idProperty is required for upsert: name a property with unique values", i).reply()
		}
		if keys[i], f = s.keyProperty(t, name, true); f != nil {
			return f.reply()
		}
		byEmail = byEmail || keys[i].email
		if ids[i] = strings.TrimSpace(x.ID.s); ids[i] == "" {
			return badRequest("inputs[%d].id is required: the value of %s to upsert by", i, name).reply()
		}
	}
	if dups := duplicateIDs(ids, byEmail); len(dups) > 0 { // §3, §13.4
		return duplicateIDsFailure(dups).reply()
	}
	w := s.newWriteCtx(t, c.ms)
	w.partial, w.faults = allTraced(in.Inputs) && !byEmail, true
	plans := make([]*plan, len(in.Inputs))
	for i, x := range in.Inputs {
		r := t.live(t.uniq[t.lookupKey(keys[i], ids[i])])
		props := x.Properties
		if r == nil { // create with the key value set
			props = make(map[string]flex, len(x.Properties)+1)
			for k, v := range x.Properties {
				props[k] = v
			}
			props[keys[i].name] = flex{s: ids[i]}
		}
		pl := w.planWrite(r, props, r == nil)
		pl.trace, pl.key = x.TraceID, keys[i]
		plans[i] = pl
	}
	return w.finish(plans, 200, func(pl *plan, r *record) objectJSON {
		o := t.render(r, t.written(pl, pl.key), nil)
		o.New = &pl.isNew
		return o
	})
}

// batchRead answers POST .../batch/read (§3): by id or unique idProperty
// (email finds additional emails too, §11); 207 when some ids are missing.
func (s *Server) batchRead(c *call) reply {
	in, f := decodeBatch(c, batchMax)
	if f != nil {
		return f.reply()
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, f := s.typeFor(c, false)
	if f != nil {
		return f.reply()
	}
	var key *propDef
	if in.IDProperty != "" && in.IDProperty != "hs_object_id" {
		if key, f = s.keyProperty(t, in.IDProperty, true); f != nil {
			return f.reply()
		}
	}
	if f := s.readable(t, in.Properties, in.PropertiesWithHistory); f != nil {
		return f.reply()
	}
	archived := c.queryBool("archived")
	sel, hist := t.selection(in.Properties), t.history(in.PropertiesWithHistory)
	results := []objectJSON{}
	seen := map[int64]bool{}
	var missing []string
	for _, x := range in.Inputs {
		var r *record
		if key == nil {
			if id, ok := parseID(x.ID.s); ok {
				if rr := t.records[id]; rr != nil && rr.archived == archived {
					r = rr
				}
			}
		} else if !archived {
			r = t.live(t.uniq[t.lookupKey(key, x.ID.s)])
		}
		switch {
		case r == nil:
			missing = append(missing, x.ID.s)
		case !seen[r.id]:
			seen[r.id] = true
			results = append(results, t.render(r, sel, hist))
		}
	}
	if len(missing) > 0 {
		e := s.someMissing(t, 404, missing...).body
		return answer(207, newBatch(c.ms, results, []*apiError{&e}))
	}
	return answer(200, newBatch(c.ms, results, nil))
}

// batchArchive answers POST .../batch/archive: 204, missing ids ignored (§3).
func (s *Server) batchArchive(c *call) reply {
	in, f := decodeBatch(c, batchMax)
	if f != nil {
		return f.reply()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, f := s.typeFor(c, true)
	if f != nil {
		return f.reply()
	}
	for _, x := range in.Inputs {
		if id, ok := parseID(x.ID.s); ok {
			if r := t.live(id); r != nil {
				s.archive(t, r, c.ms)
			}
		}
	}
	return reply{status: 204}
}

// firstNonEmpty returns the first non-empty string.
func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
