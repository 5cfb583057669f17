package hubspotsim

import "time"

// Account, object-library and token handlers.

// accountDetails answers GET /account-info/v3/details.
func (s *Server) accountDetails(c *call) reply {
	return answer(200, map[string]any{
		"portalId": s.portal, "accountType": "STANDARD", "timeZone": "US/Eastern",
		"companyCurrency": "USD", "additionalCurrencies": []string{},
		"utcOffset": "-05:00", "utcOffsetMilliseconds": -18000000,
		"uiDomain": "app.hubspot.com", "dataHostingLocation": "na1",
	})
}

// dailyUsage answers GET /account-info/v3/api-usage/daily/private-apps with
// today's usage against the daily budget (§9); with VariantNoLegacy (a
// service key, not a legacy private app) it answers 403.
func (s *Server) dailyUsage(c *call) reply {
	if s.Has(VariantNoLegacy) {
		return newFailure(403, catForbidden, "The daily API usage of private apps is available to legacy private apps only; this token is not one.").reply()
	}
	now := time.UnixMilli(c.ms)
	used, limit, resets := s.limits.usage(now)
	return answer(200, map[string]any{"results": []map[string]any{{
		"name": "private-apps-api-calls-daily", "usageLimit": limit, "currentUsage": used,
		"collectedAt": iso(c.ms), "fetchStatus": "SUCCESS", "resetsAt": iso(resets.UnixMilli()),
	}}})
}

// enablement answers GET /crm/v3/object-library/enablement (§7).
func (s *Server) enablement(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return answer(200, map[string]any{"enablementByObjectTypeId": map[string]bool{"0-420": s.listings}})
}

// enablementOf answers GET /crm/v3/object-library/enablement/{objectTypeId} (§7).
func (s *Server) enablementOf(c *call) reply {
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch id := c.path("objectTypeId"); lower(id) {
	case "0-420", "listings", "listing":
		return answer(200, map[string]bool{"enablement": s.listings})
	case "0-1", "contacts", "contact":
		return answer(200, map[string]bool{"enablement": true})
	default:
		if t := s.aliases[lower(id)]; t != nil {
			return answer(200, map[string]bool{"enablement": true})
		}
		return newFailure(404, catNotFound, "Unknown object type %s", id).reply()
	}
}

// tokenInfo answers POST /oauth/v2/private-apps/get/access-token-info
// {"tokenKey": "<token>"} with the token's portal and scopes, so a client
// can check scopes before it writes; with VariantNoLegacy it answers 404.
func (s *Server) tokenInfo(c *call) reply {
	if s.Has(VariantNoLegacy) {
		return newFailure(404, catNotFound, "No access token info: the token is not a legacy private app access token.").reply()
	}
	var in struct {
		TokenKey string `json:"tokenKey"`
	}
	if f := decodeJSON(c.body, &in); f != nil {
		return f.reply()
	}
	if in.TokenKey != s.token {
		return newFailure(401, catAuth, "The token is not a valid private app access token of any portal").reply()
	}
	return answer(200, map[string]any{"userId": 1, "hubId": s.portal, "appId": 1, "scopes": s.scopes})
}
