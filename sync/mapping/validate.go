package mapping

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// propertyName is HubSpot's rule for internal names: lower-case letters,
// digits and underscores, starting with a letter, at most 100 characters
// (reference/hubspot-api.md §5).
var propertyName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// validate checks the merged mapping as a whole.
func (l *loader) validate() {
	type writer struct {
		e Entity
		f Field
	}
	typed := map[string]map[string]writer{} // object → property → first writer
	keyOwner := map[string]map[string]Entity{}
	for _, e := range Entities() {
		if em := l.m.Entities[e]; em.Key != "" {
			if keyOwner[em.Target] == nil {
				keyOwner[em.Target] = map[string]Entity{}
			}
			keyOwner[em.Target][em.Key] = e
		}
	}
	for _, e := range Entities() {
		em, base := l.m.Entities[e], l.base.Entities[e]
		if bki := base.keyField(); em.Key != "" && bki >= 0 {
			bk := base.Fields[bki]
			if ki := em.keyField(); ki < 0 {
				l.errorf(em.Line, "entity %s has no field writing its key %s; keep the field %s", e, em.Key, describeField(bk))
			} else if kf := em.Fields[ki]; kf.Source != bk.Source || kf.Transform != bk.Transform || kf.Value != bk.Value {
				l.errorf(kf.Line, "the key %s must be written by %s with transform %q", em.Key, describeField(bk), bk.Transform)
			}
		}
		if typed[em.Target] == nil {
			typed[em.Target] = map[string]writer{}
		}
		seen := map[string]Field{}
		for _, f := range em.Fields {
			if prev, dup := seen[f.Target]; dup {
				l.errorf(lineOf(f, prev), "property %s is written twice in %s: by %s and by %s; map each property once (add omit: true to the field you do not want)", f.Target, e, describeField(prev), describeField(f))
				continue
			}
			seen[f.Target] = f
			l.checkTarget(e, em, f, keyOwner)
			if f.Source != "" {
				src := sourceSets[e][f.Source]
				if tr := transforms[f.Transform]; !tr.takes(src.kind) {
					l.errorf(f.Line, "transform %s cannot convert %s, which is %s; use one of %s", f.Transform, f.Source, src.kind, strings.Join(transformsFor(src.kind), ", "))
				}
			}
			if f.Source == "TaxId" && !l.m.Options.SyncTaxID {
				l.errorf(f.Line, "TaxId is not synced unless tax-id sync is switched on: national ids need HubSpot's highly-sensitive data setting (Enterprise); remove this field")
			}
			if prev, ok := typed[em.Target][f.Target]; ok && prev.e != e {
				pt, ft := transforms[prev.f.Transform].typ, transforms[f.Transform].typ
				if pt != ft && f.Target != em.Key {
					l.errorf(lineOf(f, prev.f), "property %s is %s in %s but %s in %s: one HubSpot property has one type", f.Target, article(pt), prev.e, article(ft), e)
				}
			} else if !ok {
				typed[em.Target][f.Target] = writer{e, f}
			}
		}
		for _, t := range em.RequireOneOf {
			if _, ok := seen[t]; !ok {
				l.errorf(em.Line, "require_one_of names %q, which no field of %s writes", t, e)
			}
		}
	}
}

// checkTarget validates a field's target property name.
func (l *loader) checkTarget(e Entity, em *EntityMapping, f Field, keyOwner map[string]map[string]Entity) {
	t := f.Target
	switch {
	case !propertyName.MatchString(t):
		l.errorf(f.Line, "target %q is not a HubSpot property name: use lower-case letters, digits and underscores, starting with a letter (e.g. buildium_%s)", t, snake(t))
	case readOnly[t]:
		l.errorf(f.Line, "target %s is read-only in HubSpot: writing it fails the whole batch; map %s to a buildium_ property instead", t, describeField(f))
	case em.Target == TargetUnit && strings.HasPrefix(t, "hs_"):
		l.errorf(f.Line, "target %s: names starting with hs_ are reserved by HubSpot; b2h creates the unit object's properties, so pick another name", t)
	case t == RecordTypeProperty:
		if bi := constantIndex(l.base.Entities[e], t); bi < 0 || f.Source != "" || f.Value != l.base.Entities[e].Fields[bi].Value {
			l.errorf(f.Line, "%s is set by b2h (property or unit listings) and cannot be mapped", t)
		}
	default:
		if owner, ok := keyOwner[em.Target][t]; ok && owner != e {
			l.errorf(f.Line, "target %s is the unique key of %s; writing it from %s would collide with those records", t, owner, e)
		}
	}
}

func constantIndex(em *EntityMapping, target string) int {
	for i, f := range em.Fields {
		if f.Source == "" && f.Target == target {
			return i
		}
	}
	return -1
}

// transformsFor lists the transforms that accept a source kind.
func transformsFor(k kind) []string {
	var out []string
	for _, n := range Transforms() {
		if transforms[n].takes(k) {
			out = append(out, n)
		}
	}
	return out
}

// lineOf picks the line of the field that came from the file.
func lineOf(a, b Field) int {
	if a.Line > 0 {
		return a.Line
	}
	return b.Line
}

func article(t string) string {
	switch t {
	case "enumeration":
		return "an enumeration"
	}
	return "a " + t
}

// snake turns any text into a property-name suffix for suggestions.
func snake(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" {
		return "field"
	}
	if len(out) > 40 {
		out = out[:40]
	}
	return out
}

// suggest returns ` (did you mean "x"?)` for the option closest to s, or
// "" when none is close.
func suggest(s string, options []string) string {
	best, bestD := "", 1<<30
	for _, o := range options {
		if strings.EqualFold(o, s) {
			return " (did you mean " + strconv.Quote(o) + "?)"
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(o)); d < bestD {
			best, bestD = o, d
		}
	}
	limit := utf8.RuneCountInString(s) / 3
	if limit < 2 {
		limit = 2
	}
	if best == "" || bestD > limit {
		return ""
	}
	return " (did you mean " + strconv.Quote(best) + "?)"
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and adjacent transpositions ("Emial" → "Email"
// is 1).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 100 || len(rb) > 100 {
		return 1 << 20
	}
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
