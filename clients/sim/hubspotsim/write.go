package hubspotsim

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// propWrite is one validated property assignment ("" clears).
type propWrite struct {
	p *propDef
	v string
}

// plan is one validated write input: a create (rec nil) or an update.
type plan struct {
	rec    *record
	id     int64 // the record id; for a create, the id it will get
	writes []propWrite
	links  []pendingLink // associations given with a create (§3 create shape)
	isNew  bool
	trace  string
	key    *propDef // upsert: the idProperty
	fail   *failure
}

// pendingLink is an association requested inside a create input.
type pendingLink struct {
	to    *objType
	toID  int64
	types []int32
}

// writeCtx plans and applies the writes of one request. The caller holds
// s.mu for writing for the whole of planning and applying, so a request's
// checks and writes are atomic.
type writeCtx struct {
	s       *Server
	t       *objType
	ms      int64
	claims  map[ukey]int64 // unique values taken by earlier inputs of this request
	tmpID   int64          // id for the next planned create
	partial bool           // 207 mode: failed inputs do not fail the request
	faults  bool           // draw per-record faults (batch inputs)
	ui      bool           // a person's edit (EditObject, SeedContact)
	fatal   *failure       // fails the whole request even in 207 mode (a missing scope)
}

// newWriteCtx starts planning a request on t.
func (s *Server) newWriteCtx(t *objType, ms int64) *writeCtx {
	return &writeCtx{s: s, t: t, ms: ms, claims: map[ukey]int64{}, tmpID: s.nextID}
}

