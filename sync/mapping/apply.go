package mapping

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// recordCtx is what the mapping of one record needs beyond its input.
type recordCtx struct {
	entity   Entity
	sourceID string
	name     string
	where    string // Buildium breadcrumb for hints, may contain {record}
	at       string // the record in Buildium by id ("tenant 4012"), for hints that quote a raw value
}

// mapRecord applies the entity's fields to in.
func (m *Mapping) mapRecord(c recordCtx, in *input) Record {
	rec := m.mapFields(c, in)
	rec.Hash = hashOrdered(rec.Target, rec.Properties, m.hashOrder(c.entity, false))
	return rec
}

// mapFields is mapRecord without the hash, for records that are only part
// of the one written (a unit's lease fields).
func (m *Mapping) mapFields(c recordCtx, in *input) Record {
	em := m.Entities[c.entity]
	rec := Record{
		Entity: c.entity, SourceID: c.sourceID, Key: c.sourceID, KeyProperty: em.Key,
		Target: em.Target, Name: singleLine(Sanitize(c.name)), Properties: make(map[string]string, len(em.Fields)+1),
	}
	cv := &conv{opts: m.Options}
	for _, f := range em.Fields {
		m.applyField(&rec, c, f, in, cv)
	}
	if em.Key != "" {
		rec.Properties[em.Key] = c.sourceID
	}
	if len(em.RequireOneOf) > 0 && !anySet(rec.Properties, em.RequireOneOf) {
		if m.promoteDropped(&rec, c.entity, em.RequireOneOf) {
			return rec
		}
		rec.Errors = append(rec.Errors, ValidationError{
			Severity: SeverityError, Entity: c.entity, SourceID: c.sourceID, Name: rec.Name, Field: strings.Join(em.RequireOneOf, ","),
			Rule: RuleRequired, Message: "has no " + orList(m.targetLabels(c.entity, em.RequireOneOf)) + ": HubSpot needs at least one",
			Hint: "add one in Buildium (" + c.where + ")",
		})
	}
	return rec
}

// applyField maps one field into rec.
func (m *Mapping) applyField(rec *Record, c recordCtx, f Field, in *input, cv *conv) {
	tr, ok := transforms[f.Transform]
	if !ok {
		tr = transforms[TransformString]
	}
	var v value
	label := f.Target
	if f.Source == "" {
		v = text(f.Value)
	} else {
		src, ok := sourceSets[c.entity][f.Source]
		if !ok {
			return // Load rejects unknown sources; a hand-built Mapping may not
		}
		v, label = src.get(in), src.label
	}
	// The value as read, for the rules and messages that quote it: most
	// fields have neither, and an address or a number costs a string.
	raw, rawDone := "", false
	rawValue := func() string {
		if !rawDone {
			raw, rawDone = singleLine(Sanitize(v.raw())), true
		}
		return raw
	}
	out, converted := "", true
	if v.set {
		out, converted = tr.apply(v, cv)
		if !converted && tr.keepRaw {
			out = v.raw()
		}
	}
	out, truncated := sanitize(out)
	dropped := false // an invalid address or option: not sent, and not cleared either
	if !tr.multiline {
		out = singleLine(out)
	}
	// A value no Buildium record can mean (implausible) is left off, with
	// a warning that replaces the format rule's and the transform's own.
	badMsg, badVal := implausible(f, v, out)
	newErr := func(kind, msg, hint string) ValidationError {
		val := out
		if val == "" {
			val = rawValue()
		}
		if kind == RuleImplausible {
			val = badVal
		}
		if kind != RuleEmail {
			// A huge value is quoted in part, with its length.
			var n int
			if val, n = boundQuote(val); n > 0 && kind != RuleMaxLength {
				msg += " (the value is " + formatThousands(n) + " characters long)"
			}
		}
		return ValidationError{
			Entity: c.entity, SourceID: c.sourceID, Name: rec.Name, Field: f.Target, Source: f.Source,
			Rule: kind, Value: val, Label: strings.ToLower(label), Message: msg,
			Hint: strings.ReplaceAll(hint, "{where}", c.where+" › "+label),
		}
	}
	if truncated {
		n := formatThousands(utf8.RuneCountInString(v.raw()))
		rec.warn(newErr(RuleMaxLength, "is "+n+" characters long, over HubSpot's 65,536-character limit, and was sent cut to the limit", "shorten it in Buildium ({where})"))
	}
	if badMsg != "" {
		rec.warn(newErr(RuleImplausible, badMsg, "fix it in Buildium ({where}) or clear it"))
		out, dropped = "", true
	}
	checked := false
	for _, r := range f.Rules {
		if r.Kind == tr.check {
			checked = true
			if badMsg != "" {
				continue // the implausible value's warning says it all
			}
		}
		msg, hint := checkRule(r, rawValue, out, cv)
		if msg == "" {
			continue
		}
		warning := r.severity() == SeverityWarning
		if r.Kind == RuleEmail {
			// An address HubSpot would refuse is left off: the rest of the
			// record still lands.
			out, dropped = "", true
			if warning {
				msg += "; it was left off, so HubSpot keeps its current value"
			}
		}
		if r.Message != "" {
			msg = r.Message
		}
		if strings.Contains(hint, "{at}") {
			at := c.at
			if at == "" {
				at = c.where
			}
			hint = strings.ReplaceAll(hint, "{at}", at+" › "+label)
		}
		ve := newErr(r.Kind, msg, hint)
		if warning {
			rec.warn(ve)
		} else {
			ve.Severity = SeverityError
			rec.Errors = append(rec.Errors, ve)
		}
	}
	if v.set && !converted && !checked && !tr.keepRaw && badMsg == "" {
		rec.warn(newErr("transform", "could not be converted ("+tr.doc+") and was not sent", "check it in Buildium ({where})"))
	}
	if m.fits != nil {
		var refused bool
		out, refused = m.fitValue(rec, f, out, newErr)
		dropped = dropped || refused
	}
	switch {
	case out != "":
		rec.Properties[f.Target] = out
	case f.Clear && !dropped:
		rec.Properties[f.Target] = ""
	}
}

