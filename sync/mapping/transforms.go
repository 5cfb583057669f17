package mapping

import (
	"sort"
	"strconv"
	"strings"
)

// Transform names, as written in a mapping file.
const (
	// TransformString sends the value as one line of text.
	TransformString = "string"
	// TransformText sends multi-line text (a textarea property).
	TransformText = "text"
	// TransformEmail trims, lower-cases and unwraps an address
	// (NormalizeEmail); an invalid one is not sent.
	TransformEmail = "email"
	// TransformPhone formats E.164 where possible (NormalizePhone).
	TransformPhone = "phone"
	// TransformDate sends YYYY-MM-DD (Date).
	TransformDate = "date"
	// TransformDateTime sends ISO 8601 UTC (DateTime).
	TransformDateTime = "datetime"
	// TransformNumber sends a number (FormatNumber).
	TransformNumber = "number"
	// TransformBedrooms converts the UnitBedrooms enum (Bedrooms).
	TransformBedrooms = "bedrooms"
	// TransformBathrooms converts the UnitBathrooms enum (Bathrooms).
	TransformBathrooms = "bathrooms"
	// TransformJoinLines joins address lines (JoinAddressLines).
	TransformJoinLines = "join_lines"
	// TransformCountry names a Country enum value (Country).
	TransformCountry = "country"
	// TransformHumanize splits a CamelCase enum value into words (SplitCamel).
	TransformHumanize = "humanize"
	// TransformListingType picks an hs_listing_type option (ListingType).
	TransformListingType = "listing_type"
	// TransformBool sends true/false.
	TransformBool = "bool"
	// TransformOccupied sends occupied/vacant.
	TransformOccupied = "bool_occupied"
	// TransformListed sends listed/unlisted.
	TransformListed = "bool_listed"
)

// transform converts a source value into a HubSpot property value and
// says what kind of property receives it.
type transform struct {
	doc       string
	accepts   []kind
	typ       string // HubSpot property type (reference/hubspot-api.md §5)
	fieldType string
	options   []Option
	multiline bool // keeps newlines (textarea); other values are made single-line
	keepRaw   bool // on failure the raw value is sent (phone)
	check     string
	// apply returns the HubSpot value, or ok=false when v cannot be
	// converted; it is only called for set values.
	apply func(v value, c *conv) (string, bool)
}

var allKinds = []kind{kText, kNumber, kBool, kDate, kDateTime}

