package mapping

import (
	"sort"
	"strconv"
	"strings"

	"b2h/clients/buildium"
)

// kind is the shape of a source value, which decides the transforms that
// accept it.
type kind uint8

const (
	kText kind = iota
	kNumber
	kBool
	kDate
	kDateTime
	kAddress
)

// String names the kind for messages ("yes/no").
func (k kind) String() string {
	return [...]string{"text", "number", "yes/no", "date", "date-time", "address"}[k]
}

// value is one source value read from a Buildium record. set is false when
// the record has no value (null, blank, or an absent nested object).
type value struct {
	k    kind
	set  bool
	s    string // text, date and date-time sources
	n    float64
	b    bool
	addr *buildium.Address
}

func text(s string) value    { return value{k: kText, s: s, set: strings.TrimSpace(s) != ""} }
func date(s string) value    { return value{k: kDate, s: s, set: strings.TrimSpace(s) != ""} }
func number(n float64) value { return value{k: kNumber, n: n, set: true} }
func boolean(b bool) value   { return value{k: kBool, b: b, set: true} }
func none(k kind) value      { return value{k: k} }
func numberPtr(p *float64) value {
	return optional(p != nil, func() value { return number(*p) }, kNumber)
}
func int32Ptr(p *int32) value {
	return optional(p != nil, func() value { return number(float64(*p)) }, kNumber)
}
func boolPtr(p *bool) value { return optional(p != nil, func() value { return boolean(*p) }, kBool) }
func address(a *buildium.Address) value {
	return value{k: kAddress, addr: a, set: a != nil && JoinAddressLines(a) != ""}
}

func optional(ok bool, f func() value, k kind) value {
	if ok {
		return f()
	}
	return none(k)
}

func dateTime(d *buildium.DateTime) value {
	if d == nil || d.IsZero() {
		return none(kDateTime)
	}
	return value{k: kDateTime, s: FormatDateTime(d.Time), set: true}
}

// raw renders v as the user would recognise it from Buildium, for
// messages and for the "string" transform.
func (v value) raw() string {
	if !v.set {
		return ""
	}
	switch v.k {
	case kNumber:
		s, _ := FormatNumber(v.n)
		return s
	case kBool:
		return strconv.FormatBool(v.b)
	case kAddress:
		return JoinAddressLines(v.addr)
	}
	return v.s
}

// input is everything a source can read for one record.
type input struct {
	tenant    *buildium.Tenant
	ec        *buildium.EmergencyContact
	ecKey     string
	rental    *buildium.Rental
	amenities *buildium.Amenities
	minRent   *float64
	unit      *buildium.RentalUnit
	property  UnitProperty
	lease     *buildium.Lease
}

// source is one readable Buildium field.
type source struct {
	kind  kind
	label string // how Buildium's screens name it, for messages
	doc   string
	get   func(in *input) value
}

// sourceSets holds the sources of each entity, keyed by path.
var sourceSets = map[Entity]map[string]source{
	Tenants:           tenantSources(),
	Properties:        rentalSources(),
	Units:             unitSources(),
	EmergencyContacts: ecSources(),
	Leases:            leaseSources(),
}

