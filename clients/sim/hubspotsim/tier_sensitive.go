package hubspotsim

import "strings"

// Sensitivity levels of a property (§5 dataSensitivity).
const (
	nonSensitive    = "non_sensitive"
	sensitive       = "sensitive"
	highlySensitive = "highly_sensitive"
)

// sensitiveFamilies are the simulated objects that can hold sensitive data.
var sensitiveFamilies = []objKind{kindContact, kindCompany, kindCustom}

// SensitiveScopes are the scopes that read and write the values of
// sensitive and highly sensitive properties, per object family
// ("crm.objects.contacts.highly_sensitive.write.v2"). DefaultScopes does not
// grant them; the same names without ".v2" are accepted too.
var SensitiveScopes = func() []string {
	var out []string
	for _, k := range sensitiveFamilies {
		for _, level := range []string{sensitive, highlySensitive} {
			for _, op := range []string{"read", "write"} {
				out = append(out, "crm.objects."+kindFamilies[k]+"."+level+"."+op+".v2")
			}
		}
	}
	return out
}()

// sensitiveScope is the scope that reads (or writes) values of a property
// of the given sensitivity on t.
func (t *objType) sensitiveScope(level string, write bool) string {
	op := "read"
	if write {
		op = "write"
	}
	return "crm.objects." + kindFamilies[t.kind] + "." + level + "." + op + ".v2"
}

// needSensitive is nil when the token may read (or write) the values of
// p, else the 403 MISSING_SCOPES naming the scope.
func (s *Server) needSensitive(t *objType, p *propDef, write bool) *failure {
	if p.sensitivity == "" || p.sensitivity == nonSensitive {
		return nil
	}
	sc := t.sensitiveScope(p.sensitivity, write)
	if s.hasScope(sc, strings.TrimSuffix(sc, ".v2")) {
		return nil
	}
	return scopesMissing(sc)
}

// readable checks that the token may read every named property of t that
// holds sensitive data (unknown names are ignored, as reads ignore them).
func (s *Server) readable(t *objType, lists ...[]string) *failure {
	for _, names := range lists {
		for _, n := range names {
			if p := t.prop(n); p != nil {
				if f := s.needSensitive(t, p, false); f != nil {
					return f
				}
			}
		}
	}
	return nil
}

// checkSensitivity validates a new property's dataSensitivity: sensitive
// data needs Enterprise (403 FORBIDDEN otherwise), an object that can hold
// it (400) and the matching write scope (403 MISSING_SCOPES).
func (s *Server) checkSensitivity(t *objType, level string) *failure {
	switch level {
	case "", nonSensitive:
		return nil
	case sensitive, highlySensitive:
	default:
		return badRequest("dataSensitivity must be non_sensitive, sensitive or highly_sensitive")
	}
	if s.currentTier() != TierEnterprise {
		f := newFailure(403, catForbidden, "Sensitive data properties need an Enterprise subscription with the sensitive data setting turned on; portal %d is on the %s tier.", s.portal, s.currentTier())
		f.body.SubCategory = "crm.properties.SENSITIVE_DATA_NOT_AVAILABLE"
		return f
	}
	ok := false
	for _, k := range sensitiveFamilies {
		ok = ok || t.kind == k
	}
	if !ok {
		return badRequest("%s properties cannot store sensitive data", t.singular)
	}
	sc := t.sensitiveScope(level, true)
	if !s.hasScope(sc, strings.TrimSuffix(sc, ".v2")) {
		return scopesMissing(sc)
	}
	return nil
}
