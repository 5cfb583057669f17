package hubspotsim

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestISO(t *testing.T) {
	for _, ms := range []int64{0, 1, 1709251200123, 1735689599999, 253402300799999, -1} {
		want := time.UnixMilli(ms).UTC().Format(isoLayout)
		if got := iso(ms); got != want {
			t.Errorf("iso(%d) = %s, want %s", ms, got, want)
		}
	}
}

func TestPropValuesJSON(t *testing.T) {
	v := "a\"b\\c\nd\x01\u2028é"
	b, err := json.Marshal(objectJSON{ID: "1", Properties: propValues{{"x", v}, {"empty", ""}}})
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Properties map[string]*string `json:"properties"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if got := back.Properties["x"]; got == nil || *got != v {
		t.Errorf("round trip = %v", got)
	}
	if got, ok := back.Properties["empty"]; !ok || got != nil {
		t.Errorf("empty = %v %v, want null", got, ok)
	}
}

// FuzzAppendJSONString checks that every string encodes to valid JSON that
// decodes to the same string (invalid UTF-8 becomes U+FFFD, as encoding/json does).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\"", "\\", "\x00\x1f", "\u2028\u2029", "\xff\xfe", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q encoded as invalid JSON %s: %v", s, b, err)
		}
		want := s
		if !utf8.ValidString(s) {
			want = strings.ToValidUTF8(s, "\ufffd")
			// encoding/json replaces each invalid byte; compare loosely.
			if utf8.ValidString(back) && strings.Count(back, "\ufffd") >= 1 {
				return
			}
		}
		if back != want {
			t.Fatalf("%q round-tripped to %q", s, back)
		}
	})
}

// FuzzFlex checks that any JSON scalar decodes into a flex without panic.
func FuzzFlex(f *testing.F) {
	for _, s := range []string{`"x"`, `12`, `true`, `null`, `"a\"b"`, `{}`, `[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v struct {
			P map[string]flex `json:"p"`
		}
		_ = json.Unmarshal([]byte(`{"p":{"k":`+s+`}}`), &v)
	})
}

// TestFastJSONMatchesEncodingJSON pins the hand-written batch encoding to
// what encoding/json produces for the same values.
func TestFastJSONMatchesEncodingJSON(t *testing.T) {
	yes := true
	objs := []objectJSON{
		{ID: "1", Properties: propValues{{"email", "a@example.com"}, {"phone", ""}, {"note", "x\"y\u2028"}},
			CreatedAt: iso(0), UpdatedAt: iso(1), New: &yes, ObjectWriteTraceID: "t1"},
		{ID: "2", Properties: propValues{}, CreatedAt: iso(2), UpdatedAt: iso(3), Archived: true, ArchivedAt: iso(4),
			PropertiesWithHistory: map[string][]historyJSON{"email": {{Value: "v", Timestamp: iso(5), SourceType: "API"}}}},
	}
	e := newFailure(409, catConflict, "Contact already exists. Existing ID: 1").withContext("objectWriteTraceId", "t2").body
	for _, bj := range []*batchJSON{newBatch(6, objs, nil), newBatch(7, objs[:1], []*apiError{&e}), newBatch(8, []string{"x"}, nil)} {
		fast := bj.appendJSON(nil)
		std, err := json.Marshal(bj)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(fast, &a); err != nil {
			t.Fatalf("fast JSON invalid: %v: %s", err, fast)
		}
		_ = json.Unmarshal(std, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("fast %s\nstd  %s", fast, std)
		}
	}
}
