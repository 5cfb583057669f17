package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Canned bodies in the shapes of reference/hubspot-api.md.
const (
	// §3: 201 from batch create.
	body201Create = `{"status":"COMPLETE","results":[{"id":"512","properties":{"email":"a@example.com","firstname":"Ann","lastname":null,"hs_object_id":"512"},"createdAt":"2026-10-30T03:30:17.883Z","updatedAt":"2026-10-30T03:30:17.883Z","archived":false,"objectWriteTraceId":"t1"}],"startedAt":"2026-10-30T03:30:17.800Z","completedAt":"2026-10-30T03:30:17.900Z"}`
	// §3: 207 with one failing input, keyed by its trace id.
	body207 = `{"status":"COMPLETE","results":[{"id":"513","properties":{"email":"b@example.com"},"createdAt":"2026-10-30T03:30:17.883Z","updatedAt":"2026-10-30T03:30:17.883Z","archived":false,"objectWriteTraceId":"t1"}],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Email address bad@ is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]","context":{"objectWriteTraceId":["t2"]},"errors":[{"message":"Email address bad@ is invalid","code":"INVALID_EMAIL","context":{"propertyName":["email"]}}]}],"startedAt":"2026-10-30T03:30:17.800Z","completedAt":"2026-10-30T03:30:17.900Z"}`
	// §3: 200 from batch upsert; ids as numbers from a drifting server.
	body200Upsert = `{"status":"COMPLETE","results":[{"id":601,"properties":{"buildium_tenant_id":"7","buildium_total_units":12},"createdAt":"2026-10-30T03:30:17.883Z","updatedAt":"2026-10-31T03:30:17.883Z","archived":false,"new":true},{"id":"602","properties":{"buildium_tenant_id":"8"},"createdAt":"","updatedAt":1793331017883,"archived":false,"new":false}]}`
	// §4: association batch read with numeric toObjectId and paging.
	bodyAssocRead1 = `{"status":"COMPLETE","results":[{"from":{"id":"1"},"to":[{"toObjectId":101,"associationTypes":[{"category":"USER_DEFINED","typeId":36,"label":"Current tenant"},{"category":"HUBSPOT_DEFINED","typeId":882,"label":null}]}],"paging":{"next":{"after":"abc","link":"x"}}},{"from":{"id":"2"},"to":[{"toObjectId":"102","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":882}]}]}],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","subCategory":"crm.associations.NO_ASSOCIATIONS_FOUND","message":"No contact is associated with listing 3.","context":{"fromObjectId":["3"]}}]}`
	bodyAssocRead2 = `{"status":"COMPLETE","results":[{"from":{"id":1},"to":[{"toObjectId":103,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":882}]}]}]}`
	// §4: labelled batch create (200 since Aug 2025) and default batch.
	bodyAssocCreate  = `{"status":"COMPLETE","results":[{"fromObjectTypeId":"0-1","fromObjectId":11,"toObjectTypeId":"0-420","toObjectId":"22","labels":["Current tenant"]}]}`
	bodyAssocDefault = `{"status":"COMPLETE","results":[{"from":{"id":"11"},"to":{"id":"22"},"associationSpec":{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":883}}]}`
)

func TestObjectDecoding(t *testing.T) {
	var r BatchResult
	if err := json.Unmarshal([]byte(body200Upsert), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Results) != 2 {
		t.Fatalf("results = %d", len(r.Results))
	}
	a, b := r.Results[0], r.Results[1]
	if a.ID != "601" || !a.IsNew() || b.ID != "602" || b.IsNew() || b.New == nil {
		t.Errorf("ids/new: %+v %+v", a, b)
	}
	if a.Prop("buildium_total_units") != "12" || a.Prop("buildium_tenant_id") != "7" || a.Prop("missing") != "" {
		t.Errorf("props: %v", a.Properties)
	}
	if !b.CreatedAt.IsZero() || !b.UpdatedAt.Equal(time.UnixMilli(1793331017883)) {
		t.Errorf("times: %v %v", b.CreatedAt, b.UpdatedAt)
	}
	var o Object
	if err := json.Unmarshal([]byte(`{"id":"1","properties":{"a":null,"b":"x\"y","c":true}}`), &o); err != nil {
		t.Fatal(err)
	}
	if v, ok := o.Properties["a"]; !ok || v != nil {
		t.Errorf("null property must be present and nil: %v %v", v, ok)
	}
	if o.Prop("b") != `x"y` || o.Prop("c") != "true" {
		t.Errorf("props: %q %q", o.Prop("b"), o.Prop("c"))
	}
}