// planWrite validates one input's properties against rec (nil: create) and
// the unique indexes, and reserves its unique values and id.
func (w *writeCtx) planWrite(rec *record, props map[string]flex, create bool) *plan {
	pl := &plan{rec: rec, isNew: create}
	if rec != nil {
		pl.id = rec.id
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []propErr
	for _, name := range names {
		p := w.t.prop(name)
		if p == nil { // §3 PROPERTY_DOESNT_EXIST, exact message
			errs = append(errs, propErr{name, codeNoProperty, fmt.Sprintf("Property %q does not exist", name)})
			continue
		}
		if f := w.s.needSensitive(w.t, p, true); f != nil && !w.ui {
			pl.fail, w.fatal = f, f // a scope refusal answers for the whole request
			return pl
		}
		if p.sys != sysNone || p.readOnly && !(w.ui && p.uiWritable) { // §11, §13.9: read-only → 400
			errs = append(errs, propErr{name, codeReadOnly, fmt.Sprintf("%q is a read only property; its value cannot be set.", name)})
			continue
		}
		cur := ""
		if rec != nil {
			cur = rec.val(p.idx)
		}
		v, perr := normalize(p, props[name].s, cur)
		if perr != nil {
			errs = append(errs, *perr)
			continue
		}
		pl.writes = append(pl.writes, propWrite{p, v})
	}
	if create {
		for _, name := range w.t.required { // §6 requiredProperties, §7 hs_name
			if !pl.sets(name) {
				errs = append(errs, propErr{name, codeRequired, fmt.Sprintf("Required property %q is missing; a %s needs it to be created.", name, strings.ToLower(w.t.singular))})
			}
		}
	}
	if len(errs) > 0 {
		pl.fail = propertiesInvalid(w.s.portal, errs)
		return pl
	}
	if f := w.checkUnique(pl); f != nil {
		pl.fail = f
		return pl
	}
	if w.faults && w.s.faults.Record() {
		pl.fail = w.ruleRejection(pl)
		return pl
	}
	if create {
		pl.id = w.tmpID
		w.tmpID++
	}
	for _, pw := range pl.writes {
		for _, k := range w.t.uniqueKeys(pw.p, pw.v) {
			w.claims[k] = pl.id
		}
	}
	return pl
}

// sets reports whether the plan gives property name a non-empty value.
func (pl *plan) sets(name string) bool {
	for _, pw := range pl.writes {
		if pw.p.name == name && pw.v != "" {
			return true
		}
	}
	return false
}

// checkUnique enforces email uniqueness (§3, §11: additional emails too) and
// hasUniqueValue uniqueness (§5) against stored records and earlier inputs.
func (w *writeCtx) checkUnique(pl *plan) *failure {
	for _, pw := range pl.writes {
		if !pw.p.indexed() {
			continue
		}
		for _, k := range w.t.uniqueKeys(pw.p, pw.v) {
			if holder := w.t.uniq[k]; holder != 0 && holder != pl.id {
				return w.conflict(pw.p, holder)
			}
			if holder := w.claims[k]; holder != 0 && holder != pl.id {
				if !w.partial {
					// Nothing of this request will be written, so no
					// record holds the value yet: name the clash instead.
					return badRequest("Two inputs of this batch give %s the same value; unique values must be unique within a batch too.", pw.p.name).
						withContext("propertyName", pw.p.name)
				}
				return w.conflict(pw.p, holder)
			}
		}
	}
	return nil
}

// conflict is the 409 for a unique value held by record holder. For a
// contact's email it is exactly §3's "Contact already exists. Existing ID: N".
func (w *writeCtx) conflict(p *propDef, holder int64) *failure {
	if w.t.kind == kindContact && (p.email || p.multiEmail) {
		return newFailure(409, catConflict, "Contact already exists. Existing ID: %d", holder)
	}
	return newFailure(409, catConflict, "A %s with the same value of unique property %s already exists. Existing ID: %d",
		strings.ToLower(w.t.singular), p.name, holder)
}

// ruleRejection is an injected per-record failure: a property validation
// rule rejecting the input's first property (§0: rules apply to API writes).
func (w *writeCtx) ruleRejection(pl *plan) *failure {
	name := "hs_object_id"
	if len(pl.writes) > 0 {
		name = pl.writes[0].p.name
	}
	return propertiesInvalid(w.s.portal, []propErr{{name, codeRuleRejected,
		fmt.Sprintf("The value of %s does not meet the property validation rules of this account (simulated rejection).", name)}})
}

// traced adds the input's trace id to a failure (207 errors, §3).
func traced(f *failure, trace string) *apiError {
	e := f.body
	e.CorrelationID = ""
	e.Context = map[string][]string{}
	for k, v := range f.body.Context {
		e.Context[k] = v
	}
	e.Context["objectWriteTraceId"] = []string{trace}
	return &e
}

// apply writes a successful plan and returns its record.
func (w *writeCtx) apply(pl *plan) *record {
	s, t := w.s, w.t
	rec := pl.rec
	if rec == nil {
		rec = &record{id: pl.id, created: w.ms, updated: w.ms, vals: make([]string, len(t.props))}
		t.records[rec.id] = rec
		t.order = append(t.order, rec.id)
		if s.nextID <= rec.id {
			s.nextID = rec.id + 1
		}
		if s.searchLag > 0 {
			rec.visibleAt = w.ms + s.searchLag
		}
		for _, pw := range pl.writes {
			setVal(rec, pw.p, pw.v)
			t.index(rec, pw.p)
		}
		for _, l := range pl.links {
			s.link(t, rec.id, l.to, l.toID, l.types, false)
		}
		return rec
	}
	changed := false
	for _, pw := range pl.writes {
		if rec.val(pw.p.idx) != pw.v {
			changed = true
			break
		}
	}
	if !changed && !w.ui {
		return rec
	}
	if s.searchLag > 0 {
		if w.ms >= rec.visibleAt { // the previous version is what search shows
			rec.prev, rec.prevUpdated, rec.prevOK = slices.Clone(rec.vals), rec.updated, true
		}
		rec.visibleAt = w.ms + s.searchLag
	}
	for _, pw := range pl.writes {
		if rec.val(pw.p.idx) == pw.v {
			continue
		}
		if pw.p.indexed() {
			t.unindex(rec, pw.p)
		}
		setVal(rec, pw.p, pw.v)
		if pw.p.indexed() {
			t.index(rec, pw.p)
		}
	}
	switch {
	case w.ui: // a person's edit always moves updatedAt forward
		rec.updated = max(w.ms, rec.updated+1)
	case w.ms > rec.updated:
		rec.updated = w.ms
	}
	return rec
}

// setVal stores v as r's value of p.
func setVal(r *record, p *propDef, v string) {
	if p.idx >= len(r.vals) {
		if v == "" {
			return
		}
		r.vals = append(r.vals, make([]string, p.idx+1-len(r.vals))...)
	}
	r.vals[p.idx] = v
}

// archive moves r to the recycle bin (§2): its unique values are released
// and its associations removed.
func (s *Server) archive(t *objType, r *record, ms int64) {
	if r.archived {
		return
	}
	for _, p := range t.props {
		if p.indexed() {
			t.unindex(r, p)
		}
	}
	r.archived, r.archAt = true, ms
	s.unlinkAll(t, r.id)
}

// written lists the properties a write result shows: those written plus the
// system ones.
func (t *objType) written(pl *plan, extra *propDef) []*propDef {
	sel := make([]*propDef, 0, len(pl.writes)+len(t.always)+1)
	for _, pw := range pl.writes {
		sel = append(sel, pw.p)
	}
	if extra != nil {
		sel = appendMissing(sel, []*propDef{extra}) // the upsert key is often among the writes
	}
	return appendMissing(sel, t.always)
}

// appendMissing appends the properties of add that sel lacks.
func appendMissing(sel, add []*propDef) []*propDef {
	for _, p := range add {
		if !slices.Contains(sel, p) {
			sel = append(sel, p)
		}
	}
	return sel
}
