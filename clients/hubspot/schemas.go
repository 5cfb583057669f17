package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// SchemaLabels are a custom object's display names.
type SchemaLabels struct {
	Singular string `json:"singular"`
	Plural   string `json:"plural"`
}

// SchemaAssociation is an association a custom object schema defines.
type SchemaAssociation struct {
	ID               string `json:"id"`
	Name             string `json:"name,omitempty"`
	FromObjectTypeID string `json:"fromObjectTypeId"`
	ToObjectTypeID   string `json:"toObjectTypeId"`
}

// Schema is a custom object's definition (ObjectSchema, hubspot-api.md §6).
// Records live at /crm/v3/objects/{ObjectTypeID}.
type Schema struct {
	ID                         string              `json:"id"`
	ObjectTypeID               string              `json:"objectTypeId"`       // "2-<n>"
	FullyQualifiedName         string              `json:"fullyQualifiedName"` // "p<portal>_<name>"
	Name                       string              `json:"name"`
	Labels                     SchemaLabels        `json:"labels"`
	Description                string              `json:"description,omitempty"`
	PrimaryDisplayProperty     string              `json:"primaryDisplayProperty,omitempty"`
	SecondaryDisplayProperties []string            `json:"secondaryDisplayProperties,omitempty"`
	RequiredProperties         []string            `json:"requiredProperties,omitempty"`
	SearchableProperties       []string            `json:"searchableProperties,omitempty"`
	Associations               []SchemaAssociation `json:"associations,omitempty"`
	Properties                 []Property          `json:"properties,omitempty"`
	Archived                   bool                `json:"archived"`
	CreatedAt                  time.Time           `json:"createdAt,omitzero"`
	UpdatedAt                  time.Time           `json:"updatedAt,omitzero"`
}

// UnmarshalJSON decodes a schema, accepting numeric ids and tolerant
// timestamps.
func (s *Schema) UnmarshalJSON(b []byte) error {
	type plain Schema
	var w struct {
		plain
		ID        flexString `json:"id"`
		CreatedAt flexTime   `json:"createdAt"`
		UpdatedAt flexTime   `json:"updatedAt"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*s = Schema(w.plain)
	s.ID = string(w.ID)
	s.CreatedAt, s.UpdatedAt = time.Time(w.CreatedAt), time.Time(w.UpdatedAt)
	return nil
}

// UnmarshalJSON accepts numeric ids.
func (a *SchemaAssociation) UnmarshalJSON(b []byte) error {
	type plain SchemaAssociation
	var w struct {
		plain
		ID flexString `json:"id"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = SchemaAssociation(w.plain)
	a.ID = string(w.ID)
	return nil
}

// SchemaCreate is the body of a schema creation (ObjectSchemaEgg, §6). Name
// is immutable (letters, digits, underscores, starting with a letter).
type SchemaCreate struct {
	Name                       string           `json:"name"`
	Labels                     SchemaLabels     `json:"labels"`
	Description                string           `json:"description,omitempty"`
	PrimaryDisplayProperty     string           `json:"primaryDisplayProperty,omitempty"`
	SecondaryDisplayProperties []string         `json:"secondaryDisplayProperties"` // this and the next three: required by 2026-03
	RequiredProperties         []string         `json:"requiredProperties"`
	SearchableProperties       []string         `json:"searchableProperties"`
	Properties                 []PropertyCreate `json:"properties"`
	// AssociatedObjects are object type ids the object associates with,
	// e.g. "0-1", "0-420"; HubSpot creates the default types.
	AssociatedObjects         []string `json:"associatedObjects"`
	AllowsSensitiveProperties bool     `json:"allowsSensitiveProperties"`
	// ShouldCreateSameObjectAssociation asks for an association of the
	// object with itself.
	ShouldCreateSameObjectAssociation bool `json:"shouldCreateSameObjectAssociation"`
}

// ListSchemas lists the account's custom object schemas
// (GET /crm-object-schemas/v3/schemas).
func (c *Client) ListSchemas(ctx context.Context) ([]Schema, error) {
	var out struct {
		Results []Schema `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "list custom object schemas", kind: "schemas_list", method: http.MethodGet,
		path: c.schemasPath(), out: &out, idempotent: true,
	})
	return out.Results, err
}

// GetSchema reads one schema by objectTypeId ("2-…") or fullyQualifiedName.
func (c *Client) GetSchema(ctx context.Context, idOrFQN string) (Schema, error) {
	var s Schema
	_, err := c.do(ctx, call{
		op: "read custom object schema " + idOrFQN, kind: "schemas_get", method: http.MethodGet,
		path: c.schemasPath(idOrFQN), out: &s, idempotent: true,
	})
	return s, err
}

// CreateSchema creates a custom object (POST /crm-object-schemas/v3/schemas
// → 201). Custom objects need an Enterprise account: below it HubSpot
// answers 403 (see IsForbidden). An existing name answers 409, so a retry
// after an ambiguous failure is safe.
func (c *Client) CreateSchema(ctx context.Context, in SchemaCreate) (Schema, error) {
	in.RequiredProperties = nonNil(in.RequiredProperties)
	in.Properties = nonNil(in.Properties)
	in.AssociatedObjects = nonNil(in.AssociatedObjects)
	in.SearchableProperties = nonNil(in.SearchableProperties)
	in.SecondaryDisplayProperties = nonNil(in.SecondaryDisplayProperties)
	var s Schema
	_, err := c.do(ctx, call{
		op: "create custom object schema " + in.Name, kind: "schemas_create", method: http.MethodPost,
		path: c.schemasPath(), body: in, out: &s, write: true, idempotent: true,
	})
	return s, err
}

// CreateSchemaAssociation defines an association from a custom object to
// another object type (POST …/schemas/{objectType}/associations, §4) and
// returns it.
func (c *Client) CreateSchemaAssociation(ctx context.Context, objectType, fromObjectTypeID, toObjectTypeID, name string) (SchemaAssociation, error) {
	body := struct {
		FromObjectTypeID string `json:"fromObjectTypeId"`
		ToObjectTypeID   string `json:"toObjectTypeId"`
		Name             string `json:"name,omitempty"`
	}{fromObjectTypeID, toObjectTypeID, name}
	var out SchemaAssociation
	_, err := c.do(ctx, call{
		op: "create schema association " + objectType, kind: "schemas_create_association", method: http.MethodPost,
		path: c.schemasPath(objectType, "associations"), body: body, out: &out, write: true,
	})
	return out, err
}
