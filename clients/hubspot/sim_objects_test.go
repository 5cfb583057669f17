package hubspot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"b2h/clients/sim/hubspotsim"
)

func TestSimBatchUpsertNewThenExisting(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	ctx := context.Background()
	first, err := c.BatchUpsert(ctx, "contacts", tenants(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if first.HTTPStatus != 200 || len(first.Results) != 3 || first.NumErrors != 0 {
		t.Fatalf("%+v", first)
	}
	ids := map[string]string{}
	for _, o := range first.Results {
		if !o.IsNew() {
			t.Errorf("first upsert of %s: new = false", o.Prop("buildium_tenant_id"))
		}
		ids[o.Prop("buildium_tenant_id")] = o.ID
	}
	in := tenants(1, 3)
	in[0].Properties["firstname"] = "Changed"
	again, err := c.BatchUpsert(ctx, "contacts", in)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range again.Results {
		if o.IsNew() || o.New == nil || ids[o.Prop("buildium_tenant_id")] != o.ID {
			t.Errorf("second upsert: %+v (first ids %v)", o, ids)
		}
	}
	objs := sim.Objects("contacts")
	if len(objs) != 3 {
		t.Fatalf("%d contacts in HubSpot, want 3 (no duplicates)", len(objs))
	}
	if objs[0].Properties["firstname"] != "Changed" && objs[1].Properties["firstname"] != "Changed" && objs[2].Properties["firstname"] != "Changed" {
		t.Fatalf("update not applied: %+v", objs)
	}
	// Batch read by the unique key returns the same records.
	read, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{"1", "2", "404"}, IDProperty: "buildium_tenant_id", Properties: []string{"firstname", "buildium_tenant_id"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(read.Results) != 2 || read.NumErrors != 1 || read.HTTPStatus != 207 {
		t.Fatalf("read: status %d, %d results, %d errors", read.HTTPStatus, len(read.Results), read.NumErrors)
	}
}

func TestSim207OneBadInput(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	in := tenants(10, 4)
	in[2].Properties["email"] = "not-an-email"
	r, err := c.BatchUpsert(context.Background(), "contacts", in)
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTPStatus != 207 || len(r.Results) != 3 || r.NumErrors != 1 {
		t.Fatalf("status %d, %d results, %d errors: %+v", r.HTTPStatus, len(r.Results), r.NumErrors, r.Errors)
	}
	bad, ok := r.ErrorByTrace()["tenant-12"]
	if !ok || bad.Category != CategoryValidation {
		t.Fatalf("errors by trace: %+v", r.ErrorByTrace())
	}
	if n := len(sim.Objects("contacts")); n != 3 {
		t.Fatalf("%d contacts written, want the 3 good ones", n)
	}
}

func TestSim207InjectedRecordErrors(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	sim.SetFaults(mustFaults(t, "record=0.3,seed=3"))
	r, err := c.BatchUpsert(context.Background(), "contacts", tenants(100, 50))
	if err != nil {
		t.Fatal(err)
	}
	if r.NumErrors == 0 || len(r.Results)+r.NumErrors != 50 || len(r.ErrorByTrace()) != r.NumErrors {
		t.Fatalf("status %d: %d results + %d errors (%d traced)", r.HTTPStatus, len(r.Results), r.NumErrors, len(r.ErrorByTrace()))
	}
}

func TestSim409ExistingEmail(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	existing := sim.SeedContact(map[string]string{"email": "jane@example.com", "firstname": "Jane"})
	_, err := c.BatchCreate(context.Background(), "contacts", []CreateInput{
		{Properties: map[string]string{"email": "new@example.com"}},
		{Properties: map[string]string{"email": "Jane@Example.com"}},
	})
	id, ok := IsConflict(err)
	if !ok || id != existing {
		t.Fatalf("err = %v; IsConflict = %q, %v; want existing id %s", err, id, ok, existing)
	}
	if n := len(sim.Objects("contacts")); n != 1 {
		t.Fatalf("%d contacts: a batch without trace ids must fail as a whole", n)
	}
	// With trace ids the conflict is a per-input error naming the id.
	r, err := c.BatchCreate(context.Background(), "contacts", []CreateInput{
		{Properties: map[string]string{"email": "new@example.com"}, ObjectWriteTraceID: "a"},
		{Properties: map[string]string{"email": "jane@example.com"}, ObjectWriteTraceID: "b"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := r.ErrorByTrace()["b"]; r.HTTPStatus != 207 || e.ExistingID() != existing {
		t.Fatalf("207: %+v", r)
	}
}

func TestSimDuplicateIDsInBatch(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	in := append(tenants(1, 2), tenants(1, 1)...)
	_, err := c.BatchUpsert(context.Background(), "contacts", in)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Category != CategoryValidation || !slices.Contains(ae.Context["ids"], "1") {
		t.Fatalf("err = %#v", err)
	}
	if ae.Attempts != 1 || sim.Stats().ByKind["objects.batch.upsert"] != 1 {
		t.Fatalf("a 400 must not be retried (attempts %d)", ae.Attempts)
	}
	if n := len(sim.Objects("contacts")); n != 0 {
		t.Fatalf("%d contacts written by a rejected batch", n)
	}
}

func TestSimFaultsAreRetried(t *testing.T) {
	tests := []struct {
		name, spec string
		want       func(Stats, hubspotsim.Stats) bool
	}{
		{"429 storm", "429=0.3,seed=7", func(c Stats, s hubspotsim.Stats) bool {
			return c.RateLimited > 0 && c.RateLimited == s.RateLimited
		}},
		{"5xx", "5xx=0.3,seed=7", func(c Stats, s hubspotsim.Stats) bool {
			return c.Retries > 0 && s.Errors[500]+s.Errors[502]+s.Errors[503] == c.Retries
		}},
		{"423", "423=0.2,seed=7", func(c Stats, s hubspotsim.Stats) bool {
			return s.Errors[423] > 0 && c.RetryWait >= time.Duration(c.Retries)*2*time.Second
		}},
		{"resets", "reset=0.3,seed=7", func(c Stats, s hubspotsim.Stats) bool { return s.Errors[0] > 0 && c.Retries == s.Errors[0] }},
		{"truncated bodies", "truncate=0.3,seed=7", func(c Stats, s hubspotsim.Stats) bool { return c.Retries > 0 }},
		{"everything", "429=0.1,5xx=0.1,reset=0.1,423=0.05,truncate=0.1,seed=11", func(c Stats, s hubspotsim.Stats) bool { return c.Retries > 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, url := startSim(t, hubspotsim.Options{})
			c, _ := simClient(t, sim, url, func(o *Options) { o.MaxRetries = 20 })
			bootstrapContacts(t, c)
			sim.SetFaults(mustFaults(t, tt.spec))
			base := c.Stats()
			for i := range 20 {
				r, err := c.BatchUpsert(context.Background(), "contacts", tenants(i*5, 5))
				if err != nil {
					t.Fatalf("batch %d: %v", i, err)
				}
				if len(r.Results) != 5 {
					t.Fatalf("batch %d: %d results", i, len(r.Results))
				}
			}
			sim.SetFaults(mustFaults(t, ""))
			if n := len(sim.Objects("contacts")); n != 100 {
				t.Fatalf("%d contacts, want 100", n)
			}
			st := c.Stats()
			st.Retries -= base.Retries
			if !tt.want(st, sim.Stats()) {
				t.Fatalf("client %+v\nsimulator %+v", st, sim.Stats())
			}
		})
	}
}

func TestSimFailNextStatuses(t *testing.T) {
	for _, status := range []int{429, 423, 477, 500, 502, 503, 504} {
		sim, url := startSim(t, hubspotsim.Options{})
		c, clk := simClient(t, sim, url)
		sim.FailNext(status, 2)
		on, err := c.ListingsEnabled(context.Background())
		if err != nil || on {
			t.Fatalf("%d: %v %v", status, on, err)
		}
		if st := c.Stats(); st.Requests != 3 || st.Retries != 2 {
			t.Fatalf("%d: %+v", status, st)
		}
		if status == 477 && clk.Total() < 2e9 {
			t.Fatalf("477: waited %v, want Retry-After (1 s) twice", clk.Total())
		}
		if status == 423 && clk.Total() < 4e9 {
			t.Fatalf("423: waited %v, want 2 s twice", clk.Total())
		}
	}
}

func TestSimCreateIsNotRetriedWhenMaybeApplied(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{ListingsEnabled: true})
	c, _ := simClient(t, sim, url)
	sim.SetFaults(mustFaults(t, "truncate=1,seed=1"))
	_, err := c.BatchCreate(context.Background(), "0-420", []CreateInput{{Properties: map[string]string{"hs_name": "12 Elm St"}, ObjectWriteTraceID: "p1"}})
	if !isMaybeProcessed(true)(err) {
		t.Fatalf("err = %v", err)
	}
	// The listing was created once; a blind retry would have made two.
	if n := len(sim.Objects("0-420")); n != 1 {
		t.Fatalf("%d listings", n)
	}
}

func TestSimContextCancellation(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url, realTime)
	sim.SetFaults(mustFaults(t, "latency=30s"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{"1"}})
		done <- err
	}()
	for sim.Stats().Requests == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestSimListObjectsPaging(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	for i := range 3 {
		if _, err := c.BatchUpsert(context.Background(), "contacts", tenants(i*100, 100)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.BatchUpsert(context.Background(), "contacts", tenants(300, 5)); err != nil {
		t.Fatal(err)
	}
	pages, seen := 0, map[string]bool{}
	for page, err := range c.ListObjects(context.Background(), "contacts", []string{"buildium_tenant_id"}) {
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, o := range page {
			seen[o.Prop("buildium_tenant_id")] = true
		}
	}
	if pages != 4 || len(seen) != 305 {
		t.Fatalf("%d pages, %d distinct records", pages, len(seen))
	}
	// Stopping early sends no further request.
	before := sim.Stats().Requests
	for range c.ListObjects(context.Background(), "contacts", nil) {
		break
	}
	if got := sim.Stats().Requests - before; got != 1 {
		t.Fatalf("%d requests for one page", got)
	}
}

func TestSimGetObject(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	id := sim.SeedContact(map[string]string{"email": "jane@example.com", "firstname": "Jane"})
	ctx := context.Background()
	o, err := c.GetObject(ctx, "contacts", id, []string{"firstname", "phone"})
	if err != nil || o.ID != id || o.Prop("firstname") != "Jane" {
		t.Fatalf("%+v %v", o, err)
	}
	o, err = c.GetObjectByProperty(ctx, "contacts", "email", "jane@example.com", nil)
	if err != nil || o.ID != id {
		t.Fatalf("%+v %v", o, err)
	}
	if _, err := c.GetObject(ctx, "contacts", "999999", nil); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestSimSearch(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	id := sim.SeedContact(map[string]string{"email": "jane@example.com", "firstname": "Jane"})
	sim.SeedContact(map[string]string{"email": "john@example.com", "firstname": "John"})
	res, err := c.Search(context.Background(), "contacts", SearchRequest{
		FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: "email", Operator: "EQ", Value: "jane@example.com"}}}},
		Properties:   []string{"email"},
	})
	if err != nil || res.Total != 1 || res.Results[0].ID != id || res.Results[0].Prop("email") != "jane@example.com" {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := c.Search(context.Background(), "contacts", SearchRequest{Limit: 201}); err == nil {
		t.Fatal("limit 201 accepted")
	}
}

func TestSimDailyLimit(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url, func(o *Options) { o.Now = nil; o.Sleep = nil })
	sim.SetFaults(mustFaults(t, "daily=3"))
	var err error
	for range 5 {
		if _, err = c.ListingsEnabled(context.Background()); err != nil {
			break
		}
	}
	de, ok := IsDailyLimit(err)
	if !ok || !de.ResetAt.After(time.Now()) || de.ResetAt.After(time.Now().Add(25*time.Hour)) {
		t.Fatalf("err = %v", err)
	}
	if st := c.Stats(); st.Requests != 5 || st.Retries != 0 {
		t.Fatalf("3 admitted + 1 daily 429 + 1 usage lookup, no retries: %+v", st)
	}
}

func TestSimAuthAndScopes(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{Scopes: []string{"crm.objects.contacts.read"}, PortalID: 4242})
	c, _ := simClient(t, sim, url)
	ctx := context.Background()
	info, err := c.TokenInfo(ctx)
	if err != nil || info.HubID != 4242 || !slices.Equal(info.Scopes, []string{"crm.objects.contacts.read"}) {
		t.Fatalf("%+v %v", info, err)
	}
	_, err = c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "a@example.com", IDProperty: "email", Properties: map[string]string{"firstname": "A"}}})
	scopes, ok := IsMissingScopes(err)
	if !ok || !slices.Contains(scopes, "crm.objects.contacts.write") {
		t.Fatalf("err = %v", err)
	}
	bad, _ := simClient(t, sim, url, func(o *Options) { o.Token = "pat-na1-wrong" })
	if _, err := bad.ListProperties(ctx, "contacts"); !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
}

