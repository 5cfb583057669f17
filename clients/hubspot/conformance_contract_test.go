package hubspot

// The contract digest: for every HubSpot operation b2h uses, its method and
// path templates (v3/v4 and 2026-03), the query parameters, request body,
// documented success statuses and response bodies. It was written by hand
// from HubSpot's OpenAPI documents (HubSpot/HubSpot-public-api-spec-
// collection, commit 99893791383254f52aa07662baeb98aad65cc710): the field
// names and JSON types are facts of those documents, the structure is ours,
// and no schema text is copied (the documents are not licensed for
// redistribution). Where a document is known to be wrong the digest departs
// from it and says why next to the field. TestConformance checks recorded
// traffic against it; with B2H_HUBSPOT_SPECS set it also checks the traffic
// against the documents themselves.
//
// Rules: a request field not listed here fails; a required field missing
// fails; a wrong JSON type fails; a 2xx status not listed fails; a response
// field not listed fails (the simulator must not invent fields).

// Shared shapes (the documents' component schemas, by our names).
var (
	batchStatus = enumOf("CANCELED", "COMPLETE", "PENDING", "PROCESSING")
	category    = enumOf("HUBSPOT_DEFINED", "INTEGRATOR_DEFINED", "USER_DEFINED", "WORK")
	idOnly      = obj(req("id", str()))
	stringMap   = mapOf(str())
	contextMap  = mapOf(arr(str()))

	errorDetail = obj(opt("code", str()), opt("context", contextMap), opt("in", str()),
		req("message", str()), opt("subCategory", str()))
	// standardError is one per-input error of a batch (207 and friends).
	// The documents require errors and links and make subCategory an
	// object; real portals leave errors and links out and send subCategory
	// as a string (hubspot-api.md §4, §10), so portal mode allows that.
	standardError = obj(req("category", str()), req("context", contextMap), portalsOmit("errors", arr(errorDetail)),
		opt("id", str()), portalsOmit("links", stringMap), req("message", str()), req("status", str()),
		opt("subCategory", portalAnyOf(openObj())))
	// errorBody is the body of every non-2xx answer (the documents'
	// `default` response). It is open: HubSpot's answers also carry status
	// "error", policyName, requestId and errorType (hubspot-api.md §9, §10),
	// which the document does not declare.
	errorBody = openObj(req("category", str()), req("correlationId", str()), req("message", str()),
		opt("context", contextMap), opt("errors", arr(errorDetail)), opt("links", stringMap), opt("subCategory", str()))

	valueWithTimestamp = obj(opt("sourceId", str()), opt("sourceLabel", str()), req("sourceType", str()),
		req("timestamp", dateTime()), opt("updatedByUserId", integer()), req("value", str()))
	objectWarning = obj(req("category", str()), req("context", stringMap), req("message", str()))

	// record is SimplePublicObject. The documents type property values as
	// strings; the contacts guide says requested properties without a
	// value come back as null (hubspot-api.md §2), so null is allowed.
	record = obj(req("archived", boolean()), opt("archivedAt", dateTime()), req("createdAt", dateTime()),
		req("id", str()), opt("objectWriteTraceId", str()), req("properties", mapOf(orNull(str()))),
		opt("propertiesWithHistory", mapOf(arr(valueWithTimestamp))), req("updatedAt", dateTime()),
		opt("url", str()), opt("warnings", arr(objectWarning)))
	upsertRecord = with(record, req("new", boolean()))
	nextPage     = obj(req("after", str()), opt("link", str()))
	prevPage     = obj(req("before", str()), opt("link", str()))
	fullPaging   = obj(opt("next", nextPage), opt("prev", prevPage))
	forwardPage  = obj(opt("next", nextPage))
	recordAssoc  = with(record, opt("associations", mapOf(obj(opt("paging", fullPaging),
		req("results", arr(obj(req("id", str()), req("type", str()))))))))

	assocSpec = obj(req("associationCategory", category), req("associationTypeId", integer()))
	// Association answers: the documents type fromObjectId and toObjectId
	// as strings, HubSpot's guide shows (and portals send) numbers
	// (hubspot-api.md §4), so both are allowed. An unlabelled type's label
	// is null in the guide's examples, a string in the documents.
	labelsPair     = obj(req("fromObjectId", strOrInt()), req("fromObjectTypeId", str()), req("labels", arr(str())), req("toObjectId", strOrInt()), req("toObjectTypeId", str()))
	defaultAssoc   = obj(req("associationSpec", assocSpec), req("from", idOnly), req("to", idOnly))
	specWithLabel  = obj(req("category", category), opt("fromObjectTypeId", str()), opt("label", orNull(str())), opt("toObjectTypeId", str()), req("typeId", integer()))
	multiAssocWith = obj(req("associationTypes", arr(specWithLabel)), req("toObjectId", strOrInt()))

	optionOut = obj(opt("description", str()), opt("displayOrder", integer()), req("hidden", boolean()), req("label", str()), req("value", str()))
	optionIn  = obj(opt("description", str()), opt("displayOrder", integer()), req("hidden", boolean()), req("label", str()), req("value", str()))
	property  = obj(opt("archived", boolean()), opt("archivedAt", dateTime()), opt("calculated", boolean()),
		opt("calculationFormula", str()), opt("createdAt", dateTime()), opt("createdUserId", str()),
		opt("currencyPropertyName", str()), opt("dataSensitivity", enumOf("highly_sensitive", "non_sensitive", "sensitive")),
		opt("dateDisplayHint", enumOf("absolute", "absolute_with_relative", "time_since", "time_until")),
		req("description", str()), opt("displayOrder", integer()), opt("externalOptions", boolean()),
		req("fieldType", str()), opt("formField", boolean()), req("groupName", str()), opt("hasUniqueValue", boolean()),
		opt("hidden", boolean()), opt("hubspotDefined", boolean()), req("label", str()),
		opt("modificationMetadata", obj(req("archivable", boolean()), req("readOnlyDefinition", boolean()), opt("readOnlyOptions", boolean()), req("readOnlyValue", boolean()))),
		req("name", str()), opt("numberDisplayHint", numberHint), req("options", arr(optionOut)),
		opt("referencedObjectType", str()), opt("sensitiveDataCategories", arr(str())), opt("showCurrencySymbol", boolean()),
		opt("textDisplayHint", textHint), req("type", str()), opt("updatedAt", dateTime()), opt("updatedUserId", str()))
	numberHint     = enumOf("currency", "duration", "formatted", "percentage", "probability", "unformatted")
	textHint       = enumOf("domain_name", "email", "ip_address", "multi_line", "phone_number", "physical_address", "postal_code", "unformatted_single_line")
	propertyType   = enumOf("bool", "date", "datetime", "enumeration", "number", "phone_number", "string")
	propertyCreate = obj(opt("calculationFormula", str()), opt("currencyPropertyName", str()),
		opt("dataSensitivity", enumOf("highly_sensitive", "non_sensitive", "sensitive")), opt("description", str()),
		opt("displayOrder", integer()), opt("externalOptions", boolean()),
		req("fieldType", enumOf("booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html", "number", "phonenumber", "radio", "select", "text", "textarea")),
		opt("formField", boolean()), req("groupName", str()), opt("hasUniqueValue", boolean()), opt("hidden", boolean()),
		req("label", str()), req("name", str()), opt("numberDisplayHint", numberHint), opt("options", arr(optionIn)),
		opt("referencedObjectType", str()), opt("showCurrencySymbol", boolean()), opt("textDisplayHint", textHint),
		req("type", propertyType))
	// The 2026-03 document makes displayOrder required on property creation.
	propertyCreateDated = required(propertyCreate, "displayOrder")
	propertyGroup       = obj(req("archived", boolean()), req("displayOrder", integer()), req("label", str()), req("name", str()))
	// The 2026-03 document no longer requires a group's displayOrder.
	propertyGroupDated = with(propertyGroup, opt("displayOrder", integer()))

	schemaLabels = obj(opt("plural", str()), opt("singular", str()))
	assocDef     = obj(opt("createdAt", dateTime()), req("fromObjectTypeId", str()), req("id", str()), opt("name", str()), req("toObjectTypeId", str()), opt("updatedAt", dateTime()))
	objectSchema = obj(opt("allowsSensitiveProperties", boolean()), opt("archived", boolean()), req("associations", arr(assocDef)),
		opt("createdAt", dateTime()), opt("createdByUserId", integer()), opt("description", str()), opt("fullyQualifiedName", str()),
		req("id", str()), req("labels", schemaLabels), req("name", str()), opt("objectTypeId", str()),
		opt("primaryDisplayProperty", str()), req("properties", arr(property)), req("requiredProperties", arr(str())),
		opt("searchableProperties", arr(str())), opt("secondaryDisplayProperties", arr(str())),
		opt("updatedAt", dateTime()), opt("updatedByUserId", integer()))
	objectSchemaDated = required(objectSchema, "allowsSensitiveProperties", "archived", "fullyQualifiedName", "objectTypeId", "searchableProperties", "secondaryDisplayProperties")
	// A schema's properties are ObjectTypePropertyCreate, not PropertyCreate:
	// no dataSensitivity or calculation fields, and options need displayOrder.
	schemaPropertyCreate = obj(opt("description", str()), opt("displayOrder", integer()), opt("externalOptionsReferenceType", str()),
		req("fieldType", str()), opt("formField", boolean()), opt("groupName", str()), opt("hasUniqueValue", boolean()),
		opt("hidden", boolean()), req("label", str()), req("name", str()), opt("numberDisplayHint", numberHint),
		opt("optionSortStrategy", enumOf("ALPHABETICAL", "DISPLAY_ORDER")), opt("options", arr(required(optionIn, "displayOrder"))),
		opt("referencedObjectType", str()), opt("searchableInGlobalSearch", boolean()), opt("showCurrencySymbol", boolean()),
		opt("textDisplayHint", textHint), req("type", propertyType))
	schemaEgg = obj(opt("allowsSensitiveProperties", boolean()), req("associatedObjects", arr(str())), opt("description", str()),
		req("labels", schemaLabels), req("name", str()), opt("primaryDisplayProperty", str()),
		req("properties", arr(schemaPropertyCreate)), req("requiredProperties", arr(str())),
		opt("searchableProperties", arr(str())), opt("secondaryDisplayProperties", arr(str())),
		opt("shouldCreateSameObjectAssociation", boolean()))
	schemaEggDated = required(schemaEgg, "allowsSensitiveProperties", "searchableProperties", "secondaryDisplayProperties", "shouldCreateSameObjectAssociation")
	schemaPatch    = obj(opt("allowsSensitiveProperties", boolean()), opt("clearDescription", boolean()), opt("description", str()),
		opt("labels", schemaLabels), opt("primaryDisplayProperty", str()), opt("requiredProperties", arr(str())),
		opt("restorable", boolean()), opt("searchableProperties", arr(str())), opt("secondaryDisplayProperties", arr(str())))
	schemaPatchDated = required(schemaPatch, "clearDescription")
	objectTypeDef    = obj(opt("allowsSensitiveProperties", boolean()), opt("archived", boolean()), opt("createdAt", dateTime()),
		opt("description", str()), opt("fullyQualifiedName", str()), req("id", str()), req("labels", schemaLabels),
		req("name", str()), opt("objectTypeId", str()), opt("portalId", integer()), opt("primaryDisplayProperty", str()),
		req("requiredProperties", arr(str())), opt("searchableProperties", arr(str())), opt("secondaryDisplayProperties", arr(str())),
		opt("updatedAt", dateTime()))
	objectTypeDefDated = required(objectTypeDef, "allowsSensitiveProperties", "archived", "fullyQualifiedName", "objectTypeId", "searchableProperties", "secondaryDisplayProperties")

	labelLimitType = obj(req("objectTypeId", str()), req("pluralLabel", str()), req("singularLabel", str()))
)

