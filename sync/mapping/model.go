package mapping

// Entity names one stream of Buildium records. The values are the keys of
// the JSON summary printed by `b2h sync --json` (DESIGN.md §6).
type Entity string

// The five entities, in the order a run processes them (DESIGN.md §3).
const (
	// Properties are Buildium rental properties; they become HubSpot listings.
	Properties Entity = "properties"
	// Units are rental units; they become `unit` records or listings.
	Units Entity = "units"
	// Tenants are rental tenants; they become contacts.
	Tenants Entity = "tenants"
	// EmergencyContacts are the tenants' emergency contacts; they become contacts.
	EmergencyContacts Entity = "emergency_contacts"
	// Leases become labelled tenant↔unit associations and unit lease fields.
	Leases Entity = "leases"
)

// Entities returns the five entities in run order.
func Entities() []Entity {
	return []Entity{Properties, Units, Tenants, EmergencyContacts, Leases}
}

// noun is the singular word used for one record of e in messages.
func (e Entity) noun() string {
	switch e {
	case Properties:
		return "property"
	case Units:
		return "unit"
	case Tenants:
		return "tenant"
	case EmergencyContacts:
		return "emergency contact"
	case Leases:
		return "lease"
	}
	return string(e)
}

// HubSpot objects a mapping can target.
const (
	// TargetContacts is the contacts object (0-1).
	TargetContacts = "contacts"
	// TargetListings is the listings object (0-420).
	TargetListings = "listings"
	// TargetUnit is the b2h custom object `unit` (Enterprise accounts only).
	TargetUnit = "unit"
)

// Unique-key properties: hasUniqueValue properties b2h creates and upserts
// by (DESIGN.md §2), so a re-run can never create a second record.
const (
	// KeyTenant keys tenant contacts.
	KeyTenant = "buildium_tenant_id"
	// KeyProperty keys property listings (and is the parent id on units).
	KeyProperty = "buildium_property_id"
	// KeyUnit keys units, as unit records or unit listings.
	KeyUnit = "buildium_unit_id"
	// KeyEmergencyContact keys emergency contacts (see EmergencyContactKey).
	KeyEmergencyContact = "buildium_emergency_contact_id"
)

// RecordTypeProperty is the listing property that tells property listings
// ("property") from unit listings ("unit", the fallback without custom
// objects).
const RecordTypeProperty = "buildium_record_type"

// PropertyGroup is the HubSpot property group b2h creates its properties in.
const PropertyGroup = "buildium"

// Version is the mapping file format version that Load reads and Export
// writes.
const Version = 1

// Mapping says how each Buildium entity becomes HubSpot records: the
// target object, the unique key and the field list. Build one with Default,
// optionally override it with Load, and tell it the portal's options with
// FitOptions; a Mapping is not modified after that and is safe for
// concurrent use.
type Mapping struct {
	// Version is the file format version (always Version).
	Version int
	// Options are the account-dependent choices the mapping was built with.
	Options Options
	// Entities holds one EntityMapping per entity; all five are present.
	Entities map[Entity]*EntityMapping
	// File names the mapping file the overrides came from, "" for defaults.
	File string
	// fits are the portal's options of built-in enumerations, by target
	// and property (FitOptions); replaced as a whole, never changed.
	fits map[string]map[string]*portalEnum
}

// EntityMapping maps one entity.
type EntityMapping struct {
	// Target is the HubSpot object: "contacts", "listings" or "unit". For
	// leases it is the object that carries the lease fields (the unit target).
	Target string
	// Key is the hasUniqueValue property used as upsert idProperty; "" for
	// leases, which have no records of their own.
	Key string
	// RequireOneOf lists target properties of which at least one must have
	// a value, else the record is invalid (tenants: email, firstname,
	// lastname — HubSpot's recommendation, reference/hubspot-api.md §11).
	RequireOneOf []string
	// Fields are mapped in order.
	Fields []Field
	// Line is the entity's line in the mapping file, 0 for defaults.
	Line int
}

// Field maps one Buildium value to one HubSpot property.
type Field struct {
	// Source is a path into the Buildium record, e.g. "FirstName",
	// "Address.City", "Phones.Cell", "Amenities", "MarketRent"; see
	// SourceFields. Empty for a constant (Value).
	Source string
	// Target is the HubSpot property's internal name.
	Target string
	// Transform names the conversion; see Transforms.
	Transform string
	// Value is a constant sent for every record when Source is empty
	// (e.g. buildium_record_type = property).
	Value string
	// Clear sends "" (which clears the HubSpot value, reference/hubspot-api.md
	// §2) when the source is empty; otherwise an empty value is not sent and
	// HubSpot keeps what it has.
	Clear bool
	// Rules are the validation rules checked on the converted value.
	Rules []Rule
	// Line is the field's line in the mapping file, 0 for defaults.
	Line int
}

