package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a mapping file; real ones are a few kilobytes.
const MaxFileSize = 1 << 20

// LoadError is one problem in a mapping file, at a line. Load returns all
// the problems it finds, joined (errors.Join); errors.As finds the first.
type LoadError struct {
	// File is the mapping file's name as given to Load.
	File string
	// Line is the 1-based line, or 0 when the problem has no single line.
	Line int
	// Msg says what is wrong and, where possible, how to fix it.
	Msg string
}

// Error renders "mapping.yaml:12: field …".
func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// loader holds the state of one Load.
type loader struct {
	file string
	base *Mapping
	m    *Mapping
	errs []error
}

// maxErrors bounds the problems reported for one file.
const maxErrors = 50

func (l *loader) errorf(line int, format string, args ...any) {
	switch {
	case len(l.errs) < maxErrors:
		l.errs = append(l.errs, &LoadError{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)})
	case len(l.errs) == maxErrors:
		l.errs = append(l.errs, &LoadError{File: l.file, Msg: "more problems not shown; fix these first"})
	}
}

// Load reads a YAML mapping file and applies it on top of base (nil means
// Default(Options{})), returning a new Mapping; base is not modified. The
// file can change field targets, transforms, validation rules and Clear,
// add fields and constants, and omit fields. It cannot change an entity's
// target object (the account check chooses it) or its unique key (a new
// key would duplicate every record already synced). Every problem is
// reported with the file name and line, e.g.
//
//	mapping.yaml:12: field "Emial" is not a Buildium tenant field (did you mean "Email"?)
//
// The format is what Export writes; see Describe for the vocabulary.
// Within an entity's fields, an entry overrides the base field with the
// same source (and, for a source mapped twice, the same target) or the
// constant with the same target; other entries add fields. "omit: true"
// removes a field; "replace_fields: true" makes the list complete.
func Load(r io.Reader, name string, base *Mapping) (*Mapping, error) {
	if base == nil {
		base = Default(Options{})
	}
	if name == "" {
		name = "mapping file"
	}
	l := &loader{file: name, base: base, m: base.Clone()}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, &LoadError{File: name, Msg: "cannot read: " + err.Error()}
	}
	if len(data) > MaxFileSize {
		return nil, &LoadError{File: name, Msg: fmt.Sprintf("is larger than %d bytes; a mapping file is a few kilobytes", MaxFileSize)}
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			l.m.File = name
			return l.m, nil // an empty file changes nothing
		}
		return nil, l.yamlError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &LoadError{File: name, Line: extra.Line, Msg: "has a second YAML document; a mapping file holds one"}
	}
	if len(doc.Content) == 0 {
		l.m.File = name
		return l.m, nil
	}
	l.document(doc.Content[0])
	if len(l.errs) == 0 {
		l.validate()
	}
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	l.m.File = name
	return l.m, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a YAML syntax error into a LoadError with its line.
func (l *loader) yamlError(err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &LoadError{File: l.file, Line: n, Msg: "YAML syntax: " + m[2]}
	}
	return &LoadError{File: l.file, Msg: "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")}
}

// pairs walks a mapping node's key/value pairs, rejecting duplicate keys,
// non-scalar keys and keys not in allowed.
func (l *loader) pairs(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node)) {
	if !l.is(n, yaml.MappingNode, what) {
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.errorf(k.Line, "%s has a key that is not a name", what)
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			l.errorf(k.Line, "%q appears twice in %s (first on line %d)", k.Value, what, prev)
			continue
		}
		seen[k.Value] = k.Line
		if allowed != nil && !contains(allowed, k.Value) {
			l.errorf(k.Line, "unknown key %q in %s%s", k.Value, what, suggest(k.Value, allowed))
			continue
		}
		fn(k.Value, k, v)
	}
}

// is checks a node's kind, reporting anchors and aliases too.
func (l *loader) is(n *yaml.Node, k yaml.Kind, what string) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		l.errorf(n.Line, "%s uses a YAML anchor or alias; write the value out", what)
		return false
	}
	if n.Kind != k {
		l.errorf(n.Line, "%s must be %s", what, kindName(k))
		return false
	}
	return true
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "a mapping of keys to values"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a single value"
}

// scalar returns a scalar node's string value.
func (l *loader) scalar(n *yaml.Node, what string) (string, bool) {
	if !l.is(n, yaml.ScalarNode, what) {
		return "", false
	}
	return n.Value, true
}