// batchOf is a batch response envelope holding results of shape r.
func batchOf(r *shape) *shape {
	return obj(req("completedAt", dateTime()), opt("links", stringMap), opt("requestedAt", dateTime()),
		req("results", arr(r)), req("startedAt", dateTime()), req("status", batchStatus))
}

// withErrors is a batch envelope that also carries per-input errors.
func withErrors(b *shape) *shape {
	return with(b, opt("errors", arr(standardError)), opt("numErrors", integer()))
}

func inputs(in *shape) *shape   { return obj(req("inputs", arr(in))) }
func resultsOf(r *shape) *shape { return obj(req("results", arr(r))) }
func batch2xx(r *shape, ok int) map[int]*shape {
	return map[int]*shape{ok: batchOf(r), 207: withErrors(batchOf(r))}
}

// Query parameter shapes: arrays are comma-separated or repeated.
var (
	qBool  = boolean()
	qInt   = integer()
	qStr   = str()
	qArray = arr(str())
)

// contractOp is one operation of the digest.
type contractOp struct {
	id           string
	method       string
	v3, dated    string // path templates; dated is "" when no 2026-03 form is documented
	query        map[string]*shape
	request      *shape         // nil: no body
	requestDated *shape         // the 2026-03 body when it differs
	ok           map[int]*shape // documented 2xx statuses; a nil shape means no body
	okDated      map[int]*shape // the 2026-03 statuses when they differ
	// undocumented names the source of an operation that is in no OpenAPI
	// document of the collection (it is then checked against the digest only).
	undocumented string
}

