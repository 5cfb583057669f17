package mapping

import (
	"math"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"b2h/clients/buildium"
)

func TestJoinAddressLines(t *testing.T) {
	tests := []struct {
		name string
		in   *buildium.Address
		want string
	}{
		{"nil", nil, ""},
		{"all three", &buildium.Address{AddressLine1: "100 Example St", AddressLine2: "Unit 101", AddressLine3: "c/o Pat"}, "100 Example St, Unit 101, c/o Pat"},
		{"blank middle", &buildium.Address{AddressLine1: "100 Example St", AddressLine2: "  ", AddressLine3: "Rear"}, "100 Example St, Rear"},
		{"collapses space", &buildium.Address{AddressLine1: " 100  Example\tSt "}, "100 Example St"},
		{"only line 2", &buildium.Address{AddressLine2: "PO Box 7", City: "Springfield"}, "PO Box 7"},
		{"empty", &buildium.Address{City: "Springfield"}, ""},
	}
	for _, tt := range tests {
		if got := JoinAddressLines(tt.in); got != tt.want {
			t.Errorf("%s: JoinAddressLines = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Mary Ann Smith", "Mary Ann", "Smith"},
		{"Sam Example", "Sam", "Example"},
		{"  Sam   Example  ", "Sam", "Example"},
		{"Cher", "Cher", ""},
		{"王小明", "王小明", ""},
		{"山田 太郎", "山田", "太郎"},
		{"John Smith Jr.", "John", "Smith Jr."},
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Smith, Mary Ann", "Mary Ann", "Smith"},
		{"Smith, Jr.", "Smith,", "Jr."},
		{"", "", ""},
		{"   ", "", ""},
		{"van Morrison", "van", "Morrison"},
	}
	for _, tt := range tests {
		first, last := SplitName(tt.in)
		if first != tt.first || last != tt.last {
			t.Errorf("SplitName(%q) = %q, %q; want %q, %q", tt.in, first, last, tt.first, tt.last)
		}
	}
}

func FuzzSplitName(f *testing.F) {
	for _, s := range []string{"Mary Ann Smith", "王小明", "Smith, Mary", "a van b Jr", " , ", "\xff \xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last := SplitName(s)
		if first != strings.TrimSpace(first) || last != strings.TrimSpace(last) {
			t.Fatalf("SplitName(%q) = %q, %q: not trimmed", s, first, last)
		}
		if first == "" && last != "" {
			t.Fatalf("SplitName(%q) = %q, %q: last without first", s, first, last)
		}
		if strings.TrimSpace(s) != "" && first == "" {
			t.Fatalf("SplitName(%q) lost the name", s)
		}
		// no word is invented or lost (commas aside: "Last, First" drops one)
		in := strings.Fields(strings.ReplaceAll(s, ",", " "))
		out := strings.Fields(strings.ReplaceAll(first+" "+last, ",", " "))
		sort.Strings(in)
		sort.Strings(out)
		if strings.Join(in, " ") != strings.Join(out, " ") {
			t.Fatalf("SplitName(%q) = %q, %q: words changed", s, first, last)
		}
	})
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
		ok   bool
	}{
		{1450, "1450", true}, {1.5, "1.5", true}, {0, "0", true}, {math.Copysign(0, -1), "0", true},
		{1e21, "", false}, {999_999_999_999_999, "999999999999999", true}, {1e15, "", false}, {1234.56, "1234.56", true},
		{math.NaN(), "", false}, {math.Inf(1), "", false},
	}
	for _, tt := range tests {
		got, ok := FormatNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FormatNumber(%v) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"clean", "Jane Doe", "Jane Doe"},
		{"keeps newline and tab", "line 1\nline\t2", "line 1\nline\t2"},
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"sgr colour", "\x1b[31mred\x1b[0m", "red"},
		{"csi with params", "a\x1b[2;5Hb", "ab"},
		{"osc title bel", "a\x1b]0;pwned\x07b", "ab"},
		{"osc hyperlink st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"two-char escape", "a\x1bcb", "ab"},
		{"lone esc at end", "a\x1b", "a"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 control", "a\u0085b", "ab"},
		{"nul and bell", "a\x00b\x07c", "abc"},
		{"del", "a\x7fb", "ab"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"bidi override", "abc\u202Eevil", "abcevil"},
		{"unicode kept", "Zoë 王 🙂", "Zoë 王 🙂"},
		{"unterminated osc stops at newline", "\x1b]0;title\nnext", "\nnext"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("%s: Sanitize(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestSanitizeTruncates(t *testing.T) {
	long := strings.Repeat("a", MaxStringLen+10)
	got, cut := sanitize(long)
	if len(got) != MaxStringLen || !cut {
		t.Fatalf("len = %d, cut = %v; want %d, true", len(got), cut, MaxStringLen)
	}
	// astral characters count two UTF-16 units and are never split
	emoji := strings.Repeat("🙂", MaxStringLen/2) + "x"
	got, cut = sanitize(emoji)
	if n := len(utf16.Encode([]rune(got))); n != MaxStringLen || !cut || !utf8.ValidString(got) {
		t.Fatalf("UTF-16 length %d, cut %v; want %d, true", n, cut, MaxStringLen)
	}
	exact := strings.Repeat("b", MaxStringLen)
	if got, cut := sanitize(exact); got != exact || cut {
		t.Fatalf("a value of exactly the limit must pass unchanged")
	}
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"Jane", "\x1b[31mred", "\x1b]0;t\x07", "\u009b1m", "a\xffb", "\r\n", "\x1b]8;;x\x1b\\y", "\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", s, out)
		}
		for _, r := range out {
			if r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r <= 0x9f || isBidiControl(r) {
				t.Fatalf("Sanitize(%q) = %q: control character %U left", s, out, r)
			}
		}
		if len(utf16.Encode([]rune(out))) > MaxStringLen {
			t.Fatalf("Sanitize(%q): longer than MaxStringLen", s)
		}
		if again := Sanitize(out); again != out {
			t.Fatalf("Sanitize not idempotent: %q → %q → %q", s, out, again)
		}
	})
}

// FuzzSingleLine: the fast path agrees with the general one.
func FuzzSingleLine(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a\tb", "Zoë  x", "a\u00a0b", "a\u2028b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := singleLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("singleLine(%q) = %q, want %q", s, got, want)
		}
	})
}
