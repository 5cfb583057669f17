package hubspotsim

// buildDataModel adds the standard objects (contacts, companies, listings)
// with their default properties and the HubSpot-defined association types.
// With VariantEditedOptions the built-in dropdowns carry a portal's edited
// options instead of HubSpot's defaults.
func (s *Server) buildDataModel(now int64) {
	s.addType(newContactType(now), "contact")
	s.addType(newCompanyType(now), "company")
	s.addType(newListingType(now), "listing")
	s.defineHubSpotAssociations()
	if s.Has(VariantEditedOptions) {
		for typeID, props := range editedOptions {
			t := s.types[typeID]
			for name, o := range props {
				t.byName[name].setOptions(append([]option(nil), o...))
			}
		}
	}
}

// editedOptions are the options of built-in dropdowns as an account that
// edited them has them (VariantEditedOptions), by object type and property.
var editedOptions = map[string]map[string][]option{
	"0-420": {
		"hs_listing_type": opts("single_family:Single family", "apartment:Apartment", "condo:Condo", "townhouse:Townhouse"),
	},
	"0-1": {
		"hs_lead_status": opts("NEW:New", "WORKING:Working", "QUALIFIED:Qualified", "UNQUALIFIED:Unqualified"),
		"lifecyclestage": opts("lead:Lead", "customer:Customer", "1034567:Resident", "1034568:Former resident"),
	},
	"0-2": {
		"type": opts("OWNER:Owner", "VENDOR:Vendor", "MANAGEMENT_COMPANY:Management company"),
	},
}
