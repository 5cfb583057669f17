package hubspot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// This file is the small schema language the contract digest
// (conformance_contract_test.go) is written in, and its checker. A shape is
// strict: an object field the digest does not list is a violation, in
// requests (b2h sending what HubSpot does not document) and in responses
// (the simulator inventing what HubSpot does not send), unless the shape is
// marked open.

// jsonKind is a JSON type as an OpenAPI document names it.
type jsonKind uint8

const (
	kString jsonKind = iota + 1
	kInteger
	kNumber
	kBoolean
	kObject // fixed fields
	kArray  // elem
	kMap    // free keys, elem values
	kAny    // any JSON value
)

var kindNames = map[jsonKind]string{kString: "string", kInteger: "integer", kNumber: "number", kBoolean: "boolean", kObject: "object", kArray: "array", kMap: "object", kAny: "any"}

// shape is one JSON schema of the digest.
type shape struct {
	kind     jsonKind
	fields   []field  // kObject
	elem     *shape   // kArray, kMap
	enum     []string // allowed values of a string
	dateTime bool     // a string in RFC 3339 form
	nullable bool     // null is allowed
	open     bool     // kObject: unlisted fields are allowed
	orInt    bool     // kString: an integer is allowed too
	// portalAny: in observed-portal mode (see checkMode) any value is
	// allowed; the documents' type holds only in spec mode.
	portalAny bool
}

// field is one named member of an object shape.
type field struct {
	name     string
	s        *shape
	required bool
	// portalsOmit: the documents require the field but real portals omit
	// it; it is required only in spec mode.
	portalsOmit bool
}

// checkMode selects how error shapes are held: specMode to the documents,
// portalMode to what real portals are observed to send (hubspot-api.md
// §10), which the simulator plays unless VariantSpecErrors is on.
type checkMode bool

const (
	portalMode checkMode = false
	specMode   checkMode = true
)

func str() *shape               { return &shape{kind: kString} }
func integer() *shape           { return &shape{kind: kInteger} }
func number() *shape            { return &shape{kind: kNumber} }
func boolean() *shape           { return &shape{kind: kBoolean} }
func dateTime() *shape          { return &shape{kind: kString, dateTime: true} }
func enumOf(v ...string) *shape { return &shape{kind: kString, enum: v} }
func arr(e *shape) *shape       { return &shape{kind: kArray, elem: e} }
func mapOf(e *shape) *shape     { return &shape{kind: kMap, elem: e} }
func anyValue() *shape          { return &shape{kind: kAny} }
func obj(f ...field) *shape     { return &shape{kind: kObject, fields: f} }

// openObj is an object whose unlisted fields are allowed.
func openObj(f ...field) *shape { return &shape{kind: kObject, fields: f, open: true} }

// orNull returns a copy of s that also accepts null.
func orNull(s *shape) *shape { c := *s; c.nullable = true; return &c }

// strOrInt is a string that may also come as an integer.
func strOrInt() *shape { return &shape{kind: kString, orInt: true} }

// portalAny returns a copy of s that accepts any value in portal mode.
func portalAnyOf(s *shape) *shape { c := *s; c.portalAny = true; return &c }

// portalsOmit returns a required field that real portals leave out.
func portalsOmit(name string, s *shape) field {
	return field{name: name, s: s, required: true, portalsOmit: true}
}

func req(name string, s *shape) field { return field{name: name, s: s, required: true} }
func opt(name string, s *shape) field { return field{name: name, s: s} }

// with returns a copy of object shape s with fields added or replaced.
func with(s *shape, f ...field) *shape {
	c := *s
	c.fields = slices.Clone(s.fields)
	for _, nf := range f {
		if i := slices.IndexFunc(c.fields, func(x field) bool { return x.name == nf.name }); i >= 0 {
			c.fields[i] = nf
		} else {
			c.fields = append(c.fields, nf)
		}
	}
	return &c
}

// required returns a copy of object shape s with the named fields made
// required.
func required(s *shape, names ...string) *shape {
	c := *s
	c.fields = slices.Clone(s.fields)
	for i := range c.fields {
		if slices.Contains(names, c.fields[i].name) {
			c.fields[i].required = true
		}
	}
	return &c
}

// checkBody decodes b and checks it against s, returning one line per
// violation (JSON paths start at "$").
func checkBody(s *shape, b []byte, mode checkMode) []string {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return []string{"$: not JSON: " + err.Error()}
	}
	var out []string
	s.check("$", v, &out, mode)
	return out
}

func (s *shape) check(at string, v any, out *[]string, mode checkMode) {
	bad := func(format string, a ...any) { *out = append(*out, at+": "+fmt.Sprintf(format, a...)) }
	if s.portalAny && mode == portalMode {
		return
	}
	if v == nil {
		if !s.nullable && s.kind != kAny {
			bad("null, want %s", kindNames[s.kind])
		}
		return
	}
	switch s.kind {
	case kAny:
	case kString:
		if n, isNum := v.(json.Number); isNum && s.orInt && !strings.ContainsAny(n.String(), ".eE") {
			return
		}
		x, ok := v.(string)
		if !ok {
			bad("%s, want string", typeName(v))
			return
		}
		if len(s.enum) > 0 && !slices.Contains(s.enum, x) {
			bad("%q is not one of %v", x, s.enum)
		}
		if s.dateTime {
			if _, err := time.Parse(time.RFC3339Nano, x); err != nil {
				bad("%q is not an RFC 3339 date-time", x)
			}
		}
	case kInteger:
		n, ok := v.(json.Number)
		if !ok || strings.ContainsAny(n.String(), ".eE") {
			bad("%s, want integer", typeName(v))
		}
	case kNumber:
		if _, ok := v.(json.Number); !ok {
			bad("%s, want number", typeName(v))
		}
	case kBoolean:
		if _, ok := v.(bool); !ok {
			bad("%s, want boolean", typeName(v))
		}
	case kArray:
		a, ok := v.([]any)
		if !ok {
			bad("%s, want array", typeName(v))
			return
		}
		for i, e := range a {
			s.elem.check(fmt.Sprintf("%s[%d]", at, i), e, out, mode)
		}
	case kMap:
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s, want object", typeName(v))
			return
		}
		for _, k := range sortedKeys(m) {
			s.elem.check(at+"."+k, m[k], out, mode)
		}
	case kObject:
		m, ok := v.(map[string]any)
		if !ok {
			bad("%s, want object", typeName(v))
			return
		}
		for _, f := range s.fields {
			x, present := m[f.name]
			if !present {
				if f.required && (mode == specMode || !f.portalsOmit) {
					bad("required field %q missing", f.name)
				}
				continue
			}
			f.s.check(at+"."+f.name, x, out, mode)
		}
		if s.open {
			return
		}
		for _, k := range sortedKeys(m) {
			if !slices.ContainsFunc(s.fields, func(f field) bool { return f.name == k }) {
				bad("field %q is not in the documented schema", k)
			}
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

// matchTemplate reports whether an escaped request path fits a template
// whose {name} segments stand for one non-empty segment each, and how many
// segments matched literally (the more, the more specific the template).
func matchTemplate(tmpl, path string) (bool, int) {
	ts, ps := strings.Split(strings.Trim(tmpl, "/"), "/"), strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return false, 0
	}
	literal := 0
	for i, t := range ts {
		switch {
		case strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}"):
			if ps[i] == "" {
				return false, 0
			}
		case t == ps[i]:
			literal++
		default:
			return false, 0
		}
	}
	return true, literal
}
