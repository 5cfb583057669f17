package hubspot

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"b2h/clients/sim/hubspotsim"
)

// variantOutcome is what the client makes of one scenario against one
// simulator variant: it must not depend on the answer shape.
type variantOutcome struct {
	FirstUpsert  map[string]string // trace → "new id" / "old id"
	SecondUpsert map[string]string
	SecondErrors map[string]string // trace → category
	Update       map[string]string // trace → id
	UpdateErrors []string          // traces
	Read         map[string]string // email → id
	Assoc        []string          // from→to labels
	NotFound     bool
	Validation   string // the whole-batch 400's category and whether it names the property
	Scopes       []string
	Daily        bool
}

// runVariantScenario runs upserts (new and existing, one invalid input),
// an update (one missing id), a read by email, association writes and
// reads, and error cases against a simulator playing variants.
func runVariantScenario(t *testing.T, variants ...hubspotsim.Variant) variantOutcome {
	t.Helper()
	ctx := context.Background()
	sim, url := startSim(t, hubspotsim.Options{Variants: variants})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	var out variantOutcome
	keys := func(res *BatchResult) map[string]string {
		m := map[string]string{}
		for _, o := range res.Results {
			if o.ObjectWriteTraceID == "" {
				t.Fatalf("result without its input's trace id: %+v", o)
			}
			m[o.ObjectWriteTraceID] = fmt.Sprintf("%v %s", o.IsNew(), o.ID)
		}
		return m
	}
	res, err := c.BatchUpsertKeys(ctx, "contacts", tenants(1, 6))
	if err != nil {
		t.Fatal(err)
	}
	out.FirstUpsert = keys(res)
	again := tenants(1, 8)
	again[2].Properties["email"] = "not an email"
	res, err = c.BatchUpsertKeys(ctx, "contacts", again)
	if err != nil {
		t.Fatal(err)
	}
	out.SecondUpsert = keys(res)
	out.SecondErrors = map[string]string{}
	for tr, se := range res.ErrorByTrace() {
		out.SecondErrors[tr] = se.Category
	}
	if len(res.Results)+len(res.ErrorByTrace()) != len(again) {
		t.Fatalf("%d results and %d traced errors for %d inputs: %+v", len(res.Results), len(res.ErrorByTrace()), len(again), res)
	}

	ids := map[string]string{}
	for tr, v := range out.FirstUpsert {
		ids[tr] = strings.Fields(v)[1]
	}
	upd := []UpdateInput{
		{ID: ids["tenant-1"], Properties: map[string]string{"lastname": "Renamed"}, ObjectWriteTraceID: "u1"},
		{ID: "99999999999", Properties: map[string]string{"lastname": "Ghost"}, ObjectWriteTraceID: "u2"},
		{ID: ids["tenant-2"], Properties: map[string]string{"lastname": "Renamed"}, ObjectWriteTraceID: "u3"},
	}
	ures, err := c.BatchUpdate(ctx, "contacts", upd)
	if err != nil {
		t.Fatal(err)
	}
	out.Update = map[string]string{}
	for _, o := range ures.Results {
		out.Update[o.ObjectWriteTraceID] = o.ID
	}
	out.UpdateErrors = slices.Sorted(maps.Keys(ures.ErrorByTrace()))

	rr, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{"tenant1@example.com", "TENANT2@example.com", "nobody@example.com"}, IDProperty: "email", Properties: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	out.Read = map[string]string{}
	for _, o := range rr.Results {
		out.Read[o.Prop("email")] = o.ID
	}

	types, err := c.CreateAssociationLabel(ctx, "contacts", "contacts", "Roommate", "roommate", "")
	if err != nil || len(types) == 0 {
		t.Fatalf("%v %v", types, err)
	}
	ar, err := c.BatchCreateAssociations(ctx, "contacts", "contacts", []AssociationInput{{From: ids["tenant-1"], To: ids["tenant-2"], Types: []AssociationTypeRef{types[0].Ref()}}})
	if err != nil || ar.HTTPStatus/100 != 2 {
		t.Fatalf("%+v %v", ar, err)
	}
	if _, err := c.BatchCreateDefaultAssociations(ctx, "contacts", "contacts", []AssociationPair{{ids["tenant-3"], ids["tenant-4"]}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAssociation(ctx, "contacts", ids["tenant-5"], "contacts", ids["tenant-6"], []AssociationTypeRef{types[0].Ref()}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateDefaultAssociation(ctx, "contacts", ids["tenant-6"], "contacts", ids["tenant-1"]); err != nil {
		t.Fatal(err)
	}
	got, err := c.BatchReadAssociations(ctx, "contacts", "contacts", []string{ids["tenant-1"], ids["tenant-3"], ids["tenant-5"]})
	if err != nil {
		t.Fatal(err)
	}
	for from, tos := range got {
		for _, a := range tos {
			var labels []string
			for _, ty := range a.Types {
				labels = append(labels, ty.Label)
			}
			sort.Strings(labels)
			out.Assoc = append(out.Assoc, from+"→"+a.ToObjectID+" "+strings.Join(labels, ","))
		}
	}
	sort.Strings(out.Assoc)

	_, err = c.GetObject(ctx, "contacts", "99999999999", nil)
	out.NotFound = IsNotFound(err)
	_, err = c.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "77", IDProperty: "buildium_tenant_id", Properties: map[string]string{"no_such_prop": "x"}}})
	var ae *APIError
	if IsValidation(err) && asAPIError(err, &ae) {
		out.Validation = fmt.Sprintf("%s %v", ae.Category, strings.Contains(ae.Error(), "no_such_prop"))
	}

	scoped, surl := startSim(t, hubspotsim.Options{Variants: variants, Scopes: []string{"crm.objects.contacts.read"}})
	sc, _ := simClient(t, scoped, surl)
	_, err = sc.BatchUpsert(ctx, "contacts", []UpsertInput{{ID: "a@example.com", IDProperty: "email"}})
	out.Scopes, _ = IsMissingScopes(err)

	sim.SetFaults(mustFaults(t, "daily=1"))
	_, _ = c.ListingsEnabled(ctx)
	_, err = c.BatchUpsertKeys(ctx, "contacts", tenants(1, 1))
	_, out.Daily = IsDailyLimit(err)
	return out
}