// boolean returns a scalar node's boolean value.
func (l *loader) boolean(n *yaml.Node, what string) (bool, bool) {
	s, ok := l.scalar(n, what)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	l.errorf(n.Line, "%s must be true or false, not %q", what, s)
	return false, false
}

// strings returns a list of scalars (a single scalar counts as a list of one).
func (l *loader) list(n *yaml.Node, what string) ([]string, bool) {
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, true
	}
	if !l.is(n, yaml.SequenceNode, what) {
		return nil, false
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, ok := l.scalar(c, what+" entry")
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func (l *loader) document(root *yaml.Node) {
	l.pairs(root, "the mapping file", []string{"version", "entities"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if s, ok := l.scalar(v, "version"); ok && s != strconv.Itoa(Version) {
				l.errorf(v.Line, "version %q is not supported; this b2h reads version %d", s, Version)
			}
		case "entities":
			names := make([]string, 0, 5)
			for _, e := range Entities() {
				names = append(names, string(e))
			}
			l.pairs(v, "entities", nil, func(name string, k, v *yaml.Node) {
				e := Entity(name)
				if l.m.Entities[e] == nil {
					l.errorf(k.Line, "unknown entity %q%s; the entities are %s", name, suggest(name, names), strings.Join(names, ", "))
					return
				}
				l.entity(e, k.Line, v)
			})
		}
	})
}

var entityKeys = []string{"target", "key", "require_one_of", "replace_fields", "fields"}

func (l *loader) entity(e Entity, line int, n *yaml.Node) {
	em := l.m.Entities[e]
	em.Line = line
	what := "entity " + string(e)
	var fieldsNode *yaml.Node
	replace := false
	l.pairs(n, what, entityKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "target":
			if s, ok := l.scalar(v, "target"); ok && s != em.Target {
				hint := ""
				if e == Units || e == Leases {
					hint = unitTargetHint(em.Target)
				}
				l.errorf(v.Line, "%s is mapped to %q on this account, not %q: the target object is chosen by the account check (custom objects need Enterprise) and cannot be set in a mapping file%s", what, em.Target, s, hint)
			}
		case "key":
			if s, ok := l.scalar(v, "key"); ok && s != em.Key {
				l.errorf(v.Line, "the key of %s is %q and cannot be changed to %q: HubSpot records are matched by it, so a new key would create a second record for everything already synced", what, em.Key, s)
			}
		case "require_one_of":
			if ss, ok := l.list(v, "require_one_of"); ok {
				em.RequireOneOf = ss
			}
		case "replace_fields":
			replace, _ = l.boolean(v, "replace_fields")
		case "fields":
			fieldsNode = v
		}
	})
	if fieldsNode == nil {
		return
	}
	if replace {
		em.Fields = nil
	}
	if !l.is(fieldsNode, yaml.SequenceNode, what+" fields") {
		return
	}
	overridden := map[int]bool{}
	var omitted []int
	for _, item := range fieldsNode.Content {
		if idx, omit := l.field(e, em, item, overridden); omit {
			omitted = append(omitted, idx)
		}
	}
	if len(omitted) > 0 {
		drop := map[int]bool{}
		for _, i := range omitted {
			drop[i] = true
		}
		kept := em.Fields[:0]
		for i, f := range em.Fields {
			if !drop[i] {
				kept = append(kept, f)
			}
		}
		em.Fields = kept
	}
}

var fieldKeys = []string{"source", "target", "transform", "value", "clear", "rules", "omit"}

