package mapping

import (
	"slices"
	"sort"
	"strings"
	"unicode"
)

// OptionFit says how one enumeration property that the mapping writes fits
// the options it has in the portal (FitOptions).
type OptionFit struct {
	// Target is the mapping target ("listings").
	Target string
	// Property is the enumeration property ("hs_listing_type").
	Property string
	// Fallback is the text property that keeps a value which is not an
	// option ("buildium_listing_type"); "" when every value b2h sends is
	// an option. The engine creates it: it is in Properties(Target).
	Fallback string
	// Missing are the values b2h sends that are not options in the portal,
	// sorted; nil also when the values cannot be known in advance (a
	// mapping file's free text), and Fallback is set then.
	Missing []string
}

// portalEnum is what the mapping knows of one enumeration property in the
// portal.
type portalEnum struct {
	options  []Option
	fallback string
}

// FitOptions tells the mapping the portal's options of target's
// enumeration properties (property name → its options, as listed by GET
// /crm/v3/properties/{object}; pass only enumeration properties). Only
// HubSpot's built-in properties are fitted: b2h defines the options of
// the ones it creates. After it, a value that matches an option (its
// value, else its label, ignoring case, else either ignoring case and
// punctuation) is sent as the portal's value; a value that matches none
// is not sent to the property, which HubSpot would refuse with
// INVALID_OPTION and the whole record with it: it goes to the fallback
// text property (buildium_ and the name without hs_), which is otherwise
// cleared, and the record carries a warning. It returns a fit for every
// fitted property, sorted by name.
//
// Call it once per target, after listing the target's properties and
// before mapping records (it changes the mapping: not while records are
// being mapped), then create what Properties(target) lists.
func (m *Mapping) FitOptions(target string, options map[string][]Option) []OptionFit {
	table := map[string]map[string]*portalEnum{}
	for t, byName := range m.fits {
		if t != target {
			table[t] = byName
		}
	}
	var out []OptionFit
	fitted := map[string]*portalEnum{}
	for _, e := range Entities() {
		em := m.Entities[e]
		if em == nil || em.Target != target {
			continue
		}
		for _, f := range em.Fields {
			opts, ok := options[f.Target]
			if !ok || !isBuiltIn(target, f.Target) || f.Target == em.Key || fitted[f.Target] != nil {
				continue
			}
			pe := &portalEnum{options: slices.Clone(opts)}
			fit := OptionFit{Target: target, Property: f.Target}
			values, known := sendable(f)
			for _, v := range values {
				if _, ok := pe.match(v); !ok {
					fit.Missing = append(fit.Missing, v)
				}
			}
			if !known || len(fit.Missing) > 0 {
				pe.fallback = "buildium_" + strings.TrimPrefix(f.Target, "hs_")
				fit.Fallback = pe.fallback
			}
			fitted[f.Target] = pe
			out = append(out, fit)
		}
	}
	if len(fitted) > 0 {
		table[target] = fitted
	}
	m.fits = table
	hashOrders.Range(func(k, _ any) bool {
		if k.(hashOrderKey).m == m {
			hashOrders.Delete(k)
		}
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Property < out[j].Property })
	return out
}

// sendable lists the values field f can send, sorted, and whether the
// list is complete (a constant, or a transform with a fixed set of
// results).
func sendable(f Field) ([]string, bool) {
	if f.Source == "" {
		return []string{f.Value}, true
	}
	switch f.Transform {
	case TransformListingType:
		vs := make([]string, 0, len(listingTypes))
		for _, v := range listingTypes {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		return slices.Compact(vs), true
	case TransformBool, TransformOccupied, TransformListed:
		var vs []string
		for _, o := range transforms[f.Transform].options {
			vs = append(vs, o.Value)
		}
		return vs, true
	}
	return nil, false
}

// match returns the portal's value for v: v itself when it is a value,
// else the option whose value or label equals it ignoring case, else one
// equal to it ignoring case and punctuation ("multi-family"). A value of
// several options ("a;b") matches when each part does.
func (pe *portalEnum) match(v string) (string, bool) {
	if strings.Contains(v, ";") {
		parts := strings.Split(v, ";")
		for i, p := range parts {
			mv, ok := pe.match(strings.TrimSpace(p))
			if !ok {
				return "", false
			}
			parts[i] = mv
		}
		return strings.Join(parts, ";"), true
	}
	for _, o := range pe.options {
		if o.Value == v {
			return o.Value, true
		}
	}
	for _, o := range pe.options {
		if strings.EqualFold(o.Value, v) || strings.EqualFold(o.Label, v) {
			return o.Value, true
		}
	}
	if lv := loose(v); lv != "" {
		for _, o := range pe.options {
			if loose(o.Value) == lv || loose(o.Label) == lv {
				return o.Value, true
			}
		}
	}
	return "", false
}

// loose keeps only the letters and digits of s, lower-cased.
func loose(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// portalEnum returns what FitOptions learnt of property name on target,
// or nil.
func (m *Mapping) portalEnum(target, name string) *portalEnum {
	return m.fits[target][name]
}

// fitValue applies the portal's options to the value out of field f: it
// returns the value to send ("" for none), whether out was refused, and
// sets the fallback property.
func (m *Mapping) fitValue(rec *Record, f Field, out string, newErr func(kind, msg, hint string) ValidationError) (string, bool) {
	pe := m.portalEnum(rec.Target, f.Target)
	if pe == nil {
		return out, false
	}
	if pe.fallback != "" {
		rec.Properties[pe.fallback] = ""
	}
	if out == "" {
		return "", false
	}
	if v, ok := pe.match(out); ok {
		return v, false
	}
	msg := "is not an option of " + f.Target + " in this portal; it was not sent"
	if pe.fallback != "" {
		rec.Properties[pe.fallback] = out
		msg = "is not an option of " + f.Target + " in this portal; it was kept in " + pe.fallback
	}
	ve := newErr("option", msg, "add the option in HubSpot (Settings › Properties › "+f.Target+") to use it")
	ve.Value, ve.Label = out, strings.ReplaceAll(strings.TrimPrefix(f.Target, "hs_"), "_", " ")
	rec.warn(ve)
	return "", true
}

// fallbackDefs are the definitions of target's fallback properties, by
// property name.
func (m *Mapping) fallbackDefs(target string) []PropertyDef {
	var names []string
	for name, pe := range m.fits[target] {
		if pe.fallback != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]PropertyDef, 0, len(names))
	for _, name := range names {
		fb := m.fits[target][name].fallback
		out = append(out, PropertyDef{
			Name: fb, Label: label(fb) + " (Buildium)", Type: "string", FieldType: "text", Group: PropertyGroup,
			Description: "Set by b2h: the value for " + name + " when it is not one of that property's options in this portal",
		})
	}
	return out
}
