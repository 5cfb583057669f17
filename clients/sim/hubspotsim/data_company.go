package hubspotsim

// companyGroups are HubSpot's default company properties by group
// (knowledge base "HubSpot's default company properties"). name is the
// primary display property; domain is not a unique-value property, so
// upserts need a custom hasUniqueValue property.
var companyGroups = []builtinGroup{
	{"companyinformation", "Company information", append([]builtin{
		text("name", "Company name", 0),
		text("domain", "Company Domain Name", 0),
		text("website", "Website URL", 0),
		{"phone", "Phone Number", "string", "phonenumber", 0, nil},
		text("address", "Street Address", 0),
		text("address2", "Street Address 2", 0),
		text("city", "City", 0),
		text("state", "State/Region", 0),
		text("zip", "Postal Code", 0),
		text("country", "Country/Region", 0),
		text("hs_state_code", "State/Region Code", ro),
		text("hs_country_code", "Country/Region Code", ro),
		text("timezone", "Time Zone", 0),
		pick("industry", "Industry", "select", 0, industries),
		pick("type", "Type", "select", 0, opts("PROSPECT:Prospect", "PARTNER:Partner", "RESELLER:Reseller",
			"VENDOR:Vendor", "OTHER:Other")),
		{"description", "Description", "string", "textarea", 0, nil},
		{"about_us", "About Us", "string", "textarea", 0, nil},
		num("numberofemployees", "Number of Employees", 0),
		num("annualrevenue", "Annual Revenue", 0),
		text("founded_year", "Year Founded", 0),
		yesNo("is_public", "Is Public", 0),
		num("total_money_raised", "Total Money Raised", 0),
		pick("lifecyclestage", "Lifecycle Stage", "radio", 0, lifecycleStages),
		pick("hs_lead_status", "Lead Status", "select", 0, leadStatuses),
		pick("hs_ideal_customer_profile", "Ideal Customer Profile Tier", "radio", 0, opts(
			"tier_1:Tier 1", "tier_2:Tier 2", "tier_3:Tier 3")),
		yesNo("hs_is_target_account", "Target Account", 0),
		num("hs_parent_company_id", "Parent Company", calc),
		num("hs_num_child_companies", "Number of child companies", calc),
		pick("hs_additional_domains", "Additional Domains", "checkbox", bExternal|ro, nil),
		text("linkedin_company_page", "LinkedIn Company Page", 0),
		{"linkedinbio", "LinkedIn Bio", "string", "textarea", 0, nil},
		text("twitterhandle", "Twitter Handle", 0),
		text("facebook_company_page", "Facebook Company Page", 0),
		text("googleplus_page", "Google Plus Page", 0),
		num("facebookfans", "Facebook Fans", 0),
		when("createdate", "Create Date", ro|bSysCreated),
		when("hs_lastmodifieddate", "Last Modified Date", ro|bSysUpdated|bCalculated),
		num("hs_object_id", "Record ID", ro|bSysID|bCalculated),
	}, recordSourceProps...)},
	{"sales_properties", "Sales properties", append(append(append([]builtin{}, ownerProps...), activityRollups...),
		num("num_associated_contacts", "Number of Associated Contacts", calc),
		num("hs_num_open_deals", "Number of open deals", calc),
		num("hs_num_decision_makers", "Number of decision makers", calc),
		num("hs_num_blockers", "Number of blockers", calc),
		num("hs_num_contacts_with_buying_roles", "Number of contacts with a buying role", calc),
		when("first_contact_createdate", "First Contact Create Date", calc),
		when("closedate", "Close Date", 0),
		num("days_to_close", "Days to Close", calc),
	)},
	{"analyticsinformation", "Web analytics history", []builtin{
		when("hs_analytics_first_timestamp", "Time First Seen", calc),
		when("hs_analytics_first_visit_timestamp", "Time of First Session", calc),
		when("hs_analytics_last_timestamp", "Time Last Seen", calc),
		when("hs_analytics_last_visit_timestamp", "Time of Last Session", calc),
		num("hs_analytics_num_page_views", "Number of Pageviews", calc),
		num("hs_analytics_num_visits", "Number of Sessions", calc),
		pick("hs_analytics_source", "Original Traffic Source", "select", calc, analyticsSources),
		text("hs_analytics_source_data_1", "Original Traffic Source Drill-Down 1", calc),
		text("hs_analytics_source_data_2", "Original Traffic Source Drill-Down 2", calc),
		pick("hs_analytics_latest_source", "Latest Traffic Source", "select", calc, analyticsSources),
		text("hs_analytics_latest_source_data_1", "Latest Traffic Source Data 1", calc),
		text("hs_analytics_latest_source_data_2", "Latest Traffic Source Data 2", calc),
		when("hs_analytics_latest_source_timestamp", "Latest Traffic Source Timestamp", calc),
	}},
}

// listingGroups are HubSpot's default listing properties (0-420): the
// real-estate fields and the properties every standard object has.
// hs_name is required on create.
var listingGroups = []builtinGroup{
	{"listing_information", "Listing information", append(append([]builtin{
		text("hs_name", "Name", 0),
		text("hs_address_1", "Address 1", 0),
		text("hs_address_2", "Address 2", 0),
		text("hs_city", "City", 0),
		text("hs_state_province", "State/Province", 0),
		text("hs_zip", "Zip", 0),
		text("hs_neighborhood", "Neighborhood", 0),
		num("hs_price", "Price", 0),
		num("hs_bedrooms", "Bedrooms", 0),
		num("hs_bathrooms", "Bathrooms", 0),
		num("hs_square_footage", "Square footage", 0),
		num("hs_lot_size", "Lot size", 0),
		num("hs_year_built", "Year built", 0),
		pick("hs_listing_type", "Listing type", "select", 0, opts("house:House", "townhouse:Townhouse",
			"multi_family:Multi-family", "condos_co_ops:Condos/co-ops", "lots_land:Lots/land", "apartments:Apartments")),
		pick("hs_pipeline", "Pipeline", "select", bExternal, nil),
		pick("hs_pipeline_stage", "Pipeline stage", "radio", bExternal, nil),
		when("hs_createdate", "Object create date/time", ro|bSysCreated),
		when("hs_lastmodifieddate", "Object last modified date/time", ro|bSysUpdated|bCalculated),
		num("hs_object_id", "Record ID", ro|bSysID|bCalculated),
	}, ownerProps...), recordSourceProps...)},
}

// objectSystemProps are the system properties of custom objects.
var objectSystemProps = []builtin{
	when("hs_createdate", "Object create date/time", ro|bSysCreated),
	when("hs_lastmodifieddate", "Object last modified date/time", ro|bSysUpdated|bCalculated),
	num("hs_object_id", "Record ID", ro|bSysID|bCalculated),
}
