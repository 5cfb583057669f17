package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestParseAPIErrorShapes: every field of an error body is found whatever
// its JSON type and wherever HubSpot puts it.
func TestParseAPIErrorShapes(t *testing.T) {
	tests := []struct {
		name              string
		status            int
		body              string
		category, policy  string
		subCategory       string
		existing          string
		context           map[string][]string
		detailContext     map[string][]string
		scopes            []string
		message           string // substring of Message
		correlationID     string
		detailSubCategory string
	}{
		{name: "subCategory string", status: 403, body: `{"status":"error","message":"m","category":"FORBIDDEN","subCategory":"crm.objects.OBJECT_TYPE_NOT_ACTIVATED"}`,
			category: "FORBIDDEN", subCategory: "crm.objects.OBJECT_TYPE_NOT_ACTIVATED", message: "m"},
		{name: "subCategory type and name", status: 403, body: `{"message":"m","category":"FORBIDDEN","subCategory":{"type":"crm.objects","name":"OBJECT_TYPE_NOT_ACTIVATED"}}`,
			category: "FORBIDDEN", subCategory: "crm.objects.OBJECT_TYPE_NOT_ACTIVATED", message: "m"},
		{name: "subCategory empty object", status: 400, body: `{"message":"m","category":"VALIDATION_ERROR","subCategory":{}}`, category: CategoryValidation, message: "m"},
		{name: "subCategory null", status: 400, body: `{"message":"m","category":"VALIDATION_ERROR","subCategory":null}`, category: CategoryValidation, message: "m"},
		{name: "subCategory array", status: 400, body: `{"message":"m","category":"VALIDATION_ERROR","subCategory":["A","B"]}`, category: CategoryValidation, subCategory: "A, B", message: "m"},
		{name: "subCategory odd object", status: 400, body: `{"message":"m","category":"VALIDATION_ERROR","subCategory":{"x":[1]}}`, category: CategoryValidation, subCategory: `{"x":[1]}`, message: "m"},
		{name: "context shapes", status: 400,
			body:     `{"message":"m","category":"VALIDATION_ERROR","context":{"ids":["1",2],"one":"x","n":7,"b":true,"o":{"k":"v"},"nul":null,"mixed":[{"a":1},null,"s"]}}`,
			category: CategoryValidation, message: "m",
			context: map[string][]string{"ids": {"1", "2"}, "one": {"x"}, "n": {"7"}, "b": {"true"}, "o": {`{"k":"v"}`}, "mixed": {`{"a":1}`, "s"}}},
		{name: "context not an object", status: 400, body: `{"message":"m","category":"VALIDATION_ERROR","context":["x"]}`, category: CategoryValidation, message: "m"},
		{name: "detail context as Java map", status: 403,
			body:     `{"message":"m","category":"MISSING_SCOPES","errors":[{"message":"d","context":"{requiredGranularScopes=[crm.objects.contacts.write, crm.schemas.contacts.write]}","subCategory":{"type":"SCOPES","name":"MISSING"}}]}`,
			category: CategoryMissingScopes, message: "m", scopes: []string{"crm.objects.contacts.write", "crm.schemas.contacts.write"},
			detailContext:     map[string][]string{"requiredGranularScopes": {"crm.objects.contacts.write", "crm.schemas.contacts.write"}},
			detailSubCategory: "SCOPES.MISSING"},
		{name: "errors a lone object", status: 400, body: `{"category":"VALIDATION_ERROR","errors":{"message":"only detail"}}`, category: CategoryValidation, message: "only detail"},
		{name: "numbers for text", status: 400, body: `{"status":400,"message":12,"category":"VALIDATION_ERROR","correlationId":77}`, category: CategoryValidation, message: "12", correlationID: "77"},
		{name: "409 in message", status: 409, body: body409, category: CategoryConflict, existing: "12345", message: "Existing ID: 12345"},
		{name: "409 in a detail", status: 409, body: `{"status":"error","message":"Conflict","category":"CONFLICT","errors":[{"message":"Contact already exists. Existing ID: 901"}]}`, category: CategoryConflict, existing: "901", message: "Conflict"},
		{name: "409 in context", status: 409, body: `{"status":"error","message":"Conflict","category":"CONFLICT","context":{"existingId":["902"]}}`, category: CategoryConflict, existing: "902", message: "Conflict"},
		{name: "409 in context text", status: 409, body: `{"status":"error","message":"Conflict","context":{"reason":"Existing ID: 903"}}`, existing: "903", message: "Conflict"},
		{name: "429 daily top level", status: 429, body: body429Daily, category: CategoryRateLimits, policy: PolicyDaily, message: "daily"},
		{name: "429 daily in subCategory object", status: 429, body: `{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":{"policyName":"DAILY"}}`, category: CategoryRateLimits, policy: PolicyDaily, subCategory: "DAILY", message: "x"},
		{name: "429 daily in subCategory string", status: 429, body: `{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":"RATE_LIMITS.DAILY"}`, category: CategoryRateLimits, policy: PolicyDaily, subCategory: "RATE_LIMITS.DAILY", message: "x"},
		{name: "429 daily in context", status: 429, body: `{"status":"error","message":"x","category":"RATE_LIMITS","context":{"policyName":["DAILY"]}}`, category: CategoryRateLimits, policy: PolicyDaily, message: "x"},
		{name: "429 daily in a detail subCategory", status: 429, body: `{"status":"error","message":"x","errors":[{"message":"y","subCategory":{"policyName":"DAILY"}}]}`, category: CategoryRateLimits, policy: PolicyDaily, message: "x"},
		{name: "429 daily in a detail's Java context", status: 429, body: `{"message":"x","category":"RATE_LIMITS","errors":[{"message":"y","context":"{policyName=[DAILY]}"}]}`, category: CategoryRateLimits, policy: PolicyDaily, message: "x"},
		{name: "429 daily by message", status: 429, body: `{"status":"error","message":"You have reached your daily limit.","category":"RATE_LIMITS"}`, category: CategoryRateLimits, policy: PolicyDaily, message: "daily limit"},
		{name: "429 daily as text", status: 429, body: `Daily limit reached`, category: CategoryRateLimits, policy: PolicyDaily, message: "Daily limit reached"},
		{name: "429 ten secondly in detail", status: 429, body: `{"message":"You have reached your ten_secondly_rolling limit.","category":"RATE_LIMITS","errors":[{"subCategory":{"type":"RATE_LIMIT","name":"TEN_SECONDLY_ROLLING"}}]}`, category: CategoryRateLimits, policy: PolicyTenSecondly, message: "ten_secondly"},
		{name: "429 secondly by message", status: 429, body: `{"message":"You have reached your secondly limit."}`, category: CategoryRateLimits, policy: PolicySecondly, message: "secondly"},
		{name: "429 unnamed", status: 429, body: `{"message":"slow down"}`, category: CategoryRateLimits, message: "slow down"},
		{name: "unknown JSON shape", status: 400, body: `{"error":"invalid_grant","error_description":"bad"}`, message: `{"error":"invalid_grant","error_description":"bad"}`},
		{name: "JSON array", status: 500, body: `["a","b"]`, message: `["a","b"]`},
		{name: "long unknown shape", status: 400, body: `{"x":"` + strings.Repeat("é", 400) + `"}`, message: "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseAPIError(tt.status, []byte(tt.body), "op")
			if e.Category != tt.category || e.PolicyName != tt.policy || e.SubCategory != tt.subCategory || e.ExistingID != tt.existing {
				t.Errorf("category %q policy %q subCategory %q existing %q", e.Category, e.PolicyName, e.SubCategory, e.ExistingID)
			}
			if !strings.Contains(e.Message, tt.message) || len(e.Message) > maxMessageBytes+len("…") {
				t.Errorf("message %q, want it to contain %q", e.Message, tt.message)
			}
			if tt.correlationID != "" && e.CorrelationID != tt.correlationID {
				t.Errorf("correlation id %q", e.CorrelationID)
			}
			if tt.context != nil && !reflect.DeepEqual(e.Context, tt.context) {
				t.Errorf("context %v, want %v", e.Context, tt.context)
			}
			if tt.detailContext != nil && (len(e.Errors) == 0 || !reflect.DeepEqual(e.Errors[0].Context, tt.detailContext)) {
				t.Errorf("details %+v", e.Errors)
			}
			if tt.detailSubCategory != "" && e.Errors[0].SubCategory != tt.detailSubCategory {
				t.Errorf("detail subCategory %q", e.Errors[0].SubCategory)
			}
			if !slices.Equal(e.RequiredScopes, tt.scopes) {
				t.Errorf("scopes %v", e.RequiredScopes)
			}
			if _, ok := IsConflict(e); ok != (tt.status == 409) {
				t.Errorf("IsConflict %v", ok)
			}
		})
	}
}