func asAPIError(err error, ae **APIError) bool {
	e, ok := err.(*APIError)
	*ae = e
	return ok
}

// TestVariantsAnswerAlike runs one scenario under each answer variant: the
// client's outcome equals the default simulator's.
func TestVariantsAnswerAlike(t *testing.T) {
	want := runVariantScenario(t)
	if len(want.FirstUpsert) != 6 || len(want.SecondUpsert) != 7 || want.SecondErrors["tenant-3"] != CategoryValidation ||
		len(want.Update) != 2 || !slices.Equal(want.UpdateErrors, []string{"u2"}) || len(want.Read) != 2 ||
		len(want.Assoc) != 4 || !want.NotFound || want.Validation != CategoryValidation+" true" ||
		!slices.Contains(want.Scopes, "crm.objects.contacts.write") || !want.Daily {
		t.Fatalf("default outcome is not what the scenario expects: %+v", want)
	}
	for _, vs := range [][]hubspotsim.Variant{
		{hubspotsim.VariantSpecErrors},
		{hubspotsim.VariantNoEcho},
		{hubspotsim.VariantNoLegacy},
		{hubspotsim.VariantDatedOnly},
		{hubspotsim.VariantBatch409},
		{hubspotsim.VariantSpecErrors, hubspotsim.VariantNoEcho, hubspotsim.VariantDatedOnly, hubspotsim.VariantNoLegacy},
	} {
		t.Run(fmt.Sprint(vs), func(t *testing.T) {
			if got := runVariantScenario(t, vs...); !reflect.DeepEqual(got, want) {
				t.Fatalf("outcome differs from the default simulator's\n got: %+v\nwant: %+v", got, want)
			}
		})
	}
}

// TestNoEchoReadsBackOnce: without echoes the upsert costs one read-back
// (and matches every result, New kept); with them it costs none.
func TestNoEchoReadsBackOnce(t *testing.T) {
	for _, tc := range []struct {
		variants []hubspotsim.Variant
		reads    int64
	}{{nil, 0}, {[]hubspotsim.Variant{hubspotsim.VariantNoEcho}, 2}} {
		t.Run(fmt.Sprint(tc.variants), func(t *testing.T) {
			sim, url := startSim(t, hubspotsim.Options{Variants: tc.variants})
			c, _ := simClient(t, sim, url)
			bootstrapContacts(t, c)
			ctx := context.Background()
			for round, wantNew := range []bool{true, false} {
				in := tenants(1, 40)
				if round == 1 {
					in = append(in, tenants(41, 1)...) // one new among old ones
				}
				res, err := c.BatchUpsertKeys(ctx, "contacts", in)
				if err != nil {
					t.Fatal(err)
				}
				byTrace := res.ResultByTrace()
				if len(byTrace) != len(in) || len(res.Errors) != 0 {
					t.Fatalf("round %d: %d traced results, errors %+v", round, len(byTrace), res.Errors)
				}
				for _, x := range in {
					o := byTrace[x.ObjectWriteTraceID]
					got, err := c.GetObjectByProperty(ctx, "contacts", "buildium_tenant_id", x.ID, nil)
					if err != nil || got.ID != o.ID {
						t.Fatalf("input %s answered by %s, HubSpot holds it as %s (%v)", x.ID, o.ID, got.ID, err)
					}
					if o.IsNew() != (wantNew || x.ID == "41") {
						t.Fatalf("input %s: new %v", x.ID, o.IsNew())
					}
				}
			}
			if got := c.Stats().ByKind["batch_read"]; got != tc.reads {
				t.Fatalf("%d read-backs for 2 upserts, want %d", got, tc.reads)
			}
		})
	}
}