// Rule kinds.
const (
	// RuleRequired: the converted value must not be empty.
	RuleRequired = "required"
	// RuleEmail: a non-empty address (NormalizeEmail: placeholders such as
	// "n/a" count as empty) must be valid (ValidEmail). An invalid one is
	// left off the record, which HubSpot then keeps as it was; a warning by
	// default, so the record still lands.
	RuleEmail = "email"
	// RulePhone: a non-empty value must be a parseable phone number; a
	// warning by default, and the raw value is still sent.
	RulePhone = "phone"
	// RuleDate: a non-empty source must be a parseable date.
	RuleDate = "date"
	// RuleRegex: a non-empty converted value must match Arg (Go RE2 syntax).
	RuleRegex = "regex"
	// RuleMaxLength: the converted value has at most Arg characters.
	RuleMaxLength = "max_length"
	// RuleOneOf: a non-empty converted value is one of the comma-separated
	// values in Arg.
	RuleOneOf = "one_of"
)

// Severities of a Rule.
const (
	// SeverityError makes the record invalid: it is reported and not sent.
	SeverityError = "error"
	// SeverityWarning reports the problem and still sends the record.
	SeverityWarning = "warning"
)

// Rule is one validation rule on a field.
type Rule struct {
	// Kind is one of the Rule* constants.
	Kind string
	// Arg is the kind's argument (pattern, length, allowed values).
	Arg string
	// Message replaces the built-in description of the problem, e.g.
	// "must be a company address"; "" uses the built-in one.
	Message string
	// Severity is SeverityError or SeverityWarning; "" means the kind's
	// default (warning for phone and email, error otherwise).
	Severity string
}

// severity returns the rule's effective severity.
func (r Rule) severity() string {
	if r.Severity != "" {
		return r.Severity
	}
	if r.Kind == RulePhone || r.Kind == RuleEmail {
		return SeverityWarning
	}
	return SeverityError
}

// Options are the account-dependent choices behind a mapping.
type Options struct {
	// UnitTarget is TargetUnit (the custom object, Enterprise accounts) or
	// TargetListings (the fallback without custom objects); "" means unit.
	UnitTarget string
	// SyncTaxID maps Tenant.TaxId to a highly-sensitive property. Off unless
	// the user opts in: national ids need HubSpot's sensitive-data setting
	// (reference/hubspot-api.md §12).
	SyncTaxID bool
	// DefaultRegion is the phone region for numbers without a country code;
	// "" means "US".
	DefaultRegion string
	// Unlabelled says the account allows no custom association labels
	// (HubSpot Free and Starter): Properties(TargetContacts) then includes
	// UnlabelledProperties, where the lease status and the emergency-contact
	// relationship are written instead.
	Unlabelled bool
}

// normalized returns o with defaults filled in.
func (o Options) normalized() Options {
	if o.UnitTarget == "" {
		o.UnitTarget = TargetUnit
	}
	if o.DefaultRegion == "" {
		o.DefaultRegion = DefaultRegion
	}
	return o
}

// Clone returns a deep copy of m.
func (m *Mapping) Clone() *Mapping {
	c := *m
	c.Entities = make(map[Entity]*EntityMapping, len(m.Entities))
	for e, em := range m.Entities {
		c.Entities[e] = em.clone()
	}
	return &c
}

func (em *EntityMapping) clone() *EntityMapping {
	c := *em
	c.RequireOneOf = append([]string(nil), em.RequireOneOf...)
	c.Fields = make([]Field, len(em.Fields))
	for i, f := range em.Fields {
		f.Rules = append([]Rule(nil), f.Rules...)
		c.Fields[i] = f
	}
	return &c
}

// Entity returns the mapping of e, or nil.
func (m *Mapping) Entity(e Entity) *EntityMapping {
	return m.Entities[e]
}

// keyField returns the index of the field that writes the entity's key, or -1.
func (em *EntityMapping) keyField() int {
	if em.Key == "" {
		return -1
	}
	for i, f := range em.Fields {
		if f.Target == em.Key {
			return i
		}
	}
	return -1
}
