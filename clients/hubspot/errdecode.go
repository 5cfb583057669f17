package hubspot

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// Error bodies are decoded field by field, each field accepting any JSON
// value: HubSpot's OpenAPI documents give subCategory as an object, live
// answers carry a string, and context values come as arrays, strings,
// numbers or objects (and, in error details, as a Java map's text
// "{k=[a, b]}"). One odd field never makes a whole body, or a 207 batch,
// unreadable.

// errorWire is an error body, a StandardError or an ErrorDetail with every
// field kept raw.
type errorWire struct {
	Status        json.RawMessage `json:"status"`
	Message       json.RawMessage `json:"message"`
	CorrelationID json.RawMessage `json:"correlationId"`
	Category      json.RawMessage `json:"category"`
	SubCategory   json.RawMessage `json:"subCategory"`
	Context       json.RawMessage `json:"context"`
	Errors        json.RawMessage `json:"errors"`
	PolicyName    json.RawMessage `json:"policyName"`
	ErrorType     json.RawMessage `json:"errorType"`
	ID            json.RawMessage `json:"id"`
	Code          json.RawMessage `json:"code"`
	In            json.RawMessage `json:"in"`
}

// decodedError is what an error object says once normalised.
type decodedError struct {
	status, message, correlationID, category, subCategory string
	policyName, errorType, id, code, in                   string
	context                                               map[string][]string
	details                                               []ErrorDetail
	detailWires                                           []errorWire // the details as sent, for their category and policy
}

// decodeErrorObject decodes one JSON object of the error shape; ok is false
// when b is not a JSON object.
func decodeErrorObject(b []byte) (decodedError, bool) {
	var w errorWire
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &w) != nil {
		return decodedError{}, false
	}
	return w.decode(), true
}

func (w *errorWire) decode() decodedError {
	d := decodedError{
		status: jsonText(w.Status), message: jsonText(w.Message), correlationID: jsonText(w.CorrelationID),
		category: jsonText(w.Category), subCategory: subCategoryText(w.SubCategory),
		policyName: jsonText(w.PolicyName), errorType: jsonText(w.ErrorType), id: jsonText(w.ID),
		code: jsonText(w.Code), in: jsonText(w.In), context: errContext(w.Context),
	}
	d.details, d.detailWires = decodeDetails(w.Errors)
	return d
}

// decodeDetails reads an errors array (or a lone object or string).
func decodeDetails(raw json.RawMessage) ([]ErrorDetail, []errorWire) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	if raw[0] == '[' {
		if json.Unmarshal(raw, &items) != nil {
			return nil, nil
		}
	} else {
		items = []json.RawMessage{raw}
	}
	var out []ErrorDetail
	var wires []errorWire
	for _, it := range items {
		it = bytes.TrimSpace(it)
		var w errorWire
		switch {
		case len(it) == 0 || string(it) == "null":
			continue
		case it[0] == '{':
			if json.Unmarshal(it, &w) != nil {
				continue
			}
		default:
			w.Message = it
		}
		out = append(out, ErrorDetail{
			Message: jsonText(w.Message), Code: jsonText(w.Code), In: jsonText(w.In),
			SubCategory: subCategoryText(w.SubCategory), Context: errContext(w.Context),
		})
		wires = append(wires, w)
	}
	return out, wires
}

// UnmarshalJSON decodes one entry of an error body's errors array, whatever
// the types of its fields.
func (d *ErrorDetail) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	details, _ := decodeDetails(b)
	if len(details) == 0 {
		if !json.Valid(b) {
			return &json.SyntaxError{}
		}
		*d = ErrorDetail{}
		return nil
	}
	*d = details[0]
	return nil
}

// UnmarshalJSON decodes a failed input of a batch (or a whole error body),
// whatever the types of its fields: a subCategory object becomes its most
// meaningful text, context values become lists of strings.
func (e *StandardError) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	d, ok := decodeErrorObject(b)
	if !ok {
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*e = StandardError{Message: boundedText(b)}
		return nil
	}
	*e = StandardError{
		Status: d.status, Category: d.category, SubCategory: d.subCategory, Message: d.message,
		Context: d.context, Errors: d.details, ID: d.id,
	}
	if e.Category == "" {
		e.Category = d.inferCategory(0)
	}
	return nil
}

