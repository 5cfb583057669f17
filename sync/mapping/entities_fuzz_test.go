package mapping

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"b2h/clients/buildium"
)

// checkRecord asserts what every mapped record must hold, whatever the
// input: a consistent key and hash; property values as Sanitize leaves
// them (valid UTF-8, no control character but newline and tab, no bidi
// override); and a name and messages, which reach terminals and reports,
// without any control character at all.
func checkRecord(t *testing.T, r Record) {
	t.Helper()
	if r.Hash != Hash(r.Target, r.Properties) || r.Key == "" || r.Properties[r.KeyProperty] != r.Key {
		t.Fatalf("inconsistent record %+v", r)
	}
	for k, v := range r.Properties {
		checkClean(t, k, v, true)
	}
	checkClean(t, "Name", r.Name, false)
	for _, e := range r.Errors {
		checkClean(t, "error", e.String(), false)
		checkClean(t, "error", e.Reveal(), false)
	}
	for _, w := range r.Warnings {
		checkClean(t, "warning", w, false)
	}
}

var fuzzToday = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// FuzzRental decodes arbitrary JSON as a rental property, its amenities
// and a minimum rent, and maps it on both unit targets.
func FuzzRental(f *testing.F) {
	f.Add(`{"Id":1001,"Name":"Maple Court","Address":{"AddressLine1":"1 Main","City":"X","State":"NY","PostalCode":"10001","Country":"UnitedStates"},"NumberUnits":4,"YearBuilt":1990,"RentalSubType":"ApartmentComplex"}`, `{"FeatureList":["Pool"]}`, 950.5)
	f.Add(`{"Id":1,"Name":"\u001b]0;x\u0007","StructureDescription":"\u202e","RentalSubType":"Unknown","YearBuilt":-5}`, `null`, -1e308)
	f.Add(`{"Id":-1,"Name":"","Address":null}`, `{"FeatureList":[null,"\u0000"]}`, 0.0)
	defs := []*Mapping{Default(Options{}), Default(Options{UnitTarget: TargetListings})}
	f.Fuzz(func(t *testing.T, js, amJS string, rent float64) {
		var r buildium.Rental
		if json.Unmarshal([]byte(js), &r) != nil {
			return
		}
		var am *buildium.Amenities
		_ = json.Unmarshal([]byte(amJS), &am)
		for _, m := range defs {
			checkRecord(t, m.Rental(r, am, &rent))
			checkRecord(t, m.Rental(r, nil, nil))
		}
	})
}

// FuzzUnit decodes arbitrary JSON as a rental unit and maps it to a unit
// record and to a unit listing, with an arbitrary property name.
func FuzzUnit(f *testing.F) {
	f.Add(`{"Id":2001,"PropertyId":1001,"UnitNumber":"101","UnitBedrooms":"TwoBed","UnitBathrooms":"OnePointFiveBath","UnitSize":850,"MarketRent":1200}`, "Maple Court")
	f.Add(`{"Id":1,"UnitNumber":"\u001b[2J","UnitBedrooms":"NineBedPlus","Description":"a\r\nb\u009b"}`, "\x1b]0;x\x07 {record}")
	f.Add(`{"Id":0,"UnitBedrooms":"Studio?","MarketRent":1e309}`, strings.Repeat("é", 40000))
	defs := []*Mapping{Default(Options{}), Default(Options{UnitTarget: TargetListings})}
	f.Fuzz(func(t *testing.T, js, propertyName string) {
		var u buildium.RentalUnit
		if json.Unmarshal([]byte(js), &u) != nil {
			return
		}
		for _, m := range defs {
			checkRecord(t, m.Unit(u, propertyName))
			// A unit always has a name: it never fails for the lack of one.
			r := m.UnitRecord(u, UnitProperty{Name: propertyName, Street: propertyName}, nil)
			checkRecord(t, r)
			name := r.Properties["unit_name"] + r.Properties["hs_name"]
			if strings.TrimSpace(name) == "" || !r.Valid() {
				t.Fatalf("unit %+v named %q: %v", u, name, r.Errors)
			}
		}
	})
}

