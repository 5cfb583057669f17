package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"b2h/internal/jsonx"
)

// UpsertInput is one input of BatchUpsert: create or update the record whose
// IDProperty (a hasUniqueValue property, or email for contacts) equals ID.
type UpsertInput struct {
	ID                 string            `json:"id"`
	IDProperty         string            `json:"idProperty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId,omitempty"`
}

// CreateInput is one input of BatchCreate.
type CreateInput struct {
	Properties         map[string]string   `json:"properties"`
	Associations       []AssociationSpecTo `json:"associations"` // required by the documents: [] when none
	ObjectWriteTraceID string              `json:"objectWriteTraceId,omitempty"`
}

// AssociationSpecTo associates a record being created with an existing
// record To under the given types.
type AssociationSpecTo struct {
	To    string
	Types []AssociationTypeRef
}

// MarshalJSON writes {"to":{"id":…},"types":[…]}.
func (a AssociationSpecTo) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		To    idRef                `json:"to"`
		Types []AssociationTypeRef `json:"types"`
	}{idRef{a.To}, nonNil(a.Types)})
}

// UpdateInput is one input of BatchUpdate. ID is the record id unless
// IDProperty names a unique custom property (never email or hs_object_id,
// which HubSpot rejects, hubspot-api.md §3).
type UpdateInput struct {
	ID                 string            `json:"id"`
	IDProperty         string            `json:"idProperty,omitempty"`
	Properties         map[string]string `json:"properties"`
	ObjectWriteTraceID string            `json:"objectWriteTraceId,omitempty"`
}

// ReadRequest is the body of BatchRead.
type ReadRequest struct {
	IDs        []string // record ids, or values of IDProperty
	IDProperty string   // optional unique property the IDs are values of
	Properties []string // properties to return (HubSpot's defaults when empty)
	Archived   bool     // read archived records instead
}

// idRef is {"id": "…"}.
type idRef struct {
	ID string `json:"id"`
}

// BatchUpsert creates or updates up to MaxBatchInputs records by unique
// property (POST …/batch/upsert, §3). Results carry New. Give every input an
// ObjectWriteTraceID so that one bad input yields a 207 rather than a failed
// batch; duplicate ids in one batch fail the whole request with a 400
// *APIError (§13.4), which the caller prevents by de-duplicating.
func (c *Client) BatchUpsert(ctx context.Context, objectType string, in []UpsertInput) (*BatchResult, error) {
	return c.batch(ctx, objectType, "upsert", len(in), MaxBatchInputs, upsertBody(in), true)
}

// upsertBody is the body of a batch upsert; a nil property map is sent as
// {} (HubSpot rejects null).
func upsertBody(in []UpsertInput) any {
	if hasNilProps(in, func(x UpsertInput) map[string]string { return x.Properties }) {
		in = slices.Clone(in)
		for i := range in {
			in[i].Properties = nonNilMap(in[i].Properties)
		}
	}
	return struct {
		Inputs []UpsertInput `json:"inputs"`
	}{in}
}

// BatchUpsertKeys is BatchUpsert for a caller that needs of each result
// only its id, whether it is new, and which input it answers: the
// properties HubSpot echoes back, a dozen strings a record, are not
// decoded. Errors are decoded in full.
//
// Results are matched to inputs by key, never by position: by echoed trace
// id, else by the echoed value of the input's IDProperty, else through one
// BatchRead by the key property of the inputs still open (key → HubSpot id,
// then result by id, so New is kept); that read is sent only when echoes
// are missing. Then every result carries the ObjectWriteTraceID of the
// input it answers (an input without one: its IDProperty value in
// Properties); a result answering no input is dropped. Errors without a
// trace id that quote an input's key (or the lone error of a lone open
// input) get its trace id, so ErrorByTrace finds them; an input neither
// answered nor named gets an error of its own ("HubSpot did not
// acknowledge…", quoting any unattributed error). A failed read-back is
// returned as the error (wrapping its cause, e.g. *DailyLimitError).
func (c *Client) BatchUpsertKeys(ctx context.Context, objectType string, in []UpsertInput) (*BatchResult, error) {
	op := "batch upsert " + objectType
	if err := checkBatch(op, len(in), MaxBatchInputs); err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return &BatchResult{HTTPStatus: http.StatusOK, Status: "COMPLETE", Results: []Object{}}, nil
	}
	var body keysBody
	status, err := c.do(ctx, call{
		op: op, kind: "batch_upsert", method: http.MethodPost, path: c.objectsPath(objectType, "/batch/upsert"),
		body: upsertBody(in), out: &body, write: true, idempotent: true,
	})
	if err != nil {
		return nil, err
	}
	w := &body.keys
	res := &BatchResult{HTTPStatus: status}
	w.envelope(res)
	res.Results = make([]Object, len(w.Results))
	var props map[int]map[string]json.RawMessage // result index → properties, for results without a trace id
	if body.raw != nil {
		var full batchWire[struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}]
		if jsonx.Unmarshal(body.raw, &full) == nil && len(full.Results) == len(w.Results) {
			props = map[int]map[string]json.RawMessage{}
			for i, r := range full.Results {
				props[i] = r.Properties
			}
		}
	}
	var keys []string // the inputs' id properties
	for i, k := range w.Results {
		o := Object{ID: string(k.ID), ObjectWriteTraceID: k.ObjectWriteTraceID, New: k.New}
		if p := props[i]; o.ObjectWriteTraceID == "" && p != nil {
			if keys == nil {
				for _, x := range in {
					if !slices.Contains(keys, x.IDProperty) {
						keys = append(keys, x.IDProperty)
					}
				}
			}
			for _, name := range keys {
				if v, ok, err := propertyValue(p[name]); ok && err == nil {
					if o.Properties == nil {
						o.Properties = map[string]*string{}
					}
					o.Properties[name] = &v
				}
			}
		}
		res.Results[i] = o
	}
	if err := c.matchUpsert(ctx, objectType, in, res); err != nil {
		return nil, err
	}
	return res, nil
}