// promoteDropped makes the warnings about invalid addresses among the
// properties of which one is required into errors, when the record has
// none of those properties: the address is then why the record cannot be
// sent. It reports whether there were any.
func (m *Mapping) promoteDropped(rec *Record, e Entity, required []string) bool {
	return rec.promote(func(ve ValidationError) bool {
		return ve.Rule == RuleEmail && slices.Contains(required, ve.Field)
	}, func(ve ValidationError) ValidationError {
		var others []string
		for _, t := range required {
			if t != ve.Field {
				others = append(others, t)
			}
		}
		ve.Message = emailProblem(NormalizeEmail(ve.Value))
		if len(others) > 0 {
			ve.Message += "; the " + e.noun() + " has no " + orList(m.targetLabels(e, others)) + " either, and HubSpot needs one of them"
		}
		return ve
	})
}

// checkRule returns the problem and the hint when value fails r, or "".
// raw gives the source value as read; out is the converted value.
func checkRule(r Rule, raw func() string, out string, cv *conv) (msg, hint string) {
	const fix = "fix it in Buildium ({where}) or clear it"
	switch r.Kind {
	case RuleRequired:
		if out == "" {
			return "is required", "add it in Buildium ({where})"
		}
	case RuleEmail:
		if e := NormalizeEmail(raw()); e != "" {
			if p := emailProblem(e); p != "" {
				return p, "fix it in Buildium ({at})"
			}
		}
	case RulePhone:
		if raw := raw(); raw != "" {
			if _, ok := cv.phone(raw); !ok {
				return "is not a phone number b2h can read; it is sent as written", "check it in Buildium ({where})"
			}
		}
	case RuleDate:
		if raw := raw(); raw != "" {
			if _, ok := Date(raw); !ok {
				return "is not a valid date (expected YYYY-MM-DD)", fix
			}
		}
	case RuleRegex:
		if re, err := compileRule(r.Arg); out != "" && err == nil && !re.MatchString(out) {
			return "does not match the pattern " + strconv.Quote(r.Arg), fix
		}
	case RuleMaxLength:
		if n, err := strconv.Atoi(r.Arg); err == nil && utf8.RuneCountInString(out) > n {
			return "is longer than " + r.Arg + " characters", "shorten it in Buildium ({where})"
		}
	case RuleOneOf:
		if out != "" && !inList(out, r.Arg) {
			return "is not one of " + strings.Join(splitList(r.Arg), ", "), fix
		}
	}
	return "", ""
}

var regexCache sync.Map // pattern → *regexp.Regexp

// compileRule compiles a regex rule's pattern once.
func compileRule(p string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(p); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	regexCache.Store(p, re)
	return re, nil
}

func splitList(arg string) []string {
	var out []string
	for _, s := range strings.Split(arg, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func inList(v, arg string) bool {
	for _, s := range splitList(arg) {
		if s == v {
			return true
		}
	}
	return false
}

func anySet(props map[string]string, names []string) bool {
	for _, n := range names {
		if props[n] != "" {
			return true
		}
	}
	return false
}

// targetLabels names targets by their source labels where a field of e
// writes them ("email", "first name"), else by the property name.
func (m *Mapping) targetLabels(e Entity, targets []string) []string {
	out := make([]string, len(targets))
	for i, t := range targets {
		out[i] = t
		for _, f := range m.Entities[e].Fields {
			if f.Target == t && f.Source != "" {
				if s, ok := sourceSets[e][f.Source]; ok {
					out[i] = strings.ToLower(s.label)
				}
				break
			}
		}
	}
	return out
}

// orList joins words as "a, b or c".
func orList(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}
