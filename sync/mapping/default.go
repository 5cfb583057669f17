package mapping

// Default returns the default mapping of all five entities, for the
// account choices in opts. Units target the custom object `unit`, or, with
// opts.UnitTarget = TargetListings, listings keyed by buildium_unit_id with
// buildium_record_type = unit; either is named by UnitName. Tenant.TaxId is mapped only with
// opts.SyncTaxID.
func Default(opts Options) *Mapping {
	opts = opts.normalized()
	m := &Mapping{Version: Version, Options: opts, Entities: map[Entity]*EntityMapping{
		Tenants:           defaultTenants(opts),
		Properties:        defaultProperties(),
		EmergencyContacts: defaultEmergencyContacts(),
	}}
	if opts.UnitTarget == TargetListings {
		m.Entities[Units] = defaultUnitListings()
	} else {
		m.Entities[Units] = defaultUnits()
	}
	m.Entities[Leases] = defaultLeases(opts.UnitTarget)
	return m
}

// f builds a default field.
func f(source, target, transform string, rules ...Rule) Field {
	return Field{Source: source, Target: target, Transform: transform, Rules: rules}
}

// constant builds a field that sends the same value for every record.
func constant(target, value string) Field {
	return Field{Target: target, Transform: TransformString, Value: value}
}

var (
	ruleRequired = Rule{Kind: RuleRequired}
	ruleEmail    = Rule{Kind: RuleEmail}
	rulePhone    = Rule{Kind: RulePhone}
	ruleDate     = Rule{Kind: RuleDate}
)

func defaultTenants(opts Options) *EntityMapping {
	em := &EntityMapping{
		Target: TargetContacts, Key: KeyTenant,
		RequireOneOf: []string{"email", "firstname", "lastname"},
		Fields: []Field{
			f("Id", KeyTenant, TransformString),
			f("FirstName", "firstname", TransformString),
			f("LastName", "lastname", TransformString),
			f("Email", "email", TransformEmail, ruleEmail),
			// hs_additional_emails is read-only through v3 (reference/hubspot-api.md §11).
			f("AlternateEmail", "buildium_alternate_email", TransformEmail, Rule{Kind: RuleEmail, Severity: SeverityWarning}),
			f("Phones", "phone", TransformPhone, rulePhone),
			f("Phones.Cell", "mobilephone", TransformPhone),
			f("DateOfBirth", "date_of_birth", TransformDate, ruleDate),
			f("Address", "address", TransformJoinLines),
			f("Address.City", "city", TransformString),
			f("Address.State", "state", TransformString),
			f("Address.PostalCode", "zip", TransformString),
			f("Address.Country", "country", TransformCountry),
			// createdate is read-only (reference/hubspot-api.md §11).
			f("CreatedDateTime", "buildium_created_at", TransformDateTime),
			// notes_last_contacted is calculated and read-only (§11).
			f("Comment", "buildium_comment", TransformText),
		},
	}
	if opts.SyncTaxID {
		// Highly sensitive data: opt-in only (reference/hubspot-api.md §12).
		em.Fields = append(em.Fields, f("TaxId", "buildium_tax_id", TransformString))
	}
	return em
}

func defaultProperties() *EntityMapping {
	return &EntityMapping{
		Target: TargetListings, Key: KeyProperty,
		Fields: []Field{
			f("Id", KeyProperty, TransformString),
			constant(RecordTypeProperty, "property"),
			// hs_name is required to create a listing (reference/hubspot-api.md §7).
			f("Name", "hs_name", TransformString, ruleRequired),
			f("Address.AddressLine1", "hs_address_1", TransformString),
			f("Address.AddressLines2And3", "hs_address_2", TransformString),
			f("Address.City", "hs_city", TransformString),
			f("Address.State", "hs_state_province", TransformString),
			f("Address.PostalCode", "hs_zip", TransformString),
			f("Address.Country", "buildium_country", TransformCountry),
			f("NumberUnits", "buildium_total_units", TransformNumber),
			f("YearBuilt", "hs_year_built", TransformNumber),
			f("RentalSubType", "buildium_property_type", TransformHumanize),
			f("RentalSubType", "hs_listing_type", TransformListingType),
			f("StructureDescription", "buildium_structure_description", TransformText),
			f("Amenities", "buildium_amenities", TransformText),
			f("MarketRent", "buildium_base_rent_amount", TransformNumber),
		},
	}
}

