package mapping

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"b2h/clients/buildium"
)

func ptr[T any](v T) *T { return &v }

func baseTenant() buildium.Tenant {
	return buildium.Tenant{
		ID: 4012, FirstName: "Jane", LastName: "Doe", Email: "Jane.Doe@Example.com",
		PhoneNumbers: []buildium.PhoneNumber{{Number: "(212) 555-0100", Type: "Home"}},
		DateOfBirth:  "1990-05-17",
		Address:      &buildium.Address{AddressLine1: "1 Main St", City: "Springfield", State: "IL", PostalCode: "62701", Country: "UnitedStates"},
	}
}

func TestTenantValidation(t *testing.T) {
	m := Default(Options{})
	tests := []struct {
		name       string
		edit       func(*buildium.Tenant)
		wantErrors []string // rule of each error, in order
		warnings   int
		check      func(t *testing.T, r Record)
	}{
		{name: "valid", check: func(t *testing.T, r Record) {
			want := map[string]string{"buildium_tenant_id": "4012", "firstname": "Jane", "lastname": "Doe",
				"email": "jane.doe@example.com", "phone": "+12125550100", "date_of_birth": "1990-05-17",
				"address": "1 Main St", "city": "Springfield", "state": "IL", "zip": "62701", "country": "United States"}
			assertProps(t, r.Properties, want)
		}},
		{name: "invalid email is left off with a warning", edit: func(x *buildium.Tenant) { x.Email = "jane@" }, warnings: 1, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["email"]; ok {
				t.Error("an invalid email must not be sent")
			}
			if r.Properties["firstname"] != "Jane" {
				t.Error("the rest of the record must land")
			}
		}},
		{name: "email without tld", edit: func(x *buildium.Tenant) { x.Email = "jane@localhost" }, warnings: 1},
		{name: "unknown top-level domain", edit: func(x *buildium.Tenant) { x.Email = "jane@ymail.con" }, warnings: 1, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["email"]; ok || !strings.Contains(r.WarningDetails[0].Message, ".con is not a known top-level domain") {
				t.Errorf("email %q, warning %+v", r.Properties["email"], r.WarningDetails)
			}
		}},
		{name: "placeholder email is no email, silently", edit: func(x *buildium.Tenant) { x.Email = " N/A " }, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["email"]; ok {
				t.Error("a placeholder must not be sent")
			}
		}},
		{name: "mailto is stripped", edit: func(x *buildium.Tenant) { x.Email = "mailto:Jane@Example.com" }, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"email": "jane@example.com"})
		}},
		{name: "display name form", edit: func(x *buildium.Tenant) { x.Email = "Jane Doe <jane@example.com>" }, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"email": "jane@example.com"})
		}},
		{name: "placeholder and no name", edit: func(x *buildium.Tenant) { x.Email, x.FirstName, x.LastName = "none", "", "" }, wantErrors: []string{RuleRequired}},
		{name: "invalid email and no name is invalid for the email", edit: func(x *buildium.Tenant) { x.Email, x.FirstName, x.LastName = "bob@", "", "" },
			wantErrors: []string{RuleEmail}, check: func(t *testing.T, r Record) {
				want := `tenant 4012: email "bob@" is not a valid address; the tenant has no first name or last name either, and HubSpot needs one of them — fix it in Buildium (tenant 4012 › Email)`
				if got := r.Errors[0].Reveal(); got != want || r.Errors[0].Severity != SeverityError {
					t.Errorf("got  %s\nwant %s", got, want)
				}
			}},
		{name: "no email but a name is fine", edit: func(x *buildium.Tenant) { x.Email = "" }, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["email"]; ok {
				t.Error("empty email must not be sent")
			}
		}},
		{name: "no email and no name", edit: func(x *buildium.Tenant) { x.Email, x.FirstName, x.LastName = " ", "", "" }, wantErrors: []string{RuleRequired}},
		{name: "only a last name", edit: func(x *buildium.Tenant) { x.Email, x.FirstName = "", "" }},
		{name: "bad date of birth", edit: func(x *buildium.Tenant) { x.DateOfBirth = "1990-02-30" }, wantErrors: []string{RuleDate}, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["date_of_birth"]; ok {
				t.Error("an unparseable date must not be sent")
			}
		}},
		{name: "unparseable phone is a warning and sent raw", edit: func(x *buildium.Tenant) {
			x.PhoneNumbers = []buildium.PhoneNumber{{Number: "ask the office", Type: "Cell"}}
		}, warnings: 1, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"phone": "ask the office", "mobilephone": "ask the office"})
		}},
		{name: "fax is never the phone", edit: func(x *buildium.Tenant) {
			x.PhoneNumbers = []buildium.PhoneNumber{{Number: "212-555-0199", Type: "Fax"}}
		}, check: func(t *testing.T, r Record) {
			if r.Properties["phone"] != "" || r.Properties["mobilephone"] != "" {
				t.Errorf("fax mapped: %v", r.Properties)
			}
		}},
		{name: "invalid alternate email is only a warning", edit: func(x *buildium.Tenant) { x.AlternateEmail = "nope" }, warnings: 1, check: func(t *testing.T, r Record) {
			if _, ok := r.Properties["buildium_alternate_email"]; ok {
				t.Error("an invalid alternate email must not be sent")
			}
		}},
		{name: "tax id not mapped by default", edit: func(x *buildium.Tenant) { x.TaxID = "123-12-1234" }, check: func(t *testing.T, r Record) {
			for k, v := range r.Properties {
				if strings.Contains(v, "123-12-1234") || strings.Contains(k, "tax") {
					t.Errorf("tax id leaked into %s", k)
				}
			}
		}},
		{name: "escape sequences stripped", edit: func(x *buildium.Tenant) {
			x.FirstName = "\x1b]0;pwned\x07Ja\x1b[31mne\x00"
			x.Comment = "line 1\r\nline 2\x1b[2J"
		}, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"firstname": "Jane", "buildium_comment": "line 1\nline 2"})
		}},
		{name: "newlines collapsed in one-line fields", edit: func(x *buildium.Tenant) { x.LastName = " Doe\n Smith " }, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"lastname": "Doe Smith"})
		}},
		{name: "created date-time", edit: func(x *buildium.Tenant) {
			x.CreatedDateTime = &buildium.DateTime{Time: mustTime(t, "2024-01-02T15:04:05Z")}
		}, check: func(t *testing.T, r Record) {
			assertProps(t, r.Properties, map[string]string{"buildium_created_at": "2024-01-02T15:04:05.000Z"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn := baseTenant()
			if tt.edit != nil {
				tt.edit(&tn)
			}
			r := m.Tenant(tn)
			var rules []string
			for _, e := range r.Errors {
				rules = append(rules, e.Rule)
			}
			if strings.Join(rules, ",") != strings.Join(tt.wantErrors, ",") {
				t.Errorf("errors %v, want rules %v", r.Errors, tt.wantErrors)
			}
			if r.Valid() != (len(tt.wantErrors) == 0) {
				t.Errorf("Valid() = %v", r.Valid())
			}
			if len(r.Warnings) != tt.warnings || len(r.WarningDetails) != tt.warnings {
				t.Errorf("warnings %q, want %d", r.Warnings, tt.warnings)
			}
			for i, w := range r.WarningDetails {
				if w.Severity != SeverityWarning || w.String() != r.Warnings[i] {
					t.Errorf("warning %d: %+v vs %q", i, w, r.Warnings[i])
				}
			}
			if r.Key != "4012" || r.SourceID != "4012" || r.KeyProperty != KeyTenant || r.Target != TargetContacts || r.Properties[KeyTenant] != "4012" {
				t.Errorf("identity: %+v", r)
			}
			if r.Hash != Hash(r.Target, r.Properties) {
				t.Error("Hash does not match the properties")
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestTenantTaxIDOptIn(t *testing.T) {
	tn := baseTenant()
	tn.TaxID = "123-12-1234"
	r := Default(Options{SyncTaxID: true}).Tenant(tn)
	if r.Properties["buildium_tax_id"] != "123-12-1234" {
		t.Fatalf("opted-in tax id not mapped: %v", r.Properties)
	}
	var def *PropertyDef
	for _, d := range Default(Options{SyncTaxID: true}).Properties(TargetContacts) {
		if d.Name == "buildium_tax_id" {
			def = &d
		}
	}
	if def == nil || def.DataSensitivity != SensitivityHigh || SensitivityHigh != "highly_sensitive" {
		t.Fatalf("tax id property must be highly sensitive: %+v", def)
	}
	want := "crm.objects.contacts.highly_sensitive.read.v2,crm.objects.contacts.highly_sensitive.write.v2"
	if got := strings.Join(Default(Options{SyncTaxID: true}).SensitiveScopes(), ","); got != want {
		t.Errorf("SensitiveScopes = %s, want %s", got, want)
	}
	for _, opts := range []Options{{}, {UnitTarget: TargetListings}} {
		if got := Default(opts).SensitiveScopes(); len(got) != 0 {
			t.Errorf("no tax id, no sensitive scopes: %v", got)
		}
		for _, target := range []string{TargetContacts, TargetListings, TargetUnit} {
			for _, d := range Default(opts).Properties(target) {
				if d.DataSensitivity != "" {
					t.Errorf("%s.%s is %s", target, d.Name, d.DataSensitivity)
				}
			}
		}
	}
}

func TestValidationErrorMessages(t *testing.T) {
	tn := baseTenant()
	tn.ID = 1000123
	tn.Email = "jane@"
	r := Default(Options{}).Tenant(tn)
	if len(r.Errors) != 0 || len(r.WarningDetails) != 1 {
		t.Fatalf("errors %v, warnings %v", r.Errors, r.Warnings)
	}
	e := r.WarningDetails[0]
	want := `tenant 1000123 (Jane Doe): email "jane@" is not a valid address; it was left off, so HubSpot keeps its current value — fix it in Buildium (tenant 1000123 › Email)`
	if got := e.Reveal(); got != want {
		t.Errorf("Reveal:\n got %s\nwant %s", got, want)
	}
	masked := e.String()
	for _, pii := range []string{"Jane", "Doe", "jane@"} {
		if strings.Contains(masked, pii) {
			t.Errorf("String() leaks %q: %s", pii, masked)
		}
	}
	if e.Error() != masked || r.Warnings[0] != masked || !strings.Contains(masked, "tenant 1000123") || !strings.Contains(masked, "is not a valid address") {
		t.Errorf("masked form: %s", masked)
	}
	if e.Field != "email" || e.Source != "Email" || e.Value != "jane@" || e.Rule != RuleEmail || e.Severity != SeverityWarning {
		t.Errorf("fields: %+v", e)
	}
	// A rule a mapping file makes an error still makes the record invalid.
	strict := Default(Options{})
	strict.Entities[Tenants].Fields[3].Rules = []Rule{{Kind: RuleEmail, Severity: SeverityError}}
	if r := strict.Tenant(tn); r.Valid() || r.Errors[0].Reveal() != `tenant 1000123 (Jane Doe): email "jane@" is not a valid address — fix it in Buildium (tenant 1000123 › Email)` {
		t.Errorf("strict email: %v", r.Errors)
	}
	none := Default(Options{}).Tenant(buildium.Tenant{ID: 7})
	if got := none.Errors[0].Reveal(); got != "tenant 7: has no email, first name or last name: HubSpot needs at least one — add one in Buildium (Rentals › Tenants › tenant 7)" {
		t.Errorf("require-one-of message: %s", got)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""}, {"Jane Doe", "J*** D***"}, {"jane@example.com", "j***@example.com"}, {"jane@", "j***@"},
		{"王小明", "王***"}, {"+12125550100", "+***"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHash(t *testing.T) {
	a := Hash("contacts", map[string]string{"a": "1", "b": "2"})
	if a != Hash("contacts", map[string]string{"b": "2", "a": "1"}) {
		t.Error("hash depends on map order")
	}
	for name, other := range map[string]string{
		"value":  Hash("contacts", map[string]string{"a": "1", "b": "3"}),
		"target": Hash("listings", map[string]string{"a": "1", "b": "2"}),
		"split":  Hash("contacts", map[string]string{"a": "12", "b": ""}),
		"clear":  Hash("contacts", map[string]string{"a": "1", "b": "2", "c": ""}),
	} {
		if other == a {
			t.Errorf("hash unchanged when %s changes", name)
		}
	}
	r := Record{Target: "unit", Properties: map[string]string{"x": "1"}}
	r.SetProperties(map[string]string{"current_rent": "1450", "y": "a\x1b[1mb"})
	if r.Properties["y"] != "ab" || r.Hash != Hash("unit", r.Properties) {
		t.Errorf("SetProperties: %+v", r)
	}
}

// TestHashBytesAreStable: Hash is SHA-256 over the target and the
// properties in name order, each written as "<length>:<text>": the value
// stored in every mapping, so it must never change for the same input.
func TestHashBytesAreStable(t *testing.T) {
	ref := func(target string, props map[string]string) string {
		var b strings.Builder
		b.WriteString(fmt.Sprintf("%d:%s", len(target), target))
		for _, k := range slices.Sorted(maps.Keys(props)) {
			b.WriteString(fmt.Sprintf("%d:%s%d:%s", len(k), k, len(props[k]), props[k]))
		}
		sum := sha256.Sum256([]byte(b.String()))
		return hex.EncodeToString(sum[:])
	}
	big := map[string]string{"notes": strings.Repeat("é", 3000)} // past the stack buffer
	many := map[string]string{}
	for i := range 100 { // past the stack array of keys
		many[fmt.Sprint("p", i)] = fmt.Sprint(i)
	}
	for _, c := range []struct {
		target string
		props  map[string]string
	}{{"contacts", nil}, {"", map[string]string{"": ""}}, {"0-1", map[string]string{"email": "a@b.co", "firstname": "Jo", "b": ""}}, {"unit", big}, {"0-420", many}} {
		if got, want := Hash(c.target, c.props), ref(c.target, c.props); got != want {
			t.Errorf("Hash(%q, %d properties) = %s, want %s", c.target, len(c.props), got, want)
		}
	}
	// A value fixed once, so a change to both Hash and the reference above fails too.
	const pinned = "6b9b6848958447162c1df79710a7e61ef2499e71e87ef2747f17affed88a21fe" // sha256("8:contacts1:a1:11:b1:2")
	if got := Hash("contacts", map[string]string{"a": "1", "b": "2"}); got != pinned {
		t.Errorf("Hash of the pinned record = %s, want %s", got, pinned)
	}
}

func TestRental(t *testing.T) {
	r := buildium.Rental{ID: 1001, Name: "Example Gardens", NumberUnits: 2, YearBuilt: ptr(int32(1998)),
		RentalSubType: "Office", StructureDescription: "Tower",
		Address: &buildium.Address{AddressLine1: "1 A St", AddressLine2: "Bldg 2", AddressLine3: "Rear", City: "X", State: "IL", PostalCode: "1", Country: "Canada"}}
	rec := Default(Options{}).Rental(r, &buildium.Amenities{Features: []string{"Pool"}}, ptr(900.0))
	assertProps(t, rec.Properties, map[string]string{
		KeyProperty: "1001", RecordTypeProperty: "property", "hs_name": "Example Gardens", "hs_address_1": "1 A St",
		"hs_address_2": "Bldg 2, Rear", "buildium_country": "Canada", "buildium_total_units": "2", "hs_year_built": "1998",
		"buildium_property_type": "Office", "buildium_amenities": "Pool", "buildium_base_rent_amount": "900",
	})
	if _, ok := rec.Properties["hs_listing_type"]; ok {
		t.Error("an Office has no fitting hs_listing_type option; nothing must be sent")
	}
	noName := Default(Options{}).Rental(buildium.Rental{ID: 9}, nil, nil)
	if noName.Valid() || noName.Errors[0].Field != "hs_name" || noName.Errors[0].Rule != RuleRequired {
		t.Errorf("a listing needs hs_name: %v", noName.Errors)
	}
	if _, ok := noName.Properties["buildium_amenities"]; ok {
		t.Error("no amenities fetched: nothing to send")
	}
}

func TestUnitTargets(t *testing.T) {
	u := buildium.RentalUnit{ID: 2001, PropertyID: 1001, UnitNumber: "101", UnitBedrooms: "NotSet", UnitBathrooms: "FivePlusBath",
		IsUnitOccupied: ptr(false), MarketRent: ptr(0.0)}
	custom := Default(Options{UnitTarget: TargetUnit}).Unit(u, "Example Gardens")
	assertProps(t, custom.Properties, map[string]string{KeyUnit: "2001", KeyProperty: "1001", "unit_number": "101",
		"unit_name": "Example Gardens – Unit 101", "bathrooms": "5", "occupancy_status": "vacant", "market_rent": "0"})
	for _, k := range []string{"bedrooms", "listing_status", RecordTypeProperty, "hs_name"} {
		if _, ok := custom.Properties[k]; ok {
			t.Errorf("custom unit must not carry %s", k)
		}
	}
	if custom.Target != TargetUnit || custom.KeyProperty != KeyUnit {
		t.Errorf("custom unit target: %+v", custom)
	}
	listing := Default(Options{UnitTarget: TargetListings}).Unit(u, "Example Gardens")
	assertProps(t, listing.Properties, map[string]string{KeyUnit: "2001", RecordTypeProperty: "unit",
		"hs_name": "Example Gardens – Unit 101", "buildium_parent_property_id": "1001", "hs_bathrooms": "5"})
	if _, ok := listing.Properties[KeyProperty]; ok {
		t.Error("a unit listing must not carry buildium_property_id, the unique key of property listings")
	}
	if listing.Target != TargetListings {
		t.Errorf("fallback target %q", listing.Target)
	}
	noNumber := Default(Options{UnitTarget: TargetListings}).Unit(buildium.RentalUnit{ID: 7}, "")
	if noNumber.Properties["hs_name"] != "Unit 7" || !noNumber.Valid() {
		t.Errorf("listing name without number or property: %+v", noNumber)
	}
	home := buildium.RentalUnit{ID: 8, PropertyID: 9}
	rec := Default(Options{}).UnitRecord(home, UnitProperty{Name: "Lincoln house", Street: "1272 Lincoln Rd"}, nil)
	if !rec.Valid() || rec.Properties["unit_name"] != "1272 Lincoln Rd" || rec.Name != "1272 Lincoln Rd" {
		t.Errorf("a single-family home without a unit number must land, named by its address: %+v", rec)
	}
	if _, ok := rec.Properties["unit_number"]; ok {
		t.Error("no unit number: nothing to send")
	}
	if got := Default(Options{UnitTarget: TargetListings}).UnitRecord(u, UnitProperty{Name: "Example Gardens", Street: "100 Example Street"}, nil).Properties["hs_name"]; got != "100 Example Street – Unit 101" {
		t.Errorf("unit listing hs_name = %q", got)
	}
}

func TestUnitName(t *testing.T) {
	addr := func(l1 string) *buildium.Address { return &buildium.Address{AddressLine1: l1, AddressLine2: "Unit 3"} }
	tests := []struct {
		name string
		u    buildium.RentalUnit
		p    UnitProperty
		want string
	}{
		{"street and number", buildium.RentalUnit{ID: 1, UnitNumber: "3"}, UnitProperty{"Lincoln Court", "1272 Lincoln Rd"}, "1272 Lincoln Rd – Unit 3"},
		{"street alone without a number", buildium.RentalUnit{ID: 1}, UnitProperty{"Lincoln house", "1272 Lincoln Rd"}, "1272 Lincoln Rd"},
		{"the unit's own street when the property's is unknown", buildium.RentalUnit{ID: 1, UnitNumber: "3", Address: addr("9 Elm St")}, UnitProperty{Name: "Elm"}, "9 Elm St – Unit 3"},
		{"the property's street first", buildium.RentalUnit{ID: 1, UnitNumber: "3", Address: addr("9 Elm St")}, UnitProperty{"Elm", "1 Oak Ave"}, "1 Oak Ave – Unit 3"},
		{"property name without a street", buildium.RentalUnit{ID: 1, UnitNumber: "3"}, UnitProperty{Name: "Oak Court"}, "Oak Court – Unit 3"},
		{"property name alone", buildium.RentalUnit{ID: 1}, UnitProperty{Name: "Oak Court"}, "Oak Court"},
		{"number alone", buildium.RentalUnit{ID: 1, UnitNumber: "101"}, UnitProperty{}, "Unit 101"},
		{"nothing but the id", buildium.RentalUnit{ID: 55012}, UnitProperty{}, "Unit 55012"},
		{"blank values count as none", buildium.RentalUnit{ID: 4, UnitNumber: "  ", Address: addr(" ")}, UnitProperty{" ", "\t"}, "Unit 4"},
		{"number already worded", buildium.RentalUnit{ID: 1, UnitNumber: "Apt 3"}, UnitProperty{Street: "5 Main St"}, "5 Main St – Apt 3"},
		{"hash number", buildium.RentalUnit{ID: 1, UnitNumber: "#3B"}, UnitProperty{Street: "5 Main St"}, "5 Main St – #3B"},
		{"unit word", buildium.RentalUnit{ID: 1, UnitNumber: "unit 3"}, UnitProperty{Street: "5 Main St"}, "5 Main St – unit 3"},
		{"a word that only starts like one", buildium.RentalUnit{ID: 1, UnitNumber: "Upper"}, UnitProperty{Street: "5 Main St"}, "5 Main St – Unit Upper"},
		{"number that is the street", buildium.RentalUnit{ID: 1, UnitNumber: "5 Main St"}, UnitProperty{Street: "5 main st"}, "5 main st"},
		{"escapes and newlines cleaned", buildium.RentalUnit{ID: 1, UnitNumber: "3\n"}, UnitProperty{Street: "5 Main\x1b[31m St"}, "5 Main St – Unit 3"},
	}
	for _, tt := range tests {
		if got := UnitName(tt.u, tt.p); got != tt.want {
			t.Errorf("%s: UnitName = %q, want %q", tt.name, got, tt.want)
		}
	}
	r := buildium.Rental{Name: "Oak", Address: &buildium.Address{AddressLine1: "1 Oak Ave"}}
	if p := PropertyOf(r); p != (UnitProperty{"Oak", "1 Oak Ave"}) || PropertyOf(buildium.Rental{Name: "X"}) != (UnitProperty{Name: "X"}) {
		t.Errorf("PropertyOf = %+v", p)
	}
}

func TestUnknownEnumWarns(t *testing.T) {
	r := Default(Options{}).Unit(buildium.RentalUnit{ID: 1, UnitNumber: "1", UnitBedrooms: "TenBed"}, "")
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "could not be converted") {
		t.Fatalf("unknown bedrooms value must warn, got %q", r.Warnings)
	}
	if _, ok := r.Properties["bedrooms"]; ok {
		t.Error("unconvertible value sent")
	}
}

func TestEmergencyContact(t *testing.T) {
	m := Default(Options{})
	ec := func(tenantID int32, e *buildium.EmergencyContact) (Record, bool) {
		return m.EmergencyContact(buildium.Tenant{ID: tenantID, FirstName: "T", EmergencyContact: e})
	}
	if _, ok := ec(1, nil); ok {
		t.Error("no emergency contact must give false")
	}
	if _, ok := ec(1, &buildium.EmergencyContact{RelationshipDescription: "Sibling"}); ok {
		t.Error("an emergency contact with no name, email or phone must give false")
	}
	a, _ := ec(1, &buildium.EmergencyContact{Name: "Mary Ann Smith", Email: "Mary@Example.com ", Phone: "212-555-0100", RelationshipDescription: "Mother"})
	b, _ := ec(2, &buildium.EmergencyContact{Name: "Mary Smith", Email: " mary@example.COM"})
	if a.Key != b.Key || !strings.HasPrefix(a.Key, "email-") || a.SourceID != a.Key {
		t.Errorf("the same email must give one key: %q vs %q", a.Key, b.Key)
	}
	if strings.Contains(a.Key, "mary") {
		t.Error("the key must not carry the address")
	}
	assertProps(t, a.Properties, map[string]string{KeyEmergencyContact: a.Key, "firstname": "Mary Ann", "lastname": "Smith",
		"email": "mary@example.com", "phone": "+12125550100", "buildium_relationship": "Mother"})
	c, _ := ec(3, &buildium.EmergencyContact{Name: "Bob", Phone: "212-555-0100"})
	d, _ := ec(4, &buildium.EmergencyContact{Name: "Bob", Phone: "212-555-0100"})
	if c.Key != "tenant-3" || d.Key != "tenant-4" {
		t.Errorf("without email the key is per tenant: %q, %q", c.Key, d.Key)
	}
	bad, ok := ec(5, &buildium.EmergencyContact{Name: "Eve", Email: "eve@"})
	if !ok || !bad.Valid() || bad.Key != "tenant-5" || len(bad.WarningDetails) != 1 || bad.Properties["firstname"] != "Eve" {
		t.Fatalf("invalid email: key %q, errors %v, warnings %v", bad.Key, bad.Errors, bad.Warnings)
	}
	if _, sent := bad.Properties["email"]; sent {
		t.Error("an invalid email must not be sent")
	}
	if got := bad.WarningDetails[0].Reveal(); !strings.Contains(got, "fix it in Buildium (tenant 5 › Emergency contact › Email)") {
		t.Errorf("hint must point at the tenant's emergency contact: %s", got)
	}
	if w, _ := ec(7, &buildium.EmergencyContact{Name: "Eve", Email: "mailto:Eve@Example.com"}); w.Key != EmailKey([16]byte(sha256Sum("eve@example.com"))) {
		t.Errorf("mailto: must be stripped before the key is made: %q", w.Key)
	}
	phoneOnly, ok := ec(6, &buildium.EmergencyContact{Phone: "212-555-0100"})
	if !ok || phoneOnly.Valid() {
		t.Errorf("a phone-only emergency contact has no name or email for HubSpot: %+v", phoneOnly)
	}
}

func sha256Sum(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:16] }

func TestMinMarketRent(t *testing.T) {
	units := []buildium.RentalUnit{{MarketRent: nil}, {MarketRent: ptr(0.0)}, {MarketRent: ptr(1450.0)}, {MarketRent: ptr(1200.5)}}
	if got := MinMarketRent(units); got == nil || *got != 1200.5 {
		t.Errorf("MinMarketRent = %v", got)
	}
	if got := MinMarketRent(units[:2]); got != nil {
		t.Errorf("no positive rent: got %v", *got)
	}
}

func assertProps(t *testing.T, got, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("property %s = %q (present %v), want %q", k, g, ok, v)
		}
	}
}

func BenchmarkTenant(b *testing.B) {
	m := Default(Options{})
	tn := baseTenant()
	tn.EmergencyContact = &buildium.EmergencyContact{Name: "Sam Example", Email: "sam@example.com", Phone: "(555) 010-0177"}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.Tenant(tn)
		_, _ = m.EmergencyContact(tn)
	}
}

// TestHashOrderedIsHash: records hash as Hash does over their properties,
// whichever of the mapping's names they have and whatever names it lacks
// (then hashOrdered sorts, as Hash).
func TestHashOrderedIsHash(t *testing.T) {
	m := Default(Options{})
	tn := baseTenant()
	tn.EmergencyContact = &buildium.EmergencyContact{Name: "Sam Example", Email: "sam@example.com", Phone: "(555) 010-0177"}
	rent := 1250.0
	recs := []Record{m.Tenant(tn), m.Rental(buildium.Rental{ID: 7, Name: "Maple Court"}, nil, &rent),
		m.Unit(buildium.RentalUnit{ID: 9, PropertyID: 7, UnitNumber: "4B", MarketRent: &rent}, "Maple Court"),
		m.UnitWithLease(buildium.RentalUnit{ID: 9, PropertyID: 7, UnitNumber: "4B"}, "Maple Court",
			&buildium.Lease{ID: 3, LeaseFromDate: "2026-01-01", LeaseToDate: "2026-12-31", AccountDetails: &buildium.AccountDetails{Rent: &rent}})}
	if ec, ok := m.EmergencyContact(tn); ok {
		recs = append(recs, ec)
	}
	for _, r := range recs {
		if want := Hash(r.Target, r.Properties); r.Hash != want {
			t.Errorf("%s %s: hash %s; want %s", r.Entity, r.SourceID, r.Hash, want)
		}
	}
	order := m.hashOrder(Tenants, false)
	if !slices.IsSorted(order) || len(order) < 5 {
		t.Fatalf("order %q", order)
	}
	names := append(slices.Clone(order), "zz_not_mapped", "a_not_mapped", "")
	for i := range 500 {
		props := map[string]string{}
		for j, n := range names {
			if (i*7+j*13)%5 < 2+i%3 {
				props[n] = fmt.Sprint(i, j)
			}
		}
		if got, want := hashOrdered("0-1", props, order), Hash("0-1", props); got != want {
			t.Fatalf("props %v: %s; want %s", props, got, want)
		}
	}
}
