package logx

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// emailLike is an independent, conservative definition of an unmasked
// address: two or more local-part characters, '@', a dotted domain.
var emailLike = regexp.MustCompile(`[A-Za-z0-9._%+\-]{2,}@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// FuzzMaskString: MaskString never panics, is idempotent, keeps valid
// UTF-8 valid, passes clean strings through, and leaves no address-like
// text behind.
func FuzzMaskString(f *testing.F) {
	for _, s := range []string{"", "jane@example.com", "a@b@c.com", "(555) 0100199@x.com", "+1 555 010 0199", "123-45-6789",
		"2026-11-01T12:00:00Z 127.0.0.1", "Bearer abcdefghijklmnop", "pat-na1-00000000-1111-2222-3333-444444444444",
		"\x1b[31mjane@example.com\x1b[0m", "\xff@\xfe.com", "@@@", "a2b3c4d5-1111-2222-3333-444444444444@x.com", strings.Repeat("9", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := MaskString(s)
		if again := MaskString(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("%q → invalid UTF-8 %q", s, got)
		}
		if !suspicious(s) && got != s {
			t.Fatalf("clean %q changed to %q", s, got)
		}
		if m := emailLike.FindString(got); m != "" {
			t.Fatalf("%q → %q still holds the address %q", s, got, m)
		}
	})
}

// FuzzMaskPhoneInText: a run of 7–20 digits set apart by spaces never
// survives, whatever text surrounds it.
func FuzzMaskPhoneInText(f *testing.F) {
	f.Add("call", "5550100199", "now")
	f.Add("2026-11-01", "1234567", "x@y.com")
	f.Add("Bearer", "12345678901234567890", "")
	f.Fuzz(func(t *testing.T, prefix, digits, suffix string) {
		digits = onlyDigits(digits)
		if len(digits) < 7 || len(digits) > 20 {
			return
		}
		in := stripDigits(prefix) + " " + digits + " " + stripDigits(suffix)
		if got := MaskString(in); strings.Contains(got, digits) {
			t.Fatalf("%q → %q keeps %s", in, got, digits)
		}
	})
}

// FuzzMaskEmailInText: an address set apart by spaces keeps at most the
// first character of its local part, whatever text surrounds it.
func FuzzMaskEmailInText(f *testing.F) {
	f.Add("to", "jane.doe", "example", "thanks")
	f.Add("a@", "x+y", "b-c", "@d.com")
	f.Fuzz(func(t *testing.T, prefix, local, domain, suffix string) {
		local = keep(local, "abcdefghijklmnopqrstuvwxyz0123456789._%+-")
		domain = keep(domain, "abcdefghijklmnopqrstuvwxyz-")
		if len(local) < 2 || domain == "" {
			return
		}
		addr := local + "@" + domain + ".com"
		in := strings.ReplaceAll(prefix, "@", "") + " " + addr + " " + strings.ReplaceAll(suffix, "@", "")
		if got := MaskString(in); strings.Contains(got, local+"@") {
			t.Fatalf("%q → %q keeps %s", in, got, local)
		}
	})
}

// FuzzHandlerSecretNeverWritten: whatever the secret, the message and the
// other attributes, the line written does not depend on the secret's
// value: it cannot leak, not even partly.
func FuzzHandlerSecretNeverWritten(f *testing.F) {
	f.Add("pat-na1-00000000-1111", "sync started", "jane@example.com", []byte(`{"a":1}`))
	f.Add("s3cr3t", "", "\x1b]0;x\x07", []byte(`null`))
	f.Fuzz(func(t *testing.T, secret, msg, other string, raw []byte) {
		if secret == "" {
			return
		}
		var tree any
		_ = json.Unmarshal(raw, &tree)
		line := func(s string) string {
			var buf bytes.Buffer
			l := newTestLogger(&buf).With("client_secret", s)
			l.WithGroup("auth").Info(msg, "value", s, "other", other, "data", tree)
			l.Info(msg, "token", s, "Authorization", "Bearer "+s, slog.Group("g", "password", s, "note", other),
				"credentials", map[string]any{"id": s, "nested": tree})
			return buf.String()
		}
		if a, b := line(secret), line("x"); a != b {
			t.Fatalf("output depends on the secret %q:\n%s\nvs\n%s", secret, a, b)
		}
	})
}

// FuzzHandlerAny: any JSON value logged with slog.Any (as a careless
// caller might log a decoded API body) comes out as valid JSON with no
// address left in it.
func FuzzHandlerAny(f *testing.F) {
	f.Add([]byte(`{"properties":{"email":"jane@example.com","phone":"555-010-0199","note":"sam@example.org"}}`))
	f.Add([]byte(`[{"jane@example.com":["x",1,true,null]}]`))
	f.Add([]byte(`"plain"`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var tree any
		if json.Unmarshal(raw, &tree) != nil {
			return
		}
		var buf bytes.Buffer
		newTestLogger(&buf).Info("body", "body", tree, "err", string(raw))
		var out map[string]any
		if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, buf.String())
		}
		// Checked on the decoded values: the JSON handler's escapes
		// ("\u0001@x.com") are not addresses.
		walkStrings(out, func(s string) {
			if m := emailLike.FindString(s); m != "" {
				t.Fatalf("%s logged as %s: holds %q", raw, buf.String(), m)
			}
		})
	})
}

// walkStrings calls fn with every key and string value in a decoded JSON
// value.
func walkStrings(v any, fn func(string)) {
	switch v := v.(type) {
	case string:
		fn(v)
	case []any:
		for _, x := range v {
			walkStrings(x, fn)
		}
	case map[string]any:
		for k, x := range v {
			fn(k)
			walkStrings(x, fn)
		}
	}
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func stripDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, s)
}

func keep(s, allowed string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(allowed, r) {
			return r
		}
		return -1
	}, strings.ToLower(s))
}