func defaultUnits() *EntityMapping {
	return &EntityMapping{
		Target: TargetUnit, Key: KeyUnit,
		Fields: []Field{
			f("Id", KeyUnit, TransformString),
			f("PropertyId", KeyProperty, TransformString),
			// The primary display property: a name that always means
			// something, even for a home without a unit number.
			f("DisplayName", "unit_name", TransformString, ruleRequired),
			f("UnitNumber", "unit_number", TransformString),
			f("UnitBedrooms", "bedrooms", TransformBedrooms),
			f("UnitBathrooms", "bathrooms", TransformBathrooms),
			f("UnitSize", "square_feet", TransformNumber),
			f("MarketRent", "market_rent", TransformNumber),
			f("Description", "unit_description", TransformText),
			f("IsUnitOccupied", "occupancy_status", TransformOccupied),
			f("IsUnitListed", "listing_status", TransformListed),
		},
	}
}

// defaultUnitListings is the unit mapping for accounts without custom
// objects. The unit's property id goes to buildium_parent_property_id:
// buildium_property_id is the unique key of property listings, and a unit
// listing carrying it would collide with its property's listing.
func defaultUnitListings() *EntityMapping {
	return &EntityMapping{
		Target: TargetListings, Key: KeyUnit,
		Fields: []Field{
			f("Id", KeyUnit, TransformString),
			constant(RecordTypeProperty, "unit"),
			f("DisplayName", "hs_name", TransformString, ruleRequired),
			f("PropertyId", "buildium_parent_property_id", TransformString),
			f("UnitNumber", "buildium_unit_number", TransformString),
			f("Address.AddressLine1", "hs_address_1", TransformString),
			f("Address.AddressLines2And3", "hs_address_2", TransformString),
			f("Address.City", "hs_city", TransformString),
			f("Address.State", "hs_state_province", TransformString),
			f("Address.PostalCode", "hs_zip", TransformString),
			f("UnitBedrooms", "hs_bedrooms", TransformBedrooms),
			f("UnitBathrooms", "hs_bathrooms", TransformBathrooms),
			f("UnitSize", "hs_square_footage", TransformNumber),
			f("MarketRent", "hs_price", TransformNumber),
			f("Description", "buildium_unit_description", TransformText),
			f("IsUnitOccupied", "buildium_occupancy_status", TransformOccupied),
			f("IsUnitListed", "buildium_listing_status", TransformListed),
		},
	}
}

// defaultLeases maps a unit's active lease onto the unit record. Leases
// have no HubSpot records of their own (Key is ""): the engine turns each
// tenant on a lease into a labelled association (LeaseLabel) and adds
// these fields to the unit (UnitLeaseFields). Clear is set so that a unit
// whose lease ended loses its lease values.
func defaultLeases(unitTarget string) *EntityMapping {
	prefix := ""
	if unitTarget == TargetListings {
		prefix = "buildium_"
	}
	return &EntityMapping{
		Target: unitTarget,
		Fields: []Field{
			{Source: "LeaseFromDate", Target: prefix + "current_lease_start", Transform: TransformDate, Clear: true},
			{Source: "LeaseToDate", Target: prefix + "current_lease_end", Transform: TransformDate, Clear: true},
			{Source: "AccountDetails.Rent", Target: prefix + "current_rent", Transform: TransformNumber, Clear: true},
		},
	}
}

func defaultEmergencyContacts() *EntityMapping {
	return &EntityMapping{
		Target: TargetContacts, Key: KeyEmergencyContact,
		RequireOneOf: []string{"email", "firstname", "lastname"},
		Fields: []Field{
			f("Key", KeyEmergencyContact, TransformString),
			f("FirstName", "firstname", TransformString),
			f("LastName", "lastname", TransformString),
			f("Email", "email", TransformEmail, ruleEmail),
			f("Phone", "phone", TransformPhone, rulePhone),
			f("RelationshipDescription", "buildium_relationship", TransformString),
		},
	}
}