// TestBatch207WithSpecShapedErrors: a 207 whose errors carry subCategory
// objects and odd contexts decodes, keeping its results and every error's
// trace id.
func TestBatch207WithSpecShapedErrors(t *testing.T) {
	body := `{"status":"COMPLETE","results":[{"id":"1","properties":{},"objectWriteTraceId":"a"}],"numErrors":2,"errors":[` +
		`{"status":"error","category":"VALIDATION_ERROR","subCategory":{},"message":"bad","context":{"objectWriteTraceId":["b"]},"errors":[{"message":"d","code":"INVALID_EMAIL","in":"email","context":"{propertyName=[email]}","subCategory":{"type":"VALIDATION","name":"INVALID_EMAIL"}}],"links":{}},` +
		`{"status":"error","category":"CONFLICT","subCategory":{"type":"x","name":"y"},"message":"Contact already exists. Existing ID: 5","context":{"objectWriteTraceId":"c"}}]}`
	var r BatchResult
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	byTrace := r.ErrorByTrace()
	if len(r.Results) != 1 || len(byTrace) != 2 || byTrace["b"].Errors[0].Context["propertyName"][0] != "email" ||
		byTrace["c"].ExistingID() != "5" || byTrace["c"].SubCategory != "x.y" || byTrace["b"].Errors[0].In != "email" {
		t.Fatalf("%+v", r)
	}
	var fast batchWire[objectKeys]
	if err := json.Unmarshal([]byte(body), &fast); err != nil || len(fast.Errors) != 2 {
		t.Fatalf("keys decoder: %v %+v", err, fast)
	}
}

