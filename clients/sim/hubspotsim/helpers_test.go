package hubspotsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts at a fixed instant (a Monday afternoon, US/Eastern).
func newClock() *clock { return &clock{t: time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)} }

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// harness is a started simulator and a client for it.
type harness struct {
	t     testing.TB
	s     *Server
	url   string
	clock *clock
	hc    *http.Client
}

// newHarness starts a simulator; Now defaults to a test clock, and the
// account has listings activated unless noListings is passed via opts
// (tests that need them off set ListingsEnabled explicitly with a helper).
func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	clk := newClock()
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	s := New(opts)
	url, err := s.Start()
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	return &harness{t: t, s: s, url: url, clock: clk, hc: &http.Client{Timeout: 30 * time.Second}}
}

// enterprise starts an Enterprise account with listings activated.
func enterprise(t testing.TB) *harness {
	return newHarness(t, Options{Tier: TierEnterprise, ListingsEnabled: true})
}

// resp is a decoded response.
type resp struct {
	status int
	header http.Header
	raw    []byte
	body   any
}

// do sends a request with the account's token.
func (h *harness) do(method, path string, body any) resp {
	h.t.Helper()
	return h.doAuth(method, path, "Bearer "+h.s.Token(), body)
}

// doAuth sends a request with the given Authorization header ("" for none).
func (h *harness) doAuth(method, path, auth string, body any) resp {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.t.Fatalf("request: %v", err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := h.hc.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := resp{status: res.StatusCode, header: res.Header, raw: raw}
	if len(raw) > 0 {
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&r.body); err != nil {
			h.t.Fatalf("%s %s: body is not JSON: %v: %s", method, path, err, raw)
		}
	}
	return r
}

// get walks a dotted path ("results.0.properties.email") through a body.
func (r resp) get(path string) any { return jget(r.body, path) }

// str returns a path's value as a string ("" for missing or null).
func (r resp) str(path string) string {
	switch v := r.get(path).(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// len returns the length of an array at path.
func (r resp) len(path string) int {
	a, _ := r.get(path).([]any)
	return len(a)
}

// jget walks a dotted path through decoded JSON.
func jget(v any, path string) any {
	if path == "" {
		return v
	}
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// want fails unless the response has status.
func (r resp) want(t testing.TB, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// props is a property map for request bodies.
type props = map[string]any

// contactInput is a batch input for a contact.
func contactInput(email, first string) map[string]any {
	return map[string]any{"properties": props{"email": email, "firstname": first}}
}

// inputs wraps batch inputs.
func inputs(in ...map[string]any) map[string]any { return map[string]any{"inputs": in} }

// createContact creates one contact through the API and returns its id.
func (h *harness) createContact(p props) string {
	h.t.Helper()
	r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": p}).want(h.t, 201)
	return r.str("id")
}

// addProperty creates a custom property on a type.
func (h *harness) addProperty(objType, name, typ, field string, unique bool) {
	h.t.Helper()
	h.ensureGroup(objType)
	h.do("POST", "/crm/v3/properties/"+objType, map[string]any{
		"name": name, "label": name, "type": typ, "fieldType": field, "groupName": "buildium", "hasUniqueValue": unique,
	}).want(h.t, 201)
}

// ensureGroup creates the "buildium" property group if it is missing.
func (h *harness) ensureGroup(objType string) {
	h.t.Helper()
	if r := h.do("GET", "/crm/v3/properties/"+objType+"/groups/buildium", nil); r.status == 200 {
		return
	}
	h.do("POST", "/crm/v3/properties/"+objType+"/groups", map[string]any{"name": "buildium", "label": "Buildium"}).want(h.t, 201)
}

// unitSchema creates the b2h unit custom object and returns its objectTypeId.
func (h *harness) unitSchema() string {
	h.t.Helper()
	r := h.do("POST", "/crm-object-schemas/v3/schemas", map[string]any{
		"name":   "unit",
		"labels": map[string]string{"singular": "Unit", "plural": "Units"},
		"properties": []map[string]any{
			{"name": "buildium_unit_id", "label": "Buildium unit id", "type": "string", "fieldType": "text", "hasUniqueValue": true},
			{"name": "unit_number", "label": "Unit number"},
			{"name": "bedrooms", "label": "Bedrooms", "type": "number", "fieldType": "number"},
		},
		"requiredProperties":     []string{"unit_number"},
		"primaryDisplayProperty": "unit_number",
		"associatedObjects":      []string{"0-1", "0-420"},
	}).want(h.t, 201)
	return r.str("objectTypeId")
}
