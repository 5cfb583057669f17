package mapping

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jane.Doe@Example.COM", "jane.doe@example.com"},
		{"  jane@example.com\t\n", "jane@example.com"},
		{"jane@", "jane@"},
		{"", ""},
		{" NO-AT-SIGN.com ", "no-at-sign.com"},
		{"mailto:Jane@Example.com", "jane@example.com"},
		{"MAILTO: jane@example.com", "jane@example.com"},
		{"<jane@example.com>", "jane@example.com"},
		{"Jane Doe <Jane@Example.com>", "jane@example.com"},
		{"\"Doe, Jane\" <jane@example.com>", "jane@example.com"},
		{"mailto:<jane@example.com>", "jane@example.com"},
		{"<mailto:jane@example.com>", "jane@example.com"},
		{"a <b>", "a <b>"}, // brackets without an address are kept, to be reported
		{"bob@", "bob@"},
		// Placeholders are no address at all.
		{"n/a", ""}, {"N/A", ""}, {"na", ""}, {"NA", ""}, {"n.a.", ""}, {"none", ""}, {"None", ""}, {"null", ""},
		{"nil", ""}, {"No Email", ""}, {"no  email", ""}, {"noemail", ""}, {"no-email", ""}, {"unknown", ""},
		{"-", ""}, {"--", ""}, {".", ""}, {"x", ""}, {"X", ""}, {"TBD", ""}, {"mailto:n/a", ""}, {"<none>", ""},
		{"no@email", ""}, {"no@email.com", ""}, {"NoEmail@NoEmail.com", ""}, {"none@none.com", ""}, {"noemail@email.com", ""},
		// Not placeholders: kept, and then valid or reported.
		{"nobody@example.com", "nobody@example.com"}, {"xx", "xx"}, {"none@example.com", "none@example.com"},
	}
	for _, tt := range tests {
		if got := NormalizeEmail(tt.in); got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"jane@example.com", true},
		{"jane.doe+lease@mail.example.co.uk", true},
		{"o'brien@example.ie", true},
		{"user_name-1@sub-domain.example.org", true},
		{"josé@correo.example.es", true},
		{"x@example.xn--p1ai", true},
		{"x@пример.рф", true},
		{"jane@example.ck", true}, // a wildcard-only country code (*.ck)
		{"jane@ymail.con", false}, // HubSpot refuses unknown top-level domains
		{"jane@example.comm", false},
		{"jane@example.local", false},
		{"jane@example.example", false},
		{"jane@example.blogspot", false}, // a private suffix is not a top-level domain
		{"jane@example.io", true},
		{"jane@example.travel", true},
		{"Jane@Example.COM", true},
		{"jane@example.xn--zzzz", false},
		{"jane@", false},
		{"@example.com", false},
		{"no-at-sign.com", false},
		{"jane doe@example.com", false},
		{"jane@exa mple.com", false},
		{"jane@localhost", false},    // missing TLD
		{"jane@example.c", false},    // one-letter TLD
		{"jane@example.123", false},  // numeric TLD
		{"jane@@example.com", false}, // two @
		{"jane..doe@example.com", false},
		{".jane@example.com", false},
		{"jane.@example.com", false},
		{"jane@-example.com", false},
		{"jane@example-.com", false},
		{"jane@example..com", false},
		{"jane@.example.com", false},
		{"\"jane doe\"@example.com", false}, // quoted local parts are refused
		{"jane@[192.168.0.1]", false},
		{"jane@example.com.", false},
		{"jane(comment)@example.com", false},
		{"jane@exam_ple.com", false},
		{"", false},
		{strings.Repeat("a", 65) + "@example.com", false},
		{strings.Repeat("a", 64) + "@example.com", true},
		{"a@" + strings.Repeat("b", 64) + ".com", false},
		{"jane@example.com\n", false},
		{"jane\x00@example.com", false},
	}
	for _, tt := range tests {
		if got := ValidEmail(tt.in); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"jane@example.com", "jane@", " A@B.CO ", "x@y", "\xff@example.com", "a@b.xn--", "é@é.éé",
		"mailto:mailto:<N/A>", "Jane <jane@example.con>", "<<a@b.com>>", "x@пример.рф"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeEmail(s)
		if NormalizeEmail(n) != n {
			t.Fatalf("NormalizeEmail not idempotent: %q → %q → %q", s, n, NormalizeEmail(n))
		}
		if emailPlaceholders[strings.Join(strings.Fields(n), " ")] {
			t.Fatalf("NormalizeEmail(%q) = %q, a placeholder", s, n)
		}
		if strings.HasPrefix(n, "mailto:") || strings.HasSuffix(n, ">") && strings.LastIndexByte(n, '<') == 0 {
			t.Fatalf("NormalizeEmail(%q) = %q is still wrapped", s, n)
		}
		if !ValidEmail(n) {
			return
		}
		if tld := n[strings.LastIndexByte(n, '.')+1:]; !knownTLD(tld) {
			t.Fatalf("ValidEmail accepted unknown TLD in %q", n)
		}
		if !utf8.ValidString(n) || strings.ContainsAny(n, " \t\r\n\"(),:;<>[\\]") || strings.Count(n, "@") != 1 {
			t.Fatalf("ValidEmail accepted %q", n)
		}
		local, domain, _ := strings.Cut(n, "@")
		if local == "" || !strings.Contains(domain, ".") || len(n) > 254 {
			t.Fatalf("ValidEmail accepted %q", n)
		}
		for _, r := range n {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("ValidEmail accepted control character in %q", n)
			}
		}
	})
}
