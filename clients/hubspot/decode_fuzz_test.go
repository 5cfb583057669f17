package hubspot

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeResponses feeds arbitrary bodies to every response type with
// its own tolerant decoder (association results, records, properties,
// schemas, flexible ids and times, account endpoints, error bodies and
// their details, label limits): none may panic, and
// whatever decodes must encode again. kind picks the type.
func FuzzDecodeResponses(f *testing.F) {
	for _, s := range []string{
		`{"results":[{"from":{"id":"1"},"to":[{"toObjectId":2,"associationTypes":[{"category":"USER_DEFINED","typeId":9,"label":"Current tenant"}]}]}]}`,
		`{"results":[{"from":{"id":1},"to":[{"id":"2","type":"contact_to_unit"}]}],"errors":[{"status":"error","message":"x"}]}`,
		`{"id":7,"properties":{"email":null,"n":1.5,"b":true,"o":{}},"createdAt":1700000000000,"updatedAt":"","archived":"false"}`,
		`{"name":"email","type":"string","fieldType":"text","hasUniqueValue":"yes","options":[{"label":null,"value":1}],"modificationMetadata":null}`,
		`{"id":2468,"objectTypeId":"2-123","fullyQualifiedName":"p_unit","labels":{"singular":"Unit"},"associations":[{"id":1,"fromObjectTypeId":"2-123","toObjectTypeId":"0-1"}],"properties":[{"name":"x"}]}`,
		`{"portalId":"62515","accountType":7,"timeZone":null}`,
		`{"results":[{"name":"private-apps-api-calls-daily","usageLimit":"x","currentUsage":1,"collectedAt":"2026-11-01T00:00:00Z","resetsAt":1700000000000}]}`,
		`{"hubId":1,"scopes":["crm.objects.contacts.write",null]}`,
		`null`, `[]`, `"x"`, `{"results":null}`, `{"id":{"a":1}}`, `1e999`,
		`{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":{"policyName":"DAILY"},"links":{}}`,
		`{"message":"m","category":"MISSING_SCOPES","errors":[{"message":"d","code":"C","in":"body","context":"{requiredGranularScopes=[a, b]}","subCategory":{"type":"T","name":"N"}}]}`,
		`{"message":12,"context":{"ids":["1",2,null,{"a":1}],"one":"x","n":7},"subCategory":["A"],"errors":{"message":"lone"}}`,
		`{"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"a"}],"errors":[{"subCategory":{},"context":{"objectWriteTraceId":"b"},"errors":[{"context":"{k=[v]}"}]}]}`,
		`{"results":[{"allLabels":["a"],"fromObjectType":{"objectTypeId":"0-1"},"toObjectType":{"objectTypeId":"2-9"},"limit":"50","usage":17,"percentage":0.34}]}`,
	} {
		for kind := range 11 {
			f.Add(uint8(kind), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		var v any
		switch kind % 11 {
		case 0:
			v = new(AssociationResult)
		case 1:
			v = new(AssociatedObject)
		case 2:
			v = new(Object)
		case 3:
			v = new(Property)
		case 4:
			v = new(Schema)
		case 5:
			v = new(AccountDetails)
		case 6:
			v = new(dailyUsageBody)
		case 7:
			v = new(TokenInfo)
		case 8:
			v = new(StandardError)
		case 9:
			v = new(ErrorDetail)
		case 10:
			v = new(LabelLimit)
		}
		if json.Unmarshal(body, v) != nil {
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("decoded %s into %T but cannot encode it: %v", body, v, err)
		}
	})
}
