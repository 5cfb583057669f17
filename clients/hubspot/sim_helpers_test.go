package hubspot

import (
	"context"
	"fmt"
	"testing"
	"time"

	"b2h/clients/sim/fault"
	"b2h/clients/sim/hubspotsim"
)

// startSim runs a simulated HubSpot account on loopback for one test.
func startSim(t testing.TB, o hubspotsim.Options) (*hubspotsim.Server, string) {
	t.Helper()
	if o.Tier == "" {
		o.Tier = hubspotsim.TierProfessional
	}
	s := hubspotsim.New(o)
	url, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, url
}

// unlimited is an InitialRate for simulators without rate limits: they send
// no X-HubSpot-RateLimit-Max, so the client keeps its initial budget.
var unlimited = Rate{Max: 1 << 20, Interval: 10 * time.Second}

// simClient returns a client for sim with a fake clock (instant, recorded
// waits) and no self-imposed limit; mods adjust the options.
func simClient(t testing.TB, sim *hubspotsim.Server, url string, mods ...func(*Options)) (*Client, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	o := Options{BaseURL: url, Token: sim.Token(), Sleep: clk.Sleep, Now: clk.Now, InitialRate: unlimited}
	for _, m := range mods {
		m(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c, clk
}

// realTime makes a client use the wall clock (for real rate limits).
func realTime(o *Options) { o.Sleep, o.Now = nil, nil; o.InitialRate = Rate{} }

func mustFaults(t testing.TB, spec string) fault.Profile {
	t.Helper()
	p, err := fault.Parse(spec, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bootstrapContacts creates the buildium group and the unique tenant key on
// contacts, as the engine's schema bootstrap does (DESIGN.md §2).
func bootstrapContacts(t testing.TB, c *Client) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreatePropertyGroup(ctx, "contacts", PropertyGroup{Name: "buildium", Label: "Buildium"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateProperty(ctx, "contacts", PropertyCreate{
		Name: "buildium_tenant_id", Label: "Buildium tenant ID", Type: "string", FieldType: "text",
		GroupName: "buildium", HasUniqueValue: true,
	}); err != nil {
		t.Fatal(err)
	}
}

// tenants returns n upsert inputs keyed by buildium_tenant_id, starting at
// first, each with a trace id.
func tenants(first, n int) []UpsertInput {
	in := make([]UpsertInput, n)
	for i := range in {
		id := fmt.Sprint(first + i)
		in[i] = UpsertInput{
			ID: id, IDProperty: "buildium_tenant_id", ObjectWriteTraceID: "tenant-" + id,
			Properties: map[string]string{
				"firstname": "Tenant", "lastname": "No " + id,
				"email": "tenant" + id + "@example.com",
			},
		}
	}
	return in
}
