package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"b2h/clients/buildium"
)

// FuzzLoad feeds arbitrary text to the mapping-file parser: it must never
// panic, every error must be a *LoadError, and a file it accepts must
// survive Export → Load unchanged.
func FuzzLoad(f *testing.F) {
	var def bytes.Buffer
	if err := Default(Options{}).Export(&def); err != nil {
		f.Fatal(err)
	}
	f.Add(def.String())
	for _, s := range []string{
		"", "version: 1\n", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules: [email]\n",
		"entities:\n  tenants:\n    fields:\n      - source: Comment\n        omit: true\n",
		"entities:\n  properties:\n    fields:\n      - source: RentalSubType\n        target: hs_listing_type\n        transform: string\n",
		"entities: {units: {fields: [{source: Description, target: unit_notes, clear: yes}]}}",
		"a: &x [1]\nb: *x\n", "- 1\n- 2\n", "entities:\n  tenants:\n    replace_fields: true\n    fields: []\n",
		"entities:\n  tenants:\n    fields:\n      - {source: Email, rules: [{kind: regex, arg: 'a{1000}'}]}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		m, err := Load(strings.NewReader(src), "fuzz.yaml", nil)
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LoadError: %v", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := m.Export(&buf); err != nil {
			t.Fatalf("Export: %v", err)
		}
		back, err := Load(bytes.NewReader(buf.Bytes()), "export.yaml", nil)
		if err != nil {
			t.Fatalf("accepted file does not round-trip: %v\ninput:\n%s\nexport:\n%s", err, src, buf.String())
		}
		if !sameMapping(m, back) {
			t.Fatalf("round trip changed the mapping\ninput:\n%s\nexport:\n%s", src, buf.String())
		}
		// the loaded mapping maps records without panicking
		_ = m.Tenant(baseTenant())
		_ = m.Describe(&bytes.Buffer{})
	})
}

// FuzzTenant decodes arbitrary JSON as a Buildium tenant and maps it: the
// mapping must never panic and every value must be valid UTF-8 without
// control characters (tab and newline only in multi-line fields).
func FuzzTenant(f *testing.F) {
	f.Add(`{"Id":4001,"FirstName":"Alex","LastName":"Example","Email":"Alex@Example.com","PhoneNumbers":[{"Number":"(555) 010-0199","Type":"Cell"}],"DateOfBirth":"1990-05-17","Address":{"AddressLine1":"1 Main","Country":"UnitedStates"},"EmergencyContact":{"Name":"Sam Ex","Email":"sam@example.com","Phone":"x"}}`)
	f.Add(`{"Id":1,"FirstName":"\u001b[31mEvil\u0007","Comment":"a\r\nb\u009b2J","Email":"x@","CreatedDateTime":"2024-01-02T15:04:05Z"}`)
	f.Add(`{"Id":-5,"PhoneNumbers":[{"Number":"+44 20 7946 0018","Type":"Fax"},{"Number":null,"Type":null}],"Address":null,"EmergencyContact":{}}`)
	f.Add(`{"Id":2,"LastName":"王","DateOfBirth":"0001-01-01T00:00:00","TaxId":"123-12-1234","AlternateEmail":"\u202eevil@x.com"}`)
	f.Add(`{"Id":3,"Email":"mailto:Bob <bob@ymail.con>","AlternateEmail":"n/a","EmergencyContact":{"Name":"Al","Email":"none"}}`)
	multiline := map[string]bool{"buildium_comment": true}
	m := Default(Options{})
	f.Fuzz(func(t *testing.T, js string) {
		var tn buildium.Tenant
		if json.Unmarshal([]byte(js), &tn) != nil {
			return
		}
		recs := []Record{m.Tenant(tn)}
		if ec, ok := m.EmergencyContact(tn); ok {
			recs = append(recs, ec)
		}
		for _, r := range recs {
			if r.Hash != Hash(r.Target, r.Properties) || r.Key == "" || r.Properties[r.KeyProperty] != r.Key {
				t.Fatalf("inconsistent record %+v", r)
			}
			if strings.Contains(r.Properties["buildium_tax_id"], tn.TaxID) && tn.TaxID != "" {
				t.Fatal("tax id mapped without opt-in")
			}
			for k, v := range r.Properties {
				checkClean(t, k, v, multiline[k])
			}
			checkClean(t, "Name", r.Name, false)
			for _, e := range r.Errors {
				checkClean(t, "error", e.String(), false)
				checkClean(t, "error", e.Reveal(), false)
			}
			for _, w := range r.Warnings {
				checkClean(t, "warning", w, false)
			}
			if len(r.WarningDetails) != len(r.Warnings) {
				t.Fatalf("warnings %q but details %+v", r.Warnings, r.WarningDetails)
			}
			for _, w := range r.WarningDetails {
				checkClean(t, "warning", w.Reveal(), false)
			}
			// An address is sent only when HubSpot would take it, and a bad
			// address never makes a named record invalid.
			for _, k := range []string{"email", "buildium_alternate_email"} {
				if v, ok := r.Properties[k]; ok && !ValidEmail(v) {
					t.Fatalf("%s %q sent", k, v)
				}
			}
			if !r.Valid() && (r.Properties["firstname"] != "" || r.Properties["lastname"] != "") {
				for _, e := range r.Errors {
					if e.Rule == RuleEmail {
						t.Fatalf("a named record is invalid for its email: %v", r.Errors)
					}
				}
			}
		}
	})
}

func checkClean(t *testing.T, name, v string, multiline bool) {
	t.Helper()
	if !utf8.ValidString(v) {
		t.Fatalf("%s = %q: invalid UTF-8", name, v)
	}
	for _, r := range v {
		if (r == '\n' || r == '\t') && multiline {
			continue
		}
		if r < 0x20 || r >= 0x7f && r <= 0x9f || isBidiControl(r) {
			t.Fatalf("%s = %q: control character %U", name, v, r)
		}
	}
}
