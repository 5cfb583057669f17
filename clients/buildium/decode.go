package buildium

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"b2h/internal/jsonx"

	gojson "github.com/goccy/go-json"
)

// Decoding rules:
//   - A page is decoded whole first (the fast path: one jsonx call, then a
//     scan of the Ids). Only a page that fails, or holds an Id ≤ 0 (null
//     records decode so), is decoded again record by record.
//   - A body that is not JSON (cut short, a proxy's HTML page) may be a
//     transient failure: it is a retryable *DecodeError.
//   - Well-formed JSON that does not fit is deterministic and never
//     retried: a page that is not a list is a final *DecodeError; a record
//     that does not fit, has no positive Id, or is null, is a BadRecord of
//     its page (a *BadRecordError for a by-id GET).

// record is a type a list or a by-id GET decodes: it has an int32 Id.
type record interface{ recordID() int32 }

func (r Rental) recordID() int32        { return r.ID }
func (u RentalUnit) recordID() int32    { return u.ID }
func (t Tenant) recordID() int32        { return t.ID }
func (t shallowTenant) recordID() int32 { return t.ID }
func (t TenantContact) recordID() int32 { return t.ID }
func (l Lease) recordID() int32         { return l.ID }
func (l LeaseSummary) recordID() int32  { return l.ID }

// bodyDecoder decodes a 2xx body in place of jsonx.Unmarshal. Its errors
// are returned as they are when they are a *BadRecordError or a
// *DecodeError, and wrapped in a *DecodeError otherwise.
type bodyDecoder interface{ decodeBody(body []byte) error }

// pageDecoder decodes one list page starting at offset.
type pageDecoder[T record] struct {
	kind    Kind
	offset  int
	capHint int
	clean   func(string) string // applied to what a BadRecord quotes
	items   []T
	bad     []BadRecord
}

func (d *pageDecoder[T]) decodeBody(body []byte) error {
	d.items, d.bad = make([]T, 0, d.capHint), nil // a page's worth at once, not grown by doubling
	// goccy alone, not jsonx: where it succeeds jsonx returns its answer
	// too, and where it fails the page is split and read record by record
	// below (jsonx would first decode it whole again with encoding/json,
	// the slowest step of all).
	decoded := gojson.Unmarshal(body, &d.items) == nil
	if decoded && allPositive(d.items) {
		return nil
	}
	// encoding/json splits the page, exactly: it is the reference for
	// what is JSON and what is a list.
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		if !isSyntax(err) {
			err = fmt.Errorf("the page is not a list: %w", err)
		}
		return &DecodeError{Method: "GET", Path: d.kind.Path(), Err: err, final: !isSyntax(err)}
	}
	if decoded && len(d.items) == len(raws) {
		// Every record decoded: only those without a positive Id are bad.
		keep := d.items[:0]
		for i, x := range d.items {
			if x.recordID() > 0 {
				keep = append(keep, x)
				continue
			}
			b, _ := badRecord(raws[i], &x, d.kind, d.clean)
			b.Offset = d.offset + i
			d.bad = append(d.bad, b)
		}
		d.items = keep
		return nil
	}
	d.items = make([]T, 0, len(raws))
	for i, raw := range raws {
		var x T
		if b, ok := badRecord(raw, &x, d.kind, d.clean); !ok {
			b.Offset = d.offset + i
			d.bad = append(d.bad, b)
			continue
		}
		d.items = append(d.items, x)
	}
	return nil
}

func allPositive[T record](items []T) bool {
	for i := range items {
		if items[i].recordID() <= 0 {
			return false
		}
	}
	return true
}

// oneDecoder decodes the answer of a by-id GET.
type oneDecoder[T record] struct {
	kind  Kind
	out   *T
	clean func(string) string
}

func (d *oneDecoder[T]) decodeBody(body []byte) error {
	var x T
	err := jsonx.Unmarshal(body, &x)
	if isSyntax(err) {
		return err
	}
	if err == nil && x.recordID() > 0 {
		*d.out = x
		return nil
	}
	b, ok := badRecord(body, &x, d.kind, d.clean) // decodes again, for the reason
	if !ok {
		b.Offset = -1
		return &BadRecordError{BadRecord: b}
	}
	*d.out = x
	return nil
}

// badRecord decodes raw, one well-formed JSON value, into x; ok is false
// (and b says why) when raw is null, does not fit x, or has no positive Id.
func badRecord[T record](raw []byte, x *T, kind Kind, clean func(string) string) (b BadRecord, ok bool) {
	b.Kind = kind
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		b.Reason = "the record is null"
		return b, false
	}
	*x = *new(T)
	if err := jsonx.Unmarshal(raw, x); err != nil {
		b.ID, b.Reason = clean(rawID(raw)), clean(reason(err))
		return b, false
	}
	if id := (*x).recordID(); id <= 0 {
		b.ID = clean(rawID(raw))
		if b.ID == "" {
			b.Reason = "the record has no Id"
		} else {
			b.Reason = fmt.Sprintf("Id %d is not positive (Buildium ids are int32 from 1)", id)
		}
		return b, false
	}
	return b, true
}

// rawID returns the Id of a JSON object as written (a string's quotes
// removed), printable and at most 40 characters; "" if there is none.
func rawID(raw []byte) string {
	var rec struct {
		ID json.RawMessage `json:"Id"`
	}
	if json.Unmarshal(raw, &rec) != nil || len(rec.ID) == 0 || string(rec.ID) == "null" {
		return ""
	}
	s := string(rec.ID)
	var str string
	if json.Unmarshal(rec.ID, &str) == nil {
		s = str
	}
	s = printable(s, false)
	if len(s) > 40 {
		s = strings.ToValidUTF8(s[:40], "") + "…"
	}
	return s
}

// reason says, for a person, why a well-formed record did not decode.
func reason(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "the record"
		}
		want := jsonKind(te.Type)
		if strings.HasPrefix(te.Value, "number") && strings.HasPrefix(want, "an integer") {
			return fmt.Sprintf("%s is %s, which does not fit %s", field, te.Value, te.Type)
		}
		return fmt.Sprintf("%s is %s, not %s", field, article(te.Value), want)
	}
	return printable(strings.TrimPrefix(err.Error(), "buildium: "), false)
}

func article(v string) string {
	switch {
	case v == "":
		return "a value"
	case strings.HasPrefix(v, "number"):
		return "a " + v
	case strings.HasPrefix(v, "array"), strings.HasPrefix(v, "object"):
		return "an " + v
	}
	return "a " + v
}

// jsonKind names the JSON a Go type reads.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer (" + t.Kind().String() + ")"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another type"
}

// isSyntax reports whether err says the body is not JSON at all.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se)
}