func (o *contractOp) requestShape(dated bool) *shape {
	if dated && o.requestDated != nil {
		return o.requestDated
	}
	return o.request
}

func (o *contractOp) statuses(dated bool) map[int]*shape {
	if dated && o.okDated != nil {
		return o.okDated
	}
	return o.ok
}

var (
	getQuery  = map[string]*shape{"archived": qBool, "associations": qArray, "idProperty": qStr, "properties": qArray, "propertiesWithHistory": qArray}
	listQuery = map[string]*shape{"after": qStr, "archived": qBool, "associations": qArray, "limit": qInt, "properties": qArray, "propertiesWithHistory": qArray}
	propQuery = map[string]*shape{"archived": qBool, "dataSensitivity": enumOf("highly_sensitive", "non_sensitive", "sensitive"), "locale": qStr, "properties": qStr}
	schemaQry = map[string]*shape{"archived": qBool, "includeAssociationDefinitions": qBool, "includeAuditMetadata": qBool, "includePropertyDefinitions": qBool}
)

const (
	objV3, objDated     = "/crm/v3/objects/{objectType}", "/crm/objects/2026-03/{objectType}"
	asV4, asDated       = "/crm/v4/associations/{fromObjectType}/{toObjectType}", "/crm/associations/2026-03/{fromObjectType}/{toObjectType}"
	asObjV4, asObjDated = "/crm/v4/objects/{objectType}/{objectId}/associations", "/crm/objects/2026-03/{objectType}/{objectId}/associations"
	propV3, propDated   = "/crm/v3/properties/{objectType}", "/crm/properties/2026-03/{objectType}"
	schV3, schDated     = "/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas"
)