// TestBatch409 plays the whole-batch 409 of a contact write whose email
// another contact holds: the error names the holder, nothing is written,
// and ContactsByEmail tells every offender (primary or additional email).
func TestBatch409(t *testing.T) {
	for _, vs := range [][]hubspotsim.Variant{{hubspotsim.VariantBatch409}, {hubspotsim.VariantBatch409, hubspotsim.VariantSpecErrors}} {
		t.Run(fmt.Sprint(vs), func(t *testing.T) {
			ctx := context.Background()
			sim, url := startSim(t, hubspotsim.Options{Variants: vs})
			c, _ := simClient(t, sim, url)
			bootstrapContacts(t, c)
			holder := sim.SeedContact(map[string]string{"email": "tenant2@example.com", "hs_additional_emails": "tenant3@example.com"})
			_, err := c.BatchUpsertKeys(ctx, "contacts", tenants(1, 4))
			existing, ok := IsConflict(err)
			if !ok || existing != holder {
				t.Fatalf("err = %v, existing %q, want a 409 naming %s", err, existing, holder)
			}
			rr, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{"1", "4"}, IDProperty: "buildium_tenant_id"})
			if err != nil || len(rr.Results) != 0 {
				t.Fatalf("the batch was partly written: %+v %v", rr, err)
			}
			found, err := c.ContactsByEmail(ctx, []string{"Tenant1@example.com", "tenant2@example.com", "TENANT3@example.com", "tenant4@example.com"})
			if err != nil || !reflect.DeepEqual(found, map[string]string{"tenant2@example.com": holder, "tenant3@example.com": holder}) {
				t.Fatalf("ContactsByEmail = %v, %v", found, err)
			}
		})
	}
	// The default simulator answers the same batch with a 207 naming the
	// offender and writes the others.
	sim, url := startSim(t, hubspotsim.Options{})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	holder := sim.SeedContact(map[string]string{"email": "tenant2@example.com"})
	res, err := c.BatchUpsertKeys(context.Background(), "contacts", tenants(1, 3))
	if err != nil || len(res.Results) != 2 || res.ErrorByTrace()["tenant-2"].ExistingID() != holder {
		t.Fatalf("%+v %v", res, err)
	}
}

// TestServiceKeyPreflight: without the legacy endpoints, token info and
// daily usage fail typed (404, 403); the daily budget is still known from
// the rate-limit headers of any response; a v3 client on a portal that
// serves dated paths only gets 404s.
func TestServiceKeyPreflight(t *testing.T) {
	ctx := context.Background()
	sim, url := startSim(t, hubspotsim.Options{Variants: []hubspotsim.Variant{hubspotsim.VariantNoLegacy, hubspotsim.VariantDatedOnly}, RateLimits: true})
	c, _ := simClient(t, sim, url, realTime)
	if _, err := c.TokenInfo(ctx); !IsNotFound(err) {
		t.Fatalf("TokenInfo: %v", err)
	}
	if _, err := c.DailyUsage(ctx); !IsForbidden(err) {
		t.Fatalf("DailyUsage: %v", err)
	}
	// The 403 itself carried the rate-limit headers.
	if l := c.Limits(); !l.DailyKnown || l.Daily == 0 || l.DailyRemaining <= 0 || l.DailyRemaining >= l.Daily {
		t.Fatalf("daily budget not read from the headers: %+v", l)
	}
	before := c.Limits().DailyRemaining
	if err := c.ProbeObjects(ctx, "contacts"); err != nil {
		t.Fatal(err)
	}
	if l := c.Limits(); l.DailyRemaining != before-1 {
		t.Fatalf("daily remaining %d after one more request, was %d", l.DailyRemaining, before)
	}
	if err := c.ProbeObjects(ctx, "0-420"); !IsForbidden(err) {
		t.Fatalf("listings not activated: %v", err)
	}
	v3, _ := simClient(t, sim, url, realTime, func(o *Options) { o.PathStyle = PathV3 })
	if err := v3.ProbeObjects(ctx, "contacts"); !IsNotFound(err) {
		t.Fatalf("v3 after the sunset: %v", err)
	}
	if _, err := v3.ListAssociationLabels(ctx, "contacts", "contacts"); !IsNotFound(err) {
		t.Fatalf("v4 after the sunset: %v", err)
	}
	if _, err := c.ListAssociationLabels(ctx, "contacts", "contacts"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListingsEnabled(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSpecShaped429s: rate-limit answers in the standard error shape (the
// policy name in a detail or only in the message) are retried like the
// documented ones, and a daily one pauses.
func TestSpecShaped429s(t *testing.T) {
	ctx := context.Background()
	sim, url := startSim(t, hubspotsim.Options{Variants: []hubspotsim.Variant{hubspotsim.VariantSpecErrors}})
	c, clk := simClient(t, sim, url)
	sim.FailNext(429, 2)
	if _, err := c.ListingsEnabled(ctx); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Retries != 2 || st.RateLimited != 2 {
		t.Fatalf("%+v", st)
	}
	if clk.Total() == 0 {
		t.Fatal("a ten-secondly 429 did not pause")
	}
}
