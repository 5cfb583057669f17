package hubspot

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"b2h/internal/jsonx"
)

// Object is one CRM record (SimplePublicObject, hubspot-api.md §2).
type Object struct {
	ID string `json:"id"`
	// Properties holds every returned property; a nil value is a property
	// HubSpot returned as null. All values are strings on the wire; numbers
	// or booleans sent by a drifting server are kept in their JSON text.
	Properties         map[string]*string `json:"properties"`
	CreatedAt          time.Time          `json:"createdAt"`
	UpdatedAt          time.Time          `json:"updatedAt"`
	Archived           bool               `json:"archived"`
	ArchivedAt         time.Time          `json:"archivedAt,omitzero"`
	ObjectWriteTraceID string             `json:"objectWriteTraceId,omitempty"`
	// New is set on upsert results: true when the record was created.
	New *bool `json:"new,omitempty"`
}

// Prop returns a property's value, "" when absent or null.
func (o Object) Prop(name string) string {
	if v := o.Properties[name]; v != nil {
		return *v
	}
	return ""
}

// IsNew reports whether an upsert created the record.
func (o Object) IsNew() bool { return o.New != nil && *o.New }

// objectFast is the JSON of a well-formed record: string ids or numbers,
// string-or-null property values, RFC 3339 timestamps. Decoding into it is
// the fast path; anything else falls back to objectWire.
type objectFast struct {
	ID                 flexString         `json:"id"`
	Properties         map[string]*string `json:"properties"`
	CreatedAt          time.Time          `json:"createdAt"`
	UpdatedAt          time.Time          `json:"updatedAt"`
	Archived           bool               `json:"archived"`
	ArchivedAt         time.Time          `json:"archivedAt"`
	ObjectWriteTraceID string             `json:"objectWriteTraceId"`
	New                *bool              `json:"new"`
}

func (f *objectFast) object() Object {
	return Object{
		ID: string(f.ID), Properties: f.Properties, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
		Archived: f.Archived, ArchivedAt: f.ArchivedAt, ObjectWriteTraceID: f.ObjectWriteTraceID, New: f.New,
	}
}

// objectWire is the JSON of a record with every field tolerant of drift.
type objectWire struct {
	ID                 flexString                 `json:"id"`
	Properties         map[string]json.RawMessage `json:"properties"`
	CreatedAt          flexTime                   `json:"createdAt"`
	UpdatedAt          flexTime                   `json:"updatedAt"`
	Archived           bool                       `json:"archived"`
	ArchivedAt         flexTime                   `json:"archivedAt"`
	ObjectWriteTraceID string                     `json:"objectWriteTraceId"`
	New                *bool                      `json:"new"`
}

// UnmarshalJSON decodes a record, accepting numeric ids, null or
// non-string property values and empty or epoch-ms timestamps.
func (o *Object) UnmarshalJSON(b []byte) error {
	var f objectFast
	if jsonx.Unmarshal(b, &f) == nil {
		*o = f.object()
		return nil
	}
	t, err := decodeTolerant(b)
	if err != nil {
		return err
	}
	*o = t
	return nil
}

// decodeTolerant decodes a record through objectWire.
func decodeTolerant(b []byte) (Object, error) {
	var w objectWire
	if err := json.Unmarshal(b, &w); err != nil {
		return Object{}, err
	}
	o := Object{
		ID:                 string(w.ID),
		CreatedAt:          time.Time(w.CreatedAt),
		UpdatedAt:          time.Time(w.UpdatedAt),
		Archived:           w.Archived,
		ArchivedAt:         time.Time(w.ArchivedAt),
		ObjectWriteTraceID: w.ObjectWriteTraceID,
		New:                w.New,
	}
	if w.Properties != nil {
		o.Properties = make(map[string]*string, len(w.Properties))
		for k, raw := range w.Properties {
			v, ok, err := propertyValue(raw)
			if err != nil {
				return Object{}, err
			}
			if ok {
				o.Properties[k] = &v
			} else {
				o.Properties[k] = nil
			}
		}
	}
	return o, nil
}

// propertyValue decodes one property value: a string as itself, null as
// absent (ok false), anything else as its JSON text.
func propertyValue(raw json.RawMessage) (string, bool, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", false, nil
	case plainString(raw):
		return string(raw[1 : len(raw)-1]), true, nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err == nil, err
	}
	return string(raw), true, nil
}

// plainString reports whether b is a JSON string literal with nothing to
// unescape or check: quotes at both ends, no backslash, quote or control
// character between them, and valid UTF-8 (which encoding/json would
// otherwise replace).
func plainString(b []byte) bool {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return false
	}
	in := b[1 : len(b)-1]
	ascii := true
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return ascii || utf8.Valid(in)
}