// field applies one fields entry. It returns the index of a field to
// omit, and whether to omit it.
func (l *loader) field(e Entity, em *EntityMapping, n *yaml.Node, overridden map[int]bool) (int, bool) {
	var (
		nf                                 Field
		hasSource, hasTarget, hasTransform bool
		hasValue, hasClear, hasRules, omit bool
	)
	nf.Line = n.Line
	before := len(l.errs)
	l.pairs(n, "a field", fieldKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "source":
			nf.Source, hasSource = l.scalar(v, "source")
			if hasSource {
				if _, ok := sourceSets[e][nf.Source]; !ok {
					l.errorf(v.Line, "field %q is not a Buildium %s field%s", nf.Source, e.noun(), suggest(nf.Source, SourceFields(e)))
					hasSource = false
				}
			}
		case "target":
			nf.Target, hasTarget = l.scalar(v, "target")
		case "transform":
			nf.Transform, hasTransform = l.scalar(v, "transform")
			if hasTransform {
				if _, ok := transforms[nf.Transform]; !ok {
					l.errorf(v.Line, "unknown transform %q%s; the transforms are %s", nf.Transform, suggest(nf.Transform, Transforms()), strings.Join(Transforms(), ", "))
					hasTransform = false
				}
			}
		case "value":
			nf.Value, hasValue = l.scalar(v, "value")
		case "clear":
			nf.Clear, hasClear = l.boolean(v, "clear")
		case "rules":
			nf.Rules, hasRules = l.rules(v)
		case "omit":
			omit, _ = l.boolean(v, "omit")
		}
	})
	if len(l.errs) > before {
		return 0, false
	}
	if hasSource && hasValue {
		l.errorf(n.Line, "a field has either a source or a constant value, not both")
		return 0, false
	}
	if !hasSource && !hasValue {
		l.errorf(n.Line, "a field needs a source (a Buildium field) or a value (a constant)")
		return 0, false
	}
	idx := l.match(em, nf, hasSource, hasTarget, overridden)
	if idx == -2 {
		return 0, false
	}
	if omit {
		if idx < 0 {
			l.errorf(n.Line, "omit: there is no field %s to omit", describeField(nf))
			return 0, false
		}
		if em.Key != "" && em.Fields[idx].Target == em.Key {
			l.errorf(n.Line, "the key field %s cannot be omitted: records are matched in HubSpot by %s", describeField(em.Fields[idx]), em.Key)
			return 0, false
		}
		overridden[idx] = true
		return idx, true
	}
	if idx >= 0 {
		old := em.Fields[idx]
		if old.Target == em.Key && em.Key != "" {
			if hasTarget && nf.Target != old.Target {
				l.errorf(n.Line, "the key field %s writes %s, the unique key; it cannot be remapped to %q: records are matched in HubSpot by %s, so a new target would duplicate every record", old.Source, old.Target, nf.Target, old.Target)
				return 0, false
			}
			if hasTransform && nf.Transform != old.Transform {
				l.errorf(n.Line, "the key field %s must keep transform %q", old.Source, old.Transform)
				return 0, false
			}
		}
		if hasTarget {
			old.Target = nf.Target
		}
		if hasTransform {
			old.Transform = nf.Transform
		}
		if hasValue {
			old.Value = nf.Value
		}
		if hasClear {
			old.Clear = nf.Clear
		}
		if hasRules {
			old.Rules = nf.Rules
		}
		old.Line = nf.Line
		em.Fields[idx] = old
		overridden[idx] = true
		return 0, false
	}
	if !hasTarget || nf.Target == "" {
		l.errorf(n.Line, "field %s needs a target (a HubSpot property name)", describeField(nf))
		return 0, false
	}
	if !hasTransform {
		nf.Transform = TransformString
		if src, ok := sourceSets[e][nf.Source]; ok && hasSource {
			nf.Transform = defaultTransform(src.kind)
		}
		if nf.Target == em.Key {
			if bi := l.base.Entities[e].keyField(); bi >= 0 {
				nf.Transform = l.base.Entities[e].Fields[bi].Transform
			}
		}
	}
	em.Fields = append(em.Fields, nf)
	overridden[len(em.Fields)-1] = true
	return 0, false
}

// match finds the field an entry overrides: -1 for none, -2 after
// reporting an ambiguity.
func (l *loader) match(em *EntityMapping, nf Field, hasSource, hasTarget bool, overridden map[int]bool) int {
	var cands []int
	for i, f := range em.Fields {
		if overridden[i] {
			continue
		}
		if hasSource && f.Source == nf.Source || !hasSource && f.Source == "" && f.Target == nf.Target {
			cands = append(cands, i)
		}
	}
	if len(cands) <= 1 {
		if len(cands) == 1 {
			return cands[0]
		}
		return -1
	}
	for _, i := range cands {
		if hasTarget && em.Fields[i].Target == nf.Target {
			return i
		}
	}
	var ts []string
	for _, i := range cands {
		ts = append(ts, em.Fields[i].Target)
	}
	l.errorf(nf.Line, "source %q is mapped to several properties (%s); add the target of the one to change", nf.Source, strings.Join(ts, ", "))
	return -2
}
