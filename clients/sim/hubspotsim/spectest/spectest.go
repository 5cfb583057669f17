// Package spectest validates HTTP traffic against HubSpot's own OpenAPI
// documents, for tests of the HubSpot client and simulator. It is a test
// helper: production code never imports it.
//
// HubSpot publishes the documents in the public repository
// HubSpot/HubSpot-public-api-spec-collection but does not license them for
// redistribution, so they are never committed here: a test finds them
// through the environment variable B2H_HUBSPOT_SPECS, the path of a local
// checkout (or export) of that repository, and skips the real-spec checks
// when it is unset. Without it, tests check traffic against the hand-written
// contract digest in clients/hubspot instead.
//
// Every document in Documents is loaded; an exchange is validated against
// each document that has its path and method (a contacts request matches
// both the generic objects document and the contacts one), and one that no
// document has is a problem of its own.
package spectest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/paths"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
)

// EnvVar names the environment variable holding the checkout's path.
const EnvVar = "B2H_HUBSPOT_SPECS"

// Documents are the OpenAPI documents of every area b2h calls, relative to
// the root of the spec collection: the v3/v4 form and the 2026-03 form of
// each. The account-info, object-library and limits areas also have a
// dated form, listed for the day the client uses it.
var Documents = []string{
	"PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json",
	"PublicApiSpecs/CRM/Objects/Rollouts/424/2026-03/objects.json",
	"PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json",
	"PublicApiSpecs/CRM/Contacts/Rollouts/424/2026-03/contacts.json",
	"PublicApiSpecs/CRM/Listings/Rollouts/424/v3/listings.json",
	"PublicApiSpecs/CRM/Listings/Rollouts/424/2026-03/listings.json",
	"PublicApiSpecs/CRM/Companies/Rollouts/424/v3/companies.json",
	"PublicApiSpecs/CRM/Companies/Rollouts/424/2026-03/companies.json",
	"PublicApiSpecs/CRM/Custom Objects/Rollouts/424/v3/customObjects.json",
	"PublicApiSpecs/CRM/Custom Objects/Rollouts/424/2026-03/customObjects.json",
	"PublicApiSpecs/CRM/Associations/Rollouts/130902/v4/associations.json",
	"PublicApiSpecs/CRM/Associations/Rollouts/130902/2026-03/associations.json",
	// The labels endpoints under /crm/v4/associations are documented by
	// the older rollout; the current one moved them to /crm/associations/v4.
	"PublicApiSpecs/CRM/Associations Schema/Rollouts/50914/v4/associationsSchema.json",
	"PublicApiSpecs/CRM/Associations Schema/Rollouts/130902/v4/associationsSchema.json",
	"PublicApiSpecs/CRM/Associations Schema/Rollouts/130902/2026-03/associationsSchema.json",
	"PublicApiSpecs/CRM/Properties/Rollouts/145899/v3/properties.json",
	"PublicApiSpecs/CRM/Properties/Rollouts/145899/2026-03/properties.json",
	"PublicApiSpecs/CRM/Schemas/Rollouts/145900/v3/schemas.json",
	"PublicApiSpecs/CRM/Schemas/Rollouts/145900/2026-03/schemas.json",
	"PublicApiSpecs/CRM/Object Library/Rollouts/196908/v3/objectLibrary.json",
	"PublicApiSpecs/CRM/Object Library/Rollouts/196908/2026-03/objectLibrary.json",
	"PublicApiSpecs/CRM/Limits Tracking/Rollouts/199890/v3/limitsTracking.json",
	"PublicApiSpecs/CRM/Limits Tracking/Rollouts/199890/2026-03/limitsTracking.json",
	"PublicApiSpecs/Account/Account Info/Rollouts/144923/v3/accountInfo.json",
	"PublicApiSpecs/Account/Account Info/Rollouts/144923/2026-03/accountInfo.json",
}

// Checker validates exchanges against every loaded document. It is safe for
// concurrent use.
type Checker struct {
	mu   sync.Mutex
	docs []loadedDoc
}

type loadedDoc struct {
	name  string // relative path
	model *v3.Document
	opts  *config.ValidationOptions
	v     validator.Validator
}

