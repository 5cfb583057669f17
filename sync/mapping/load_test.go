package mapping

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"b2h/clients/buildium"
)

func load(t *testing.T, src string, opts Options) (*Mapping, error) {
	t.Helper()
	return Load(strings.NewReader(src), "mapping.yaml", Default(opts))
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
		want string
	}{
		{"yaml syntax", "entities:\n  tenants:\n    fields: [\n", 3, "YAML syntax"},
		{"unknown top-level key", "version: 1\nentites: {}\n", 2, `unknown key "entites" in the mapping file (did you mean "entities"?)`},
		{"version", "version: 2\n", 1, `version "2" is not supported`},
		{"unknown entity", "entities:\n  tenant: {}\n", 2, `unknown entity "tenant" (did you mean "tenants"?)`},
		{"unknown entity key", "entities:\n  tenants:\n    feilds: []\n", 3, `unknown key "feilds" in entity tenants (did you mean "fields"?)`},
		{"entity target", "entities:\n  units:\n    target: listings\n", 3, `units is mapped to "unit" on this account, not "listings"`},
		{"entity key", "entities:\n  tenants:\n    key: email\n", 3, `the key of entity tenants is "buildium_tenant_id" and cannot be changed to "email"`},
		{"unknown source", "entities:\n  tenants:\n    fields:\n      - source: Emial\n        target: email\n", 4,
			`field "Emial" is not a Buildium tenant field (did you mean "Email"?)`},
		{"unknown source, case", "entities:\n  properties:\n    fields:\n      - source: name\n        target: hs_name\n", 4,
			`field "name" is not a Buildium property field (did you mean "Name"?)`},
		{"unknown field key", "entities:\n  tenants:\n    fields:\n      - source: Email\n        tranform: email\n", 5, `unknown key "tranform" in a field (did you mean "transform"?)`},
		{"unknown transform", "entities:\n  tenants:\n    fields:\n      - source: Email\n        transform: emial\n", 5, `unknown transform "emial" (did you mean "email"?)`},
		{"unknown rule", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules: [requird]\n", 5, `unknown rule "requird" (did you mean "required"?)`},
		{"bad regex", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - kind: regex\n            arg: '(['\n", 6, "does not compile"},
		{"regex without arg", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - kind: regex\n", 6, "rule regex needs arg"},
		{"max_length arg", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - {kind: max_length, arg: lots}\n", 6, "rule max_length needs arg"},
		{"one_of arg", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - {kind: one_of, arg: ' , '}\n", 6, "rule one_of needs arg"},
		{"severity", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - {kind: email, severity: fatal}\n", 6, `rule severity "fatal"`},
		{"arg on email", "entities:\n  tenants:\n    fields:\n      - source: Email\n        rules:\n          - {kind: email, arg: x}\n", 6, "rule email takes no arg"},
		{"remap key", "entities:\n  tenants:\n    fields:\n      - source: Id\n        target: firstname\n", 4,
			"the key field Id writes buildium_tenant_id, the unique key; it cannot be remapped to \"firstname\""},
		{"key transform", "entities:\n  tenants:\n    fields:\n      - source: Id\n        transform: number\n", 4, `the key field Id must keep transform "string"`},
		{"omit key", "entities:\n  tenants:\n    fields:\n      - source: Id\n        omit: true\n", 4, "the key field Id → buildium_tenant_id cannot be omitted"},
		{"replace without key", "entities:\n  tenants:\n    replace_fields: true\n    fields:\n      - source: Email\n        target: email\n", 2, "entity tenants has no field writing its key buildium_tenant_id"},
		{"collision", "entities:\n  tenants:\n    fields:\n      - source: AlternateEmail\n        target: email\n", 4,
			"property email is written twice in tenants: by Email → email and by AlternateEmail → email"},
		{"collision, two new", "entities:\n  tenants:\n    fields:\n      - source: SMSOptInStatus\n        target: buildium_x\n      - source: MailingPreference\n        target: buildium_x\n", 6, "property buildium_x is written twice"},
		{"bad property name", "entities:\n  tenants:\n    fields:\n      - source: Comment\n        target: Buildium Notes\n", 4, `target "Buildium Notes" is not a HubSpot property name`},
		{"read-only target", "entities:\n  tenants:\n    fields:\n      - source: CreatedDateTime\n        target: createdate\n", 4, "target createdate is read-only in HubSpot"},
		{"hs_ on unit object", "entities:\n  units:\n    fields:\n      - source: Description\n        target: hs_description\n", 4, "names starting with hs_ are reserved"},
		{"another entity's key", "entities:\n  tenants:\n    fields:\n      - source: EmergencyContact.Email\n        target: buildium_emergency_contact_id\n", 4,
			"target buildium_emergency_contact_id is the unique key of emergency_contacts"},
		{"record type", "entities:\n  properties:\n    fields:\n      - value: building\n        target: buildium_record_type\n", 4, "buildium_record_type is set by b2h"},
		{"record type from a source", "entities:\n  tenants:\n    fields:\n      - source: Comment\n        target: buildium_record_type\n", 4, "buildium_record_type is set by b2h"},
		{"transform kind", "entities:\n  units:\n    fields:\n      - source: IsUnitListed\n        transform: email\n", 4, "transform email cannot convert IsUnitListed, which is yes/no; use one of bool, bool_listed, bool_occupied, string, text"},
		{"tax id without opt-in", "entities:\n  tenants:\n    fields:\n      - source: TaxId\n        target: buildium_tax_id\n", 4, "TaxId is not synced unless tax-id sync is switched on"},
		{"type conflict", "entities:\n  emergency_contacts:\n    fields:\n      - source: RelationshipDescription\n        target: buildium_created_at\n", 4,
			"property buildium_created_at is a datetime in tenants but a string in emergency_contacts"},
		{"require_one_of", "entities:\n  tenants:\n    require_one_of: [email, nickname]\n", 2, `require_one_of names "nickname", which no field of tenants writes`},
		{"source and value", "entities:\n  tenants:\n    fields:\n      - source: Comment\n        value: x\n        target: buildium_x\n", 4, "either a source or a constant value"},
		{"neither", "entities:\n  tenants:\n    fields:\n      - target: buildium_x\n", 4, "needs a source"},
		{"new field without target", "entities:\n  tenants:\n    fields:\n      - source: SMSOptInStatus\n", 4, `field "SMSOptInStatus" needs a target`},
		{"ambiguous source", "entities:\n  properties:\n    fields:\n      - source: RentalSubType\n        transform: string\n", 4,
			`source "RentalSubType" is mapped to several properties (buildium_property_type, hs_listing_type)`},
		{"omit nothing", "entities:\n  tenants:\n    fields:\n      - source: SMSOptInStatus\n        omit: true\n", 4, "there is no field"},
		{"duplicate key", "entities:\n  tenants:\n    key: buildium_tenant_id\n    key: buildium_tenant_id\n", 4, `"key" appears twice in entity tenants (first on line 3)`},
		{"alias", "entities:\n  tenants: &t\n    fields: []\n  properties: *t\n", 2, "anchor or alias"},
		{"second document", "version: 1\n---\nversion: 1\n", 2, "second YAML document"},
		{"bad bool", "entities:\n  leases:\n    fields:\n      - source: LeaseToDate\n        clear: maybe\n", 5, `clear must be true or false, not "maybe"`},
		{"fields not a list", "entities:\n  tenants:\n    fields: {source: Email}\n", 3, "entity tenants fields must be a list"},
		{"root not a mapping", "- a\n- b\n", 1, "the mapping file must be a mapping"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := load(t, tt.src, Options{})
			if err == nil {
				t.Fatalf("Load succeeded: %+v", m)
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T %v is not a *LoadError", err, err)
			}
			if le.Line != tt.line || le.File != "mapping.yaml" {
				t.Errorf("first error at %s:%d, want line %d: %v", le.File, le.Line, tt.line, err)
			}
			if !strings.Contains(le.Msg, tt.want) {
				t.Errorf("message %q does not contain %q", le.Msg, tt.want)
			}
			if prefix := fmt.Sprintf("mapping.yaml:%d: ", tt.line); !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), prefix)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	src := "entities:\n  tenants:\n    fields:\n      - source: Emial\n      - source: Phnoes\n"
	_, err := load(t, src, Options{})
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"mapping.yaml:4: ", "mapping.yaml:5: ", `"Phones"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestLoadTooLarge(t *testing.T) {
	big := "# " + strings.Repeat("x", MaxFileSize) + "\n"
	_, err := Load(strings.NewReader(big), "big.yaml", nil)
	var le *LoadError
	if !errors.As(err, &le) || !strings.Contains(le.Msg, "larger than") {
		t.Fatalf("want a size error, got %v", err)
	}
}

func TestLoadOverrides(t *testing.T) {
	src := `version: 1
entities:
  tenants:
    fields:
      - source: DateOfBirth
        rules:
          - {kind: date, severity: warning}
      - source: Comment
        omit: true
      - source: SMSOptInStatus
        target: buildium_sms_opt_in
      - source: AlternateAddress
        target: buildium_alternate_address
      - value: tenant
        target: buildium_source
      - source: Email
        rules:
          - email
          - kind: regex
            arg: '@example\.com$'
            message: must be a company address
  units:
    fields:
      - source: Description
        target: unit_notes
        clear: true
`
	base := Default(Options{})
	before := base.Clone()
	m, err := Load(strings.NewReader(src), "mapping.yaml", base)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(base, before) {
		t.Fatal("Load modified its base")
	}
	if m.File != "mapping.yaml" {
		t.Errorf("File = %q", m.File)
	}
	tn := baseTenant()
	tn.DateOfBirth = "nope"
	tn.Comment = "private"
	tn.SMSOptInStatus = "OptedIn"
	tn.AlternateAddress = &buildium.Address{AddressLine1: "2 Side St"}
	tn.Email = "jane@other.org"
	r := m.Tenant(tn)
	if len(r.Errors) != 1 || r.Errors[0].Rule != RuleRegex || !strings.Contains(r.Errors[0].Reveal(), "email \"jane@other.org\" must be a company address") {
		t.Errorf("errors: %v", r.Errors)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "date of birth") {
		t.Errorf("date rule downgraded to a warning: %q", r.Warnings)
	}
	assertProps(t, r.Properties, map[string]string{"buildium_sms_opt_in": "OptedIn", "buildium_alternate_address": "2 Side St", "buildium_source": "tenant"})
	if _, ok := r.Properties["buildium_comment"]; ok {
		t.Error("omitted field still mapped")
	}
	if f := m.Entities[Tenants].Fields; f[len(f)-1].Line != 14 {
		t.Errorf("new field line = %d, want 14", f[len(f)-1].Line)
	}
	u := m.Unit(buildium.RentalUnit{ID: 1, UnitNumber: "1"}, "")
	if v, ok := u.Properties["unit_notes"]; !ok || v != "" {
		t.Errorf("clear: true must send an empty value: %v", u.Properties)
	}
	defs := m.Properties(TargetUnit)
	if !hasDef(defs, "unit_notes") || hasDef(defs, "unit_description") {
		t.Error("Properties must follow the loaded mapping")
	}
}

func TestLoadEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "version: 1\n"} {
		m, err := load(t, src, Options{})
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		d := Default(Options{})
		d.File = "mapping.yaml"
		if !reflect.DeepEqual(m, d) {
			t.Errorf("%q changed the mapping", src)
		}
	}
}

func TestExportLoadRoundTrip(t *testing.T) {
	for _, opts := range []Options{{}, {UnitTarget: TargetListings}, {SyncTaxID: true, DefaultRegion: "GB"}} {
		t.Run(fmt.Sprintf("%+v", opts), func(t *testing.T) {
			custom, err := load(t, "entities:\n  tenants:\n    fields:\n      - source: Comment\n        omit: true\n      - source: Email\n        rules: [{kind: max_length, arg: '80', message: \"too | long\", severity: warning}, email]\n      - value: \"true\"\n        target: buildium_flag\n        transform: string\n", opts)
			if err != nil {
				t.Fatal(err)
			}
			for name, m := range map[string]*Mapping{"default": Default(opts), "custom": custom} {
				var buf bytes.Buffer
				if err := m.Export(&buf); err != nil {
					t.Fatal(err)
				}
				back, err := Load(bytes.NewReader(buf.Bytes()), "export.yaml", Default(opts))
				if err != nil {
					t.Fatalf("%s: Load(Export()) failed: %v\n%s", name, err, buf.String())
				}
				if !sameMapping(m, back) {
					t.Errorf("%s: round trip changed the mapping\n%s", name, buf.String())
				}
				var again bytes.Buffer
				if err := back.Export(&again); err != nil || again.String() != buf.String() {
					t.Errorf("%s: Export is not stable", name)
				}
			}
		})
	}
}

// TestLoadOldExports loads files exported by an earlier b2h: they must
// keep loading, and keep mapping as they say.
func TestLoadOldExports(t *testing.T) {
	for file, opts := range map[string]Options{
		"exported-unit.yaml":     {},
		"exported-listings.yaml": {UnitTarget: TargetListings, SyncTaxID: true},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "compat", file))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Load(bytes.NewReader(b), file, Default(opts))
		if err != nil {
			t.Fatalf("%s no longer loads: %v", file, err)
		}
		tn := baseTenant()
		tn.Email = "jane@"
		if r := m.Tenant(tn); !r.Valid() || len(r.WarningDetails) != 1 {
			t.Errorf("%s: an invalid email is a warning under an old file too: %v %v", file, r.Errors, r.Warnings)
		}
		u := buildium.RentalUnit{ID: 3, UnitNumber: "3", Address: &buildium.Address{AddressLine1: "1272 Lincoln Rd"}}
		rec := m.UnitRecord(u, UnitProperty{Name: "Lincoln"}, nil)
		if opts.UnitTarget == TargetListings {
			if rec.Properties["hs_name"] != "1272 Lincoln Rd – Unit 3" {
				t.Errorf("%s: hs_name %q", file, rec.Properties["hs_name"])
			}
		} else if s := m.UnitSchema(); s.PrimaryDisplayProperty != "unit_number" || rec.Properties["unit_number"] != "3" {
			t.Errorf("%s: a file without unit_name is displayed by unit_number: %+v", file, s)
		}
	}
}

func TestExportGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Default(Options{}).Export(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "default-mapping.yaml", buf.Bytes())
}

func TestDescribe(t *testing.T) {
	for _, target := range []string{TargetUnit, TargetListings} {
		var buf bytes.Buffer
		m := Default(Options{UnitTarget: target})
		if err := m.Describe(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, e := range Entities() {
			for _, f := range m.Entities[e].Fields {
				if !strings.Contains(out, "`"+f.Target+"`") {
					t.Errorf("%s: Describe misses %s", target, f.Target)
				}
			}
		}
		for _, want := range []string{LabelCurrentTenant, LabelPastTenant, LabelEmergencyContact, "Tax ids (`TaxId`) are not synced", "email (warning)", "phone (warning)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: Describe misses %q", target, want)
			}
		}
		if target == TargetListings && !strings.Contains(out, "**Units are listings on this account.**") {
			t.Error("the unit fallback must be explained")
		}
		golden(t, "describe-"+target+".md", buf.Bytes())
	}
	var buf bytes.Buffer
	if err := Default(Options{SyncTaxID: true}).Describe(&buf); err != nil {
		t.Fatal(err)
	}
	if want := "needs an Enterprise account with the sensitive-data setting on and the scopes `crm.objects.contacts.highly_sensitive.read.v2` and `crm.objects.contacts.highly_sensitive.write.v2`."; !strings.Contains(buf.String(), want) {
		t.Errorf("the opted-in tax id must name its scopes:\n%s", buf.String())
	}
}

// sameMapping compares mappings ignoring file names and line numbers.
func sameMapping(a, b *Mapping) bool {
	strip := func(m *Mapping) *Mapping {
		c := m.Clone()
		c.File = ""
		for _, em := range c.Entities {
			em.Line = 0
			for i := range em.Fields {
				em.Fields[i].Line = 0
				if len(em.Fields[i].Rules) == 0 {
					em.Fields[i].Rules = nil
				}
			}
			if len(em.RequireOneOf) == 0 {
				em.RequireOneOf = nil
			}
		}
		return c
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

func hasDef(defs []PropertyDef, name string) bool {
	for _, d := range defs {
		if d.Name == name {
			return true
		}
	}
	return false
}
