package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"b2h/internal/jsonx"
)

// Association categories (hubspot-api.md §4).
const (
	AssociationHubSpotDefined    = "HUBSPOT_DEFINED"
	AssociationUserDefined       = "USER_DEFINED"
	AssociationIntegratorDefined = "INTEGRATOR_DEFINED"
)

// AssociationType is an association type between two object types, as the
// labels endpoint and association reads describe it. Label is empty for the
// unlabelled (default) type.
type AssociationType struct {
	Category string `json:"category"`
	TypeID   int    `json:"typeId"`
	Label    string `json:"label,omitempty"`
}

// Ref returns the reference used to write associations of this type.
func (t AssociationType) Ref() AssociationTypeRef {
	return AssociationTypeRef{Category: t.Category, TypeID: t.TypeID}
}

// AssociationTypeRef names an association type in a write.
type AssociationTypeRef struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

// AssociationInput associates From with To under Types (labelled batch
// create, labels archive).
type AssociationInput struct {
	From, To string
	Types    []AssociationTypeRef
}

// MarshalJSON writes {"from":{"id"},"to":{"id"},"types":[…]}.
func (a AssociationInput) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal(struct {
		From  idRef                `json:"from"`
		To    idRef                `json:"to"`
		Types []AssociationTypeRef `json:"types"`
	}{idRef{a.From}, idRef{a.To}, nonNil(a.Types)})
}

// AssociationPair is an unlabelled (from, to) pair of record ids.
type AssociationPair struct {
	From, To string
}

// MarshalJSON writes {"from":{"id"},"to":{"id"}}.
func (p AssociationPair) MarshalJSON() ([]byte, error) {
	return jsonx.Marshal(struct {
		From idRef `json:"from"`
		To   idRef `json:"to"`
	}{idRef{p.From}, idRef{p.To}})
}

// AssociationResult is one created association: the labelled form
// (LabelsBetweenObjectPair: object type ids and labels) or the default form
// (from/to ids and the associationSpec) normalised into one shape.
type AssociationResult struct {
	FromObjectTypeID string
	FromObjectID     string
	ToObjectTypeID   string
	ToObjectID       string
	Labels           []string
	Types            []AssociationTypeRef
}

// assocResultWire is an AssociationResult as HubSpot sends it, either shape.
type assocResultWire struct {
	FromObjectTypeID string                   `json:"fromObjectTypeId"`
	FromObjectID     flexString               `json:"fromObjectId"`
	ToObjectTypeID   string                   `json:"toObjectTypeId"`
	ToObjectID       flexString               `json:"toObjectId"`
	Labels           []string                 `json:"labels"`
	From             *struct{ ID flexString } `json:"from"`
	To               *struct{ ID flexString } `json:"to"`
	AssociationSpec  *AssociationTypeRef      `json:"associationSpec"`
}

// UnmarshalJSON accepts both result shapes, with ids as strings or numbers.
// It decodes through jsonx (a batch response holds up to 1,000 of these;
// FuzzDecodeMatchesStdlib holds assocResultWire to encoding/json).
func (r *AssociationResult) UnmarshalJSON(b []byte) error {
	var w assocResultWire
	if err := jsonx.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = AssociationResult{
		FromObjectTypeID: w.FromObjectTypeID, FromObjectID: string(w.FromObjectID),
		ToObjectTypeID: w.ToObjectTypeID, ToObjectID: string(w.ToObjectID), Labels: w.Labels,
	}
	if w.From != nil && r.FromObjectID == "" {
		r.FromObjectID = string(w.From.ID)
	}
	if w.To != nil && r.ToObjectID == "" {
		r.ToObjectID = string(w.To.ID)
	}
	if w.AssociationSpec != nil {
		r.Types = []AssociationTypeRef{*w.AssociationSpec}
	}
	return nil
}

// AssociationBatchResult is the decoded 200, 201 or 207 of an association
// batch write.
type AssociationBatchResult struct {
	HTTPStatus int                 `json:"-"`
	Status     string              `json:"status"`
	Results    []AssociationResult `json:"results"`
	Errors     []StandardError     `json:"errors,omitempty"`
	NumErrors  int                 `json:"numErrors,omitempty"`
}