var (
	loadOnce sync.Once
	loaded   *Checker
	loadErr  error
)

// Root returns the spec collection's path from EnvVar, or "" when unset.
func Root() string { return strings.TrimSpace(os.Getenv(EnvVar)) }

// Load returns the process-wide Checker, skipping the test (t.Skip) when
// EnvVar is unset and failing it when a document is missing or unreadable.
func Load(tb testing.TB) *Checker {
	tb.Helper()
	root := Root()
	if root == "" {
		tb.Skipf("skipping validation against HubSpot's OpenAPI documents: %s is not set (point it at a checkout of HubSpot/HubSpot-public-api-spec-collection)", EnvVar)
	}
	loadOnce.Do(func() { loaded, loadErr = build(root) })
	if loadErr != nil {
		tb.Fatalf("spectest: %v", loadErr)
	}
	return loaded
}

func build(root string) (*Checker, error) {
	c := &Checker{}
	for _, rel := range Documents {
		p := filepath.Join(root, filepath.FromSlash(rel))
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		doc, err := libopenapi.NewDocument(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		model, errs := doc.BuildV3Model()
		if errs != nil {
			return nil, fmt.Errorf("%s: %w", rel, errs)
		}
		// Not strict mode: it reports every key of a free-form map
		// (a record's properties) as undeclared. The digest in
		// clients/hubspot is the strict check of unknown fields.
		optList := []config.Option{config.WithFormatAssertions(), config.WithoutSecurityValidation()}
		v, verrs := validator.NewValidator(doc, optList...)
		if len(verrs) > 0 {
			return nil, fmt.Errorf("%s: %v", rel, errors.Join(verrs...))
		}
		c.docs = append(c.docs, loadedDoc{name: rel, model: &model.Model, opts: config.NewValidationOptions(optList...), v: v})
	}
	return c, nil
}

// Result is what Check found for one exchange.
type Result struct {
	Documents []string // the documents that have the operation
	Problems  []string // one line (or a few) per violation
}

// Check validates one exchange: the request (path and query parameters,
// body) and the response (status, body) against every document that has
// the request's path and method. Bodies are passed separately because the
// client has consumed both.
func (c *Checker) Check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	var res Result
	var order []string              // problems in the order first seen
	docsOf := map[string][]string{} // problem → documents reporting it
	for _, d := range c.docs {
		item, errs, _ := paths.FindPath(withBody(req, reqBody), d.model, d.opts)
		if item == nil || len(errs) > 0 {
			continue
		}
		res.Documents = append(res.Documents, d.name)
		_, rerrs := d.v.ValidateHttpRequestSync(withBody(req, reqBody))
		probs := describe("request", rerrs)
		if resp != nil {
			clone := *resp
			clone.Body = io.NopCloser(bytes.NewReader(respBody))
			_, perrs := d.v.ValidateHttpResponse(withBody(req, reqBody), &clone)
			probs = append(probs, describe("response", perrs)...)
		}
		for _, p := range probs {
			if docsOf[p] == nil {
				order = append(order, p)
			}
			docsOf[p] = append(docsOf[p], path.Base(path.Dir(d.name))+"/"+path.Base(d.name))
		}
	}
	for _, p := range order {
		head, rest, _ := strings.Cut(p, "\n")
		res.Problems = append(res.Problems, head+" ["+strings.Join(docsOf[p], ", ")+"]"+strings.TrimSuffix("\n"+rest, "\n"))
	}
	if len(res.Documents) == 0 {
		res.Problems = append(res.Problems, fmt.Sprintf("%s %s: no loaded document has this path and method", req.Method, req.URL.Path))
	}
	return res
}

// withBody returns a copy of r whose body reads b.
func withBody(r *http.Request, b []byte) *http.Request {
	c := r.Clone(r.Context())
	c.Body = io.NopCloser(bytes.NewReader(b))
	c.ContentLength = int64(len(b))
	return c
}

func describe(side string, errs []*verrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		var sb strings.Builder
		fmt.Fprintf(&sb, "%s %s (%s): %s", e.RequestMethod, e.RequestPath, side, e.Message)
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
