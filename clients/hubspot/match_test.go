package hubspot

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// upsertIn is three inputs keyed by buildium_tenant_id 1..3 with trace
// ids t1..t3.
func upsertIn() []UpsertInput {
	in := make([]UpsertInput, 3)
	for i := range in {
		id := string(rune('1' + i))
		in[i] = UpsertInput{ID: id, IDProperty: "buildium_tenant_id", ObjectWriteTraceID: "t" + id, Properties: map[string]string{"firstname": "x"}}
	}
	return in
}

// TestUpsertMatching: whatever HubSpot echoes, each result carries the
// trace id of the input it answers, errors are attributed, and the
// read-back is sent only when echoes are missing.
func TestUpsertMatching(t *testing.T) {
	tests := []struct {
		name     string
		answer   string
		readBack string            // the read-back's answer ("" = none expected)
		results  map[string]string // trace → "id new"
		errors   map[string]string // trace → message substring
		readIDs  []string          // ids the read-back asks for
	}{
		{name: "trace echo, any order",
			answer:  `{"status":"COMPLETE","results":[{"id":"3","objectWriteTraceId":"t3","new":true},{"id":"1","objectWriteTraceId":"t1","new":false},{"id":"2","objectWriteTraceId":"t2","new":true}]}`,
			results: map[string]string{"t1": "1 false", "t2": "2 true", "t3": "3 true"}},
		{name: "key echo, no trace",
			answer:  `{"status":"COMPLETE","results":[{"id":"12","properties":{"buildium_tenant_id":"2"},"new":true},{"id":"11","properties":{"buildium_tenant_id":"1"},"new":false},{"id":"13","properties":{"buildium_tenant_id":"3"},"new":false}]}`,
			results: map[string]string{"t1": "11 false", "t2": "12 true", "t3": "13 false"}},
		{name: "no echo: one read-back",
			answer:   `{"status":"COMPLETE","results":[{"id":"13","properties":{"hs_object_id":"13"},"new":true},{"id":"11","new":false},{"id":"12","new":true}]}`,
			readBack: `{"status":"COMPLETE","results":[{"id":"12","properties":{"buildium_tenant_id":"2"}},{"id":"11","properties":{"buildium_tenant_id":"1"}},{"id":"13","properties":{"buildium_tenant_id":"3"}}]}`,
			readIDs:  []string{"1", "2", "3"},
			results:  map[string]string{"t1": "11 false", "t2": "12 true", "t3": "13 true"}},
		{name: "no echo, last one by elimination",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"},{"id":"12","objectWriteTraceId":"t2"},{"id":"13","new":true}]}`,
			results: map[string]string{"t1": "11 false", "t2": "12 false", "t3": "13 true"}},
		{name: "no echo with a traced error: read-back skips it",
			answer:   `{"status":"COMPLETE","results":[{"id":"11"},{"id":"13"}],"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"bad email","context":{"objectWriteTraceId":["t2"]}}]}`,
			readBack: `{"status":"COMPLETE","results":[{"id":"11","properties":{"buildium_tenant_id":"1"}},{"id":"13","properties":{"buildium_tenant_id":"3"}}]}`,
			readIDs:  []string{"1", "3"},
			results:  map[string]string{"t1": "11 false", "t3": "13 false"},
			errors:   map[string]string{"t2": "bad email"}},
		{name: "error naming a key value, without trace id",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"},{"id":"13","objectWriteTraceId":"t3"}],"errors":[{"status":"error","message":"cannot write","context":{"ids":["2"]}}]}`,
			results: map[string]string{"t1": "11 false", "t3": "13 false"},
			errors:  map[string]string{"t2": "cannot write"}},
		{name: "lone unattributed error, lone open input",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"},{"id":"12","objectWriteTraceId":"t2"}],"errors":[{"status":"error","message":"rule rejected"}]}`,
			results: map[string]string{"t1": "11 false", "t2": "12 false"},
			errors:  map[string]string{"t3": "rule rejected"}},
		{name: "unattributed errors, two open inputs: both failed, quoting them",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"}],"errors":[{"status":"error","message":"rule rejected"},{"status":"error","message":"other"}]}`,
			results: map[string]string{"t1": "11 false"},
			errors:  map[string]string{"t2": "did not acknowledge", "t3": "rule rejected; other"}},
		{name: "unacknowledged input",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"},{"id":"12","objectWriteTraceId":"t2"}]}`,
			results: map[string]string{"t1": "11 false", "t2": "12 false"},
			errors:  map[string]string{"t3": "did not acknowledge"}},
		{name: "read-back does not find one",
			answer:   `{"status":"COMPLETE","results":[{"id":"11"},{"id":"12"},{"id":"99"}]}`,
			readBack: `{"status":"COMPLETE","results":[{"id":"11","properties":{"buildium_tenant_id":"1"}},{"id":"12","properties":{"buildium_tenant_id":"2"}}],"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"missing","context":{"ids":["3"]}}]}`,
			readIDs:  []string{"1", "2", "3"},
			results:  map[string]string{"t1": "11 false", "t2": "12 false", "t3": "99 false"}},
		{name: "read-back does not find one, no result left: it failed",
			answer:   `{"status":"COMPLETE","results":[{"id":"11"},{"id":"12"}]}`,
			readBack: `{"status":"COMPLETE","results":[{"id":"12","properties":{"buildium_tenant_id":"2"}},{"id":"11","properties":{"buildium_tenant_id":"1"}}]}`,
			readIDs:  []string{"1", "2", "3"},
			results:  map[string]string{"t1": "11 false", "t2": "12 false"},
			errors:   map[string]string{"t3": "did not acknowledge"}},
		{name: "results in a spec-shaped 207",
			answer:  `{"status":"COMPLETE","results":[{"id":"11","objectWriteTraceId":"t1"},{"id":"12","objectWriteTraceId":"t2"}],"numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","subCategory":{},"message":"m","context":{"objectWriteTraceId":["t3"]},"errors":[{"message":"d","context":"{propertyName=[email]}","subCategory":{"type":"V","name":"INVALID_EMAIL"}}],"links":{}}]}`,
			results: map[string]string{"t1": "11 false", "t2": "12 false"},
			errors:  map[string]string{"t3": "m"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handlers := []http.HandlerFunc{reply(200, tt.answer)}
			if tt.readBack != "" {
				handlers = append(handlers, reply(200, tt.readBack))
			}
			srv := newCannedServer(t, handlers...)
			c, _ := newTestClient(t, srv)
			res, err := c.BatchUpsertKeys(context.Background(), "contacts", upsertIn())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, o := range res.Results {
				got[o.ObjectWriteTraceID] = o.ID + " " + map[bool]string{true: "true", false: "false"}[o.IsNew()]
			}
			if !maps.Equal(got, tt.results) {
				t.Errorf("results %v, want %v", got, tt.results)
			}
			errs := res.ErrorByTrace()
			if len(errs) != len(tt.errors) {
				t.Errorf("errors %v, want %v", errs, tt.errors)
			}
			for tr, want := range tt.errors {
				if !strings.Contains(errs[tr].Message, want) {
					t.Errorf("error of %s: %q, want %q", tr, errs[tr].Message, want)
				}
			}
			reqs := srv.Requests()
			if wantReqs := 1 + min(1, len(tt.readBack)); len(reqs) != wantReqs {
				t.Fatalf("%d requests, want %d", len(reqs), wantReqs)
			}
			if tt.readBack != "" {
				var body struct {
					Inputs     []struct{ ID string }
					IDProperty string
					Properties []string
				}
				if err := json.Unmarshal([]byte(reqs[1].Body), &body); err != nil || !strings.HasSuffix(reqs[1].Path, "/contacts/batch/read") ||
					body.IDProperty != "buildium_tenant_id" || !slices.Equal(body.Properties, []string{"buildium_tenant_id"}) {
					t.Fatalf("read-back %s %s", reqs[1].Path, reqs[1].Body)
				}
				var ids []string
				for _, x := range body.Inputs {
					ids = append(ids, x.ID)
				}
				if !slices.Equal(ids, tt.readIDs) {
					t.Fatalf("read-back of %v, want %v", ids, tt.readIDs)
				}
			}
		})
	}
}

