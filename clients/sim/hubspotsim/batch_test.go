package hubspotsim

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"b2h/clients/sim/fault"
)

// tenantHarness is an account with the unique buildium_tenant_id property.
func tenantHarness(t *testing.T) *harness {
	h := enterprise(t)
	h.addProperty("contacts", "buildium_tenant_id", "string", "text", true)
	return h
}

// upsertInput is a batch upsert input keyed by buildium_tenant_id.
func upsertInput(tenantID string, p props, trace string) map[string]any {
	in := map[string]any{"id": tenantID, "idProperty": "buildium_tenant_id", "properties": p}
	if trace != "" {
		in["objectWriteTraceId"] = trace
	}
	return in
}

func TestBatchLimits(t *testing.T) {
	h := tenantHarness(t)
	many := func(n int, mk func(i int) map[string]any) map[string]any {
		var in []map[string]any
		for i := 0; i < n; i++ {
			in = append(in, mk(i))
		}
		return inputs(in...)
	}
	byID := func(i int) map[string]any { return map[string]any{"id": strconv.Itoa(i + 1)} }
	cases := []struct {
		name, op string
		body     map[string]any
		want     int
	}{
		// ref: hubspot-api.md §3 "Max 100 inputs per request"
		{"create 100", "create", many(100, func(i int) map[string]any { return contactInput(fmt.Sprintf("c%d@example.com", i), "C") }), 201},
		{"create 101", "create", many(101, func(i int) map[string]any { return contactInput(fmt.Sprintf("d%d@example.com", i), "D") }), 400},
		{"upsert 101", "upsert", many(101, func(i int) map[string]any { return upsertInput("T"+strconv.Itoa(i), props{}, "") }), 400},
		{"update 101", "update", many(101, byID), 400},
		{"read 101", "read", many(101, byID), 400},
		{"archive 101", "archive", many(101, byID), 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts/batch/"+tc.op, tc.body).want(t, tc.want)
			if tc.want == 400 && r.str("category") != "VALIDATION_ERROR" {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	if n := len(h.s.Objects("contacts")); n != 100 {
		t.Errorf("%d contacts exist, want 100 (the 101-input batches wrote nothing)", n)
	}
}

func TestDuplicateIDsInBatch(t *testing.T) {
	h := tenantHarness(t)
	id := h.createContact(props{"email": "x@example.com"})
	cases := []struct {
		name, op string
		body     map[string]any
		dupes    []string
	}{
		// ref: hubspot-api.md §3 "Duplicate id values within one upsert/update batch: 400 ... whole request rejected, with or without trace IDs"
		{"upsert", "upsert", inputs(upsertInput("T1", props{}, ""), upsertInput("T2", props{}, ""), upsertInput("T1", props{}, "")), []string{"T1"}},
		{"upsert traced", "upsert", inputs(upsertInput("T1", props{}, "a"), upsertInput("T1", props{}, "b")), []string{"T1"}},
		{"upsert by email folds case", "upsert", inputs(
			map[string]any{"id": "A@example.com", "idProperty": "email", "properties": props{}},
			map[string]any{"id": "a@example.com", "idProperty": "email", "properties": props{}}), []string{"A@example.com"}},
		{"update", "update", inputs(map[string]any{"id": id, "properties": props{"firstname": "a"}}, map[string]any{"id": id, "properties": props{"firstname": "b"}}), []string{id}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts/batch/"+tc.op, tc.body).want(t, 400)
			want := "Duplicate IDs found in batch input: [" + strings.Join(tc.dupes, ", ") + "]. IDs must be unique"
			if r.str("message") != want || r.str("category") != "VALIDATION_ERROR" || r.str("context.ids.0") != tc.dupes[0] {
				t.Errorf("body = %s\nwant message %q", r.raw, want)
			}
		})
	}
	if n := len(h.s.Objects("contacts")); n != 1 {
		t.Errorf("%d contacts, want 1: rejected batches must write nothing", n)
	}
}

func TestDuplicateEmailOnCreate(t *testing.T) {
	h := tenantHarness(t)
	existing := h.createContact(props{"email": "taken@example.com"})

	// ref: hubspot-api.md §3 "Duplicate email on contact create (single or batch, no trace IDs): 409 ... batch create reports only the first duplicate"
	r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"email": "TAKEN@example.com"}}).want(t, 409)
	checkConflictBody(t, r, existing)

	h.createContact(props{"email": "taken2@example.com"})
	r = h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(
		contactInput("fresh@example.com", "F"), contactInput("taken@example.com", "A"), contactInput("taken2@example.com", "B"),
	)).want(t, 409)
	checkConflictBody(t, r, existing)
	if got := len(h.s.Objects("contacts")); got != 2 {
		t.Errorf("%d contacts after a failed batch, want 2 (all-or-nothing without trace ids, §13.2)", got)
	}

	// ref: hubspot-api.md §3 "207 multi-status is enabled by giving each create input a unique objectWriteTraceId"
	traced := func(email, trace string) map[string]any {
		in := contactInput(email, "T")
		in["objectWriteTraceId"] = trace
		return in
	}
	r = h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(
		traced("fresh@example.com", "t1"), traced("taken@example.com", "t2"), traced("bad-email", "t3"),
	)).want(t, 207)
	if r.str("numErrors") != "2" || r.len("results") != 1 || r.str("results.0.objectWriteTraceId") != "t1" {
		t.Errorf("207 body = %s", r.raw)
	}
	errsByTrace := map[string]string{}
	for i := 0; i < r.len("errors"); i++ {
		p := "errors." + strconv.Itoa(i)
		errsByTrace[r.str(p+".context.objectWriteTraceId.0")] = r.str(p + ".category")
	}
	if !maps.Equal(errsByTrace, map[string]string{"t2": "CONFLICT", "t3": "VALIDATION_ERROR"}) {
		t.Errorf("errors by trace = %v", errsByTrace)
	}
	if !strings.Contains(string(r.raw), "Existing ID: "+existing) {
		t.Errorf("conflict error does not name the existing id: %s", r.raw)
	}
	// All inputs created → 201 (§3).
	h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(traced("n1@example.com", "a"), traced("n2@example.com", "b"))).want(t, 201)
}