// TestDailyLimitInEveryShape: a daily-limit 429 in any shape pauses at
// once (a *DailyLimitError, no retry); a ten-secondly one is retried.
func TestDailyLimitInEveryShape(t *testing.T) {
	for _, body := range []string{
		body429Daily,
		`{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":{"policyName":"DAILY"}}`,
		`{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":"DAILY"}`,
		`{"status":"error","message":"x","category":"RATE_LIMITS","context":{"policyName":["DAILY"]}}`,
		`{"status":"error","message":"x","errors":[{"message":"y","context":"{policyName=[DAILY]}"}]}`,
		`{"status":"error","message":"You have reached your daily limit.","category":"RATE_LIMITS","subCategory":{}}`,
		`You have reached your daily limit.`,
	} {
		srv := newCannedServer(t, reply(429, body), reply(404, `{}`))
		c, _ := newTestClient(t, srv)
		_, err := c.BatchUpsertKeys(context.Background(), "contacts", tenants(1, 1))
		if _, ok := IsDailyLimit(err); !ok {
			t.Fatalf("%s: err = %v", body, err)
		}
		if st := c.Stats(); st.Retries != 0 {
			t.Fatalf("%s: retried %d times", body, st.Retries)
		}
	}
	srv := newCannedServer(t, reply(429, `{"message":"x","category":"RATE_LIMITS","subCategory":{"type":"RATE_LIMIT","name":"TEN_SECONDLY_ROLLING"}}`),
		reply(http.StatusOK, `{"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"tenant-1","new":true}]}`))
	c, _ := newTestClient(t, srv)
	res, err := c.BatchUpsertKeys(context.Background(), "contacts", tenants(1, 1))
	if err != nil || len(res.Results) != 1 || c.Stats().Retries != 1 {
		t.Fatalf("%+v %v %+v", res, err, c.Stats())
	}
}