// SourceFields returns the source paths a mapping file may use for e,
// sorted.
func SourceFields(e Entity) []string {
	set := sourceSets[e]
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// addressSources adds prefix (e.g. "Address") and its parts to set.
func addressSources(set map[string]source, prefix, label string, get func(in *input) *buildium.Address) {
	set[prefix] = source{kAddress, label, "address lines 1–3", func(in *input) value { return address(get(in)) }}
	part := func(name, plabel string, f func(a *buildium.Address) string) {
		set[prefix+"."+name] = source{kText, label + " › " + plabel, "", func(in *input) value {
			if a := get(in); a != nil {
				return text(f(a))
			}
			return none(kText)
		}}
	}
	part("AddressLine1", "Street address line 1", func(a *buildium.Address) string { return a.AddressLine1 })
	part("AddressLine2", "Street address line 2", func(a *buildium.Address) string { return a.AddressLine2 })
	part("AddressLine3", "Street address line 3", func(a *buildium.Address) string { return a.AddressLine3 })
	set[prefix+".AddressLines2And3"] = source{kText, label + " › Street address lines 2–3", "lines 2 and 3 joined with \", \"", func(in *input) value {
		if a := get(in); a != nil {
			return text(JoinAddressLines(&buildium.Address{AddressLine1: a.AddressLine2, AddressLine2: a.AddressLine3}))
		}
		return none(kText)
	}}
	part("City", "City", func(a *buildium.Address) string { return a.City })
	part("State", "State", func(a *buildium.Address) string { return a.State })
	part("PostalCode", "ZIP", func(a *buildium.Address) string { return a.PostalCode })
	part("Country", "Country", func(a *buildium.Address) string { return a.Country })
}

func tenantSources() map[string]source {
	t := func(f func(t *buildium.Tenant) value) func(in *input) value {
		return func(in *input) value { return f(in.tenant) }
	}
	s := map[string]source{
		"Id":                {kNumber, "Id", "tenant id", t(func(t *buildium.Tenant) value { return number(float64(t.ID)) })},
		"FirstName":         {kText, "First name", "", t(func(t *buildium.Tenant) value { return text(t.FirstName) })},
		"LastName":          {kText, "Last name", "", t(func(t *buildium.Tenant) value { return text(t.LastName) })},
		"Email":             {kText, "Email", "", t(func(t *buildium.Tenant) value { return text(t.Email) })},
		"AlternateEmail":    {kText, "Alternate email", "", t(func(t *buildium.Tenant) value { return text(t.AlternateEmail) })},
		"DateOfBirth":       {kDate, "Date of birth", "", t(func(t *buildium.Tenant) value { return date(t.DateOfBirth) })},
		"CreatedDateTime":   {kDateTime, "Created", "", t(func(t *buildium.Tenant) value { return dateTime(t.CreatedDateTime) })},
		"Comment":           {kText, "Comments", "", t(func(t *buildium.Tenant) value { return text(t.Comment) })},
		"TaxId":             {kText, "Taxpayer ID", "national id; highly sensitive", t(func(t *buildium.Tenant) value { return text(t.TaxID) })},
		"SMSOptInStatus":    {kText, "Text messaging", "", t(func(t *buildium.Tenant) value { return text(t.SMSOptInStatus) })},
		"MailingPreference": {kText, "Mailing preference", "", t(func(t *buildium.Tenant) value { return text(t.MailingPreference) })},
		"Phones": {kText, "Phone numbers", "main phone: first of Cell, Home, Office, Personal, Other, untyped; never Fax",
			t(func(t *buildium.Tenant) value { p, _ := PickPhones(t.PhoneNumbers); return text(p) })},
	}
	for _, typ := range []string{"Cell", "Home", "Office", "Personal", "Other", "Fax"} {
		typ := typ
		s["Phones."+typ] = source{kText, "Phone numbers (" + typ + ")", "first " + typ + " number",
			t(func(t *buildium.Tenant) value { return text(PhoneOfType(t.PhoneNumbers, typ)) })}
	}
	addressSources(s, "Address", "Address", func(in *input) *buildium.Address { return in.tenant.Address })
	addressSources(s, "AlternateAddress", "Alternate address", func(in *input) *buildium.Address { return in.tenant.AlternateAddress })
	ec := func(label string, f func(e *buildium.EmergencyContact) string) source {
		return source{kText, "Emergency contact › " + label, "", func(in *input) value {
			if e := in.tenant.EmergencyContact; e != nil {
				return text(f(e))
			}
			return none(kText)
		}}
	}
	s["EmergencyContact.Name"] = ec("Name", func(e *buildium.EmergencyContact) string { return e.Name })
	s["EmergencyContact.RelationshipDescription"] = ec("Relationship", func(e *buildium.EmergencyContact) string { return e.RelationshipDescription })
	s["EmergencyContact.Phone"] = ec("Phone", func(e *buildium.EmergencyContact) string { return e.Phone })
	s["EmergencyContact.Email"] = ec("Email", func(e *buildium.EmergencyContact) string { return e.Email })
	return s
}

func rentalSources() map[string]source {
	r := func(f func(r *buildium.Rental) value) func(in *input) value {
		return func(in *input) value { return f(in.rental) }
	}
	s := map[string]source{
		"Id":                   {kNumber, "Id", "property id", r(func(r *buildium.Rental) value { return number(float64(r.ID)) })},
		"Name":                 {kText, "Property name", "", r(func(r *buildium.Rental) value { return text(r.Name) })},
		"StructureDescription": {kText, "Structure description", "", r(func(r *buildium.Rental) value { return text(r.StructureDescription) })},
		"NumberUnits":          {kNumber, "Number of units", "", r(func(r *buildium.Rental) value { return number(float64(r.NumberUnits)) })},
		"IsActive":             {kBool, "Status", "", r(func(r *buildium.Rental) value { return boolean(r.IsActive) })},
		"YearBuilt":            {kNumber, "Year built", "", r(func(r *buildium.Rental) value { return int32Ptr(r.YearBuilt) })},
		"RentalType":           {kText, "Rental type", "Residential or Commercial", r(func(r *buildium.Rental) value { return text(nonNone(r.RentalType)) })},
		"RentalSubType":        {kText, "Property type", "e.g. MultiFamily", r(func(r *buildium.Rental) value { return text(r.RentalSubType) })},
		"Reserve":              {kNumber, "Property reserve", "", r(func(r *buildium.Rental) value { return number(r.Reserve) })},
		"Amenities": {kText, "Amenities", "features, then what rent includes; from GET /v1/rentals/{id}/amenities",
			func(in *input) value { return text(amenitiesText(in.amenities)) }},
		"Amenities.Features": {kText, "Amenities › Features", "", func(in *input) value {
			if in.amenities == nil {
				return none(kText)
			}
			return text(joinEnums(in.amenities.Features))
		}},
		"Amenities.IncludedInRent": {kText, "Amenities › Included in rent", "", func(in *input) value {
			if in.amenities == nil {
				return none(kText)
			}
			return text(joinEnums(in.amenities.IncludedInRent))
		}},
		"MarketRent": {kNumber, "Market rent", "lowest market rent of the property's units",
			func(in *input) value { return numberPtr(in.minRent) }},
	}
	addressSources(s, "Address", "Address", func(in *input) *buildium.Address { return in.rental.Address })
	return s
}

func unitSources() map[string]source {
	u := func(f func(u *buildium.RentalUnit) value) func(in *input) value {
		return func(in *input) value { return f(in.unit) }
	}
	s := map[string]source{
		"Id":             {kNumber, "Id", "unit id", u(func(u *buildium.RentalUnit) value { return number(float64(u.ID)) })},
		"PropertyId":     {kNumber, "Property", "id of the unit's rental property", u(func(u *buildium.RentalUnit) value { return number(float64(u.PropertyID)) })},
		"PropertyName":   {kText, "Property", "name of the unit's rental property", func(in *input) value { return text(in.property.Name) }},
		"DisplayName":    {kText, "Unit", `"1272 Lincoln Rd – Unit 3"; the street alone without a unit number (UnitName)`, func(in *input) value { return text(UnitName(*in.unit, in.property)) }},
		"ListingName":    {kText, "Unit", "the same as DisplayName (the older name)", func(in *input) value { return text(UnitName(*in.unit, in.property)) }},
		"BuildingName":   {kText, "Building name", "", u(func(u *buildium.RentalUnit) value { return text(u.BuildingName) })},
		"UnitNumber":     {kText, "Unit number", "", u(func(u *buildium.RentalUnit) value { return text(u.UnitNumber) })},
		"Description":    {kText, "Description", "", u(func(u *buildium.RentalUnit) value { return text(u.Description) })},
		"MarketRent":     {kNumber, "Market rent", "", u(func(u *buildium.RentalUnit) value { return numberPtr(u.MarketRent) })},
		"UnitBedrooms":   {kText, "Bedrooms", "enum: Studio, OneBed … NineBedPlus", u(func(u *buildium.RentalUnit) value { return text(nonNotSet(u.UnitBedrooms)) })},
		"UnitBathrooms":  {kText, "Bathrooms", "enum: OneBath, OnePointFiveBath … FivePlusBath", u(func(u *buildium.RentalUnit) value { return text(nonNotSet(u.UnitBathrooms)) })},
		"UnitSize":       {kNumber, "Size", "square feet", u(func(u *buildium.RentalUnit) value { return int32Ptr(u.UnitSize) })},
		"IsUnitListed":   {kBool, "Listed", "computed by Buildium at read time", u(func(u *buildium.RentalUnit) value { return boolPtr(u.IsUnitListed) })},
		"IsUnitOccupied": {kBool, "Occupied", "computed by Buildium at read time", u(func(u *buildium.RentalUnit) value { return boolPtr(u.IsUnitOccupied) })},
	}
	addressSources(s, "Address", "Address", func(in *input) *buildium.Address { return in.unit.Address })
	return s
}

func ecSources() map[string]source {
	e := func(f func(e *buildium.EmergencyContact) value) func(in *input) value {
		return func(in *input) value { return f(in.ec) }
	}
	return map[string]source{
		"Key": {kText, "Emergency contact", "stable id: from the normalised email, else the tenant id (see EmergencyContactKey)",
			func(in *input) value { return text(in.ecKey) }},
		"TenantId": {kNumber, "Tenant", "id of the tenant whose emergency contact this is",
			func(in *input) value { return number(float64(in.tenant.ID)) }},
		"Name":                    {kText, "Name", "", e(func(e *buildium.EmergencyContact) value { return text(e.Name) })},
		"FirstName":               {kText, "Name", "Name split: all but the last word", e(func(e *buildium.EmergencyContact) value { f, _ := SplitName(e.Name); return text(f) })},
		"LastName":                {kText, "Name", "Name split: the last word", e(func(e *buildium.EmergencyContact) value { _, l := SplitName(e.Name); return text(l) })},
		"RelationshipDescription": {kText, "Relationship", "", e(func(e *buildium.EmergencyContact) value { return text(e.RelationshipDescription) })},
		"Phone":                   {kText, "Phone", "", e(func(e *buildium.EmergencyContact) value { return text(e.Phone) })},
		"Email":                   {kText, "Email", "", e(func(e *buildium.EmergencyContact) value { return text(e.Email) })},
	}
}

func leaseSources() map[string]source {
	l := func(f func(l *buildium.Lease) value) func(in *input) value {
		return func(in *input) value {
			if in.lease == nil {
				return none(kText)
			}
			return f(in.lease)
		}
	}
	return map[string]source{
		"Id":                             {kNumber, "Id", "lease id", l(func(l *buildium.Lease) value { return number(float64(l.ID)) })},
		"UnitId":                         {kNumber, "Unit", "", l(func(l *buildium.Lease) value { return number(float64(l.UnitID)) })},
		"PropertyId":                     {kNumber, "Property", "", l(func(l *buildium.Lease) value { return number(float64(l.PropertyID)) })},
		"UnitNumber":                     {kText, "Unit", "", l(func(l *buildium.Lease) value { return text(l.UnitNumber) })},
		"LeaseFromDate":                  {kDate, "Start date", "", l(func(l *buildium.Lease) value { return date(l.LeaseFromDate) })},
		"LeaseToDate":                    {kDate, "End date", "", l(func(l *buildium.Lease) value { return date(l.LeaseToDate) })},
		"LeaseType":                      {kText, "Lease type", "", l(func(l *buildium.Lease) value { return text(nonNone(l.LeaseType)) })},
		"LeaseStatus":                    {kText, "Status", "Active, Past or Future", l(func(l *buildium.Lease) value { return text(l.LeaseStatus) })},
		"TermType":                       {kText, "Term", "", l(func(l *buildium.Lease) value { return text(l.TermType) })},
		"AccountDetails.Rent":            {kNumber, "Rent", "", l(func(l *buildium.Lease) value { return accountAmount(l, false) })},
		"AccountDetails.SecurityDeposit": {kNumber, "Security deposit", "", l(func(l *buildium.Lease) value { return accountAmount(l, true) })},
	}
}

func accountAmount(l *buildium.Lease, deposit bool) value {
	if l.AccountDetails == nil {
		return none(kNumber)
	}
	if deposit {
		return numberPtr(l.AccountDetails.SecurityDeposit)
	}
	return numberPtr(l.AccountDetails.Rent)
}

// nonNotSet maps Buildium's "NotSet" enum value to "".
func nonNotSet(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "NotSet") {
		return ""
	}
	return s
}

// nonNone maps Buildium's "None" enum value to "".
func nonNone(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "None") {
		return ""
	}
	return s
}

// joinEnums renders Buildium enum values for people: "LaundryRoom",
// "Pool" → "Laundry Room; Pool". The separator is HubSpot's multi-value
// separator (reference/hubspot-api.md §5), so the text can later become a
// checkbox property without reformatting.
func joinEnums(vs []string) string {
	parts := make([]string, 0, len(vs))
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, SplitCamel(v))
		}
	}
	return strings.Join(parts, "; ")
}

// amenitiesText is the default text for buildium_amenities: the features,
// then "Included in rent: Gas, Water".
func amenitiesText(a *buildium.Amenities) string {
	if a == nil {
		return ""
	}
	out := joinEnums(a.Features)
	if inc := joinEnums(a.IncludedInRent); inc != "" {
		if out != "" {
			out += "; "
		}
		out += "Included in rent: " + strings.ReplaceAll(inc, "; ", ", ")
	}
	return out
}