// objectKeys is what BatchUpsertKeys decodes of a result: not the
// properties.
type objectKeys struct {
	ID                 flexString `json:"id"`
	ObjectWriteTraceID string     `json:"objectWriteTraceId"`
	New                *bool      `json:"new"`
}

// keysBody decodes an upsert's answer into objectKeys, and keeps the body
// (for the properties) only when a result has no trace id.
type keysBody struct {
	keys batchWire[objectKeys]
	raw  []byte
}

// decodeBody implements bodyDecoder.
func (k *keysBody) decodeBody(b []byte) error {
	if err := jsonx.Unmarshal(b, &k.keys); err != nil {
		return err
	}
	if slices.ContainsFunc(k.keys.Results, func(o objectKeys) bool { return o.ObjectWriteTraceID == "" }) {
		k.raw = slices.Clone(b)
	}
	return nil
}

// BatchCreate creates up to MaxBatchInputs records (POST …/batch/create,
// §3), answering 201 or, with trace ids, 207. A duplicate unique value
// without trace ids fails the batch with a 409 whose ExistingID names the
// first duplicate only (§13.2).
//
// Create is not idempotent: the client retries it only when HubSpot
// certainly did not apply it (429, 423, 477, 503, or a connection that
// failed before the request was written). Otherwise the error is a
// *NetworkError with MaybeProcessed set, and the caller must read back
// before writing again.
func (c *Client) BatchCreate(ctx context.Context, objectType string, in []CreateInput) (*BatchResult, error) {
	if hasNilProps(in, func(x CreateInput) map[string]string { return x.Properties }) ||
		slices.ContainsFunc(in, func(x CreateInput) bool { return x.Associations == nil }) {
		in = slices.Clone(in)
		for i := range in {
			in[i].Properties = nonNilMap(in[i].Properties)
			in[i].Associations = nonNil(in[i].Associations)
		}
	}
	return c.batch(ctx, objectType, "create", len(in), MaxBatchInputs, struct {
		Inputs []CreateInput `json:"inputs"`
	}{in}, false)
}

// BatchUpdate updates up to MaxBatchInputs records by id (POST …/batch/update).
// Results are matched to inputs by trace id, record id or key echo (never
// by position) and carry the input's ObjectWriteTraceID; an error naming an
// input's id gets its trace id; an input HubSpot neither answered nor named
// gets a "did not acknowledge" error.
func (c *Client) BatchUpdate(ctx context.Context, objectType string, in []UpdateInput) (*BatchResult, error) {
	if hasNilProps(in, func(x UpdateInput) map[string]string { return x.Properties }) {
		in = slices.Clone(in)
		for i := range in {
			in[i].Properties = nonNilMap(in[i].Properties)
		}
	}
	res, err := c.batch(ctx, objectType, "update", len(in), MaxBatchInputs, struct {
		Inputs []UpdateInput `json:"inputs"`
	}{in}, true)
	if err != nil || len(in) == 0 {
		return res, err
	}
	matchUpdate(in, res)
	return res, nil
}

// BatchRead reads up to MaxBatchInputs records (POST …/batch/read). Ids
// that do not exist come back as errors of a 207, not as a failure.
func (c *Client) BatchRead(ctx context.Context, objectType string, req ReadRequest) (*BatchResult, error) {
	inputs := make([]idRef, len(req.IDs))
	for i, id := range req.IDs {
		inputs[i] = idRef{id}
	}
	body := struct {
		Inputs                []idRef  `json:"inputs"`
		Properties            []string `json:"properties"`
		PropertiesWithHistory []string `json:"propertiesWithHistory"`
		IDProperty            string   `json:"idProperty,omitempty"`
	}{inputs, nonNil(req.Properties), []string{}, req.IDProperty}
	op := "read"
	if req.Archived {
		op = "read?archived=true"
	}
	return c.batch(ctx, objectType, op, len(req.IDs), MaxBatchInputs, body, true)
}

