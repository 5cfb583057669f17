package hubspotsim

import (
	"slices"
	"strings"
)

// labelLimit is how many custom (USER_DEFINED) association labels one
// direction of an object pair may have on Professional and Enterprise;
// Free and Starter have none.
const labelLimit = 50

// labelLimitOf is the custom label limit of tier.
func labelLimitOf(tier Tier) int {
	switch tier {
	case TierProfessional, TierEnterprise:
		return labelLimit
	}
	return 0
}

// labelsNotAvailable is the 403 for creating or editing a custom label
// below Professional (shape documented in doc.go).
func (s *Server) labelsNotAvailable() *failure {
	f := newFailure(403, catForbidden, "Custom association labels require a Professional or Enterprise subscription; portal %d is on the %s tier.", s.portal, s.currentTier())
	f.body.SubCategory = "crm.associations.CUSTOM_LABELS_NOT_AVAILABLE"
	return f
}

// customLabels lists the USER_DEFINED labelled types of direction ft→tt,
// in creation order. The caller holds s.mu.
func (s *Server) customLabels(ft, tt string) []*assocType {
	var out []*assocType
	if pd := s.pairs[pairKey{ft, tt}]; pd != nil {
		for _, id := range pd.types {
			if at := s.atypes[id]; at.category == catUserDefined && at.label != "" {
				out = append(out, at)
			}
		}
	}
	return out
}

// checkLabelRoom refuses a new custom label between ft and tt when the tier
// allows none (403) or the direction is at its limit (400).
func (s *Server) checkLabelRoom(ft, tt *objType) *failure {
	limit := labelLimitOf(s.currentTier())
	if limit == 0 {
		return s.labelsNotAvailable()
	}
	if n := len(s.customLabels(ft.id, tt.id)); n >= limit {
		return badRequest("%s to %s already has %d association labels, the limit of portal %d", ft.singular, tt.singular, n, s.portal).
			withContext("limit", itoa(limit))
	}
	return nil
}

// objectTypeRef is {objectTypeId, singularLabel, pluralLabel}.
type objectTypeRef struct {
	ObjectTypeID  string `json:"objectTypeId"`
	SingularLabel string `json:"singularLabel"`
	PluralLabel   string `json:"pluralLabel"`
}

// labelLimitJSON is one direction's custom-label limit and usage.
type labelLimitJSON struct {
	AllLabels      []string      `json:"allLabels"`
	FromObjectType objectTypeRef `json:"fromObjectType"`
	ToObjectType   objectTypeRef `json:"toObjectType"`
	Limit          int           `json:"limit"`
	Usage          int           `json:"usage"`
	Percentage     float64       `json:"percentage"`
}

// labelLimits answers GET /crm/v3/limits/associations/labels
// (?fromObjectTypeId=&toObjectTypeId=): each associable direction's custom
// labels against the tier's limit. Both parameters name one direction;
// one or none lists every matching direction the account has (Listings
// only while activated).
func (s *Server) labelLimits(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var keys []pairKey
	from, to := c.query("fromObjectTypeId"), c.query("toObjectTypeId")
	if from != "" && to != "" {
		ft, tt, _, f := s.pairFor(from, to, assocRead)
		if f != nil {
			return f.reply()
		}
		keys = []pairKey{{ft.id, tt.id}}
	} else {
		var only [2]string // a filter on one side
		for i, name := range []string{from, to} {
			if name != "" {
				t, f := s.lookupType(name)
				if f != nil {
					return f.reply()
				}
				only[i] = t.id
			}
		}
		for k, pd := range s.pairs {
			ft, tt := s.types[k.from], s.types[k.to]
			if pd.def == 0 || ft == nil || tt == nil || !s.listings && (ft.kind == kindListing || tt.kind == kindListing) ||
				only[0] != "" && only[0] != k.from || only[1] != "" && only[1] != k.to {
				continue
			}
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b pairKey) int {
			return strings.Compare(a.from+"|"+a.to, b.from+"|"+b.to)
		})
	}
	limit := labelLimitOf(s.currentTier())
	out := make([]labelLimitJSON, 0, len(keys))
	for _, k := range keys {
		ft, tt := s.types[k.from], s.types[k.to]
		l := labelLimitJSON{AllLabels: []string{}, Limit: limit,
			FromObjectType: objectTypeRef{ft.id, ft.singular, ft.plural},
			ToObjectType:   objectTypeRef{tt.id, tt.singular, tt.plural}}
		for _, at := range s.customLabels(k.from, k.to) {
			l.AllLabels = append(l.AllLabels, at.label)
		}
		l.Usage = len(l.AllLabels)
		if limit > 0 {
			l.Percentage = float64(l.Usage) * 100 / float64(limit)
		}
		out = append(out, l)
	}
	return answer(200, map[string]any{"results": out})
}