// plainInteger reports whether b is a JSON integer literal: an optional
// minus, then 0 or digits not starting with 0.
func plainInteger(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	if len(b) == 0 || (b[0] == '0' && len(b) > 1) {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// flexString decodes a JSON string or number as a string (ids are numeric
// strings in the spec and numbers in some doc examples, §2, §4).
type flexString string

// UnmarshalJSON accepts "123", 123 and null. Plain strings and integers,
// what HubSpot sends, are taken as they are; anything else goes through
// encoding/json (FuzzFlexString holds the two to the same answers).
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case plainString(b):
		*f = flexString(b[1 : len(b)-1])
	case plainInteger(b):
		*f = flexString(b)
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = flexString(n.String())
	}
	return nil
}

// MarshalJSON writes the id as a JSON string.
func (f flexString) MarshalJSON() ([]byte, error) { return json.Marshal(string(f)) }

// flexTime decodes an ISO 8601 timestamp, epoch milliseconds, "" or null.
type flexTime time.Time

// UnmarshalJSON accepts RFC 3339 strings, epoch-ms numbers or strings, ""
// and null.
func (f *flexTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` {
		*f = flexTime{}
		return nil
	}
	s := strings.Trim(string(b), `"`)
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexTime(time.UnixMilli(ms).UTC())
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*f = flexTime(t)
	return nil
}

// BatchResult is the decoded body of a 200, 201 or 207 from an object batch
// endpoint (hubspot-api.md §3, §13.3): successes in Results, per-input
// failures in Errors. HTTPStatus tells which it was.
type BatchResult struct {
	HTTPStatus  int             `json:"-"`
	Status      string          `json:"status"`
	Results     []Object        `json:"results"`
	Errors      []StandardError `json:"errors,omitempty"`
	NumErrors   int             `json:"numErrors,omitempty"`
	RequestedAt time.Time       `json:"-"`
	StartedAt   time.Time       `json:"-"`
	CompletedAt time.Time       `json:"-"`
}

// batchWire is the batch envelope with tolerant timestamps; R is the
// record type decoded (objectFast first, Object as the fallback).
type batchWire[R any] struct {
	Status      string          `json:"status"`
	Results     []R             `json:"results"`
	Errors      []StandardError `json:"errors"`
	NumErrors   int             `json:"numErrors"`
	RequestedAt flexTime        `json:"requestedAt"`
	StartedAt   flexTime        `json:"startedAt"`
	CompletedAt flexTime        `json:"completedAt"`
}

func (w *batchWire[R]) envelope(r *BatchResult) {
	*r = BatchResult{
		HTTPStatus: r.HTTPStatus, Status: w.Status, Errors: w.Errors, NumErrors: w.NumErrors,
		RequestedAt: time.Time(w.RequestedAt), StartedAt: time.Time(w.StartedAt), CompletedAt: time.Time(w.CompletedAt),
	}
	if r.NumErrors < len(r.Errors) {
		r.NumErrors = len(r.Errors)
	}
}

// UnmarshalJSON decodes a batch envelope. Well-formed records take a fast
// path that scans the body once; drifting ones fall back to Object's
// tolerant decoding.
func (r *BatchResult) UnmarshalJSON(b []byte) error {
	var fast batchWire[objectFast]
	if jsonx.Unmarshal(b, &fast) == nil {
		fast.envelope(r)
		r.Results = make([]Object, len(fast.Results))
		for i := range fast.Results {
			r.Results[i] = fast.Results[i].object()
		}
		return nil
	}
	var w batchWire[Object]
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	w.envelope(r)
	r.Results = w.Results
	return nil
}

// ErrorByTrace returns the per-input errors keyed by their
// context.objectWriteTraceId; errors without one are left out.
func (r *BatchResult) ErrorByTrace() map[string]StandardError {
	m := make(map[string]StandardError, len(r.Errors))
	for _, e := range r.Errors {
		for _, t := range e.Context["objectWriteTraceId"] {
			m[t] = e
		}
	}
	return m
}

// ResultByTrace returns the results keyed by the objectWriteTraceId HubSpot
// echoed on them; results without one are left out.
func (r *BatchResult) ResultByTrace() map[string]Object {
	m := make(map[string]Object, len(r.Results))
	for _, o := range r.Results {
		if o.ObjectWriteTraceID != "" {
			m[o.ObjectWriteTraceID] = o
		}
	}
	return m
}
