package mapping

import (
	"slices"
	"strings"
)

// Option is one option of an enumeration property.
type Option struct {
	// Label is shown in HubSpot.
	Label string
	// Value is the internal value sent in writes.
	Value string
	// DisplayOrder orders the options, from 0.
	DisplayOrder int
}

// PropertyDef describes a HubSpot property a mapping writes, in the terms
// of the properties API (reference/hubspot-api.md §5). The engine creates
// the ones that are not BuiltIn, in group Group, during schema bootstrap.
type PropertyDef struct {
	// Name is the internal name.
	Name string
	// Label is the name shown in HubSpot.
	Label string
	// Description says where the value comes from.
	Description string
	// Type is string, number, date, datetime, enumeration or bool.
	Type string
	// FieldType is the matching field type (text, textarea, phonenumber,
	// number, date, select, booleancheckbox).
	FieldType string
	// Group is the property group ("buildium").
	Group string
	// Unique marks hasUniqueValue properties: the upsert keys.
	Unique bool
	// Options are the choices of an enumeration or bool property.
	Options []Option
	// BuiltIn marks HubSpot default properties (firstname, hs_name, …),
	// which are expected to exist and are not created. A missing built-in
	// listing property is created as a custom property by the engine
	// (DESIGN.md §2); custom names cannot start with "hs_", so it needs a
	// buildium_ name then.
	BuiltIn bool
	// NumberDisplayHint is "currency" for amounts, else "".
	NumberDisplayHint string
	// DataSensitivity is HubSpot's sensitive-data setting of the property
	// (dataSensitivity): SensitivityHigh for national ids (the opt-in tax
	// id), else "" (HubSpot's default, SensitivityNone).
	DataSensitivity string
}

// HubSpot's dataSensitivity values (reference/hubspot-api.md §5). A
// sensitive property needs an Enterprise account with the sensitive-data
// setting on, and the matching scopes (SensitiveScopes).
const (
	// SensitivityNone is an ordinary property.
	SensitivityNone = "non_sensitive"
	// SensitivitySensitive is sensitive data.
	SensitivitySensitive = "sensitive"
	// SensitivityHigh is highly sensitive data, such as a national id.
	SensitivityHigh = "highly_sensitive"
)

// builtIns are HubSpot's default properties per object that b2h writes or
// that a mapping file may write. Listing defaults are as observed by
// integrations (reference/hubspot-api.md §7); the engine checks them on the
// account.
var builtIns = map[string]map[string]bool{
	TargetContacts: set("firstname", "lastname", "email", "phone", "mobilephone", "address", "city", "state",
		"zip", "country", "date_of_birth", "company", "jobtitle", "website", "fax", "salutation",
		"lifecyclestage", "hs_lead_status", "message"),
	TargetListings: set("hs_name", "hs_address_1", "hs_address_2", "hs_city", "hs_state_province", "hs_zip",
		"hs_neighborhood", "hs_price", "hs_bedrooms", "hs_bathrooms", "hs_square_footage", "hs_lot_size",
		"hs_year_built", "hs_listing_type"),
	TargetUnit: set(),
}

// readOnly are properties a write must never include: HubSpot answers 400
// for the whole batch (reference/hubspot-api.md §11, §13.9).
var readOnly = set("createdate", "lastmodifieddate", "hs_object_id", "hs_createdate", "hs_lastmodifieddate",
	"notes_last_contacted", "hs_additional_emails", "hs_all_contact_vids", "hs_merged_object_ids",
	"hs_was_imported", "hs_email_domain", "hubspot_owner_assigneddate")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// labels are the display labels of the properties b2h creates.
