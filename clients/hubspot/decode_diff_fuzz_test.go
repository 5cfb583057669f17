package hubspot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"b2h/internal/jsonx"
)

// FuzzDecodeMatchesStdlib: jsonx.Unmarshal (goccy/go-json) agrees with
// encoding/json on every body, for every type a HubSpot response decodes
// into and the fast-path records inside them: the same values where
// encoding/json accepts the body, an error where it rejects it.
func FuzzDecodeMatchesStdlib(f *testing.F) {
	for _, s := range []string{
		`{"status":"COMPLETE","results":[{"id":"101","properties":{"email":"a@b.co","b2h_buildium_id":"7","n":null},"createdAt":"2026-01-02T03:04:05.123Z","updatedAt":"2026-01-02T03:04:05Z","archived":false,"objectWriteTraceId":"7","new":true}],"requestedAt":"2026-01-02T03:04:05Z","startedAt":1700000000000,"completedAt":""}`,
		`{"status":"COMPLETE","results":[],"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"x","context":{"objectWriteTraceId":["7"]}}],"numErrors":1}`,
		`{"results":[{"id":7,"properties":{"email":null,"n":1.5,"b":true,"o":{}},"createdAt":1700000000000,"updatedAt":"","archived":"false"}]}`,
		`{"results":[{"from":{"id":"1"},"to":[{"toObjectId":2,"associationTypes":[{"category":"USER_DEFINED","typeId":9,"label":"Current tenant"}]}]}]}`,
		`{"results":[{"from":{"id":1},"to":[{"id":"2","type":"contact_to_unit"}]}],"errors":[{"status":"error","message":"x"}]}`,
		`{"fromObjectTypeId":"0-1","fromObjectId":51,"toObjectTypeId":"0-420","toObjectId":"7","labels":["Current tenant",null]}`,
		`{"from":{"id":"1"},"to":{"id":2},"associationSpec":{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}}`,
		`{"name":"email","type":"string","fieldType":"text","hasUniqueValue":"yes","options":[{"label":null,"value":1}],"modificationMetadata":null}`,
		`{"id":2468,"objectTypeId":"2-123","fullyQualifiedName":"p_unit","labels":{"singular":"Unit"},"associations":[{"id":1,"fromObjectTypeId":"2-123","toObjectTypeId":"0-1"}],"properties":[{"name":"x"}]}`,
		`{"portalId":"62515","accountType":7,"timeZone":null}`,
		`{"results":[{"name":"private-apps-api-calls-daily","usageLimit":"x","currentUsage":1,"collectedAt":"2026-11-01T00:00:00Z","resetsAt":1700000000000}]}`,
		`{"hubId":1,"scopes":["crm.objects.contacts.write",null]}`,
		`{"id":"1","properties":{"a":"\ud800","b":"caf\u00e9","c":"a\xffb"},"ID":"2","Properties":{}}`,
		`{"results":[{"id":"1","properties":{"a":"1","a":"2"}}]} `, `{"results":[]} x`, `{"results":[null,{}]}`,
		`null`, `[]`, `"x"`, `{"results":null}`, `{"id":{"a":1}}`, `1e999`, `{"createdAt":"2026-13-01T00:00:00Z"}`,
		`{"status":"error","message":"x","category":"RATE_LIMITS","subCategory":{"policyName":"DAILY"},"links":{}}`,
		`{"message":"m","category":"MISSING_SCOPES","errors":[{"message":"d","code":"C","in":"body","context":"{requiredGranularScopes=[a, b]}","subCategory":{"type":"T","name":"N"}}]}`,
		`{"message":12,"context":{"ids":["1",2,null,{"a":1}],"one":"x","n":7},"subCategory":["A"],"errors":{"message":"lone"}}`,
		`{"status":"COMPLETE","results":[{"id":"1","objectWriteTraceId":"a"}],"errors":[{"subCategory":{},"context":{"objectWriteTraceId":"b"},"errors":[{"context":"{k=[v]}"}]}]}`,
		`{"results":[{"allLabels":["a"],"fromObjectType":{"objectTypeId":"0-1"},"toObjectType":{"objectTypeId":"2-9"},"limit":"50","usage":17,"percentage":0.34}]}`,
	} {
		for kind := range decodedTypes {
			f.Add(uint8(kind), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		decodedTypes[int(kind)%len(decodedTypes)](t, body)
	})
}

// decodedTypes are the types HubSpot responses decode into, and the
// fast-path records inside them, each as a check against encoding/json.
// New ones go at the end: a fuzz input's kind picks by index.
var decodedTypes = []func(*testing.T, []byte){
	sameAsStdlib[batchWire[objectFast]],
	sameAsStdlib[objectFast],
	sameAsStdlib[BatchResult],
	sameAsStdlib[Object],
	sameAsStdlib[AssociationBatchResult],
	sameAsStdlib[AssociationResult],
	sameAsStdlib[[]Property],
	sameAsStdlib[Schema],
	sameAsStdlib[AccountDetails],
	sameAsStdlib[dailyUsageBody],
	sameAsStdlib[TokenInfo],
	sameAsStdlib[StandardError],
	sameAsStdlib[batchWire[objectKeys]],
	sameAsStdlib[objectKeys],
	sameAsStdlib[assocResultWire],
	sameAsStdlib[ErrorDetail],
	sameAsStdlib[[]StandardError],
	sameAsStdlib[LabelLimit],
	sameAsStdlib[PropertyBatchResult],
}

func sameAsStdlib[T any](t *testing.T, body []byte) {
	want, got := new(T), new(T)
	werr := json.Unmarshal(body, want)
	gerr := jsonx.Unmarshal(body, got)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%T: encoding/json: %v; jsonx: %v\nbody: %q", want, werr, gerr, body)
	}
	if werr == nil && !reflect.DeepEqual(want, got) {
		t.Fatalf("%T: values differ\nbody:          %q\nencoding/json: %#v\njsonx:         %#v", want, body, *want, *got)
	}
}

