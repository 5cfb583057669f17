package hubspot

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Bodies copied from reference/hubspot-api.md.
const (
	body409       = `{"status":"error","message":"Contact already exists. Existing ID: 12345","correlationId":"9a1b3c5e-0000-4000-8000-000000000001","category":"CONFLICT"}`                                                                                                                                                                                                                                                                       // §3
	body400DupIDs = `{"status":"error","message":"Duplicate IDs found in batch input: [12877907025]. IDs must be unique","correlationId":"9a1b3c5e-0000-4000-8000-000000000002","context":{"ids":["12877907025"]},"category":"VALIDATION_ERROR"}`                                                                                                                                                                                                  // §3
	body403Scopes = `{"status":"error","message":"This app hasn't been granted all required scopes to make this call.","correlationId":"9a1b3c5e-0000-4000-8000-000000000003","category":"MISSING_SCOPES","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.write","crm.schemas.contacts.write"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"}}` // §1
	body429Daily  = `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa-2c40-4a64-ae48-b4cec88dad24","policyName":"DAILY","requestId":"3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd"}`                                                                                                                                                                                                    // §9
	body429Ten    = `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa-2c40-4a64-ae48-b4cec88dad25","policyName":"TEN_SECONDLY_ROLLING","requestId":"3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8de"}`                                                                                                                                                                      // §9
	body429Search = `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa-2c40-4a64-ae48-b4cec88dad26","policyName":"SECONDLY"}`                                                                                                                                                                                                                                                 // §9
	body401       = `{"status":"error","message":"Authentication credentials not found.","correlationId":"9a1b3c5e-0000-4000-8000-000000000004","category":"INVALID_AUTHENTICATION"}`
	body400Prop   = `{"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"x\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"x\"}]","correlationId":"9a1b3c5e-0000-4000-8000-000000000005","category":"VALIDATION_ERROR","errors":[{"message":"Property \"x\" does not exist","code":"PROPERTY_DOESNT_EXIST","context":{"propertyName":["x"]}}]}` // §3
)

func TestParseAPIError(t *testing.T) {
	tests := []struct {
		name           string
		status         int
		body           string
		category       string
		policy         string
		existingID     string
		scopes         []string
		context        map[string][]string
		wantInText     []string
		conflict, miss bool
	}{
		{name: "409 existing id", status: 409, body: body409, category: CategoryConflict, existingID: "12345",
			wantInText: []string{"HTTP 409", "Existing ID: 12345", "9a1b3c5e-0000-4000-8000-000000000001"}, conflict: true},
		{name: "400 duplicate ids", status: 400, body: body400DupIDs, category: CategoryValidation,
			context: map[string][]string{"ids": {"12877907025"}}, wantInText: []string{"Duplicate IDs found"}},
		{name: "403 missing scopes", status: 403, body: body403Scopes, category: CategoryMissingScopes,
			scopes:     []string{"crm.objects.contacts.write", "crm.schemas.contacts.write"},
			wantInText: []string{"add scope crm.objects.contacts.write, crm.schemas.contacts.write to the private app / service key"}, miss: true},
		{name: "429 daily", status: 429, body: body429Daily, category: CategoryRateLimits, policy: PolicyDaily,
			wantInText: []string{"HTTP 429", "(DAILY)"}},
		{name: "429 ten secondly", status: 429, body: body429Ten, category: CategoryRateLimits, policy: PolicyTenSecondly},
		{name: "401", status: 401, body: body401, category: CategoryAuthentication,
			wantInText: []string{"check HUBSPOT_ACCESS_TOKEN"}},
		{name: "400 property", status: 400, body: body400Prop, category: CategoryValidation,
			wantInText: []string{`Property "x" does not exist`}},
		{name: "502 html", status: 502, body: "<html><body>Bad gateway</body></html>",
			wantInText: []string{"HTTP 502", "Bad gateway"}},
		{name: "empty", status: 500, body: "", wantInText: []string{"HTTP 500"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseAPIError(tt.status, []byte(tt.body), "batch upsert contacts")
			if e.StatusCode != tt.status || e.Category != tt.category || e.PolicyName != tt.policy || e.ExistingID != tt.existingID {
				t.Errorf("got status %d category %q policy %q existing %q", e.StatusCode, e.Category, e.PolicyName, e.ExistingID)
			}
			if !slices.Equal(e.RequiredScopes, tt.scopes) {
				t.Errorf("scopes = %v, want %v", e.RequiredScopes, tt.scopes)
			}
			for k, v := range tt.context {
				if !slices.Equal(e.Context[k], v) {
					t.Errorf("context[%s] = %v, want %v", k, e.Context[k], v)
				}
			}
			text := e.Error()
			for _, w := range tt.wantInText {
				if !strings.Contains(text, w) {
					t.Errorf("Error() = %q, want it to contain %q", text, w)
				}
			}
			if !strings.HasPrefix(text, "hubspot: batch upsert contacts: ") {
				t.Errorf("Error() = %q does not name the operation", text)
			}
			wrapped := fmt.Errorf("stage tenants: %w", e)
			id, ok := IsConflict(wrapped)
			if ok != tt.conflict || id != tt.existingID {
				t.Errorf("IsConflict = %q, %v", id, ok)
			}
			scopes, ok := IsMissingScopes(wrapped)
			if ok != tt.miss || !slices.Equal(scopes, tt.scopes) {
				t.Errorf("IsMissingScopes = %v, %v", scopes, ok)
			}
		})
	}
}

func TestErrorPredicates(t *testing.T) {
	mk := func(status int) error { return fmt.Errorf("wrapped: %w", &APIError{StatusCode: status}) }
	if !IsNotFound(mk(404)) || IsNotFound(mk(400)) {
		t.Error("IsNotFound")
	}
	if !IsUnauthorized(mk(401)) || IsUnauthorized(mk(403)) {
		t.Error("IsUnauthorized")
	}
	if !IsForbidden(mk(403)) || IsForbidden(mk(401)) {
		t.Error("IsForbidden")
	}
	if !IsValidation(mk(400)) || IsValidation(mk(409)) {
		t.Error("IsValidation")
	}
	if _, ok := IsConflict(errors.New("Existing ID: 5")); ok {
		t.Error("IsConflict must not match strings")
	}
	if _, ok := IsDailyLimit(fmt.Errorf("x: %w", &DailyLimitError{})); !ok {
		t.Error("IsDailyLimit")
	}
}

func TestStandardErrorHelpers(t *testing.T) {
	e := StandardError{Message: "A contact with the email 'a@b.c' already exists. Existing ID: 77", Context: map[string][]string{"objectWriteTraceId": {"t-9"}}}
	if e.TraceID() != "t-9" || e.ExistingID() != "77" {
		t.Fatalf("TraceID %q ExistingID %q", e.TraceID(), e.ExistingID())
	}
	if (StandardError{}).TraceID() != "" || (StandardError{Message: "Existing ID: x"}).ExistingID() != "" {
		t.Fatal("empty helpers should return empty strings")
	}
}

func TestNetworkErrorText(t *testing.T) {
	e := &NetworkError{Op: "batch create 0-420", Attempts: 1, MaybeProcessed: true, Err: errors.New("EOF")}
	if !strings.Contains(e.Error(), "may have been applied") || !errors.Is(e, e.Err) {
		t.Fatalf("%q", e.Error())
	}
}
