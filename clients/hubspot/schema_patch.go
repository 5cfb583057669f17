package hubspot

import (
	"context"
	"net/http"
)

// SchemaPatch changes a custom object's display and required properties
// (PATCH …/schemas/{objectType}); nil fields are left as they are. The
// properties it names must exist first.
type SchemaPatch struct {
	PrimaryDisplayProperty     string   `json:"primaryDisplayProperty,omitempty"`
	SecondaryDisplayProperties []string `json:"secondaryDisplayProperties,omitempty"`
	RequiredProperties         []string `json:"requiredProperties,omitempty"`
	SearchableProperties       []string `json:"searchableProperties,omitempty"`
}

// PatchSchema applies p to the custom object objectType ("2-…" or its
// fullyQualifiedName) and returns the schema as HubSpot now has it. It is
// idempotent: the same patch twice leaves the same schema.
func (c *Client) PatchSchema(ctx context.Context, objectType string, p SchemaPatch) (Schema, error) {
	var s Schema
	_, err := c.do(ctx, call{
		op: "update custom object schema " + objectType, kind: "schemas_patch", method: http.MethodPatch,
		path: c.schemasPath(objectType), body: p, out: &s, write: true, idempotent: true,
	})
	return s, err
}
