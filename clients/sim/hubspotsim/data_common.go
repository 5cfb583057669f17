package hubspotsim

// Option lists shared by several objects' built-in properties.
var (
	lifecycleStages = opts("subscriber:Subscriber", "lead:Lead", "marketingqualifiedlead:Marketing Qualified Lead",
		"salesqualifiedlead:Sales Qualified Lead", "opportunity:Opportunity", "customer:Customer",
		"evangelist:Evangelist", "other:Other")
	leadStatuses = opts("NEW:New", "OPEN:Open", "IN_PROGRESS:In Progress", "OPEN_DEAL:Open Deal",
		"UNQUALIFIED:Unqualified", "ATTEMPTED_TO_CONTACT:Attempted to Contact", "CONNECTED:Connected",
		"BAD_TIMING:Bad Timing")
	analyticsSources = opts("ORGANIC_SEARCH:Organic Search", "PAID_SEARCH:Paid Search", "EMAIL_MARKETING:Email Marketing",
		"SOCIAL_MEDIA:Organic Social", "REFERRALS:Referrals", "OTHER_CAMPAIGNS:Other Campaigns",
		"DIRECT_TRAFFIC:Direct Traffic", "OFFLINE:Offline Sources", "PAID_SOCIAL:Paid Social", "AI_REFERRALS:AI Referrals")
	industries = opts("ACCOUNTING", "AIRLINES_AVIATION", "ALTERNATIVE_DISPUTE_RESOLUTION", "ALTERNATIVE_MEDICINE",
		"ANIMATION", "APPAREL_FASHION", "ARCHITECTURE_PLANNING", "ARTS_AND_CRAFTS", "AUTOMOTIVE",
		"AVIATION_AEROSPACE", "BANKING", "BIOTECHNOLOGY", "BROADCAST_MEDIA", "BUILDING_MATERIALS",
		"BUSINESS_SUPPLIES_AND_EQUIPMENT", "CAPITAL_MARKETS", "CHEMICALS", "CIVIC_SOCIAL_ORGANIZATION",
		"CIVIL_ENGINEERING", "COMMERCIAL_REAL_ESTATE", "COMPUTER_NETWORK_SECURITY", "COMPUTER_GAMES",
		"COMPUTER_HARDWARE", "COMPUTER_NETWORKING", "COMPUTER_SOFTWARE", "INTERNET", "CONSTRUCTION",
		"CONSUMER_ELECTRONICS", "CONSUMER_GOODS", "CONSUMER_SERVICES", "COSMETICS", "DAIRY", "DEFENSE_SPACE",
		"DESIGN", "EDUCATION_MANAGEMENT", "E_LEARNING", "ELECTRICAL_ELECTRONIC_MANUFACTURING", "ENTERTAINMENT",
		"ENVIRONMENTAL_SERVICES", "EVENTS_SERVICES", "EXECUTIVE_OFFICE", "FACILITIES_SERVICES", "FARMING",
		"FINANCIAL_SERVICES", "FINE_ART", "FISHERY", "FOOD_BEVERAGES", "FOOD_PRODUCTION", "FUND_RAISING",
		"FURNITURE", "GAMBLING_CASINOS", "GLASS_CERAMICS_CONCRETE", "GOVERNMENT_ADMINISTRATION",
		"GOVERNMENT_RELATIONS", "GRAPHIC_DESIGN", "HEALTH_WELLNESS_AND_FITNESS", "HIGHER_EDUCATION",
		"HOSPITAL_HEALTH_CARE", "HOSPITALITY", "HUMAN_RESOURCES", "IMPORT_AND_EXPORT",
		"INDIVIDUAL_FAMILY_SERVICES", "INDUSTRIAL_AUTOMATION", "INFORMATION_SERVICES",
		"INFORMATION_TECHNOLOGY_AND_SERVICES", "INSURANCE", "INTERNATIONAL_AFFAIRS",
		"INTERNATIONAL_TRADE_AND_DEVELOPMENT", "INVESTMENT_BANKING", "INVESTMENT_MANAGEMENT", "JUDICIARY",
		"LAW_ENFORCEMENT", "LAW_PRACTICE", "LEGAL_SERVICES", "LEGISLATIVE_OFFICE", "LEISURE_TRAVEL_TOURISM",
		"LIBRARIES", "LOGISTICS_AND_SUPPLY_CHAIN", "LUXURY_GOODS_JEWELRY", "MACHINERY", "MANAGEMENT_CONSULTING",
		"MARITIME", "MARKET_RESEARCH", "MARKETING_AND_ADVERTISING", "MECHANICAL_OR_INDUSTRIAL_ENGINEERING",
		"MEDIA_PRODUCTION", "MEDICAL_DEVICES", "MEDICAL_PRACTICE", "MENTAL_HEALTH_CARE", "MILITARY",
		"MINING_METALS", "MOBILE_GAMES", "MOTION_PICTURES_AND_FILM", "MUSEUMS_AND_INSTITUTIONS", "MUSIC",
		"NANOTECHNOLOGY", "NEWSPAPERS", "NON_PROFIT_ORGANIZATION_MANAGEMENT", "OIL_ENERGY", "ONLINE_MEDIA",
		"OUTSOURCING_OFFSHORING", "PACKAGE_FREIGHT_DELIVERY", "PACKAGING_AND_CONTAINERS",
		"PAPER_FOREST_PRODUCTS", "PERFORMING_ARTS", "PHARMACEUTICALS", "PHILANTHROPY", "PHOTOGRAPHY",
		"PLASTICS", "POLITICAL_ORGANIZATION", "PRIMARY_SECONDARY_EDUCATION", "PRINTING",
		"PROFESSIONAL_TRAINING_COACHING", "PROGRAM_DEVELOPMENT", "PUBLIC_POLICY",
		"PUBLIC_RELATIONS_AND_COMMUNICATIONS", "PUBLIC_SAFETY", "PUBLISHING", "RAILROAD_MANUFACTURE",
		"RANCHING", "REAL_ESTATE", "RECREATIONAL_FACILITIES_AND_SERVICES", "RELIGIOUS_INSTITUTIONS",
		"RENEWABLES_ENVIRONMENT", "RESEARCH", "RESTAURANTS", "RETAIL", "SECURITY_AND_INVESTIGATIONS",
		"SEMICONDUCTORS", "SHIPBUILDING", "SPORTING_GOODS", "SPORTS", "STAFFING_AND_RECRUITING",
		"SUPERMARKETS", "TELECOMMUNICATIONS", "TEXTILES", "THINK_TANKS", "TOBACCO",
		"TRANSLATION_AND_LOCALIZATION", "TRANSPORTATION_TRUCKING_RAILROAD", "UTILITIES",
		"VENTURE_CAPITAL_PRIVATE_EQUITY", "VETERINARY", "WAREHOUSING", "WHOLESALE", "WINE_AND_SPIRITS",
		"WIRELESS", "WRITING_AND_EDITING")
	objectSources = opts("CRM_UI:CRM UI", "IMPORT:Import", "INTEGRATION:Integration", "API:API",
		"FORM:Form", "WORKFLOWS:Workflows", "SALES:Sales", "MOBILE_IOS:Mobile iOS", "MOBILE_ANDROID:Mobile Android",
		"BCC_TO_CRM:BCC to CRM", "MIGRATION:Migration", "MERGE:Merge", "AI_GROUP:AI", "UNKNOWN:Unknown")
)