func TestBatchCreate201And207(t *testing.T) {
	srv := newCannedServer(t, reply(201, body201Create), reply(207, body207))
	c, _ := newTestClient(t, srv)
	ctx := context.Background()
	in := []CreateInput{{Properties: map[string]string{"email": "a@example.com"}, ObjectWriteTraceID: "t1"}}
	r, err := c.BatchCreate(ctx, "contacts", in)
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTPStatus != 201 || len(r.Results) != 1 || r.NumErrors != 0 || r.Results[0].Prop("firstname") != "Ann" {
		t.Fatalf("201: %+v", r)
	}
	if r.Results[0].Properties["lastname"] != nil || r.ResultByTrace()["t1"].ID != "512" {
		t.Errorf("201 decode: %+v", r.Results[0])
	}
	in = append(in, CreateInput{Properties: map[string]string{"email": "bad@"}, ObjectWriteTraceID: "t2"})
	r, err = c.BatchCreate(ctx, "contacts", in)
	if err != nil {
		t.Fatal(err)
	}
	if r.HTTPStatus != 207 || len(r.Results) != 1 || r.NumErrors != 1 {
		t.Fatalf("207: %+v", r)
	}
	e, ok := r.ErrorByTrace()["t2"]
	if !ok || e.Category != CategoryValidation || len(e.Errors) != 1 || e.Errors[0].Code != "INVALID_EMAIL" {
		t.Fatalf("ErrorByTrace: %+v", r.ErrorByTrace())
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[1].Path != "/crm/objects/2026-03/contacts/batch/create" || reqs[1].Auth != "Bearer "+testToken {
		t.Fatalf("requests: %+v", reqs)
	}
	var sent struct {
		Inputs []map[string]any `json:"inputs"`
	}
	if err := json.Unmarshal([]byte(reqs[1].Body), &sent); err != nil || len(sent.Inputs) != 2 || sent.Inputs[1]["objectWriteTraceId"] != "t2" {
		t.Fatalf("sent body %s (%v)", reqs[1].Body, err)
	}
}

func TestBatchUpsertBody(t *testing.T) {
	srv := newCannedServer(t, reply(200, body200Upsert))
	c, _ := newTestClient(t, srv)
	r, err := c.BatchUpsert(context.Background(), "contacts", []UpsertInput{
		{ID: "7", IDProperty: "buildium_tenant_id", Properties: map[string]string{"firstname": "A"}, ObjectWriteTraceID: "k7"},
	})
	if err != nil || r.HTTPStatus != 200 || !r.Results[0].IsNew() {
		t.Fatalf("%+v %v", r, err)
	}
	want := `{"inputs":[{"id":"7","idProperty":"buildium_tenant_id","properties":{"firstname":"A"},"objectWriteTraceId":"k7"}]}`
	if got := srv.Requests()[0].Body; got != want {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

func TestBatchTooLargeSendsNothing(t *testing.T) {
	srv := newCannedServer(t, reply(200, `{"status":"COMPLETE","results":[]}`))
	c, _ := newTestClient(t, srv)
	ctx := context.Background()
	errs := []error{}
	_, err := c.BatchUpsert(ctx, "contacts", make([]UpsertInput, MaxBatchInputs+1))
	errs = append(errs, err)
	_, err = c.BatchCreateAssociations(ctx, "contacts", "0-420", make([]AssociationInput, MaxAssociationCreateInputs+1))
	errs = append(errs, err)
	_, err = c.BatchReadAssociations(ctx, "contacts", "0-420", make([]string, MaxAssociationReadInputs+1))
	errs = append(errs, err)
	errs = append(errs, c.BatchArchive(ctx, "contacts", make([]string, MaxBatchInputs+1)))
	for i, err := range errs {
		if !errors.Is(err, ErrBatchTooLarge) {
			t.Errorf("%d: err = %v, want ErrBatchTooLarge", i, err)
		}
	}
	// Empty batches are answered locally too.
	if r, err := c.BatchUpsert(ctx, "contacts", nil); err != nil || r.HTTPStatus != 200 {
		t.Errorf("empty upsert: %v %v", r, err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestBatchReadAssociationsPagingAndNumericIDs(t *testing.T) {
	srv := newCannedServer(t, reply(207, bodyAssocRead1), reply(200, bodyAssocRead2))
	c, _ := newTestClient(t, srv)
	got, err := c.BatchReadAssociations(context.Background(), "0-420", "contacts", []string{"1", "2", "3", "1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(got["3"]) != 0 || got["3"] == nil {
		t.Fatalf("map: %+v", got)
	}
	if len(got["1"]) != 2 || got["1"][0].ToObjectID != "101" || got["1"][1].ToObjectID != "103" {
		t.Fatalf("id 1: %+v", got["1"])
	}
	if ts := got["1"][0].Types; len(ts) != 2 || ts[0].Label != "Current tenant" || ts[0].TypeID != 36 || ts[1].Label != "" {
		t.Fatalf("types: %+v", ts)
	}
	if len(got["2"]) != 1 || got["2"][0].ToObjectID != "102" {
		t.Fatalf("id 2: %+v", got["2"])
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Path != "/crm/associations/2026-03/0-420/contacts/batch/read" {
		t.Fatalf("requests: %+v", reqs)
	}
	if reqs[0].Body != `{"inputs":[{"id":"1"},{"id":"2"},{"id":"3"}]}` || reqs[1].Body != `{"inputs":[{"id":"1","after":"abc"}]}` {
		t.Fatalf("bodies: %s | %s", reqs[0].Body, reqs[1].Body)
	}
}

func TestBatchReadAssociationsOtherErrors(t *testing.T) {
	srv := newCannedServer(t, reply(207, `{"status":"COMPLETE","results":[{"from":{"id":"1"},"to":[]}],"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"bad id","context":{"fromObjectId":["x"]}}]}`))
	c, _ := newTestClient(t, srv)
	got, err := c.BatchReadAssociations(context.Background(), "contacts", "contacts", []string{"1", "x"})
	var are *AssociationReadError
	if !errors.As(err, &are) || len(are.Errors) != 1 {
		t.Fatalf("err = %v", err)
	}
	if _, ok := got["x"]; ok || got["1"] == nil {
		t.Fatalf("map: %+v", got)
	}
}

func TestAssociationCreateShapes(t *testing.T) {
	srv := newCannedServer(t, reply(200, bodyAssocCreate), reply(201, bodyAssocDefault))
	c, _ := newTestClient(t, srv)
	ctx := context.Background()
	r, err := c.BatchCreateAssociations(ctx, "contacts", "0-420", []AssociationInput{{From: "11", To: "22", Types: []AssociationTypeRef{{AssociationUserDefined, 36}}}})
	if err != nil || r.HTTPStatus != 200 || len(r.Results) != 1 {
		t.Fatalf("%+v %v", r, err)
	}
	if x := r.Results[0]; x.FromObjectID != "11" || x.ToObjectID != "22" || x.ToObjectTypeID != "0-420" || x.Labels[0] != "Current tenant" {
		t.Fatalf("labelled: %+v", x)
	}
	d, err := c.BatchCreateDefaultAssociations(ctx, "contacts", "0-420", []AssociationPair{{"11", "22"}})
	if err != nil || d.HTTPStatus != 201 {
		t.Fatalf("%+v %v", d, err)
	}
	if x := d.Results[0]; x.FromObjectID != "11" || x.ToObjectID != "22" || len(x.Types) != 1 || x.Types[0].TypeID != 883 {
		t.Fatalf("default: %+v", x)
	}
	reqs := srv.Requests()
	if reqs[0].Body != `{"inputs":[{"from":{"id":"11"},"to":{"id":"22"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":36}]}]}` {
		t.Errorf("labelled body %s", reqs[0].Body)
	}
	if reqs[1].Path != "/crm/associations/2026-03/contacts/0-420/batch/associate/default" || reqs[1].Body != `{"inputs":[{"from":{"id":"11"},"to":{"id":"22"}}]}` {
		t.Errorf("default request %s %s", reqs[1].Path, reqs[1].Body)
	}
}

func TestArchiveAssociationsGroupsByFrom(t *testing.T) {
	srv := newCannedServer(t, reply(204, ""))
	c, _ := newTestClient(t, srv)
	err := c.BatchArchiveAssociations(context.Background(), "contacts", "contacts", []AssociationPair{{"1", "2"}, {"3", "4"}, {"1", "5"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Requests()[0].Body; got != `{"inputs":[{"from":{"id":"1"},"to":[{"id":"2"},{"id":"5"}]},{"from":{"id":"3"},"to":[{"id":"4"}]}]}` {
		t.Fatalf("body %s", got)
	}
}

func TestAccountEndpoints(t *testing.T) {
	srv := newCannedServer(t,
		reply(200, `{"enablement":true}`),
		reply(200, `{"portalId":1234,"accountType":"STANDARD","timeZone":"US/Eastern","companyCurrency":"USD","utcOffset":"-05:00","utcOffsetMilliseconds":-18000000,"uiDomain":"app.hubspot.com","dataHostingLocation":"na1"}`),
		reply(200, `{"results":[{"name":"private-apps-api-calls-daily","usageLimit":625000,"currentUsage":1200,"collectedAt":"2026-11-02T15:00:00Z","fetchStatus":"SUCCESS","resetsAt":"2026-11-03T05:00:00Z"}]}`),
		reply(200, `{"userId":1,"hubId":1234,"appId":99,"scopes":["crm.objects.contacts.write","crm.schemas.custom.read"]}`),
	)
	c, _ := newTestClient(t, srv)
	ctx := context.Background()
	on, err := c.ListingsEnabled(ctx)
	if err != nil || !on {
		t.Fatalf("ListingsEnabled %v %v", on, err)
	}
	d, err := c.AccountDetails(ctx)
	if err != nil || d.PortalID != 1234 || d.TimeZone != "US/Eastern" {
		t.Fatalf("AccountDetails %+v %v", d, err)
	}
	u, err := c.DailyUsage(ctx)
	if err != nil || u.UsageLimit != 625000 || u.Remaining() != 623800 || !u.ResetsAt.Equal(time.Date(2026, 11, 3, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("DailyUsage %+v %v", u, err)
	}
	ti, err := c.TokenInfo(ctx)
	if err != nil || ti.HubID != 1234 || !ti.HasScope("crm.schemas.custom.read") || ti.HasScope("x") {
		t.Fatalf("TokenInfo %+v %v", ti, err)
	}
	reqs := srv.Requests()
	paths := []string{reqs[0].Path, reqs[1].Path, reqs[2].Path, reqs[3].Path}
	want := []string{"/crm/object-library/2026-03/enablement/0-420", "/account-info/2026-03/details", "/account-info/2026-03/api-usage/daily/private-apps", "/oauth/v2/private-apps/get/access-token-info"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("paths %v", paths)
	}
	if reqs[3].Method != http.MethodPost || reqs[3].Body != `{"tokenKey":"`+testToken+`"}` {
		t.Fatalf("token info request %+v", reqs[3])
	}
}

func TestSchemaAndPropertyDecoding(t *testing.T) {
	srv := newCannedServer(t,
		reply(201, `{"id":3465404,"objectTypeId":"2-3465404","fullyQualifiedName":"p1234_unit","name":"unit","labels":{"singular":"Unit","plural":"Units"},"primaryDisplayProperty":"unit_number","associations":[{"id":"123","fromObjectTypeId":"2-3465404","toObjectTypeId":"0-1","name":"unit_to_contact"}],"properties":[{"name":"unit_number","label":"Unit number","type":"string","fieldType":"text","groupName":"unit_information","hasUniqueValue":false,"createdAt":"","modificationMetadata":{"archivable":true,"readOnlyDefinition":false,"readOnlyValue":false}}],"createdAt":"2026-11-02T15:00:00Z","updatedAt":"2026-11-02T15:00:00Z","archived":false}`),
		reply(200, `{"results":[{"name":"createdate","label":"Create date","type":"datetime","fieldType":"date","groupName":"contactinformation","hubspotDefined":true,"modificationMetadata":{"readOnlyValue":true}},{"name":"buildium_tenant_id","label":"Buildium tenant id","type":"string","fieldType":"text","groupName":"buildium","hasUniqueValue":true,"createdAt":"2026-11-02T15:00:00.000Z"}]}`),
	)
	c, _ := newTestClient(t, srv)
	ctx := context.Background()
	s, err := c.CreateSchema(ctx, SchemaCreate{Name: "unit", Labels: SchemaLabels{"Unit", "Units"}, PrimaryDisplayProperty: "unit_number"})
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != "3465404" || s.ObjectTypeID != "2-3465404" || s.FullyQualifiedName != "p1234_unit" || s.Associations[0].ToObjectTypeID != "0-1" || s.Properties[0].Name != "unit_number" {
		t.Fatalf("schema %+v", s)
	}
	if !strings.Contains(srv.Requests()[0].Body, `"requiredProperties":[]`) || !strings.Contains(srv.Requests()[0].Body, `"associatedObjects":[]`) {
		t.Errorf("schema body %s", srv.Requests()[0].Body)
	}
	props, err := c.ListProperties(ctx, "contacts")
	if err != nil || len(props) != 2 {
		t.Fatalf("%v %v", props, err)
	}
	if !props[0].ReadOnly() || props[1].ReadOnly() || !props[1].HasUniqueValue || props[1].CreatedAt.IsZero() {
		t.Fatalf("props %+v", props)
	}
}
