package hubspotsim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// The spec-errors variant (VariantSpecErrors) rewrites every error body,
// and every failed input of a 207, into the shape of HubSpot's OpenAPI
// documents: a failed input's subCategory an object and its errors always
// present, error details with code, in and a string subCategory, context
// values arrays, links; a 429 in the standard error shape (category
// RATE_LIMITS) with its policy name in subCategory, context or an error
// detail, never in a top-level policyName.

// specErrors wraps h so that its error answers take the spec shape.
func (s *Server) specErrors(h http.HandlerFunc) http.HandlerFunc {
	if !s.Has(VariantSpecErrors) {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		sw := &specWriter{w: w}
		defer sw.flush()
		h(sw, r)
	}
}

// specWriter holds back an error or 207 body until the handler is done,
// then writes it rewritten; other answers pass straight through.
type specWriter struct {
	w      http.ResponseWriter
	status int
	hold   bool
	buf    bytes.Buffer
	done   bool
}

func (sw *specWriter) Header() http.Header { return sw.w.Header() }

func (sw *specWriter) WriteHeader(status int) {
	if sw.status != 0 {
		return
	}
	sw.status = status
	if status >= 400 || status == http.StatusMultiStatus {
		sw.hold = true
		return
	}
	sw.w.WriteHeader(status)
}

func (sw *specWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.WriteHeader(http.StatusOK)
	}
	if sw.hold {
		return sw.buf.Write(b)
	}
	return sw.w.Write(b)
}

// Flush passes a flush through (truncated 2xx answers rely on it).
func (sw *specWriter) Flush() {
	if f, ok := sw.w.(http.Flusher); ok && !sw.hold {
		f.Flush()
	}
}

// Hijack lets an injected connection reset through.
func (sw *specWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if hj, ok := sw.w.(http.Hijacker); ok {
		sw.done = true
		return hj.Hijack()
	}
	return nil, nil, errors.New("hubspotsim: connection cannot be hijacked")
}

// flush writes a held body in the spec shape.
func (sw *specWriter) flush() {
	if !sw.hold || sw.done {
		return
	}
	sw.done = true
	body := sw.buf.Bytes()
	if out, ok := specBody(sw.status, body); ok {
		body = out
		sw.w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	}
	sw.w.WriteHeader(sw.status)
	_, _ = sw.w.Write(body)
}

// specBody rewrites an error body (status ≥ 400) or the errors of a 207.
func specBody(status int, body []byte) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil || m == nil {
		return nil, false
	}
	if status == http.StatusMultiStatus {
		errs, _ := m["errors"].([]any)
		for i, e := range errs {
			if em, ok := e.(map[string]any); ok {
				errs[i] = specInputError(em)
			}
		}
	} else if status == http.StatusTooManyRequests {
		m = spec429(m)
	} else {
		m = specError(m)
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	return append(out, '\n'), true
}

// specError rewrites a whole-request error (the documents' Error): its
// subCategory stays a string, its details carry code, in, a string
// subCategory and a context of string arrays, and links are present.
func specError(m map[string]any) map[string]any {
	cat, _ := m["category"].(string)
	details, _ := m["errors"].([]any)
	for i, d := range details {
		if dm, ok := d.(map[string]any); ok {
			details[i] = specDetail(dm, cat)
		}
	}
	if _, ok := m["links"]; !ok {
		m["links"] = map[string]any{}
	}
	return m
}

// specInputError rewrites one failed input of a 207 (the documents'
// StandardError): subCategory an object, errors always present.
func specInputError(m map[string]any) map[string]any {
	cat, _ := m["category"].(string)
	if sub, ok := m["subCategory"].(string); ok && sub != "" {
		m["subCategory"] = splitSubCategory(sub)
	} else {
		m["subCategory"] = map[string]any{}
	}
	details, _ := m["errors"].([]any)
	for i, d := range details {
		if dm, ok := d.(map[string]any); ok {
			details[i] = specDetail(dm, cat)
		}
	}
	if details == nil {
		details = []any{}
	}
	m["errors"] = details
	if _, ok := m["context"]; !ok {
		m["context"] = map[string]any{}
	}
	if _, ok := m["links"]; !ok {
		m["links"] = map[string]any{}
	}
	return m
}

// specDetail rewrites one error detail (the documents' ErrorDetail).
func specDetail(dm map[string]any, cat string) map[string]any {
	ctx, _ := dm["context"].(map[string]any)
	if names, ok := ctx["propertyName"].([]any); ok && len(names) > 0 {
		if _, has := dm["in"]; !has {
			dm["in"] = names[0]
		}
	}
	code, _ := dm["code"].(string)
	if code == "" && cat != "" {
		code = cat
		dm["code"] = code
	}
	if code != "" {
		dm["subCategory"] = code
	}
	return dm
}

// spec429 is a 429 in the standard error shape (category RATE_LIMITS), the
// policy name never at the top level: the daily limit names it in
// subCategory and context, the ten-secondly one in an error detail, the
// secondly (search) one only in its message.
func spec429(m map[string]any) map[string]any {
	policy, _ := m["policyName"].(string)
	msg, _ := m["message"].(string)
	out := map[string]any{
		"status": "error", "message": msg, "correlationId": m["correlationId"],
		"category": "RATE_LIMITS", "links": map[string]any{},
	}
	switch policy {
	case policyDaily:
		out["subCategory"] = policy
		out["context"] = map[string]any{"policyName": []any{policy}}
	case policySecondly:
	default:
		out["errors"] = []any{map[string]any{
			"message": msg, "code": "RATE_LIMIT", "in": "request", "subCategory": policy,
			"context": map[string]any{"policyName": []any{policy}},
		}}
	}
	return out
}

// splitSubCategory turns "crm.objects.NAME" into {"type":"crm.objects","name":"NAME"}.
func splitSubCategory(s string) map[string]any {
	if i := strings.LastIndexByte(s, '.'); i > 0 {
		return map[string]any{"type": s[:i], "name": s[i+1:]}
	}
	return map[string]any{"name": s}
}