// ownerProps are the owner and team properties every standard object has;
// their values are owner or team ids (externalOptions).
var ownerProps = []builtin{
	pick("hubspot_owner_id", "Owner", "select", bExternal, nil),
	pick("hubspot_team_id", "HubSpot Team", "select", bExternal, nil),
	when("hubspot_owner_assigneddate", "Owner assigned date", calc),
	pick("hs_all_owner_ids", "All owner IDs", "checkbox", bExternal|calc, nil),
	pick("hs_all_team_ids", "All team IDs", "checkbox", bExternal|calc, nil),
	pick("hs_all_accessible_team_ids", "All teams", "checkbox", bExternal|calc, nil),
	pick("hs_shared_team_ids", "Shared teams", "checkbox", bExternal, nil),
	pick("hs_shared_user_ids", "Shared users", "checkbox", bExternal, nil),
	pick("hs_user_ids_of_all_owners", "User IDs of all owners", "checkbox", bExternal|calc, nil),
}

// recordSourceProps are the provenance properties of every standard object.
var recordSourceProps = []builtin{
	pick("hs_object_source", "Record source", "select", ro, objectSources),
	text("hs_object_source_id", "Record source ID", ro),
	text("hs_object_source_label", "Record source label", ro),
	num("hs_object_source_user_id", "Record source user ID", ro),
	text("hs_object_source_detail_1", "Record source detail 1", ro),
	text("hs_object_source_detail_2", "Record source detail 2", ro),
	text("hs_object_source_detail_3", "Record source detail 3", ro),
	num("hs_created_by_user_id", "Created by user ID", ro),
	num("hs_updated_by_user_id", "Updated by user ID", ro),
	pick("hs_merged_object_ids", "Merged record IDs", "checkbox", bExternal|calc, nil),
	yesNo("hs_was_imported", "Performed in an import", ro),
	text("hs_unique_creation_key", "Unique creation key", ro|bHidden),
	yesNo("hs_read_only", "Read only object", ro|bHidden),
}

// activityRollups are the engagement roll-ups of contacts and companies.
var activityRollups = []builtin{
	when("notes_last_contacted", "Last Contacted", calc),
	when("notes_last_updated", "Last Activity Date", calc),
	when("notes_next_activity_date", "Next Activity Date", calc),
	num("num_contacted_notes", "Number of times contacted", calc),
	num("num_notes", "Number of Sales Activities", calc),
	when("hs_last_sales_activity_timestamp", "Last Engagement Date", calc),
	when("engagements_last_meeting_booked", "Date of last meeting booked in meetings tool", calc),
	num("num_associated_deals", "Number of Associated Deals", calc),
	num("recent_deal_amount", "Recent Deal Amount", calc),
	day("recent_deal_close_date", "Recent Deal Close Date", calc),
	num("total_revenue", "Total Revenue", calc),
	when("first_deal_created_date", "First Deal Created Date", calc),
}
