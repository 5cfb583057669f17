// Package spectest validates HTTP traffic against Buildium's own OpenAPI
// document (shared/specs/buildium/buildium-openapi.json) for tests of the
// Buildium simulator and client. It is a test helper: production code never
// imports it.
//
// The document is large (2.5 MB, 284 paths), so Load prunes it to the paths
// b2h reads (ReadPaths) before handing it to libopenapi-validator; the
// schemas are kept whole. The pruned validator is built once per process.
package spectest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
)

// SpecRelPath is where the OpenAPI document sits relative to the folder that
// holds both the repository and shared/.
const SpecRelPath = "shared/specs/buildium/buildium-openapi.json"

// ReadPaths are the GET operations b2h uses; only these are validated.
var ReadPaths = []string{
	"/v1/rentals",
	"/v1/rentals/{propertyId}",
	"/v1/rentals/{propertyId}/amenities",
	"/v1/rentals/units",
	"/v1/rentals/units/{unitId}",
	"/v1/leases/tenants",
	"/v1/leases/tenants/{tenantId}",
	"/v1/leases",
	"/v1/leases/{leaseId}",
}

// ErrSpecNotFound is returned by FindSpec when no parent directory holds
// SpecRelPath.
var ErrSpecNotFound = errors.New("spectest: " + SpecRelPath + " not found in any parent directory")

// FindSpec walks up from the working directory looking for SpecRelPath.
func FindSpec() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, filepath.FromSlash(SpecRelPath))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrSpecNotFound
		}
		dir = parent
	}
}

// Checker validates requests and responses against the pruned document.
// It is safe for concurrent use.
type Checker struct {
	mu sync.Mutex // the validator's caches are safe, but keep errors ordered
	v  validator.Validator
}

var (
	loadOnce sync.Once
	loaded   *Checker
	loadErr  error
)

// Load returns the process-wide Checker, skipping the test (t.Skip) with a
// clear message when the document cannot be found, and failing it when the
// document cannot be parsed.
func Load(tb testing.TB) *Checker {
	tb.Helper()
	loadOnce.Do(func() { loaded, loadErr = build() })
	if errors.Is(loadErr, ErrSpecNotFound) {
		tb.Skipf("skipping OpenAPI validation: %v (the shared/ folder must sit beside or above the repository)", loadErr)
	}
	if loadErr != nil {
		tb.Fatalf("spectest: %v", loadErr)
	}
	return loaded
}

func build() (*Checker, error) {
	path, err := FindSpec()
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pruned, err := prune(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	doc, err := libopenapi.NewDocument(pruned)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	v, errs := validator.NewValidator(doc, config.WithFormatAssertions())
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %v", path, errors.Join(errs...))
	}
	return &Checker{v: v}, nil
}

// prune keeps only ReadPaths (GET operations) and every component.
func prune(raw []byte) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	var paths map[string]map[string]json.RawMessage
	if err := json.Unmarshal(doc["paths"], &paths); err != nil {
		return nil, err
	}
	kept := make(map[string]map[string]json.RawMessage, len(ReadPaths))
	for _, p := range ReadPaths {
		item, ok := paths[p]
		if !ok {
			return nil, fmt.Errorf("path %s missing from the document", p)
		}
		kept[p] = map[string]json.RawMessage{"get": item["get"]}
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return nil, err
	}
	doc["paths"] = b
	doc["info"] = json.RawMessage(`{"title":"Buildium (pruned for tests)","version":"v1"}`)
	return json.Marshal(doc)
}

// Request validates one request (path, query parameters) and returns a
// readable description of each problem; none means valid.
func (c *Checker) Request(r *http.Request) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, errs := c.v.ValidateHttpRequestSync(r)
	return describe(errs)
}

// Response validates a response to req (status, body against the schema)
// and returns a readable description of each problem. The body is read and
// replaced, so the caller can still read it.
func (c *Checker) Response(req *http.Request, resp *http.Response) []string {
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return []string{"reading body: " + err.Error()}
	}
	clone := *resp
	clone.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	defer c.mu.Unlock()
	_, errs := c.v.ValidateHttpResponse(req, &clone)
	return describe(errs)
}

func describe(errs []*verrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s %s: %s", e.RequestMethod, e.RequestPath, e.Message)
		if e.Reason != "" {
			fmt.Fprintf(&sb, " (%s)", e.Reason)
		}
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&sb, "\n    at %s: %s", f.FieldPath, f.Reason)
		}
		out = append(out, sb.String())
	}
	return out
}

// Transport is an http.RoundTripper that validates every request it sends
// and every response it receives, recording problems for the test to check.
type Transport struct {
	Checker *Checker
	Base    http.RoundTripper // nil means http.DefaultTransport
	// Responses also validates response bodies (only for 2xx and the error
	// statuses the document declares).
	Responses bool

	mu       sync.Mutex
	problems []string
	requests int
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	probs := t.Checker.Request(r)
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if err == nil && t.Responses && (resp.StatusCode < 300 || resp.StatusCode == 401 || resp.StatusCode == 404) {
		probs = append(probs, t.Checker.Response(r, resp)...)
	}
	t.mu.Lock()
	t.requests++
	t.problems = append(t.problems, probs...)
	t.mu.Unlock()
	return resp, err
}

// Problems returns every problem recorded so far and the number of
// requests checked.
func (t *Transport) Problems() (problems []string, requests int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.problems...), t.requests
}