// FuzzLease decodes arbitrary JSON as two leases of one unit: labels are
// always one of the three, ActiveLease picks a lease whose own label is
// Current (or none), and the unit's lease fields are clean.
func FuzzLease(f *testing.F) {
	f.Add(`[{"Id":1,"UnitId":2,"LeaseFromDate":"2026-01-01","LeaseToDate":"2026-12-31","LeaseStatus":"Active","Tenants":[{"Id":7,"Status":"Current"}],"AccountDetails":{"Rent":1200}},{"Id":2,"UnitId":2,"LeaseFromDate":"2027-01-01","LeaseStatus":"Future"}]`, int32(7))
	f.Add(`[{"Id":3,"LeaseToDate":"2026-13-99","LeaseStatus":"Past","MoveOutData":[{"TenantId":7,"MoveOutDate":"2020-01-01"}],"IsEvictionPending":true}]`, int32(7))
	f.Add(`[{"Id":4,"LeaseFromDate":"\u001b[31m","LeaseToDate":null,"LeaseType":"AtWill","CurrentTenants":[{"Id":1}]}]`, int32(1))
	labels := map[string]bool{LabelCurrentTenant: true, LabelFutureTenant: true, LabelPastTenant: true}
	m := Default(Options{})
	f.Fuzz(func(t *testing.T, js string, tenantID int32) {
		var ls []buildium.Lease
		if json.Unmarshal([]byte(js), &ls) != nil {
			return
		}
		for _, l := range ls {
			st := TenantLeaseStatus(l, tenantID, fuzzToday)
			if lab := LeaseLabel(l, st, fuzzToday); !labels[lab] {
				t.Fatalf("label %q for %+v", lab, l)
			}
		}
		active := ActiveLease(ls, fuzzToday)
		if active != nil && LeaseLabel(*active, "", fuzzToday) != LabelCurrentTenant {
			t.Fatalf("active lease %d is not current", active.ID)
		}
		for k, v := range m.LeaseFields(active) {
			checkClean(t, k, v, false)
		}
	})
}

// FuzzConversions runs every exported conversion on arbitrary text: no
// panic, valid UTF-8 out of valid UTF-8 in, and the documented shapes.
func FuzzConversions(f *testing.F) {
	for _, s := range []string{"OneBed", "OnePointFiveBath", "NineBedPlus", "UnitedStates", "ApartmentComplex",
		"\x1b[31mTwoBed", "", "0", "-1.5e300", "jane@example.com", "\xff\xfe", "Jane  Q.  Public-Smith"} {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if n, ok := Bedrooms(s); ok && (n < 0 || n > 20) {
			t.Fatalf("Bedrooms(%q) = %v", s, n)
		}
		if n, ok := Bathrooms(s); ok && (n < 0 || n > 20) {
			t.Fatalf("Bathrooms(%q) = %v", s, n)
		}
		valid := utf8.ValidString(s)
		for name, out := range map[string]string{"Country": Country(s), "SplitCamel": SplitCamel(s), "Mask": Mask(s)} {
			if valid && !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q: invalid UTF-8", name, s, out)
			}
		}
		if lt, ok := ListingType(s); ok {
			checkClean(t, "ListingType", lt, false)
		}
		if out, ok := FormatNumber(x); ok {
			checkClean(t, "FormatNumber", out, false)
		}
		// Mask keeps at most the first character of each word (an email
		// address keeps its domain, by design).
		for _, w := range strings.Fields(Mask(s)) {
			if r, size := utf8.DecodeRuneInString(w); r != '*' && strings.Trim(w[size:], "*") != "" && !strings.Contains(s, "@") {
				t.Fatalf("Mask(%q) = %q reveals %q", s, Mask(s), w)
			}
		}
		phone, mobile := PickPhones([]buildium.PhoneNumber{{Number: s, Type: "Cell"}, {Number: s, Type: "Fax"}})
		if phone != mobile {
			t.Fatalf("PickPhones: a Cell number is phone %q and mobile %q", phone, mobile)
		}
		// One line (records sanitize it further: FuzzTenant).
		a := buildium.Address{AddressLine1: s, AddressLine2: s, AddressLine3: s}
		if j := JoinAddressLines(&a); strings.ContainsAny(j, "\n\r\t") || valid && !utf8.ValidString(j) {
			t.Fatalf("JoinAddressLines(%q) = %q: not one valid line", s, j)
		}
	})
}

// FuzzTenantRules maps arbitrary tenants through a mapping file that puts
// a validation rule of every kind on every tenant field: rules never
// panic and their messages stay clean.
func FuzzTenantRules(f *testing.F) {
	src := `entities:
  tenants:
    fields:
      - {source: FirstName, rules: [required, {kind: regex, arg: '^[A-Za-z ]+$'}, {kind: max_length, arg: "20"}]}
      - {source: Email, rules: [required, email, {kind: one_of, arg: "a@b.co,c@d.co"}]}
      - {source: DateOfBirth, rules: [date]}
      - {source: Phones, rules: [phone]}
      - {source: EmergencyContact.Phone, target: buildium_ec_phone, rules: [required, phone]}
`
	m, err := Load(strings.NewReader(src), "rules.yaml", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(`{"Id":1,"FirstName":"Ann","Email":"a@b.co","DateOfBirth":"1990-01-01","PhoneNumbers":[{"Number":"+1 555 010 0199","Type":"Cell"}]}`)
	f.Add(`{"Id":2,"FirstName":"\u001b[31m` + strings.Repeat("x", 100) + `","Email":"\u202e@","DateOfBirth":"31/12/1990","PhoneNumbers":[{"Number":"\u0007","Type":"Home"}]}`)
	f.Fuzz(func(t *testing.T, js string) {
		var tn buildium.Tenant
		if json.Unmarshal([]byte(js), &tn) != nil {
			return
		}
		checkRecord(t, m.Tenant(tn))
	})
}
