package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Property data sensitivity levels (PropertyCreate.DataSensitivity,
// hubspot-api.md §5). Sensitive properties need an Enterprise account with
// the sensitive-data setting on, and are listed only when asked for.
const (
	SensitivityNone   = "non_sensitive"
	SensitivityMedium = "sensitive"
	SensitivityHigh   = "highly_sensitive"
)

// ListSensitiveProperties lists the properties of an object type with the
// given data sensitivity (GET …/properties/{objectType}?dataSensitivity=…):
// ListProperties returns non-sensitive ones only.
func (c *Client) ListSensitiveProperties(ctx context.Context, objectType, sensitivity string) ([]Property, error) {
	var out struct {
		Results []Property `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "list " + objectType + " " + sensitivity + " properties", kind: "properties_list", method: http.MethodGet,
		path: withQuery(c.propertiesPath(objectType), url.Values{"dataSensitivity": {sensitivity}}), out: &out, idempotent: true,
	})
	return out.Results, err
}

// LabelLimitObjectType is one side of a LabelLimit.
type LabelLimitObjectType struct {
	ObjectTypeID  string `json:"objectTypeId"`
	SingularLabel string `json:"singularLabel,omitempty"`
	PluralLabel   string `json:"pluralLabel,omitempty"`
}

// LabelLimit is how many custom association labels one object-type pair
// may have and has (GET …/limits/associations/labels).
type LabelLimit struct {
	AllLabels      []string             `json:"allLabels"`
	FromObjectType LabelLimitObjectType `json:"fromObjectType"`
	ToObjectType   LabelLimitObjectType `json:"toObjectType"`
	Limit          int                  `json:"limit"`
	Usage          int                  `json:"usage"`
	Percentage     float64              `json:"percentage"`
}

// Remaining is how many more labels the pair can take (never negative).
func (l LabelLimit) Remaining() int { return max(0, l.Limit-l.Usage) }

// UnmarshalJSON accepts limit, usage and percentage as numbers or numeric
// strings.
func (l *LabelLimit) UnmarshalJSON(b []byte) error {
	type plain LabelLimit
	var w struct {
		plain
		Limit      json.RawMessage `json:"limit"`
		Usage      json.RawMessage `json:"usage"`
		Percentage json.RawMessage `json:"percentage"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*l = LabelLimit(w.plain)
	l.Limit, l.Usage = int(jsonNumber(w.Limit)), int(jsonNumber(w.Usage))
	l.Percentage = jsonNumber(w.Percentage)
	return nil
}

// jsonNumber reads a JSON number or numeric string; anything else is 0.
func jsonNumber(raw json.RawMessage) float64 {
	f, _ := strconv.ParseFloat(string(bytes.Trim(bytes.TrimSpace(raw), `"`)), 64)
	return f
}

// LabelLimits reads the custom association label limit of fromType →
// toType (GET /crm/limits/{version}/associations/labels?fromObjectTypeId=
// &toObjectTypeId=, or /crm/v3/limits/… with PathV3). It returns the entry
// of that pair (the first entry when none names it); with no entry at all
// it returns a zero LabelLimit (Limit 0: HubSpot named no limit).
func (c *Client) LabelLimits(ctx context.Context, fromType, toType string) (LabelLimit, error) {
	var out struct {
		Results []LabelLimit `json:"results"`
	}
	q := url.Values{"fromObjectTypeId": {fromType}, "toObjectTypeId": {toType}}
	_, err := c.do(ctx, call{
		op: "read association label limits " + fromType + "→" + toType, kind: "limits_association_labels", method: http.MethodGet,
		path: withQuery(c.limitsPath("associations", "labels"), q), out: &out, idempotent: true,
	})
	if err != nil || len(out.Results) == 0 {
		return LabelLimit{}, err
	}
	for _, r := range out.Results {
		if r.FromObjectType.ObjectTypeID == fromType && r.ToObjectType.ObjectTypeID == toType {
			return r, nil
		}
	}
	return out.Results[0], nil
}

// ProbeObjects reads one record of an object type (GET …/objects/{type}?limit=1)
// to learn cheaply whether the token may read it and the object is
// available: nil, or the *APIError (IsForbidden for a missing scope or an
// object not activated, IsNotFound or IsValidation for an unknown type).
func (c *Client) ProbeObjects(ctx context.Context, objectType string) error {
	_, err := c.do(ctx, call{
		op: "probe " + objectType + " records", kind: "object_list", method: http.MethodGet,
		path: withQuery(c.objectsPath(objectType), url.Values{"limit": {"1"}}), idempotent: true,
	})
	return err
}
