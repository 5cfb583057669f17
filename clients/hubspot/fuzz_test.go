package hubspot

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// FuzzBatchResult feeds untrusted batch bodies to the decoder: it must never
// panic, and wherever a record decodes through both the fast and the
// tolerant path, the two must agree.
func FuzzBatchResult(f *testing.F) {
	for _, s := range []string{body201Create, body207, body200Upsert, okUpsert,
		`{"results":[{"id":"1","properties":{"a":"\u00e9\\n","b":null,"c":1.5,"d":"\xff"}}]}`,
		`{"results":[{"id":null,"createdAt":""}]}`, `{}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r BatchResult
		if json.Unmarshal(body, &r) != nil {
			return
		}
		_ = r.ErrorByTrace()
		_ = r.ResultByTrace()
		var raw struct {
			Results []json.RawMessage `json:"results"`
		}
		if json.Unmarshal(body, &raw) != nil {
			return
		}
		for _, rec := range raw.Results {
			var fast objectFast
			if json.Unmarshal(rec, &fast) != nil {
				continue
			}
			tol, err := decodeTolerant(rec)
			if err != nil {
				continue
			}
			want := fast.object()
			if tol.ID != want.ID || len(tol.Properties) != len(want.Properties) {
				t.Fatalf("paths disagree on %s: %+v vs %+v", rec, tol, want)
			}
			for k, v := range want.Properties {
				tv := tol.Properties[k]
				if (v == nil) != (tv == nil) || (v != nil && *v != *tv) {
					t.Fatalf("property %q: fast %v, tolerant %v (%s)", k, v, tv, rec)
				}
			}
		}
	})
}

var digits = regexp.MustCompile(`^\d*$`)

// FuzzParseAPIError: any error body yields an APIError with a message a
// person can read, and an ExistingID that is a number or nothing.
func FuzzParseAPIError(f *testing.F) {
	for _, s := range []string{body409, body400DupIDs, body403Scopes, body429Daily, body429Ten, body401, body400Prop, "<html>", "",
		`{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":{"policyName":"DAILY"},"links":{}}`,
		`{"message":"m","category":"MISSING_SCOPES","errors":[{"message":"d","code":"C","in":"body","context":"{requiredGranularScopes=[a, b]}","subCategory":{"type":"T","name":"N"}}]}`,
		`{"message":12,"context":{"ids":["1",2,null,{"a":1}],"one":"x","n":7},"subCategory":["A"],"errors":{"message":"lone"}}`} {
		f.Add(409, []byte(s))
		f.Add(429, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseAPIError(status, body, "op")
		if e.Error() == "" || !digits.MatchString(e.ExistingID) {
			t.Fatalf("%q / %q", e.Error(), e.ExistingID)
		}
		// A body that says nothing readable is quoted, bounded.
		if len(e.Message) > maxMessageBytes+len("…") && !json.Valid(body) {
			t.Fatalf("message of %d bytes", len(e.Message))
		}
		// A daily-limit 429, however shaped, is named DAILY.
		if status == 429 && strings.Contains(string(body), `"policyName":"DAILY"`) && e.PolicyName != PolicyDaily && !strings.Contains(string(body), "TEN_SECONDLY") && !strings.Contains(string(body), `"policyName":"`+PolicySecondly) {
			t.Fatalf("policy %q for %s", e.PolicyName, body)
		}
	})
}