// BatchArchive archives (moves to the recycle bin) up to MaxBatchInputs
// records by id (POST …/batch/archive → 204). Archiving an id that does not
// exist is not an error.
func (c *Client) BatchArchive(ctx context.Context, objectType string, ids []string) error {
	if err := checkBatch("batch archive "+objectType, len(ids), MaxBatchInputs); err != nil || len(ids) == 0 {
		return err
	}
	inputs := make([]idRef, len(ids))
	for i, id := range ids {
		inputs[i] = idRef{id}
	}
	_, err := c.do(ctx, call{
		op: "batch archive " + objectType, kind: "batch_archive", method: http.MethodPost,
		path: c.objectsPath(objectType, "/batch/archive"), body: struct {
			Inputs []idRef `json:"inputs"`
		}{inputs}, write: true, idempotent: true,
	})
	return err
}

// batch posts one object batch request and decodes its envelope.
func (c *Client) batch(ctx context.Context, objectType, action string, n, limit int, body any, idempotent bool) (*BatchResult, error) {
	verb, query, _ := strings.Cut(action, "?")
	op := "batch " + verb + " " + objectType
	if err := checkBatch(op, n, limit); err != nil {
		return nil, err
	}
	if n == 0 {
		return &BatchResult{HTTPStatus: http.StatusOK, Status: "COMPLETE", Results: []Object{}}, nil
	}
	path := c.objectsPath(objectType, "/batch/"+verb)
	if query != "" {
		path += "?" + query
	}
	res := &BatchResult{}
	status, err := c.do(ctx, call{
		op: op, kind: "batch_" + verb, method: http.MethodPost, path: path, body: body, out: res,
		write: verb != "read", idempotent: idempotent,
	})
	if err != nil {
		return nil, err
	}
	res.HTTPStatus = status
	return res, nil
}

// checkBatch rejects a batch larger than HubSpot accepts without sending it.
func checkBatch(op string, n, limit int) error {
	if n > limit {
		return fmt.Errorf("%w: %s has %d inputs, HubSpot accepts at most %d per request", ErrBatchTooLarge, op, n, limit)
	}
	return nil
}

// GetObject reads one record by id (GET …/{id}); a missing record is a 404
// *APIError (see IsNotFound).
func (c *Client) GetObject(ctx context.Context, objectType, id string, properties []string) (Object, error) {
	return c.getObject(ctx, objectType, id, "", properties)
}

// GetObjectByProperty reads one record by the value of a unique property
// (GET …/{value}?idProperty=…, §2).
func (c *Client) GetObjectByProperty(ctx context.Context, objectType, idProperty, value string, properties []string) (Object, error) {
	return c.getObject(ctx, objectType, value, idProperty, properties)
}

func (c *Client) getObject(ctx context.Context, objectType, id, idProperty string, properties []string) (Object, error) {
	q := url.Values{}
	if len(properties) > 0 {
		q.Set("properties", strings.Join(properties, ","))
	}
	if idProperty != "" {
		q.Set("idProperty", idProperty)
	}
	var o Object
	_, err := c.do(ctx, call{
		op: "read " + objectType + " record", kind: "object_get", method: http.MethodGet,
		path: withQuery(c.objectsPath(objectType, id), q), out: &o, idempotent: true,
	})
	return o, err
}

// ListObjects pages through every (unarchived) record of a type, 100 per
// request, following paging.next.after (§2). Each iteration yields one
// page; iteration stops after an error.
func (c *Client) ListObjects(ctx context.Context, objectType string, properties []string) iter.Seq2[[]Object, error] {
	return func(yield func([]Object, error) bool) {
		after := ""
		for {
			q := url.Values{"limit": {"100"}}
			if len(properties) > 0 {
				q.Set("properties", strings.Join(properties, ","))
			}
			if after != "" {
				q.Set("after", after)
			}
			var page struct {
				Results []Object `json:"results"`
				Paging  *paging  `json:"paging"`
			}
			_, err := c.do(ctx, call{
				op: "list " + objectType + " records", kind: "object_list", method: http.MethodGet,
				path: withQuery(c.objectsPath(objectType), q), out: &page, idempotent: true,
			})
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(page.Results, nil) {
				return
			}
			next := page.Paging.nextAfter()
			if next == "" || next == after {
				return
			}
			after = next
		}
	}
}

// paging is the `paging` object of list, search and association responses.
type paging struct {
	Next *struct {
		After flexString `json:"after"`
		Link  string     `json:"link"`
	} `json:"next"`
}

func (p *paging) nextAfter() string {
	if p == nil || p.Next == nil {
		return ""
	}
	return string(p.Next.After)
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// nonNil turns a nil slice into an empty one, so it encodes as [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// hasNilProps reports whether any input has nil properties (which would
// encode as null; HubSpot wants an object).
func hasNilProps[T any](in []T, props func(T) map[string]string) bool {
	for _, x := range in {
		if props(x) == nil {
			return true
		}
	}
	return false
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