// checkConflictBody asserts the §3 409 body: exactly status, message,
// correlationId, category.
func checkConflictBody(t *testing.T, r resp, existing string) {
	t.Helper()
	m, _ := r.body.(map[string]any)
	keys := slices.Sorted(maps.Keys(m))
	if !slices.Equal(keys, []string{"category", "correlationId", "message", "status"}) {
		t.Errorf("409 keys = %v: %s", keys, r.raw)
	}
	if r.str("message") != "Contact already exists. Existing ID: "+existing || r.str("category") != "CONFLICT" || r.str("status") != "error" {
		t.Errorf("409 body = %s", r.raw)
	}
}

func TestAdditionalEmailsAreUnique(t *testing.T) {
	h := tenantHarness(t)
	// ref: hubspot-api.md §11 "additional emails are also unique — no two contacts may share one"
	seeded := h.s.SeedContact(map[string]string{"email": "primary@example.com", "hs_additional_emails": "old@example.com;Work@Example.com"})
	for _, email := range []string{"old@example.com", "work@example.com", "PRIMARY@example.com"} {
		t.Run(email, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts", map[string]any{"properties": props{"email": email}}).want(t, 409)
			checkConflictBody(t, r, seeded)
		})
	}
	// ref: hubspot-api.md §11 "Batch read by email resolves a secondary address to the owning contact"
	r := h.do("POST", "/crm/v3/objects/contacts/batch/read", map[string]any{
		"idProperty": "email", "inputs": []map[string]any{{"id": "work@example.com"}}, "properties": []string{"email"},
	}).want(t, 200)
	if r.str("results.0.id") != seeded || r.str("results.0.properties.email") != "primary@example.com" {
		t.Errorf("batch read by additional email = %s", r.raw)
	}
	// ref: hubspot-api.md §11 "upsert keyed by a secondary email is expected to land on the same contact"
	u := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(map[string]any{
		"id": "old@example.com", "idProperty": "email", "properties": props{"firstname": "Olga"},
	})).want(t, 200)
	if u.str("results.0.id") != seeded || u.str("results.0.new") != "false" {
		t.Errorf("upsert by additional email = %s", u.raw)
	}
}