func isNull(b []byte) bool { return string(bytes.TrimSpace(b)) == "null" }

// inferCategory names the category a body implies when it has no
// `category`: errorType RATE_LIMIT, a policy name, a detail's category, or a
// 429.
func (d *decodedError) inferCategory(status int) string {
	switch et := strings.ToUpper(d.errorType); {
	case et == "RATE_LIMIT" || et == "RATE_LIMITS":
		return CategoryRateLimits
	case d.policyName != "":
		return CategoryRateLimits
	}
	for _, w := range d.detailWires {
		if c := jsonText(w.Category); c != "" {
			return c
		}
	}
	if status == 429 {
		return CategoryRateLimits
	}
	return d.errorType
}

// findPolicy returns the 429 policy name wherever the body puts it: the
// top-level policyName, subCategory (a string or an object with a policy
// name), context.policyName, the same fields of each error detail, and as
// a last resort the message text.
func (d *decodedError) findPolicy(raw errorWire) string {
	if d.policyName != "" {
		return canonicalPolicy(d.policyName, true)
	}
	wires := append([]errorWire{raw}, d.detailWires...)
	for _, w := range wires {
		if p := policyField(w.SubCategory); p != "" {
			return p
		}
		if p := canonicalPolicy(subCategoryText(w.SubCategory), false); p != "" {
			return p
		}
		for _, v := range errContext(w.Context)["policyName"] {
			if p := canonicalPolicy(v, true); p != "" {
				return p
			}
		}
		if p := canonicalPolicy(jsonText(w.PolicyName), true); p != "" {
			return p
		}
	}
	for _, w := range wires {
		if p := policyFromMessage(jsonText(w.Message)); p != "" {
			return p
		}
	}
	return ""
}

// policyField returns the policyName (or policy) of a subCategory object.
func policyField(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return ""
	}
	for k, v := range m {
		if strings.EqualFold(k, "policyName") || strings.EqualFold(k, "policy") {
			return canonicalPolicy(jsonText(v), true)
		}
	}
	return ""
}

// canonicalPolicy maps a text naming a policy to its PolicyX constant. An
// explicit policy field keeps an unknown name as it is; a text that only
// may name one (a subCategory) gives "" unless it does.
func canonicalPolicy(s string, explicit bool) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case u == "":
		return ""
	case strings.Contains(u, "TEN_SECONDLY"):
		return PolicyTenSecondly
	case u == PolicyDaily || strings.HasSuffix(u, "."+PolicyDaily) || strings.HasSuffix(u, "_"+PolicyDaily):
		return PolicyDaily
	case u == PolicySecondly || strings.HasSuffix(u, "."+PolicySecondly):
		return PolicySecondly
	case explicit:
		return s
	}
	return ""
}

// policyFromMessage reads the policy from a 429's message text.
func policyFromMessage(msg string) string {
	m := strings.ToLower(msg)
	switch {
	case strings.Contains(m, "daily limit"):
		return PolicyDaily
	case strings.Contains(m, "ten_secondly_rolling"), strings.Contains(m, "ten secondly"):
		return PolicyTenSecondly
	case strings.Contains(m, "secondly limit"):
		return PolicySecondly
	}
	return ""
}

// jsonText renders one JSON value as text: a string as itself, a number or
// boolean as its literal, null as "", an object by its most meaningful
// field (or compact JSON), an array as its elements' texts joined by ", ".
func jsonText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	switch raw[0] {
	case '"':
		if plainString(raw) {
			return string(raw[1 : len(raw)-1])
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	case '{':
		return objectText(raw)
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return ""
		}
		parts := make([]string, 0, len(items))
		for _, it := range items {
			if s := jsonText(it); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	}
	return string(raw)
}