var labels = map[string]string{
	KeyTenant:                        "Buildium tenant ID",
	KeyProperty:                      "Buildium property ID",
	KeyUnit:                          "Buildium unit ID",
	KeyEmergencyContact:              "Buildium emergency contact ID",
	RecordTypeProperty:               "Buildium record type",
	"buildium_alternate_email":       "Alternate email (Buildium)",
	"buildium_created_at":            "Created in Buildium",
	"buildium_comment":               "Buildium comment",
	"buildium_tax_id":                "Tax ID (Buildium)",
	"buildium_total_units":           "Total units",
	"buildium_property_type":         "Property type (Buildium)",
	"buildium_structure_description": "Structure description",
	"buildium_amenities":             "Amenities",
	"buildium_base_rent_amount":      "Base rent amount",
	"buildium_country":               "Country",
	"buildium_relationship":          "Emergency contact relationship",
	"buildium_parent_property_id":    "Buildium property ID of the unit",
	"unit_name":                      "Unit",
	"unit_number":                    "Unit number",
	"square_feet":                    "Square feet",
	"market_rent":                    "Market rent",
	"unit_description":               "Description",
	"occupancy_status":               "Occupancy",
	"listing_status":                 "Listing status",
	"current_rent":                   "Current rent",
}

// currency marks amount properties.
var currency = set("market_rent", "current_rent", "buildium_current_rent", "buildium_base_rent_amount", "hs_price")

