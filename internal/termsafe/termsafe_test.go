package termsafe

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
)

func unsafeOnTerminal(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

const hostile = "\x1b]0;pwned\a\x1b[2J\u009b31m\u202eevil\rnice\u2067x\u0085\x7f"

func TestText(t *testing.T) {
	got := Text("HTTP 400 " + hostile)
	if i := strings.IndexFunc(got, unsafeOnTerminal); i >= 0 {
		t.Fatalf("Text left %U in %q", []rune(got[i:])[0], got)
	}
	if !strings.Contains(got, "evil") || !strings.Contains(got, "nice") {
		t.Errorf("Text dropped the words too: %q", got)
	}
}

// FuzzJSON: whatever the value, the encoded JSON after JSON() holds nothing
// a terminal acts on, and decodes to the same value.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{hostile, "", "plain", "Zoë \u2028 \u00a0", "\xff\xfe", "\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(map[string]string{"message": s, s: "key"})
		if err != nil {
			t.Skip()
		}
		safe := JSON(b)
		if i := strings.IndexFunc(string(safe), unsafeOnTerminal); i >= 0 {
			t.Fatalf("JSON left %U in %q", []rune(string(safe[i:]))[0], safe)
		}
		var before, after map[string]string
		if err := json.Unmarshal(b, &before); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(safe, &after); err != nil {
			t.Fatalf("JSON broke the encoding: %v\n%s", err, safe)
		}
		if len(before) != len(after) || before["message"] != after["message"] {
			t.Fatalf("JSON changed the value: %q → %q", before, after)
		}
	})
}
