package hubspot

import (
	"context"
	"fmt"
	"net/http"
)

// Search limits (hubspot-api.md §8).
const (
	MaxSearchLimit        = 200
	MaxSearchFilterGroups = 5
	MaxSearchGroupFilters = 6
	MaxSearchFilters      = 18
	MaxSearchResults      = 10000
)

// Filter is one search condition. Operators: EQ NEQ LT LTE GT GTE BETWEEN
// IN NOT_IN HAS_PROPERTY NOT_HAS_PROPERTY CONTAINS_TOKEN NOT_CONTAINS_TOKEN.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	Values       []string `json:"values,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
}

// FilterGroup ANDs its filters; groups are ORed.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Sort orders search results (one rule only).
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"` // ASCENDING or DESCENDING
}

// SearchRequest is the body of a CRM search.
type SearchRequest struct {
	FilterGroups []FilterGroup `json:"filterGroups"` // required, as are sorts, properties, limit, after
	Sorts        []Sort        `json:"sorts"`
	Query        string        `json:"query,omitempty"`
	Properties   []string      `json:"properties"`
	Limit        int           `json:"limit"` // 0 is sent as HubSpot's default, 10
	After        string        `json:"after"` // "" is sent as "0", the first page
}

// SearchResponse is one page of search results; After is the cursor of the
// next page, "" on the last.
type SearchResponse struct {
	Total   int
	Results []Object
	After   string
}

// Search runs one CRM search (POST …/{objectType}/search, §8), paced by its
// own per-second limiter (search is exempt from the ten-secondly window and
// answers without rate-limit headers). Search is eventually consistent:
// never use it to decide create-versus-update (DESIGN.md §3). Requests over
// HubSpot's limits are rejected without being sent.
func (c *Client) Search(ctx context.Context, objectType string, req SearchRequest) (*SearchResponse, error) {
	if err := checkSearch(req); err != nil {
		return nil, fmt.Errorf("hubspot: search %s: %w", objectType, err)
	}
	// The documents require every field but query: empty ones are sent
	// as their defaults.
	req.FilterGroups, req.Sorts, req.Properties = nonNil(req.FilterGroups), nonNil(req.Sorts), nonNil(req.Properties)
	if req.Limit == 0 {
		req.Limit = 10
	}
	if req.After == "" {
		req.After = "0"
	}
	var out struct {
		Total   int      `json:"total"`
		Results []Object `json:"results"`
		Paging  *paging  `json:"paging"`
	}
	_, err := c.do(ctx, call{
		op: "search " + objectType, kind: "search", method: http.MethodPost,
		path: c.objectsPath(objectType, "search"), body: req, out: &out, search: true, idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	return &SearchResponse{Total: out.Total, Results: out.Results, After: out.Paging.nextAfter()}, nil
}

// checkSearch enforces the documented request limits (§8) client-side.
func checkSearch(req SearchRequest) error {
	if req.Limit > MaxSearchLimit {
		return fmt.Errorf("limit %d exceeds HubSpot's maximum of %d per page", req.Limit, MaxSearchLimit)
	}
	if len(req.FilterGroups) > MaxSearchFilterGroups {
		return fmt.Errorf("%d filter groups exceed HubSpot's maximum of %d", len(req.FilterGroups), MaxSearchFilterGroups)
	}
	total := 0
	for _, g := range req.FilterGroups {
		if len(g.Filters) > MaxSearchGroupFilters {
			return fmt.Errorf("a filter group has %d filters, HubSpot allows %d", len(g.Filters), MaxSearchGroupFilters)
		}
		total += len(g.Filters)
	}
	if total > MaxSearchFilters {
		return fmt.Errorf("%d filters exceed HubSpot's maximum of %d in one search", total, MaxSearchFilters)
	}
	if len(req.Sorts) > 1 {
		return fmt.Errorf("%d sort rules given, HubSpot allows one", len(req.Sorts))
	}
	return nil
}