// label returns the display label of a property name: from the table, or
// made from the name ("buildium_unit_number" → "Unit number").
func label(name string) string {
	if l, ok := labels[name]; ok {
		return l
	}
	s := strings.ReplaceAll(strings.TrimPrefix(name, "buildium_"), "_", " ")
	if s == "" {
		return name
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// isBuiltIn reports whether name is a HubSpot property of target that b2h
// does not create: a known default, or any "hs_" name (HubSpot reserves the
// prefix).
func isBuiltIn(target, name string) bool {
	return builtIns[target][name] || strings.HasPrefix(name, "hs_")
}

// Properties returns the definitions of every property the mapping writes
// on target ("contacts", "listings" or "unit"), in mapping order without
// repeats, including buildium_record_type on listings, the fallback
// properties of FitOptions and, with Options.Unlabelled, the contact
// properties of UnlabelledProperties. Unique keys are
// Unique; built-ins are marked BuiltIn.
func (m *Mapping) Properties(target string) []PropertyDef {
	var out []PropertyDef
	seen := map[string]bool{}
	keys := map[string]bool{}
	for _, e := range Entities() {
		if em := m.Entities[e]; em != nil && em.Target == target && em.Key != "" {
			keys[em.Key] = true
		}
	}
	for _, e := range Entities() {
		em := m.Entities[e]
		if em == nil || em.Target != target {
			continue
		}
		for _, fd := range em.Fields {
			if seen[fd.Target] {
				continue
			}
			seen[fd.Target] = true
			out = append(out, m.propertyDef(e, target, fd, keys[fd.Target]))
		}
	}
	extra := m.fallbackDefs(target)
	if target == TargetContacts && m.Options.Unlabelled {
		extra = append(extra, UnlabelledProperties()...)
	}
	for _, d := range extra {
		if !seen[d.Name] {
			seen[d.Name] = true
			out = append(out, d)
		}
	}
	return out
}

// propertyDef describes the property fd writes.
func (m *Mapping) propertyDef(e Entity, target string, fd Field, unique bool) PropertyDef {
	tr, ok := transforms[fd.Transform]
	if !ok {
		tr = transforms[TransformString]
	}
	d := PropertyDef{
		Name: fd.Target, Label: label(fd.Target), Type: tr.typ, FieldType: tr.fieldType, Group: PropertyGroup,
		Unique: unique, Options: append([]Option(nil), tr.options...), BuiltIn: isBuiltIn(target, fd.Target),
	}
	switch {
	case fd.Source == "":
		d.Description = "Set by b2h: " + fd.Value
	default:
		d.Description = "Buildium " + e.noun() + " " + fd.Source
	}
	if unique {
		d.Type, d.FieldType, d.Options = "string", "text", nil
	}
	if fd.Target == RecordTypeProperty {
		d.Type, d.FieldType = "enumeration", "select"
		d.Options = []Option{{Label: "Property", Value: "property"}, {Label: "Unit", Value: "unit", DisplayOrder: 1}}
	}
	if d.Type == "number" && currency[fd.Target] {
		d.NumberDisplayHint = "currency"
	}
	if fd.Source == "TaxId" {
		d.DataSensitivity = SensitivityHigh
	}
	return d
}

// SensitiveScopes returns the scopes that writing and reading the
// mapping's sensitive properties need, sorted: for the opted-in tax id
// crm.objects.contacts.highly_sensitive.read.v2 and .write.v2
// (reference/hubspot-api.md §1). It is empty when the mapping writes no
// sensitive property, which is the default.
func (m *Mapping) SensitiveScopes() []string {
	var out []string
	for _, target := range []string{TargetContacts, TargetListings, TargetUnit} {
		obj := map[string]string{TargetContacts: "contacts", TargetListings: "listings", TargetUnit: "custom"}[target]
		for _, d := range m.Properties(target) {
			if d.DataSensitivity == SensitivitySensitive || d.DataSensitivity == SensitivityHigh {
				for _, op := range []string{"read", "write"} {
					out = append(out, "crm.objects."+obj+"."+d.DataSensitivity+"."+op+".v2")
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SchemaLabels are a custom object's singular and plural labels.
type SchemaLabels struct {
	// Singular names one record ("Unit").
	Singular string
	// Plural names several ("Units").
	Plural string
}

// SchemaDef describes a custom object schema in the terms of the schemas
// API (reference/hubspot-api.md §6).
type SchemaDef struct {
	// Name is the object name ("unit"); HubSpot makes it p{portal}_unit.
	Name string
	// Labels are the object's display labels.
	Labels SchemaLabels
	// PrimaryDisplayProperty names records in HubSpot.
	PrimaryDisplayProperty string
	// SecondaryDisplayProperties are shown under the name.
	SecondaryDisplayProperties []string
	// SearchableProperties are indexed for search.
	SearchableProperties []string
	// RequiredProperties must be set on create.
	RequiredProperties []string
	// Properties are created with the schema.
	Properties []PropertyDef
	// AssociatedObjects are the object type ids it associates with.
	AssociatedObjects []string
}

// UnitSchema returns the schema of the `unit` custom object for the
// default mapping: primary display property unit_name (UnitName), required
// buildium_unit_id and unit_name, unit_number shown under the name,
// associated with contacts (0-1) and listings (0-420).
func UnitSchema() SchemaDef {
	return Default(Options{UnitTarget: TargetUnit}).UnitSchema()
}

// UnitSchema returns the `unit` schema with the properties this mapping
// writes on units (including lease fields and mapping-file additions). A
// mapping that does not write unit_name (a mapping file from before it
// existed) is displayed by unit_number.
func (m *Mapping) UnitSchema() SchemaDef {
	props := m.Properties(TargetUnit)
	if len(props) == 0 {
		props = Default(Options{UnitTarget: TargetUnit}).Properties(TargetUnit)
	}
	have := map[string]bool{}
	for _, p := range props {
		have[p.Name] = true
	}
	present := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if have[n] {
				out = append(out, n)
			}
		}
		return out
	}
	primary := "unit_name"
	if !have[primary] {
		primary = "unit_number"
	}
	return SchemaDef{
		Name:                       TargetUnit,
		Labels:                     SchemaLabels{Singular: "Unit", Plural: "Units"},
		PrimaryDisplayProperty:     primary,
		SecondaryDisplayProperties: present(unitSecondary(primary), "occupancy_status", KeyProperty),
		SearchableProperties:       present("unit_name", "unit_number", KeyUnit, KeyProperty),
		RequiredProperties:         present(KeyUnit, primary),
		Properties:                 props,
		AssociatedObjects:          []string{"0-1", "0-420"},
	}
}

// unitSecondary is the unit number when the name is the primary display
// property, else nothing more.
func unitSecondary(primary string) string {
	if primary == "unit_name" {
		return "unit_number"
	}
	return ""
}
