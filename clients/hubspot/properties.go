package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// PropertyOption is one option of an enumeration property.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description,omitempty"`
	DisplayOrder int    `json:"displayOrder"` // required in a schema's options
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what may be changed about a property and its
// value (readOnlyValue: the API rejects writes, hubspot-api.md §5, §11).
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyOptions    bool `json:"readOnlyOptions"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// Property is a property definition (hubspot-api.md §5).
type Property struct {
	Name                 string                `json:"name"`
	Label                string                `json:"label"`
	Type                 string                `json:"type"`
	FieldType            string                `json:"fieldType"`
	GroupName            string                `json:"groupName"`
	Description          string                `json:"description,omitempty"`
	Options              []PropertyOption      `json:"options,omitempty"`
	DisplayOrder         int                   `json:"displayOrder,omitempty"`
	HasUniqueValue       bool                  `json:"hasUniqueValue"`
	Hidden               bool                  `json:"hidden"`
	FormField            bool                  `json:"formField"`
	HubSpotDefined       bool                  `json:"hubspotDefined"`
	Calculated           bool                  `json:"calculated"`
	ExternalOptions      bool                  `json:"externalOptions"`
	DataSensitivity      string                `json:"dataSensitivity,omitempty"`
	NumberDisplayHint    string                `json:"numberDisplayHint,omitempty"`
	TextDisplayHint      string                `json:"textDisplayHint,omitempty"`
	ReferencedObjectType string                `json:"referencedObjectType,omitempty"`
	ShowCurrencySymbol   bool                  `json:"showCurrencySymbol,omitempty"`
	ModificationMetadata *ModificationMetadata `json:"modificationMetadata,omitempty"`
	CreatedAt            time.Time             `json:"createdAt,omitzero"`
	UpdatedAt            time.Time             `json:"updatedAt,omitzero"`
	Archived             bool                  `json:"archived"`
}

// ReadOnly reports whether the API rejects writes of this property's value
// (read-only by metadata, or calculated).
func (p Property) ReadOnly() bool {
	return p.Calculated || (p.ModificationMetadata != nil && p.ModificationMetadata.ReadOnlyValue)
}

// PropertyCreate is the body of a property creation (PropertyCreate; also
// used for the properties of a schema). GroupName, Name, Label, Type and
// FieldType are required; HasUniqueValue cannot be changed later (§5).
type PropertyCreate struct {
	Name              string           `json:"name"`
	Label             string           `json:"label"`
	Type              string           `json:"type"`
	FieldType         string           `json:"fieldType"`
	GroupName         string           `json:"groupName,omitempty"`
	Description       string           `json:"description,omitempty"`
	Options           []PropertyOption `json:"options,omitempty"`
	DisplayOrder      int              `json:"displayOrder"` // required by the 2026-03 documents
	HasUniqueValue    bool             `json:"hasUniqueValue,omitempty"`
	Hidden            bool             `json:"hidden,omitempty"`
	FormField         bool             `json:"formField,omitempty"`
	DataSensitivity   string           `json:"dataSensitivity,omitempty"`
	NumberDisplayHint string           `json:"numberDisplayHint,omitempty"`
	TextDisplayHint   string           `json:"textDisplayHint,omitempty"`
}

// PropertyBatchResult is the decoded 201 or 207 of a property batch create.
type PropertyBatchResult struct {
	HTTPStatus int             `json:"-"`
	Status     string          `json:"status"`
	Results    []Property      `json:"results"`
	Errors     []StandardError `json:"errors,omitempty"`
	NumErrors  int             `json:"numErrors,omitempty"`
}

// PropertyGroup is a property group (§5).
type PropertyGroup struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder,omitempty"`
	Archived     bool   `json:"archived,omitempty"`
}

// ListProperties lists the properties of an object type
// (GET /crm/v3/properties/{objectType}).
func (c *Client) ListProperties(ctx context.Context, objectType string) ([]Property, error) {
	var out struct {
		Results []Property `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "list " + objectType + " properties", kind: "properties_list", method: http.MethodGet,
		path: c.propertiesPath(objectType), out: &out, idempotent: true,
	})
	return out.Results, err
}

// GetProperty reads one property definition; a missing one is a 404.
func (c *Client) GetProperty(ctx context.Context, objectType, name string) (Property, error) {
	var p Property
	_, err := c.do(ctx, call{
		op: "read " + objectType + " property " + name, kind: "properties_get", method: http.MethodGet,
		path: c.propertiesPath(objectType, name), out: &p, idempotent: true,
	})
	return p, err
}

// CreateProperty creates one property (POST /crm/v3/properties/{objectType}
// → 201). An existing name answers 409 (see IsConflict), so a retry after an
// ambiguous failure is safe.
func (c *Client) CreateProperty(ctx context.Context, objectType string, in PropertyCreate) (Property, error) {
	var p Property
	_, err := c.do(ctx, call{
		op: "create " + objectType + " property " + in.Name, kind: "properties_create", method: http.MethodPost,
		path: c.propertiesPath(objectType), body: in, out: &p, write: true, idempotent: true,
	})
	return p, err
}

// BatchCreateProperties creates up to MaxBatchInputs properties
// (POST …/batch/create → 201 or 207).
func (c *Client) BatchCreateProperties(ctx context.Context, objectType string, in []PropertyCreate) (*PropertyBatchResult, error) {
	op := "batch create " + objectType + " properties"
	if err := checkBatch(op, len(in), MaxBatchInputs); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return &PropertyBatchResult{HTTPStatus: http.StatusOK, Status: "COMPLETE"}, nil
	}
	res := &PropertyBatchResult{}
	status, err := c.do(ctx, call{
		op: op, kind: "properties_batch_create", method: http.MethodPost,
		path: c.propertiesPath(objectType, "/batch/create"), body: struct {
			Inputs []PropertyCreate `json:"inputs"`
		}{in}, out: res, write: true, idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	res.HTTPStatus = status
	if res.NumErrors < len(res.Errors) {
		res.NumErrors = len(res.Errors)
	}
	return res, nil
}

// ListPropertyGroups lists the property groups of an object type.
func (c *Client) ListPropertyGroups(ctx context.Context, objectType string) ([]PropertyGroup, error) {
	var out struct {
		Results []PropertyGroup `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "list " + objectType + " property groups", kind: "property_groups_list", method: http.MethodGet,
		path: c.propertiesPath(objectType, "/groups"), out: &out, idempotent: true,
	})
	return out.Results, err
}

// CreatePropertyGroup creates a property group (POST …/groups → 201). An
// existing name answers 409.
func (c *Client) CreatePropertyGroup(ctx context.Context, objectType string, g PropertyGroup) (PropertyGroup, error) {
	var out PropertyGroup
	_, err := c.do(ctx, call{
		op: "create " + objectType + " property group " + g.Name, kind: "property_groups_create", method: http.MethodPost,
		path: c.propertiesPath(objectType, "/groups"), body: g, out: &out, write: true, idempotent: true,
	})
	return out, err
}

// UnmarshalJSON decodes a property definition, tolerating empty or
// epoch-millisecond timestamps.
func (p *Property) UnmarshalJSON(b []byte) error {
	type plain Property
	var w struct {
		plain
		CreatedAt flexTime `json:"createdAt"`
		UpdatedAt flexTime `json:"updatedAt"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = Property(w.plain)
	p.CreatedAt, p.UpdatedAt = time.Time(w.CreatedAt), time.Time(w.UpdatedAt)
	return nil
}