func TestUpsert(t *testing.T) {
	h := tenantHarness(t)
	r := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T1", props{"email": "t1@example.com", "firstname": "One"}, ""),
		upsertInput("T2", props{"firstname": "Two"}, ""),
	)).want(t, 200)
	// ref: hubspot-api.md §3 "each result has "new": true|false"
	ids := map[string]string{}
	for i := 0; i < 2; i++ {
		p := "results." + strconv.Itoa(i)
		if r.str(p+".new") != "true" {
			t.Errorf("first upsert %s new = %q", p, r.str(p+".new"))
		}
		ids[r.str(p+".properties.buildium_tenant_id")] = r.str(p + ".id")
	}
	r = h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T1", props{"firstname": "Uno"}, ""),
		upsertInput("T3", props{"firstname": "Three"}, ""),
	)).want(t, 200)
	got := map[string]string{}
	for i := 0; i < 2; i++ {
		p := "results." + strconv.Itoa(i)
		got[r.str(p+".properties.buildium_tenant_id")] = r.str(p + ".new")
	}
	if !maps.Equal(got, map[string]string{"T1": "false", "T3": "true"}) {
		t.Errorf("new flags = %v", got)
	}
	if r.str("results.0.id") != ids["T1"] {
		t.Errorf("T1 upsert landed on %s, want %s", r.str("results.0.id"), ids["T1"])
	}
	if n := len(h.s.Objects("contacts")); n != 3 {
		t.Errorf("%d contacts, want 3", n)
	}
}

func TestUpsertAndUpdateKeyRules(t *testing.T) {
	h := tenantHarness(t)
	h.addProperty("contacts", "nickname", "string", "text", false)
	id := h.createContact(props{"email": "k@example.com", "buildium_tenant_id": "K1"})
	cases := []struct {
		name, op string
		body     map[string]any
		want     int
		msg      string
	}{
		// ref: hubspot-api.md §3 "idProperty must be a hasUniqueValue property, or email for contacts"
		{"upsert by non-unique", "upsert", inputs(map[string]any{"id": "x", "idProperty": "nickname", "properties": props{}}), 400,
			"Unable to perform update/upsert by non-unique 0-1 property nickname in portal ID 12345678"},
		// ref: hubspot-api.md §3 "passing idProperty:"hs_object_id" gives 400 ... non-unique"
		{"upsert by hs_object_id", "upsert", inputs(map[string]any{"id": id, "idProperty": "hs_object_id", "properties": props{}}), 400,
			"Unable to perform update/upsert by non-unique 0-1 property hs_object_id in portal ID 12345678"},
		{"upsert without idProperty", "upsert", inputs(map[string]any{"id": "x", "properties": props{}}), 400, ""},
		// ref: hubspot-api.md §3 "Contacts: batch update must use record IDs; idProperty:"email" gives 400"
		{"update by email", "update", inputs(map[string]any{"id": "k@example.com", "idProperty": "email", "properties": props{"firstname": "x"}}), 400,
			"Unable to perform update/upsert by non-unique 0-1 property email in portal ID 12345678"},
		{"update by hs_object_id", "update", inputs(map[string]any{"id": id, "idProperty": "hs_object_id", "properties": props{}}), 400, ""},
		{"update by unique custom", "update", inputs(map[string]any{"id": "K1", "idProperty": "buildium_tenant_id", "properties": props{"firstname": "Kay"}}), 200, ""},
		{"update by id", "update", inputs(map[string]any{"id": id, "properties": props{"lastname": "Kim"}}), 200, ""},
		{"update missing id", "update", inputs(map[string]any{"id": "424242", "properties": props{"lastname": "Kim"}}), 404, ""},
		{"upsert by email", "upsert", inputs(map[string]any{"id": "k@example.com", "idProperty": "email", "properties": props{"jobtitle": "Chef"}}), 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts/batch/"+tc.op, tc.body).want(t, tc.want)
			if tc.msg != "" && r.str("message") != tc.msg {
				t.Errorf("message = %q\nwant %q", r.str("message"), tc.msg)
			}
		})
	}
	o := h.do("GET", "/crm/v3/objects/contacts/"+id+"?properties=firstname,lastname,jobtitle", nil)
	if o.str("properties.firstname") != "Kay" || o.str("properties.lastname") != "Kim" || o.str("properties.jobtitle") != "Chef" {
		t.Errorf("record = %s", o.raw)
	}
}