// AssociatedObject is one record associated with a from-record, with every
// association type between the two.
type AssociatedObject struct {
	ToObjectID string
	Types      []AssociationType
}

// UnmarshalJSON decodes {toObjectId (number or string), associationTypes}.
func (a *AssociatedObject) UnmarshalJSON(b []byte) error {
	var w struct {
		ToObjectID flexString        `json:"toObjectId"`
		Types      []AssociationType `json:"associationTypes"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*a = AssociatedObject{ToObjectID: string(w.ToObjectID), Types: w.Types}
	return nil
}

// ListAssociationLabels lists the association types from fromType to toType
// (GET /crm/v4/associations/{from}/{to}/labels, §4). Type ids are
// portal-specific for custom objects: find them by label, never hard-code.
func (c *Client) ListAssociationLabels(ctx context.Context, fromType, toType string) ([]AssociationType, error) {
	var out struct {
		Results []AssociationType `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "list association labels " + fromType + "→" + toType, kind: "association_labels_list",
		method: http.MethodGet, path: c.associationsPath(fromType, toType, "labels"), out: &out, idempotent: true,
	})
	return out.Results, err
}

// CreateAssociationLabel creates a USER_DEFINED association label from
// fromType to toType (POST …/labels {label, name, inverseLabel?}) and returns
// the types HubSpot created (both directions for a paired label). Not
// retried after an ambiguous failure: list the labels before creating again.
func (c *Client) CreateAssociationLabel(ctx context.Context, fromType, toType, label, name, inverseLabel string) ([]AssociationType, error) {
	body := struct {
		Label        string `json:"label"`
		Name         string `json:"name"`
		InverseLabel string `json:"inverseLabel,omitempty"`
	}{label, name, inverseLabel}
	var out struct {
		Results []AssociationType `json:"results"`
	}
	_, err := c.do(ctx, call{
		op: "create association label " + fromType + "→" + toType, kind: "association_labels_create",
		method: http.MethodPost, path: c.associationsPath(fromType, toType, "labels"), body: body, out: &out, write: true,
	})
	return out.Results, err
}

// BatchCreateAssociations creates labelled associations (POST
// …/batch/create, §4), at most MaxAssociationCreateInputs per call (the
// caller batches). Any 2xx is success: HubSpot moved this endpoint from 201
// to 200 in 2025 (§13.7). Creating an existing association again is
// harmless, so the call is retried like a read.
func (c *Client) BatchCreateAssociations(ctx context.Context, fromType, toType string, in []AssociationInput) (*AssociationBatchResult, error) {
	return c.assocBatch(ctx, fromType, toType, "create", "associations_batch_create", len(in), struct {
		Inputs []AssociationInput `json:"inputs"`
	}{in})
}

// BatchCreateDefaultAssociations creates unlabelled (default) associations
// (POST …/batch/associate/default, §4), at most MaxAssociationCreateInputs
// per call. It needs no type id, so it suits custom objects.
func (c *Client) BatchCreateDefaultAssociations(ctx context.Context, fromType, toType string, pairs []AssociationPair) (*AssociationBatchResult, error) {
	return c.assocBatch(ctx, fromType, toType, "associate/default", "associations_batch_create_default", len(pairs), struct {
		Inputs []AssociationPair `json:"inputs"`
	}{pairs})
}