// TestUpsertReadBackFailure: when the read-back fails the upsert returns
// that error (a daily limit stays a *DailyLimitError).
func TestUpsertReadBackFailure(t *testing.T) {
	srv := newCannedServer(t, reply(200, `{"status":"COMPLETE","results":[{"id":"11"},{"id":"12"},{"id":"13"}]}`), reply(429, body429Daily), reply(404, `{}`))
	c, _ := newTestClient(t, srv)
	_, err := c.BatchUpsertKeys(context.Background(), "contacts", upsertIn())
	if _, ok := IsDailyLimit(err); !ok || !strings.Contains(err.Error(), "reading the keys back") {
		t.Fatalf("err = %v", err)
	}
}

// TestUpdateMatching: update results are matched by record id, errors by
// the ids they name, and an input HubSpot does not answer fails.
func TestUpdateMatching(t *testing.T) {
	srv := newCannedServer(t, reply(207, `{"status":"COMPLETE","results":[{"id":"13","properties":{}},{"id":"11","properties":{}}],"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"gone","context":{"ids":["14"]}}]}`))
	c, _ := newTestClient(t, srv)
	in := []UpdateInput{{ID: "11", ObjectWriteTraceID: "a"}, {ID: "12", ObjectWriteTraceID: "b"}, {ID: "13", ObjectWriteTraceID: "c"}, {ID: "14", ObjectWriteTraceID: "d"}}
	res, err := c.BatchUpdate(context.Background(), "contacts", in)
	if err != nil {
		t.Fatal(err)
	}
	byTrace := res.ResultByTrace()
	errs := res.ErrorByTrace()
	if len(byTrace) != 2 || byTrace["a"].ID != "11" || byTrace["c"].ID != "13" || len(errs) != 2 ||
		errs["d"].Message != "gone" || !strings.Contains(errs["b"].Message, "did not acknowledge") {
		t.Fatalf("results %v errors %v", byTrace, errs)
	}
}