// meaningfulKeys are the fields that name an object-valued subCategory or
// message, in order of preference.
var meaningfulKeys = []string{"policyName", "name", "type", "code", "value", "message"}

// objectText is the most meaningful text of a JSON object: its first
// meaningfulKeys field with a text, else the object as compact JSON.
func objectText(raw json.RawMessage) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	if t, n := jsonText(m["type"]), jsonText(m["name"]); t != "" && n != "" && !strings.HasPrefix(n, t) {
		return t + "." + n // {"type":"crm.objects","name":"X"} is "crm.objects.X"
	}
	for _, k := range meaningfulKeys {
		if v, ok := m[k]; ok && len(v) > 0 && v[0] != '{' && v[0] != '[' {
			if s := jsonText(v); s != "" {
				return s
			}
		}
	}
	return compact(raw)
}

// subCategoryText is a subCategory as text ("" for {} or null).
func subCategoryText(raw json.RawMessage) string {
	s := jsonText(raw)
	if s == "{}" || s == "[]" {
		return ""
	}
	return s
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// errContext normalises an error context to lists of strings: array
// values element by element, scalars as one-element lists, objects as
// compact JSON. A string context in Java's map notation "{k=[a, b], j=c}"
// is parsed; anything else gives nil.
func errContext(raw json.RawMessage) map[string][]string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] == '"' {
		return javaMap(jsonText(raw))
	}
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		v = bytes.TrimSpace(v)
		if len(v) == 0 || string(v) == "null" {
			continue
		}
		switch v[0] {
		case '[':
			var items []json.RawMessage
			if json.Unmarshal(v, &items) != nil {
				continue
			}
			vals := make([]string, 0, len(items))
			for _, it := range items {
				it = bytes.TrimSpace(it)
				switch {
				case len(it) == 0 || string(it) == "null":
				case it[0] == '{' || it[0] == '[':
					vals = append(vals, compact(it))
				default:
					vals = append(vals, jsonText(it))
				}
			}
			out[k] = vals
		case '{':
			out[k] = []string{compact(v)}
		default:
			out[k] = []string{jsonText(v)}
		}
	}
	return out
}

// javaMap parses "{k=[a, b], j=c}" (a Java map's toString, which HubSpot's
// specs show as an error detail's context); "" or other text gives nil.
func javaMap(s string) map[string][]string {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil
	}
	out := map[string][]string{}
	for _, part := range splitTop(s[1 : len(s)-1]) {
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, "[") && strings.HasSuffix(v, "]") {
			var vals []string
			for _, x := range strings.Split(v[1:len(v)-1], ",") {
				if x = strings.TrimSpace(x); x != "" {
					vals = append(vals, x)
				}
			}
			out[k] = vals
		} else {
			out[k] = []string{v}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// splitTop splits s at commas outside brackets.
func splitTop(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// boundedText is a body quoted in an error message, at most
// maxMessageBytes long.
func boundedText(body []byte) string {
	msg := strings.TrimSpace(string(body))
	if len(msg) > maxMessageBytes {
		cut := maxMessageBytes
		for cut > 0 && !isRuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "…"
	}
	return msg
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// existingIDIn finds N of "Existing ID: N" in a message, the details'
// messages or any context value, or an id under a context key naming the
// existing record.
func existingIDIn(message string, ctx map[string][]string, details []ErrorDetail) string {
	if id := parseExistingID(message); id != "" {
		return id
	}
	for _, d := range details {
		if id := parseExistingID(d.Message); id != "" {
			return id
		}
	}
	ctxs := []map[string][]string{ctx}
	for _, d := range details {
		ctxs = append(ctxs, d.Context)
	}
	for _, m := range ctxs {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			for _, v := range m[k] {
				if id := parseExistingID(v); id != "" {
					return id
				}
				if lk := strings.ToLower(k); (lk == "existingid" || lk == "existingobjectid" || lk == "existingids") && allDigits(v) {
					return v
				}
			}
		}
	}
	return ""
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