func (c *Client) assocBatch(ctx context.Context, fromType, toType, action, kind string, n int, body any) (*AssociationBatchResult, error) {
	op := "batch " + action + " associations " + fromType + "→" + toType
	if err := checkBatch(op, n, MaxAssociationCreateInputs); err != nil {
		return nil, err
	}
	if n == 0 {
		return &AssociationBatchResult{HTTPStatus: http.StatusOK, Status: "COMPLETE"}, nil
	}
	res := &AssociationBatchResult{}
	status, err := c.do(ctx, call{
		op: op, kind: kind, method: http.MethodPost, path: c.associationsPath(fromType, toType, "/batch/"+action),
		body: body, out: res, write: true, idempotent: true, emptyOK: true,
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

// BatchArchiveAssociations removes every association between each pair
// (POST …/batch/archive, §4); pairs with the same From share one input.
func (c *Client) BatchArchiveAssociations(ctx context.Context, fromType, toType string, pairs []AssociationPair) error {
	op := "batch archive associations " + fromType + "→" + toType
	if err := checkBatch(op, len(pairs), MaxAssociationCreateInputs); err != nil || len(pairs) == 0 {
		return err
	}
	type input struct {
		From idRef   `json:"from"`
		To   []idRef `json:"to"`
	}
	var inputs []input
	index := map[string]int{}
	for _, p := range pairs {
		i, ok := index[p.From]
		if !ok {
			i = len(inputs)
			index[p.From] = i
			inputs = append(inputs, input{From: idRef{p.From}})
		}
		inputs[i].To = append(inputs[i].To, idRef{p.To})
	}
	_, err := c.do(ctx, call{
		op: op, kind: "associations_batch_archive", method: http.MethodPost,
		path: c.associationsPath(fromType, toType, "/batch/archive"), body: struct {
			Inputs []input `json:"inputs"`
		}{inputs}, write: true, idempotent: true,
	})
	return err
}

// BatchArchiveAssociationLabels removes specific association types between
// pairs, keeping the others (POST …/batch/labels/archive, §4).
func (c *Client) BatchArchiveAssociationLabels(ctx context.Context, fromType, toType string, in []AssociationInput) error {
	op := "batch archive association labels " + fromType + "→" + toType
	if err := checkBatch(op, len(in), MaxAssociationCreateInputs); err != nil || len(in) == 0 {
		return err
	}
	_, err := c.do(ctx, call{
		op: op, kind: "associations_batch_archive_labels", method: http.MethodPost,
		path: c.associationsPath(fromType, toType, "/batch/labels/archive"), body: struct {
			Inputs []AssociationInput `json:"inputs"`
		}{in}, write: true, idempotent: true,
	})
	return err
}

// assocObjectPath is the record-level association path:
// /crm/v4/objects/{type}/{id}/associations/… or, dated,
// /crm/objects/{version}/{type}/{id}/associations/….
func (c *Client) assocObjectPath(fromType, fromID string, rest ...string) string {
	p := "/crm/v4/objects/"
	if c.style == PathDated {
		p = "/crm/objects/" + c.version + "/"
	}
	return join(p+url.PathEscape(fromType)+"/"+url.PathEscape(fromID)+"/associations", rest)
}

// CreateAssociation associates one pair of records under types (PUT
// …/objects/{from}/{id}/associations/{toType}/{toId}, §4): the types sent
// replace those between the pair, so include existing ones to add. Any 2xx
// is success (HubSpot documents 201 and has moved such endpoints to 200).
func (c *Client) CreateAssociation(ctx context.Context, fromType, fromID, toType, toID string, types []AssociationTypeRef) (AssociationResult, error) {
	var out AssociationResult
	_, err := c.do(ctx, call{
		op: "create association " + fromType + "→" + toType, kind: "associations_create", method: http.MethodPut,
		path: c.assocObjectPath(fromType, fromID, toType, toID), body: nonNil(types), out: &out, write: true, idempotent: true, emptyOK: true,
	})
	return out, err
}

// CreateDefaultAssociation creates the unlabelled (default) association of
// one pair (PUT …/associations/default/{toType}/{toId}, §4); HubSpot may
// answer with both directions. Any 2xx is success.
func (c *Client) CreateDefaultAssociation(ctx context.Context, fromType, fromID, toType, toID string) (*AssociationBatchResult, error) {
	res := &AssociationBatchResult{}
	status, err := c.do(ctx, call{
		op: "create default association " + fromType + "→" + toType, kind: "associations_create_default", method: http.MethodPut,
		path: c.assocObjectPath(fromType, fromID, "default", toType, toID), out: res, write: true, idempotent: true, emptyOK: true,
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