// TestSimBatchUpsertKeys: BatchUpsertKeys answers what BatchUpsert does of
// each record (id, new, trace id, in order) without the echoed properties;
// a result without a trace id carries its id property's value instead.
func TestSimBatchUpsertKeys(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	ctx := context.Background()
	first, err := c.BatchUpsertKeys(ctx, "contacts", tenants(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if first.HTTPStatus != 200 || len(first.Results) != 3 || first.NumErrors != 0 {
		t.Fatalf("%+v", first)
	}
	for i, o := range first.Results {
		if !o.IsNew() || o.ID == "" || o.ObjectWriteTraceID != "tenant-"+fmt.Sprint(1+i) || o.Properties != nil {
			t.Errorf("first upsert, result %d: %+v", i, o)
		}
	}
	full, err := c.BatchUpsert(ctx, "contacts", tenants(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.BatchUpsertKeys(ctx, "contacts", tenants(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range again.Results {
		f := full.Results[i]
		if o.ID != f.ID || o.IsNew() || o.New == nil || o.ObjectWriteTraceID != f.ObjectWriteTraceID {
			t.Errorf("result %d: keys %+v, full %+v", i, o, f)
		}
	}
	untraced := tenants(4, 2)
	for i := range untraced {
		untraced[i].ObjectWriteTraceID = ""
	}
	res, err := c.BatchUpsertKeys(ctx, "contacts", untraced)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, o := range res.Results {
		if len(o.Properties) != 1 {
			t.Errorf("untraced result %+v: want only its id property", o)
		}
		got[o.Prop("buildium_tenant_id")] = true
	}
	if !got["4"] || !got["5"] {
		t.Errorf("untraced results matched %v, want 4 and 5", got)
	}
}
