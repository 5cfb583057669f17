package logx

import (
	"strings"
	"testing"
)

func TestMaskString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"no personal data here", "no personal data here"},
		{"jane.doe@example.com", "j***@example.com"},
		{"Write to Jane.Doe+rent@Example.co.uk.", "Write to J***@Example.co.uk."},
		{"<jane@example.com>, sam@example.org", "<j***@example.com>, s***@example.org"},
		{"a@b@example.com", "a***@example.com"},
		{"josé.garcía@correo.es", "j***@correo.es"},
		{"user@ (no domain)", "user@ (no domain)"},
		{"@handle", "@handle"},
		{"x@1234567", "x@***67"},
		{"call (555) 010-0199 now", "call ***99 now"},
		{"+1 555 010 0199", "***99"},
		{"+44 20 7946 0018", "***18"},
		{"5550100199", "***99"},
		{"555.010.0199", "***99"},
		{"(555) 0100199@x.com", "*** 0***@x.com"},
		{"ext 010-019", "ext 010-019"}, // six digits
		{"SSN 123-45-6789", "SSN ***-**-****"},
		{"SSN 123 45 6789", "SSN ***-**-****"},
		{"EIN 12-3456789", "EIN **-*******"},
		{"Existing ID: 5120347", "Existing ID: ***47"},
		{"at 2026-11-01", "at 2026-11-01"},
		{"at 2026-11-01T12:00:00.123Z and 2026-11-01 12:00:00 +0000 UTC", "at 2026-11-01T12:00:00.123Z and 2026-11-01 12:00:00 +0000 UTC"},
		{"2026-13-01", "***01"}, // not a date
		{"dial tcp 127.0.0.1:34567: refused", "dial tcp 127.0.0.1:34567: refused"},
		{"999.168.100.200", "***00"}, // not an address
		{"object 2-3508482 and 0-420", "object 2-3508482 and 0-420"},
		{"job 20261127-020325-0004 failed", "job 20261127-020325-0004 failed"},
		{"job 20261127-020325", "job 20261127-020325"},
		{"20261327-020325-0004", "***04"}, // month 13: not a job id
		{"correlationId a2b3c4d5-1111-2222-3333-444444444444.", "correlationId a2b3c4d5-1111-2222-3333-444444444444."},
		{"Authorization: Bearer pat-na1-00000000-1111", "Authorization: Bearer [REDACTED]"},
		{"bearer abcdefghijklmnop;", "bearer [REDACTED];"},
		{"token pat-na1-00000000-1111-2222-3333-444444444444 used", "token [REDACTED] used"},
		{"pat-down", "pat-down"},
		{"abcpat-na1-00000000-1111-2222", "abcpat-na***22"}, // not at a word start: masked as a number
		{"\xff\xfe 5550100199 \xff", "\xff\xfe ***99 \xff"},
	}
	for _, c := range cases {
		got := MaskString(c.in)
		if got != c.want {
			t.Errorf("MaskString(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := MaskString(got); again != got {
			t.Errorf("not idempotent: %q → %q → %q", c.in, got, again)
		}
	}
}

// TestMaskStringCleanDoesNotAllocate: the fast path returns its input.
func TestMaskStringCleanDoesNotAllocate(t *testing.T) {
	s := "buildium: GET /v1/rentals?limit=1000&offset=2000 answered 200 in 12ms"
	if n := testing.AllocsPerRun(100, func() { _ = MaskString(s) }); n != 0 {
		t.Fatalf("%v allocations for a clean string", n)
	}
}

func TestMaskStringHuge(t *testing.T) {
	in := strings.Repeat("jane@example.com 555-010-0199 ", 4000) // 120 KB
	out := MaskString(in)
	if strings.Contains(out, "jane@") || strings.Contains(out, "010-0199") {
		t.Fatal("huge string not masked")
	}
}

func TestClassifyKey(t *testing.T) {
	cases := map[string]Treatment{
		"email": Masked, "Email": Masked, "buildium_alternate_email": Masked, "AlternateEmail": Masked,
		"hs_additional_emails": Masked, "emailaddress": Masked, "e-mail": Masked,
		"phone": Masked, "mobilephone": Masked, "PhoneNumbers": Masked, "phone_number": Masked, "fax": Masked,
		"address": Masked, "hs_address_1": Masked, "AddressLine1": Masked, "street": Masked, "zip": Masked, "PostalCode": Masked,
		"tax_id": Redacted, "TaxId": Redacted, "taxid": Redacted, "SSN": Redacted, "SSNNumber": Redacted, "ein": Redacted,
		"date_of_birth": Redacted, "DateOfBirth": Redacted, "dob": Redacted, "birthdate": Redacted,
		"secret": Redacted, "client_secret": Redacted, "clientsecret": Redacted, "x-buildium-client-secret": Redacted,
		"token": Redacted, "HUBSPOT_ACCESS_TOKEN": Redacted, "accessToken": Redacted, "Authorization": Redacted,
		"password": Redacted, "api_key": Redacted, "apiKey": Redacted, "cookie": Redacted, "credentials": Redacted,
		"": Plain, "err": Plain, "path": Plain, "status": Plain, "job": Plain, "classname": Plain, "stein": Plain,
		"from": Plain, "to": Plain, "entity": Plain, "property": Plain, "key": Plain, "state": Plain,
	}
	for k, want := range cases {
		if got := ClassifyKey(k); got != want {
			t.Errorf("ClassifyKey(%q) = %s, want %s (words %q)", k, got, want, keyWords(k))
		}
	}
}