func TestUpsertEmailConflict(t *testing.T) {
	h := tenantHarness(t)
	owner := h.createContact(props{"email": "shared@example.com", "buildium_tenant_id": "T0"})
	// ref: hubspot-api.md §3 (via brief) upsert that would take another contact's email → per-input CONFLICT naming Existing ID
	r := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T1", props{"email": "shared@example.com"}, "a"),
		upsertInput("T2", props{"email": "own@example.com"}, "b"),
	)).want(t, 207)
	if r.str("errors.0.category") != "CONFLICT" || r.str("errors.0.context.objectWriteTraceId.0") != "a" ||
		!strings.Contains(r.str("errors.0.message"), "Existing ID: "+owner) || r.len("results") != 1 {
		t.Errorf("207 = %s", r.raw)
	}
	// Without trace ids the batch fails as a whole with the 409 and writes nothing.
	before := len(h.s.Objects("contacts"))
	r = h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T3", props{"email": "free@example.com"}, ""),
		upsertInput("T4", props{"email": "shared@example.com"}, ""),
	)).want(t, 409)
	checkConflictBody(t, r, owner)
	if after := len(h.s.Objects("contacts")); after != before {
		t.Errorf("contacts %d → %d after a failed batch", before, after)
	}
	// Two inputs of one traced batch sharing an email: the second conflicts with the first.
	r = h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T5", props{"email": "household@example.com"}, "a"),
		upsertInput("T6", props{"email": "household@example.com"}, "b"),
	)).want(t, 207)
	if r.len("results") != 1 || !strings.Contains(r.str("errors.0.message"), "Existing ID: "+r.str("results.0.id")) {
		t.Errorf("household 207 = %s", r.raw)
	}
	// The same without trace ids: 400, nothing written.
	r = h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		upsertInput("T7", props{"email": "family@example.com"}, ""),
		upsertInput("T8", props{"email": "family@example.com"}, ""),
	)).want(t, 400)
	if got := h.do("POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"idProperty": "buildium_tenant_id", "inputs": []map[string]any{{"id": "T7"}}}); got.status != 207 {
		t.Errorf("T7 was written by a rejected batch: %s", got.raw)
	}
}

func TestUpsertByEmailIsAllOrNothing(t *testing.T) {
	h := tenantHarness(t)
	h.createContact(props{"email": "a@example.com", "buildium_tenant_id": "TA"})
	// ref: hubspot-api.md §3 "Partial upserts are not supported when using email as the idProperty for contacts"
	r := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(
		map[string]any{"id": "new@example.com", "idProperty": "email", "properties": props{"firstname": "N"}, "objectWriteTraceId": "1"},
		map[string]any{"id": "other@example.com", "idProperty": "email", "properties": props{"buildium_tenant_id": "TA"}, "objectWriteTraceId": "2"},
	)).want(t, 409)
	if !strings.Contains(r.str("message"), "Existing ID:") {
		t.Errorf("body = %s", r.raw)
	}
	if n := len(h.s.Objects("contacts")); n != 1 {
		t.Errorf("%d contacts, want 1: an email-keyed upsert must not partially apply", n)
	}
}