// FuzzEncodeMatchesStdlib: a batch upsert body encoded by jsonx.Marshal
// (goccy/go-json) is valid JSON and decodes to exactly what encoding/json's
// encoding of the same inputs decodes to, whatever the property names and
// values (invalid UTF-8, controls, HTML characters, U+2028 included).
func FuzzEncodeMatchesStdlib(f *testing.F) {
	for _, s := range []string{"", "plain", "a\xffb", "<script>&amp;</script>", "\u2028\u2029", "\x00\x1b[31m", "Zoë \"quoted\" \\"} {
		f.Add("email", s, "k"+s, "7")
	}
	f.Fuzz(func(t *testing.T, name, value, key, trace string) {
		in := struct {
			Inputs []UpsertInput `json:"inputs"`
		}{[]UpsertInput{{ID: key, IDProperty: name, Properties: map[string]string{name: value, "n" + value: key}, ObjectWriteTraceID: trace}}}
		want, err := json.Marshal(in)
		if err != nil {
			t.Skip()
		}
		got, err := jsonx.Marshal(in)
		if err != nil {
			t.Fatalf("jsonx.Marshal: %v", err)
		}
		if !json.Valid(got) {
			t.Fatalf("jsonx.Marshal wrote invalid JSON: %q", got)
		}
		var a, b any
		if err := json.Unmarshal(want, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(got, &b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("values differ\nencoding/json: %s\njsonx:         %s", want, got)
		}
		// Association inputs write themselves (MarshalJSON, through jsonx):
		// the same value as encoding/json gives their wire shape.
		type wire struct {
			From  idRef                `json:"from"`
			To    idRef                `json:"to"`
			Types []AssociationTypeRef `json:"types,omitempty"`
		}
		types := []AssociationTypeRef{{Category: name, TypeID: len(value)}}
		sameValue(t, []AssociationInput{{From: key, To: value, Types: types}}, []wire{{idRef{key}, idRef{value}, types}})
		sameValue(t, []AssociationPair{{From: value, To: trace}}, []wire{{From: idRef{value}, To: idRef{trace}}})
	})
}

// sameValue fails unless v (encoded however it encodes itself) and ref
// (encoded by encoding/json) decode to the same value.
func sameValue(t *testing.T, v, ref any) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T: %v", v, err)
	}
	want, err := json.Marshal(ref)
	if err != nil {
		t.Skip()
	}
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatalf("%T wrote invalid JSON: %q", v, got)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("%T: values differ\nencoding/json: %s\ngot:           %s", v, want, got)
	}
}

// FuzzFlexString: flexString's fast paths (plain strings and integers) give
// what encoding/json gives for the same bytes: the string, or the number's
// text, or an error.
func FuzzFlexString(f *testing.F) {
	for _, s := range []string{`"123"`, `123`, `-0`, `0`, `01`, `-`, `""`, `"a\"b"`, `"caf\u00e9"`, "\"caf\xc3\xa9\"",
		"\"a\xffb\"", "\"\x01\"", `1.5e3`, `null`, ` 12 `, `"\ud800"`, `true`, `"a"b"`, "\"\xed\xa0\x80\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got flexString
		gerr := got.UnmarshalJSON(b)
		// The reference: encoding/json's own decoding of the same value.
		var want string
		var werr error
		tb := bytes.TrimSpace(b)
		switch {
		case len(tb) == 0 || string(tb) == "null":
		case tb[0] == '"':
			werr = json.Unmarshal(tb, &want)
		default:
			var n json.Number
			werr = json.Unmarshal(tb, &n)
			want = n.String()
		}
		if (gerr == nil) != (werr == nil) {
			t.Fatalf("%q: flexString error %v, encoding/json %v", b, gerr, werr)
		}
		if gerr == nil && string(got) != want {
			t.Fatalf("%q: flexString %q, encoding/json %q", b, got, want)
		}
	})
}
