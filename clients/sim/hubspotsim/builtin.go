package hubspotsim

// Flags of a built-in property.
const (
	bUnique uint16 = 1 << iota
	bReadOnly
	bUIWritable
	bSysID
	bSysCreated
	bSysUpdated
	bEmail
	bMultiEmail
	bCalculated
)

// builtin describes one HubSpot-defined property.
type builtin struct {
	name, label, typ, field string
	flags                   uint16
	opts                    []string
}

// contactProps are the contact properties b2h meets (hubspot-api.md §11,
// §12): createdate, lastmodifieddate, hs_object_id, hs_additional_emails and
// notes_last_contacted are read-only; date_of_birth is a string in real
// portals.
var contactProps = []builtin{
	{"email", "Email", "string", "text", bEmail, nil},
	{"firstname", "First Name", "string", "text", 0, nil},
	{"lastname", "Last Name", "string", "text", 0, nil},
	{"phone", "Phone Number", "string", "phonenumber", 0, nil},
	{"mobilephone", "Mobile Phone Number", "string", "phonenumber", 0, nil},
	{"address", "Street Address", "string", "text", 0, nil},
	{"city", "City", "string", "text", 0, nil},
	{"state", "State/Region", "string", "text", 0, nil},
	{"zip", "Postal Code", "string", "text", 0, nil},
	{"country", "Country/Region", "string", "text", 0, nil},
	{"date_of_birth", "Date of birth", "string", "text", 0, nil},
	{"jobtitle", "Job Title", "string", "text", 0, nil},
	{"company", "Company Name", "string", "text", 0, nil},
	{"website", "Website URL", "string", "text", 0, nil},
	{"lifecyclestage", "Lifecycle Stage", "enumeration", "radio", 0,
		[]string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"}},
	{"hs_additional_emails", "Additional email addresses", "enumeration", "checkbox", bReadOnly | bUIWritable | bMultiEmail, nil},
	{"notes_last_contacted", "Last Contacted", "datetime", "date", bReadOnly | bCalculated, nil},
	{"createdate", "Create Date", "datetime", "date", bReadOnly | bSysCreated, nil},
	{"lastmodifieddate", "Last Modified Date", "datetime", "date", bReadOnly | bSysUpdated | bCalculated, nil},
	{"hs_lastmodifieddate", "Object last modified date/time", "datetime", "date", bReadOnly | bSysUpdated | bCalculated, nil},
	{"hs_object_id", "Record ID", "number", "number", bReadOnly | bSysID | bCalculated, nil},
}

// listingProps are the default listing properties (§7, §12); hs_name is
// required on create.
var listingProps = []builtin{
	{"hs_name", "Name", "string", "text", 0, nil},
	{"hs_address_1", "Address 1", "string", "text", 0, nil},
	{"hs_address_2", "Address 2", "string", "text", 0, nil},
	{"hs_city", "City", "string", "text", 0, nil},
	{"hs_state_province", "State/Province", "string", "text", 0, nil},
	{"hs_zip", "Zip", "string", "text", 0, nil},
	{"hs_neighborhood", "Neighborhood", "string", "text", 0, nil},
	{"hs_price", "Price", "number", "number", 0, nil},
	{"hs_bedrooms", "Bedrooms", "number", "number", 0, nil},
	{"hs_bathrooms", "Bathrooms", "number", "number", 0, nil},
	{"hs_square_footage", "Square footage", "number", "number", 0, nil},
	{"hs_lot_size", "Lot size", "number", "number", 0, nil},
	{"hs_year_built", "Year built", "number", "number", 0, nil},
	{"hs_listing_type", "Listing type", "enumeration", "select", 0,
		[]string{"house", "townhouse", "multi_family", "condos_co_ops", "lots_land", "apartments"}},
}

// objectSystemProps are the system properties of listings and custom objects.
var objectSystemProps = []builtin{
	{"hs_createdate", "Object create date/time", "datetime", "date", bReadOnly | bSysCreated, nil},
	{"hs_lastmodifieddate", "Object last modified date/time", "datetime", "date", bReadOnly | bSysUpdated | bCalculated, nil},
	{"hs_object_id", "Record ID", "number", "number", bReadOnly | bSysID | bCalculated, nil},
}

// addBuiltins adds HubSpot-defined properties to t in group.
func (t *objType) addBuiltins(group string, now int64, list []builtin) {
	for _, b := range list {
		p := &propDef{
			name: b.name, label: b.label, typ: b.typ, fieldType: b.field, group: group,
			unique: b.flags&bUnique != 0, readOnly: b.flags&bReadOnly != 0,
			uiWritable: b.flags&bUIWritable != 0, calculated: b.flags&bCalculated != 0,
			email: b.flags&bEmail != 0, multiEmail: b.flags&bMultiEmail != 0,
			hubspotDefined: true, formField: b.flags&bReadOnly == 0,
			displayOrder: -1, created: now, updated: now,
		}
		switch {
		case b.flags&bSysID != 0:
			p.sys = sysID
		case b.flags&bSysCreated != 0:
			p.sys = sysCreated
		case b.flags&bSysUpdated != 0:
			p.sys = sysUpdated
		}
		var opts []option
		for i, v := range b.opts {
			opts = append(opts, option{Label: v, Value: v, DisplayOrder: i})
		}
		p.setOptions(opts)
		t.addProp(p)
	}
}

// setAlways sets the system properties returned with every record (§2).
func (t *objType) setAlways(names ...string) {
	t.always = nil
	for _, n := range names {
		t.always = append(t.always, t.byName[n])
	}
}

// newContactType builds contacts (0-1).
func newContactType(now int64) *objType {
	t := newObjType("0-1", "contacts", kindContact)
	t.singular, t.plural, t.errName = "Contact", "Contacts", "CONTACT"
	t.addGroup("contactinformation", "Contact information")
	t.addBuiltins("contactinformation", now, contactProps)
	t.emailProp = t.byName["email"]
	t.defaults = []string{"firstname", "lastname", "email"}
	t.searchable = []string{"firstname", "lastname", "email", "hs_additional_emails", "phone", "mobilephone", "company"}
	t.primary = "email"
	t.setAlways("createdate", "lastmodifieddate", "hs_object_id")
	return t
}

// newListingType builds listings (0-420).
func newListingType(now int64) *objType {
	t := newObjType("0-420", "listings", kindListing)
	t.singular, t.plural, t.errName = "Listing", "Listings", "LISTING"
	t.addGroup("listing_information", "Listing information")
	t.addBuiltins("listing_information", now, listingProps)
	t.addBuiltins("listing_information", now, objectSystemProps)
	t.required = []string{"hs_name"} // §7
	t.primary = "hs_name"
	t.searchable = []string{"hs_name", "hs_address_1", "hs_city", "hs_zip"}
	t.setAlways("hs_createdate", "hs_lastmodifieddate", "hs_object_id")
	return t
}