func TestHasUniqueValueEnforced(t *testing.T) {
	h := tenantHarness(t)
	h.addProperty("0-420", "buildium_property_id", "string", "text", true)
	a := h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "A", "buildium_property_id": "P1"}}).want(t, 201).str("id")
	b := h.do("POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "B", "buildium_property_id": "P2"}}).want(t, 201).str("id")
	// ref: hubspot-api.md §14 "hasUniqueValue uniqueness"
	cases := []struct {
		name, method, path string
		body               any
	}{
		{"create", "POST", "/crm/v3/objects/listings", map[string]any{"properties": props{"hs_name": "C", "buildium_property_id": "P1"}}},
		{"patch", "PATCH", "/crm/v3/objects/listings/" + b, map[string]any{"properties": props{"buildium_property_id": "P1"}}},
		{"batch update", "POST", "/crm/v3/objects/listings/batch/update", inputs(map[string]any{"id": b, "properties": props{"buildium_property_id": "P1"}})},
		{"upsert", "POST", "/crm/v3/objects/listings/batch/upsert", inputs(map[string]any{"id": "P2", "idProperty": "buildium_property_id", "properties": props{"buildium_property_id": "P1"}})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(tc.method, tc.path, tc.body).want(t, 409)
			if r.str("category") != "CONFLICT" || !strings.Contains(r.str("message"), "Existing ID: "+a) {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	// A record may keep (re-send) its own value.
	h.do("PATCH", "/crm/v3/objects/listings/"+a, map[string]any{"properties": props{"buildium_property_id": "P1"}}).want(t, 200)
	// Clearing frees the value.
	h.do("PATCH", "/crm/v3/objects/listings/"+a, map[string]any{"properties": props{"buildium_property_id": ""}}).want(t, 200)
	h.do("PATCH", "/crm/v3/objects/listings/"+b, map[string]any{"properties": props{"buildium_property_id": "P1"}}).want(t, 200)
}

func TestBatchRead(t *testing.T) {
	h := tenantHarness(t)
	a := h.createContact(props{"email": "r1@example.com", "buildium_tenant_id": "R1"})
	b := h.createContact(props{"email": "r2@example.com", "buildium_tenant_id": "R2"})
	cases := []struct {
		name    string
		body    map[string]any
		status  int
		ids     []string
		missing []string
	}{
		{"by id", map[string]any{"inputs": []map[string]any{{"id": a}, {"id": b}}}, 200, []string{a, b}, nil},
		// ref: hubspot-api.md §3 "207 when some ids are found and some not (results + errors)"
		{"some missing", map[string]any{"inputs": []map[string]any{{"id": a}, {"id": "999"}}}, 207, []string{a}, []string{"999"}},
		{"by unique property", map[string]any{"idProperty": "buildium_tenant_id", "properties": []string{"email"}, "inputs": []map[string]any{{"id": "R2"}, {"id": "R9"}}}, 207, []string{b}, []string{"R9"}},
		{"by email", map[string]any{"idProperty": "email", "inputs": []map[string]any{{"id": "R1@EXAMPLE.com"}}}, 200, []string{a}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/crm/v3/objects/contacts/batch/read", tc.body).want(t, tc.status)
			var got []string
			for i := 0; i < r.len("results"); i++ {
				got = append(got, r.str("results."+strconv.Itoa(i)+".id"))
			}
			if !slices.Equal(got, tc.ids) {
				t.Errorf("ids = %v, want %v", got, tc.ids)
			}
			if tc.missing != nil && (r.str("errors.0.category") != "OBJECT_NOT_FOUND" || r.str("errors.0.context.ids.0") != tc.missing[0] || r.str("numErrors") != "1") {
				t.Errorf("errors = %s", r.raw)
			}
		})
	}
	// propertiesWithHistory returns a version per value.
	r := h.do("POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"inputs": []map[string]any{{"id": a}}, "propertiesWithHistory": []string{"email"}}).want(t, 200)
	if r.str("results.0.propertiesWithHistory.email.0.value") != "r1@example.com" {
		t.Errorf("history = %s", r.raw)
	}
}

func TestBatchArchive(t *testing.T) {
	h := tenantHarness(t)
	a := h.createContact(props{"email": "z@example.com"})
	// ref: hubspot-api.md §3 "archive: {"inputs":[{"id":"..."}]} → 204"
	h.do("POST", "/crm/v3/objects/contacts/batch/archive", inputs(map[string]any{"id": a}, map[string]any{"id": "12"})).want(t, 204)
	objs := h.s.Objects("contacts")
	if len(objs) != 1 || !objs[0].Archived {
		t.Errorf("objects = %+v", objs)
	}
}

func TestRecordFaults(t *testing.T) {
	h := tenantHarness(t)
	h.s.SetFaults(fault.Profile{Record: 1, Seed: 3})
	// ref: brief "Per-record fault injection ... in 207 when trace ids present; otherwise the whole batch 400"
	r := h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(upsertInput("F1", props{"firstname": "F"}, "t1"))).want(t, 207)
	if r.str("errors.0.category") != "VALIDATION_ERROR" || r.str("errors.0.context.objectWriteTraceId.0") != "t1" {
		t.Errorf("207 = %s", r.raw)
	}
	h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(upsertInput("F1", props{"firstname": "F"}, ""))).want(t, 400)
	h.do("POST", "/crm/v3/objects/contacts/batch/create", inputs(contactInput("f@example.com", "F"))).want(t, 400)
	if n := len(h.s.Objects("contacts")); n != 0 {
		t.Errorf("%d contacts written by rejected inputs", n)
	}
	h.s.SetFaults(fault.Profile{})
	h.do("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(upsertInput("F1", props{"firstname": "F"}, ""))).want(t, 200)
}

func TestBatchUpdate207(t *testing.T) {
	h := tenantHarness(t)
	a := h.createContact(props{"firstname": "A"})
	r := h.do("POST", "/crm/v3/objects/contacts/batch/update", inputs(
		map[string]any{"id": a, "properties": props{"firstname": "A2"}, "objectWriteTraceId": "x"},
		map[string]any{"id": "777", "properties": props{"firstname": "B"}, "objectWriteTraceId": "y"},
		map[string]any{"id": a + "0", "properties": props{"nope": "B"}, "objectWriteTraceId": "z"},
	)).want(t, 207)
	if r.len("results") != 1 || r.str("numErrors") != "2" || r.str("results.0.properties.firstname") != "A2" {
		t.Errorf("207 = %s", r.raw)
	}
	raw, _ := json.Marshal(r.body)
	if !strings.Contains(string(raw), `"objectWriteTraceId":["y"]`) {
		t.Errorf("missing-id error lacks its trace id: %s", raw)
	}
}