// searchRequest is PublicObjectSearchRequest. The documents require every
// field but query. They type sorts as an array of strings, which is wrong
// (hubspot-api.md §8: a sort is {propertyName, direction}); the digest uses
// the object form, and the real-spec check reports that one mismatch as a
// known erratum.
var searchRequest = obj(req("after", str()), req("filterGroups", arr(obj(req("filters", arr(obj(
	opt("highValue", str()),
	req("operator", enumOf("BETWEEN", "CONTAINS_TOKEN", "EQ", "GT", "GTE", "HAS_PROPERTY", "IN", "LT", "LTE", "NEQ", "NOT_CONTAINS_TOKEN", "NOT_HAS_PROPERTY", "NOT_IN")),
	req("propertyName", str()), opt("value", str()), opt("values", arr(str())))))))),
	req("limit", integer()), req("properties", arr(str())), opt("query", str()),
	req("sorts", arr(obj(req("propertyName", str()), req("direction", enumOf("ASCENDING", "DESCENDING"))))))

// contract is the digest, one row per operation.
var contract = []contractOp{
	// Objects (contacts, companies, listings 0-420, custom objects 2-…):
	// the generic, contacts, companies, listings and custom-object documents
	// give these the same shapes.
	{id: "objects.batch.upsert", method: "POST", v3: objV3 + "/batch/upsert", dated: objDated + "/batch/upsert",
		request: inputs(obj(req("id", str()), opt("idProperty", str()), opt("objectWriteTraceId", str()), req("properties", stringMap))),
		ok:      batch2xx(upsertRecord, 200)},
	{id: "objects.batch.create", method: "POST", v3: objV3 + "/batch/create", dated: objDated + "/batch/create",
		request: inputs(obj(req("associations", arr(obj(req("to", idOnly), req("types", arr(assocSpec))))),
			opt("objectWriteTraceId", str()), req("properties", stringMap))),
		ok: batch2xx(record, 201)},
	{id: "objects.batch.update", method: "POST", v3: objV3 + "/batch/update", dated: objDated + "/batch/update",
		request: inputs(obj(req("id", str()), opt("idProperty", str()), opt("objectWriteTraceId", str()), req("properties", stringMap))),
		ok:      batch2xx(record, 200)},
	{id: "objects.batch.read", method: "POST", v3: objV3 + "/batch/read", dated: objDated + "/batch/read",
		query:   map[string]*shape{"archived": qBool},
		request: obj(opt("idProperty", str()), req("inputs", arr(idOnly)), req("properties", arr(str())), req("propertiesWithHistory", arr(str()))),
		ok:      batch2xx(record, 200)},
	{id: "objects.batch.archive", method: "POST", v3: objV3 + "/batch/archive", dated: objDated + "/batch/archive",
		request: inputs(idOnly), ok: map[int]*shape{204: nil}},
	{id: "objects.get", method: "GET", v3: objV3 + "/{objectId}", dated: objDated + "/{objectId}",
		query: getQuery, ok: map[int]*shape{200: recordAssoc}},
	{id: "objects.list", method: "GET", v3: objV3, dated: objDated,
		query: listQuery, ok: map[int]*shape{200: obj(opt("paging", forwardPage), req("results", arr(recordAssoc)))}},
	{id: "objects.search", method: "POST", v3: objV3 + "/search", dated: objDated + "/search",
		request: searchRequest,
		ok:      map[int]*shape{200: obj(opt("paging", fullPaging), req("results", arr(record)), req("total", integer()))}},

	// Associations v4.
	{id: "associations.batch.create", method: "POST", v3: asV4 + "/batch/create", dated: asDated + "/batch/create",
		request: inputs(obj(req("from", idOnly), req("to", idOnly), req("types", arr(assocSpec)))),
		// Documented 201/207. Real portals have answered 200 since 2025
		// (hubspot-api.md §13.7); the client accepts any 2xx, the
		// simulator answers as documented.
		ok: batch2xx(labelsPair, 201)},
	{id: "associations.batch.default", method: "POST", v3: asV4 + "/batch/associate/default", dated: asDated + "/batch/associate/default",
		request: inputs(obj(req("from", idOnly), req("to", idOnly))),
		ok:      map[int]*shape{200: withErrors(batchOf(defaultAssoc))}},
	{id: "associations.batch.read", method: "POST", v3: asV4 + "/batch/read", dated: asDated + "/batch/read",
		request: inputs(obj(opt("after", str()), req("id", str()))),
		ok:      batch2xx(obj(req("from", idOnly), opt("paging", fullPaging), req("to", arr(multiAssocWith))), 200)},
	{id: "associations.batch.archive", method: "POST", v3: asV4 + "/batch/archive", dated: asDated + "/batch/archive",
		request: inputs(obj(req("from", idOnly), req("to", arr(idOnly)))),
		ok:      map[int]*shape{204: nil},
		// The 2026-03 document answers 200 with an (empty) batch envelope.
		okDated: map[int]*shape{200: withErrors(batchOf(openObj()))}},
	{id: "associations.batch.labels.archive", method: "POST", v3: asV4 + "/batch/labels/archive", dated: asDated + "/batch/labels/archive",
		request: inputs(obj(req("from", idOnly), req("to", idOnly), req("types", arr(assocSpec)))),
		ok:      map[int]*shape{204: nil},
		okDated: map[int]*shape{200: withErrors(batchOf(openObj()))}},
	{id: "associations.put.default", method: "PUT", v3: "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
		dated: "/crm/objects/2026-03/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
		ok:    map[int]*shape{200: withErrors(batchOf(defaultAssoc))}},
	{id: "associations.put", method: "PUT", v3: asObjV4 + "/{toObjectType}/{toObjectId}", dated: asObjDated + "/{toObjectType}/{toObjectId}",
		request: arr(assocSpec), ok: map[int]*shape{201: labelsPair}},
	{id: "associations.delete", method: "DELETE", v3: asObjV4 + "/{toObjectType}/{toObjectId}", dated: asObjDated + "/{toObjectType}/{toObjectId}",
		ok: map[int]*shape{204: nil}},
	{id: "associations.list", method: "GET", v3: asObjV4 + "/{toObjectType}", dated: asObjDated + "/{toObjectType}",
		query: map[string]*shape{"after": qStr, "limit": qInt},
		ok:    map[int]*shape{200: obj(opt("paging", forwardPage), req("results", arr(multiAssocWith)))}},
	// Labels: /crm/v4/associations/…/labels is documented by the older v4
	// rollout (typeId, label, category only, no inverseLabel); the current
	// one, at /crm/associations/v4/…, and 2026-03 add fromObjectTypeId,
	// toObjectTypeId and inverseLabel. The digest takes the current shapes.
	{id: "associations.labels.list", method: "GET", v3: asV4 + "/labels", dated: asDated + "/labels",
		ok: map[int]*shape{200: resultsOf(specWithLabel)}},
	{id: "associations.labels.create", method: "POST", v3: asV4 + "/labels", dated: asDated + "/labels",
		request: obj(opt("inverseLabel", str()), req("label", str()), req("name", str())),
		ok:      map[int]*shape{200: resultsOf(specWithLabel)}},
	{id: "limits.association.labels", method: "GET", v3: "/crm/v3/limits/associations/labels", dated: "/crm/limits/2026-03/associations/labels",
		query: map[string]*shape{"fromObjectTypeId": qStr, "toObjectTypeId": qStr},
		ok: map[int]*shape{200: resultsOf(obj(req("allLabels", arr(str())), req("fromObjectType", labelLimitType), req("limit", integer()),
			req("percentage", number()), req("toObjectType", labelLimitType), req("usage", integer())))}},

	// Properties and property groups.
	{id: "properties.list", method: "GET", v3: propV3, dated: propDated, query: propQuery,
		ok: map[int]*shape{200: resultsOf(property)}},
	{id: "properties.get", method: "GET", v3: propV3 + "/{propertyName}", dated: propDated + "/{propertyName}", query: propQuery,
		ok: map[int]*shape{200: property}},
	{id: "properties.create", method: "POST", v3: propV3, dated: propDated,
		request: propertyCreate, requestDated: propertyCreateDated, ok: map[int]*shape{201: property}},
	{id: "properties.batch.create", method: "POST", v3: propV3 + "/batch/create", dated: propDated + "/batch/create",
		request: inputs(propertyCreate), requestDated: inputs(propertyCreateDated), ok: batch2xx(property, 201)},
	{id: "properties.groups.list", method: "GET", v3: propV3 + "/groups", dated: propDated + "/groups",
		query: map[string]*shape{"locale": qStr},
		ok:    map[int]*shape{200: resultsOf(propertyGroup)}, okDated: map[int]*shape{200: resultsOf(propertyGroupDated)}},
	{id: "properties.groups.create", method: "POST", v3: propV3 + "/groups", dated: propDated + "/groups",
		request: obj(opt("displayOrder", integer()), req("label", str()), req("name", str())),
		ok:      map[int]*shape{201: propertyGroup}, okDated: map[int]*shape{201: propertyGroupDated}},

	// Custom-object schemas.
	{id: "schemas.list", method: "GET", v3: schV3, dated: schDated, query: schemaQry,
		ok: map[int]*shape{200: resultsOf(objectSchema)}, okDated: map[int]*shape{200: resultsOf(objectSchemaDated)}},
	{id: "schemas.get", method: "GET", v3: schV3 + "/{objectType}", dated: schDated + "/{objectType}", query: schemaQry,
		ok: map[int]*shape{200: objectSchema}, okDated: map[int]*shape{200: objectSchemaDated}},
	{id: "schemas.create", method: "POST", v3: schV3, dated: schDated,
		request: schemaEgg, requestDated: schemaEggDated,
		ok: map[int]*shape{201: objectSchema}, okDated: map[int]*shape{201: objectSchemaDated}},
	{id: "schemas.patch", method: "PATCH", v3: schV3 + "/{objectType}", dated: schDated + "/{objectType}",
		request: schemaPatch, requestDated: schemaPatchDated,
		ok: map[int]*shape{200: objectTypeDef}, okDated: map[int]*shape{200: objectTypeDefDated}},
	{id: "schemas.associations.create", method: "POST", v3: schV3 + "/{objectType}/associations", dated: schDated + "/{objectType}/associations",
		request: obj(req("fromObjectTypeId", str()), opt("name", str()), req("toObjectTypeId", str())),
		ok:      map[int]*shape{201: assocDef}},

	// Account endpoints.
	{id: "objectlibrary.enablement", method: "GET", v3: "/crm/v3/object-library/enablement/{objectTypeId}", dated: "/crm/object-library/2026-03/enablement/{objectTypeId}",
		ok: map[int]*shape{200: obj(req("enablement", boolean()))}},
	{id: "account.details", method: "GET", v3: "/account-info/v3/details", dated: "/account-info/2026-03/details",
		ok: map[int]*shape{200: obj(req("accountType", enumOf("APP_DEVELOPER", "DEVELOPER_TEST", "SANDBOX", "STANDARD")),
			req("additionalCurrencies", arr(str())), req("companyCurrency", str()), req("dataHostingLocation", str()),
			req("portalId", integer()), req("timeZone", str()), req("uiDomain", str()), req("utcOffset", str()),
			req("utcOffsetMilliseconds", integer()))}},
	{id: "account.usage.daily", method: "GET", v3: "/account-info/v3/api-usage/daily/private-apps", dated: "/account-info/2026-03/api-usage/daily/private-apps",
		ok: map[int]*shape{200: resultsOf(obj(req("collectedAt", dateTime()), req("currentUsage", integer()),
			req("fetchStatus", enumOf("CACHED", "FAILURE", "NOTFOUND", "SUCCESS", "TIMEOUT")), req("name", str()),
			opt("resetsAt", dateTime()), req("usageLimit", integer())))}},
	{id: "oauth.tokeninfo", method: "POST", v3: "/oauth/v2/private-apps/get/access-token-info",
		undocumented: "HubSpot's legacy private-app docs page (no OpenAPI document in the collection has it)",
		request:      obj(req("tokenKey", str())),
		ok:           map[int]*shape{200: openObj(req("hubId", integer()), req("scopes", arr(str())), opt("userId", integer()), opt("appId", integer()))}},
}