// transforms is the registry of conversions, by name.
var transforms = map[string]transform{
	TransformString: {doc: "as text on one line", accepts: allKinds, typ: "string", fieldType: "text",
		apply: func(v value, _ *conv) (string, bool) { return v.raw(), true }},
	TransformText: {doc: "as multi-line text (textarea)", accepts: allKinds, typ: "string", fieldType: "textarea", multiline: true,
		apply: func(v value, _ *conv) (string, bool) { return v.raw(), true }},
	TransformEmail: {doc: "trimmed, lower-cased, mailto: and <> removed, placeholders (n/a, none) empty; an invalid address is not sent",
		accepts: []kind{kText}, typ: "string", fieldType: "text", check: RuleEmail,
		apply: func(v value, _ *conv) (string, bool) {
			e := NormalizeEmail(v.s)
			return e, e == "" || ValidEmail(e)
		}},
	TransformPhone: {doc: "E.164 via libphonenumber; kept as written when unparseable", accepts: []kind{kText}, typ: "string",
		fieldType: "phonenumber", keepRaw: true, check: RulePhone,
		apply: func(v value, c *conv) (string, bool) { return c.phone(v.s) }},
	TransformDate: {doc: "YYYY-MM-DD (HubSpot date, midnight UTC)", accepts: []kind{kText, kDate, kDateTime}, typ: "date", fieldType: "date", check: RuleDate,
		apply: func(v value, _ *conv) (string, bool) { return Date(v.s) }},
	TransformDateTime: {doc: "ISO 8601 in UTC", accepts: []kind{kText, kDate, kDateTime}, typ: "datetime", fieldType: "date", check: RuleDate,
		apply: func(v value, _ *conv) (string, bool) { return DateTime(v.s) }},
	TransformNumber: {doc: "a number", accepts: []kind{kNumber, kText}, typ: "number", fieldType: "number",
		apply: func(v value, _ *conv) (string, bool) {
			if v.k == kNumber {
				return FormatNumber(v.n)
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(v.s, ",", "")), 64)
			if err != nil {
				return "", false
			}
			return FormatNumber(f)
		}},
	TransformBedrooms: {doc: "Studio=0, OneBed=1 … NineBedPlus=9", accepts: []kind{kText}, typ: "number", fieldType: "number",
		apply: func(v value, _ *conv) (string, bool) { return enumNumber(Bedrooms(v.s)) }},
	TransformBathrooms: {doc: "OneBath=1, OnePointFiveBath=1.5 … FiveBath=5, FivePlusBath=5", accepts: []kind{kText}, typ: "number", fieldType: "number",
		apply: func(v value, _ *conv) (string, bool) { return enumNumber(Bathrooms(v.s)) }},
	TransformJoinLines: {doc: `address lines 1–3 joined with ", "`, accepts: []kind{kAddress}, typ: "string", fieldType: "text",
		apply: func(v value, _ *conv) (string, bool) { return JoinAddressLines(v.addr), true }},
	TransformCountry: {doc: `country name ("UnitedStates" → "United States")`, accepts: []kind{kText}, typ: "string", fieldType: "text",
		apply: func(v value, _ *conv) (string, bool) { return Country(v.s), true }},
	TransformHumanize: {doc: `enum value in words ("MultiFamily" → "Multi Family")`, accepts: []kind{kText}, typ: "string", fieldType: "text",
		apply: func(v value, _ *conv) (string, bool) { return SplitCamel(strings.TrimSpace(v.s)), true }},
	TransformListingType: {doc: "hs_listing_type option where one fits (SingleFamily → house, MultiFamily → multi_family, CondoTownhome → condos_co_ops), else not sent",
		accepts: []kind{kText}, typ: "enumeration", fieldType: "select", options: listingTypeOptions(),
		apply: func(v value, _ *conv) (string, bool) {
			s, _ := ListingType(v.s) // no fitting option: nothing is sent, which is not a problem
			return s, true
		}},
	TransformBool: {doc: "true/false", accepts: []kind{kBool}, typ: "bool", fieldType: "booleancheckbox",
		options: []Option{{Label: "Yes", Value: "true"}, {Label: "No", Value: "false", DisplayOrder: 1}},
		apply:   func(v value, _ *conv) (string, bool) { return strconv.FormatBool(v.b), true }},
	TransformOccupied: {doc: "occupied/vacant", accepts: []kind{kBool}, typ: "enumeration", fieldType: "select",
		options: []Option{{Label: "Occupied", Value: "occupied"}, {Label: "Vacant", Value: "vacant", DisplayOrder: 1}},
		apply:   func(v value, _ *conv) (string, bool) { return pick(v.b, "occupied", "vacant"), true }},
	TransformListed: {doc: "listed/unlisted", accepts: []kind{kBool}, typ: "enumeration", fieldType: "select",
		options: []Option{{Label: "Listed", Value: "listed"}, {Label: "Unlisted", Value: "unlisted", DisplayOrder: 1}},
		apply:   func(v value, _ *conv) (string, bool) { return pick(v.b, "listed", "unlisted"), true }},
}

// conv carries what conversions need beyond the value: the options, and
// the phone numbers already parsed for the current record (a number is
// usually read three times: phone, mobilephone and the phone rule, and
// libphonenumber dominates the cost of mapping a tenant).
type conv struct {
	opts   Options
	phones map[string]phoneResult
}

type phoneResult struct {
	s  string
	ok bool
}

// phone is NormalizePhone with the record's cache.
func (c *conv) phone(raw string) (string, bool) {
	if r, ok := c.phones[raw]; ok {
		return r.s, r.ok
	}
	s, ok := NormalizePhone(raw, c.opts.DefaultRegion)
	if c.phones == nil {
		c.phones = make(map[string]phoneResult, 2)
	}
	c.phones[raw] = phoneResult{s, ok}
	return s, ok
}

// Transforms returns the names of all transforms, sorted.
func Transforms() []string {
	out := make([]string, 0, len(transforms))
	for k := range transforms {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// defaultTransform is the transform a new field gets when the mapping file
// names none.
func defaultTransform(k kind) string {
	switch k {
	case kNumber:
		return TransformNumber
	case kBool:
		return TransformBool
	case kDate:
		return TransformDate
	case kDateTime:
		return TransformDateTime
	case kAddress:
		return TransformJoinLines
	}
	return TransformString
}

func (t transform) takes(k kind) bool {
	for _, a := range t.accepts {
		if a == k {
			return true
		}
	}
	return false
}

func enumNumber(n float64, ok bool) (string, bool) {
	if !ok {
		return "", false
	}
	return FormatNumber(n)
}

func pick(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func listingTypeOptions() []Option {
	vals := []string{"house", "townhouse", "multi_family", "condos_co_ops", "lots_land", "apartments"}
	labels := []string{"House", "Townhouse", "Multi-family", "Condos/Co-ops", "Lots/Land", "Apartments"}
	out := make([]Option, len(vals))
	for i := range vals {
		out[i] = Option{Label: labels[i], Value: vals[i], DisplayOrder: i}
	}
	return out
}
