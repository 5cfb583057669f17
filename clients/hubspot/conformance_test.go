package hubspot

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"b2h/clients/sim/hubspotsim"
	"b2h/clients/sim/hubspotsim/spectest"
)

// TestConformance drives the client, over loopback against the simulator,
// through every HubSpot operation b2h uses, in both path styles, records
// every request and response, and checks each one against the contract
// digest (conformance_contract_test.go). With B2H_HUBSPOT_SPECS set to a
// checkout of HubSpot/HubSpot-public-api-spec-collection it also validates
// each exchange against HubSpot's OpenAPI documents. Every operation of the
// digest must have been exercised in each style. The simulator runs twice
// per style: as a real portal answers (errors in their observed shape) and
// with VariantSpecErrors (errors in the documents' shape, held to them).
func TestConformance(t *testing.T) {
	var checker *spectest.Checker
	if spectest.Root() != "" {
		checker = spectest.Load(t)
	}
	type config struct {
		name     string
		style    PathStyle
		variants []hubspotsim.Variant
		mode     checkMode
	}
	hits := map[string]int{} // departure name → problems it covered
	specRan := false         // every row ran in a spec-mode configuration
	var configs []config
	for _, st := range []struct {
		name  string
		style PathStyle
	}{{"v3", PathV3}, {"dated", PathDated}} {
		configs = append(configs,
			config{st.name, st.style, nil, portalMode},
			config{st.name + "/spec-errors", st.style, []hubspotsim.Variant{hubspotsim.VariantSpecErrors}, specMode})
	}
	// The other answer variants change what a portal echoes and how it
	// fails, never the documented shapes; dated-only proves no v3 path is
	// left under PathDated.
	configs = append(configs, config{"dated/other-variants", PathDated, []hubspotsim.Variant{
		hubspotsim.VariantNoEcho, hubspotsim.VariantBatch409, hubspotsim.VariantEditedOptions, hubspotsim.VariantDatedOnly}, portalMode})
	for _, style := range configs {
		mode := style.mode
		t.Run(style.name, func(t *testing.T) {
			e := newConfEnv(t, style.style, style.variants)
			covered := map[string]int{}
			var notes []string
			specChecked, specDocs, rowsRun := 0, map[string]bool{}, 0
			for _, row := range conformanceRows {
				t.Run(row.op+"/"+row.name, func(t *testing.T) {
					rowsRun++
					start := e.rec.len()
					err := row.run(e)
					if row.wantErr && err == nil {
						t.Errorf("want an error, got none")
					} else if !row.wantErr && err != nil {
						t.Fatalf("%v", err)
					}
					xs := e.rec.since(start)
					if len(xs) == 0 {
						t.Fatalf("no request was sent")
					}
					sawOwn := false
					for _, x := range xs {
						op, problems := checkExchange(x, style.style, mode)
						for _, p := range problems {
							if d := departureOf(p, mode); d != nil && d.fix != "" {
								hits[d.name]++
								notes = append(notes, "pending simulator fix ("+d.name+"): "+p)
								continue
							}
							t.Error(p)
						}
						if op == nil {
							continue
						}
						covered[op.id]++
						sawOwn = sawOwn || op.id == row.op
						if checker != nil && op.undocumented == "" {
							res := checker.Check(x.req, x.reqBody, withRespBody(x), x.respBody)
							specChecked++
							for _, d := range res.Documents {
								specDocs[d] = true
							}
							for _, p := range res.Problems {
								if ds := departuresOf(p, mode); ds != nil {
									for _, d := range ds {
										hits[d.name]++
									}
									notes = append(notes, "departure ("+ds[0].name+"): "+firstLine(p))
									continue
								}
								t.Errorf("real spec: %s", p)
							}
						}
					}
					if !sawOwn {
						t.Errorf("no exchange matched operation %s; sent: %v", row.op, xs)
					}
				})
			}
			specRan = specRan || (mode == specMode && rowsRun == len(conformanceRows))
			var missing []string
			for _, o := range contract {
				if covered[o.id] == 0 {
					missing = append(missing, o.id)
				}
			}
			if len(missing) > 0 {
				t.Errorf("operations of the digest never exercised: %v", missing)
			}
			t.Logf("%s: %d operations of %d exercised in %d requests", style.name, len(covered), len(contract), e.rec.len())
			if checker != nil {
				t.Logf("%s: %d exchanges validated against %d HubSpot OpenAPI documents", style.name, specChecked, len(specDocs))
			}
			for _, n := range dedupe(notes) {
				t.Logf("note: %s", n)
			}
		})
	}
	// A pending simulator fix that matched nothing has landed: its entry
	// must go, so that the test holds the simulator to the documents again.
	for _, d := range departures {
		if d.fix != "" && specRan && hits[d.name] == 0 {
			t.Errorf("pending simulator fix %q matched no problem: remove it from departures", d.name)
		}
		if d.fix != "" && hits[d.name] > 0 {
			t.Logf("PENDING simulator fix (%d problems): %s", hits[d.name], d.fix)
		}
	}
}

// confEnv is the state the rows share within one path style: the client,
// the simulator, and the ids the rows create.
type confEnv struct {
	t      *testing.T
	ctx    context.Context
	c      *Client
	sim    *hubspotsim.Server
	url    string
	rec    *recorder
	custom string              // the custom object's objectTypeId
	ids    map[string][]string // record ids by object type
}

func newConfEnv(t *testing.T, style PathStyle, variants []hubspotsim.Variant) *confEnv {
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierEnterprise, ListingsEnabled: true, PortalID: 4242, Variants: variants})
	rec := &recorder{base: http.DefaultTransport}
	c, _ := simClient(t, sim, url, func(o *Options) {
		o.PathStyle = style
		o.HTTPClient = &http.Client{Transport: rec}
		o.MaxRetries = -1
	})
	return &confEnv{t: t, ctx: context.Background(), c: c, sim: sim, url: url, rec: rec, ids: map[string][]string{}}
}

// raw sends a request the client has no method for (single association
// writes and reads, which b2h does not use but the simulator serves)
// through the same recorder, so the simulator's answer is checked too.
func (e *confEnv) raw(method, path, body string) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(e.ctx, method, e.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+e.sim.Token())
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Transport: e.rec}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return nil
}

// stylePath returns the v3 or dated form of a path for raw requests.
func (e *confEnv) stylePath(v3, dated string) string {
	if e.c.style == PathDated {
		return strings.ReplaceAll(dated, "{v}", e.c.version)
	}
	return v3
}

// conformanceRow exercises one operation of the digest (op) once.
type conformanceRow struct {
	op, name string
	wantErr  bool // the call is meant to fail (its error answer is checked)
	run      func(e *confEnv) error
}

func withRespBody(x exchange) *http.Response {
	r := *x.resp
	r.Body = io.NopCloser(bytes.NewReader(x.respBody))
	return &r
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func dedupe(s []string) []string {
	sort.Strings(s)
	return slices.Compact(s)
}

// errIf turns a failed check of a result into an error.
func errIf(cond bool, format string, a ...any) error {
	if cond {
		return fmt.Errorf(format, a...)
	}
	return nil
}
