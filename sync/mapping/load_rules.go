package mapping

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var ruleKeys = []string{"kind", "arg", "message", "severity"}

var ruleKinds = []string{RuleRequired, RuleEmail, RulePhone, RuleDate, RuleRegex, RuleMaxLength, RuleOneOf}

// rules parses a rules list: each entry is a kind ("email") or a mapping
// with kind, arg, message and severity.
func (l *loader) rules(n *yaml.Node) ([]Rule, bool) {
	if !l.is(n, yaml.SequenceNode, "rules") {
		return nil, false
	}
	out := make([]Rule, 0, len(n.Content))
	ok := true
	for _, item := range n.Content {
		var r Rule
		if item.Kind == yaml.ScalarNode {
			r.Kind = item.Value
		} else {
			l.pairs(item, "a rule", ruleKeys, func(key string, k, v *yaml.Node) {
				s, _ := l.scalar(v, key)
				switch key {
				case "kind":
					r.Kind = s
				case "arg":
					r.Arg = s
				case "message":
					r.Message = s
				case "severity":
					r.Severity = s
				}
			})
		}
		if l.checkRule(item.Line, r) {
			out = append(out, r)
		} else {
			ok = false
		}
	}
	return out, ok
}

// checkRule validates a rule's kind and argument.
func (l *loader) checkRule(line int, r Rule) bool {
	bad := func(format string, args ...any) bool {
		l.errorf(line, format, args...)
		return false
	}
	if !contains(ruleKinds, r.Kind) {
		return bad("unknown rule %q%s; the rules are %s", r.Kind, suggest(r.Kind, ruleKinds), strings.Join(ruleKinds, ", "))
	}
	if r.Severity != "" && r.Severity != SeverityError && r.Severity != SeverityWarning {
		return bad("rule severity %q must be %q or %q", r.Severity, SeverityError, SeverityWarning)
	}
	switch r.Kind {
	case RuleRegex:
		if r.Arg == "" {
			return bad("rule regex needs arg: a pattern")
		}
		if _, err := compileRule(r.Arg); err != nil {
			return bad("rule regex: pattern %q does not compile: %v", r.Arg, err)
		}
	case RuleMaxLength:
		if n, err := strconv.Atoi(r.Arg); err != nil || n < 1 || n > MaxStringLen {
			return bad("rule max_length needs arg: a number of characters from 1 to %d, not %q", MaxStringLen, r.Arg)
		}
	case RuleOneOf:
		if len(splitList(r.Arg)) == 0 {
			return bad("rule one_of needs arg: the allowed values, separated by commas")
		}
	default:
		if r.Arg != "" {
			return bad("rule %s takes no arg", r.Kind)
		}
	}
	return true
}

// describeField names a field for messages: "Email → email" or
// "constant → buildium_record_type".
func describeField(f Field) string {
	src := f.Source
	if src == "" {
		src = "constant " + strconv.Quote(f.Value)
	}
	if f.Target == "" {
		return strconv.Quote(src)
	}
	return src + " → " + f.Target
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
