package hubspot

import (
	"fmt"
	"strconv"
)

// conformanceRows are run in order within each path style and share a
// confEnv: early rows create the properties, schema and records later rows
// use. A new operation is one more row (and one more digest entry).
var conformanceRows = concatRows(
	accountRows,
	propertyRows,
	schemaRows,
	objectRows("contacts", "buildium_tenant_id", contactProps),
	objectRows("0-420", "buildium_property_id", listingProps),
	objectRows("custom", "buildium_unit_id", unitProps),
	objectRows("companies", "buildium_owner_id", companyProps),
	associationRows,
	errorRows,
	archiveRows,
)

func concatRows(rows ...[]conformanceRow) []conformanceRow {
	var out []conformanceRow
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

var accountRows = []conformanceRow{
	{op: "account.details", name: "details", run: func(e *confEnv) error { _, err := e.c.AccountDetails(e.ctx); return err }},
	{op: "account.usage.daily", name: "daily usage", run: func(e *confEnv) error { _, err := e.c.DailyUsage(e.ctx); return err }},
	{op: "oauth.tokeninfo", name: "token info", run: func(e *confEnv) error { _, err := e.c.TokenInfo(e.ctx); return err }},
	{op: "objectlibrary.enablement", name: "listings", run: func(e *confEnv) error {
		on, err := e.c.ListingsEnabled(e.ctx)
		if err != nil {
			return err
		}
		return errIf(!on, "listings not enabled")
	}},
}

var propertyRows = []conformanceRow{
	{op: "properties.groups.create", name: "contacts", run: func(e *confEnv) error {
		_, err := e.c.CreatePropertyGroup(e.ctx, "contacts", PropertyGroup{Name: "buildium", Label: "Buildium"})
		return err
	}},
	{op: "properties.groups.create", name: "listings", run: func(e *confEnv) error {
		_, err := e.c.CreatePropertyGroup(e.ctx, "0-420", PropertyGroup{Name: "buildium", Label: "Buildium", DisplayOrder: 3})
		return err
	}},
	{op: "properties.groups.list", name: "contacts", run: func(e *confEnv) error {
		_, err := e.c.ListPropertyGroups(e.ctx, "contacts")
		return err
	}},
	{op: "properties.create", name: "unique text", run: func(e *confEnv) error {
		_, err := e.c.CreateProperty(e.ctx, "contacts", PropertyCreate{
			Name: "buildium_tenant_id", Label: "Buildium tenant ID", Type: "string", FieldType: "text",
			GroupName: "buildium", HasUniqueValue: true, Description: "The tenant's id in Buildium",
		})
		return err
	}},
	{op: "properties.create", name: "enumeration", run: func(e *confEnv) error {
		_, err := e.c.CreateProperty(e.ctx, "contacts", PropertyCreate{
			Name: "buildium_status", Label: "Buildium status", Type: "enumeration", FieldType: "select", GroupName: "buildium",
			Options: []PropertyOption{{Label: "Active", Value: "active", DisplayOrder: 1}, {Label: "Past", Value: "past", DisplayOrder: 2}},
		})
		return err
	}},
	{op: "properties.batch.create", name: "listings", run: func(e *confEnv) error {
		r, err := e.c.BatchCreateProperties(e.ctx, "0-420", []PropertyCreate{
			{Name: "buildium_property_id", Label: "Buildium property ID", Type: "string", FieldType: "text", GroupName: "buildium", HasUniqueValue: true},
			{Name: "buildium_total_units", Label: "Units", Type: "number", FieldType: "number", GroupName: "buildium", NumberDisplayHint: "unformatted"},
		})
		if err != nil {
			return err
		}
		return errIf(len(r.Results) != 2, "%d results", len(r.Results))
	}},
	{op: "properties.groups.create", name: "companies", run: func(e *confEnv) error {
		_, err := e.c.CreatePropertyGroup(e.ctx, "companies", PropertyGroup{Name: "buildium", Label: "Buildium"})
		return err
	}},
	{op: "properties.create", name: "companies unique key", run: func(e *confEnv) error {
		_, err := e.c.CreateProperty(e.ctx, "companies", PropertyCreate{
			Name: "buildium_owner_id", Label: "Buildium owner ID", Type: "string", FieldType: "text", GroupName: "buildium", HasUniqueValue: true,
		})
		return err
	}},
	{op: "properties.list", name: "contacts", run: func(e *confEnv) error { _, err := e.c.ListProperties(e.ctx, "contacts"); return err }},
	{op: "properties.list", name: "sensitive", run: func(e *confEnv) error {
		_, err := e.c.ListSensitiveProperties(e.ctx, "contacts", "sensitive")
		return err
	}},
	{op: "properties.get", name: "email", run: func(e *confEnv) error { _, err := e.c.GetProperty(e.ctx, "contacts", "email"); return err }},
}

var schemaRows = []conformanceRow{
	{op: "schemas.create", name: "unit", run: func(e *confEnv) error {
		s, err := e.c.CreateSchema(e.ctx, SchemaCreate{
			Name: "unit", Labels: SchemaLabels{"Unit", "Units"}, PrimaryDisplayProperty: "unit_number",
			RequiredProperties: []string{"unit_number"}, SearchableProperties: []string{"unit_number"},
			Properties: []PropertyCreate{
				{Name: "unit_number", Label: "Unit number", Type: "string", FieldType: "text"},
				{Name: "buildium_unit_id", Label: "Buildium unit ID", Type: "string", FieldType: "text", HasUniqueValue: true},
				{Name: "unit_kind", Label: "Kind", Type: "enumeration", FieldType: "select",
					Options: []PropertyOption{{Label: "Flat", Value: "flat", DisplayOrder: 1}, {Label: "House", Value: "house", DisplayOrder: 2}}},
			},
			AssociatedObjects: []string{"0-1", "0-420"},
		})
		e.custom = s.ObjectTypeID
		return err
	}},
	{op: "schemas.list", name: "all", run: func(e *confEnv) error { _, err := e.c.ListSchemas(e.ctx); return err }},
	{op: "schemas.get", name: "by fully qualified name", run: func(e *confEnv) error { _, err := e.c.GetSchema(e.ctx, "p4242_unit"); return err }},
	// The client has no schema PATCH yet: the simulator's answer is
	// checked through a raw request.
	{op: "schemas.patch", name: "simulator", run: func(e *confEnv) error {
		return e.raw("PATCH", e.stylePath("/crm-object-schemas/v3/schemas/", "/crm-object-schemas/{v}/schemas/")+e.custom,
			`{"labels":{"singular":"Rental unit","plural":"Rental units"},"searchableProperties":["unit_number","buildium_unit_id"],"clearDescription":false}`)
	}},
	{op: "schemas.associations.create", name: "unit to companies", run: func(e *confEnv) error {
		_, err := e.c.CreateSchemaAssociation(e.ctx, e.custom, e.custom, "0-2", "unit_to_company")
		return err
	}},
}

func contactProps(i int) map[string]string {
	n := strconv.Itoa(i)
	return map[string]string{"firstname": "Tenant", "lastname": "No " + n, "email": "tenant" + n + "@example.com", "buildium_status": "active"}
}

func listingProps(i int) map[string]string {
	return map[string]string{"hs_name": fmt.Sprintf("Property %d", i), "hs_city": "Springfield", "buildium_total_units": "4"}
}

// withoutEmail drops the unique email from an update: with VariantNoEcho
// the results' order is shuffled, so a record id may belong to another
// input's email.
func withoutEmail(p map[string]string) map[string]string {
	delete(p, "email")
	return p
}

func companyProps(i int) map[string]string {
	return map[string]string{"name": fmt.Sprintf("Owner %d LLC", i), "domain": fmt.Sprintf("owner%d.example.com", i)}
}

func unitProps(i int) map[string]string {
	return map[string]string{"unit_number": fmt.Sprintf("%dA", i), "unit_kind": "flat"}
}

// objectRows exercises every record operation on one object type ("custom"
// stands for the custom object the schema rows created), keyed by a unique
// property.
func objectRows(kind, key string, props func(int) map[string]string) []conformanceRow {
	typ := func(e *confEnv) string {
		if kind == "custom" {
			return e.custom
		}
		return kind
	}
	upserts := func(first, n int) []UpsertInput {
		in := make([]UpsertInput, n)
		for i := range in {
			id := strconv.Itoa(first + i)
			in[i] = UpsertInput{ID: id, IDProperty: key, Properties: props(first + i), ObjectWriteTraceID: kind + "-" + id}
		}
		return in
	}
	return []conformanceRow{
		{op: "objects.batch.upsert", name: kind, run: func(e *confEnv) error {
			r, err := e.c.BatchUpsert(e.ctx, typ(e), upserts(1, 3))
			if err != nil {
				return err
			}
			for _, o := range r.Results {
				e.ids[kind] = append(e.ids[kind], o.ID)
			}
			return errIf(len(r.Results) != 3, "%d results", len(r.Results))
		}},
		{op: "objects.batch.upsert", name: kind + " keys", run: func(e *confEnv) error {
			_, err := e.c.BatchUpsertKeys(e.ctx, typ(e), upserts(3, 2))
			return err
		}},
		{op: "objects.batch.create", name: kind, run: func(e *confEnv) error {
			p := props(10)
			p[key] = "10"
			r, err := e.c.BatchCreate(e.ctx, typ(e), []CreateInput{{Properties: p, ObjectWriteTraceID: "c10"}})
			if err != nil {
				return err
			}
			for _, o := range r.Results {
				e.ids[kind] = append(e.ids[kind], o.ID)
			}
			return nil
		}},
		{op: "objects.batch.update", name: kind, run: func(e *confEnv) error {
			_, err := e.c.BatchUpdate(e.ctx, typ(e), []UpdateInput{{ID: e.ids[kind][0], Properties: withoutEmail(props(1)), ObjectWriteTraceID: "u1"}})
			return err
		}},
		{op: "objects.batch.update", name: kind + " by unique property", run: func(e *confEnv) error {
			_, err := e.c.BatchUpdate(e.ctx, typ(e), []UpdateInput{{ID: "2", IDProperty: key, Properties: withoutEmail(props(2))}})
			return err
		}},
		{op: "objects.batch.read", name: kind + " by id", run: func(e *confEnv) error {
			_, err := e.c.BatchRead(e.ctx, typ(e), ReadRequest{IDs: e.ids[kind][:2], Properties: []string{key}})
			return err
		}},
		{op: "objects.batch.read", name: kind + " by unique property with a miss", run: func(e *confEnv) error {
			_, err := e.c.BatchRead(e.ctx, typ(e), ReadRequest{IDs: []string{"1", "999"}, IDProperty: key})
			return err
		}},
		{op: "objects.batch.read", name: kind + " archived", run: func(e *confEnv) error {
			_, err := e.c.BatchRead(e.ctx, typ(e), ReadRequest{IDs: e.ids[kind][:1], Archived: true})
			return err
		}},
		{op: "objects.get", name: kind + " by id", run: func(e *confEnv) error {
			_, err := e.c.GetObject(e.ctx, typ(e), e.ids[kind][0], []string{key})
			return err
		}},
		{op: "objects.get", name: kind + " by unique property", run: func(e *confEnv) error {
			_, err := e.c.GetObjectByProperty(e.ctx, typ(e), key, "1", nil)
			return err
		}},
		{op: "objects.list", name: kind, run: func(e *confEnv) error {
			for _, err := range e.c.ListObjects(e.ctx, typ(e), []string{key}) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{op: "objects.list", name: kind + " probe", run: func(e *confEnv) error { return e.c.ProbeObjects(e.ctx, typ(e)) }},
		{op: "objects.search", name: kind, run: func(e *confEnv) error {
			_, err := e.c.Search(e.ctx, typ(e), SearchRequest{
				FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: key, Operator: "IN", Values: []string{"1", "2"}}}}},
				Sorts:        []Sort{{PropertyName: key, Direction: "ASCENDING"}},
				Properties:   []string{key}, Limit: 10,
			})
			return err
		}},
		{op: "objects.search", name: kind + " bare", run: func(e *confEnv) error {
			_, err := e.c.Search(e.ctx, typ(e), SearchRequest{})
			return err
		}},
	}
}

var associationRows = []conformanceRow{
	{op: "associations.labels.list", name: "contact to listing", run: func(e *confEnv) error {
		_, err := e.c.ListAssociationLabels(e.ctx, "contacts", "0-420")
		return err
	}},
	{op: "limits.association.labels", name: "contact to listing", run: func(e *confEnv) error {
		_, err := e.c.LabelLimits(e.ctx, "0-1", "0-420")
		return err
	}},
	{op: "associations.labels.create", name: "tenant", run: func(e *confEnv) error {
		_, err := e.c.CreateAssociationLabel(e.ctx, "contacts", "0-420", "Tenant", "tenant", "Rented by")
		return err
	}},
	{op: "associations.batch.create", name: "labelled", run: func(e *confEnv) error {
		types, err := e.c.ListAssociationLabels(e.ctx, "contacts", "0-420")
		if err != nil {
			return err
		}
		var refs []AssociationTypeRef
		for _, t := range types {
			refs = append(refs, t.Ref())
		}
		_, err = e.c.BatchCreateAssociations(e.ctx, "contacts", "0-420", []AssociationInput{{From: e.ids["contacts"][0], To: e.ids["0-420"][0], Types: refs}})
		return err
	}},
	{op: "associations.batch.default", name: "unit to contact", run: func(e *confEnv) error {
		_, err := e.c.BatchCreateDefaultAssociations(e.ctx, e.custom, "contacts", []AssociationPair{{From: e.ids["custom"][0], To: e.ids["contacts"][1]}})
		return err
	}},
	{op: "associations.batch.read", name: "contact to listing", run: func(e *confEnv) error {
		_, err := e.c.BatchReadAssociations(e.ctx, "contacts", "0-420", e.ids["contacts"][:2])
		return err
	}},
	{op: "associations.batch.labels.archive", name: "contact to listing", run: func(e *confEnv) error {
		types, err := e.c.ListAssociationLabels(e.ctx, "contacts", "0-420")
		if err != nil {
			return err
		}
		var refs []AssociationTypeRef
		for _, t := range types {
			if t.Label != "" {
				refs = append(refs, t.Ref())
			}
		}
		return e.c.BatchArchiveAssociationLabels(e.ctx, "contacts", "0-420", []AssociationInput{{From: e.ids["contacts"][0], To: e.ids["0-420"][0], Types: refs}})
	}},
	{op: "associations.batch.archive", name: "contact to listing", run: func(e *confEnv) error {
		return e.c.BatchArchiveAssociations(e.ctx, "contacts", "0-420", []AssociationPair{{From: e.ids["contacts"][0], To: e.ids["0-420"][0]}})
	}},
	// Single association endpoints: b2h's client has no method for them;
	// the simulator's answers are checked all the same.
	{op: "associations.put.default", name: "simulator", run: func(e *confEnv) error {
		return e.raw("PUT", e.stylePath("/crm/v4/objects/contacts/", "/crm/objects/{v}/contacts/")+e.ids["contacts"][2]+"/associations/default/0-420/"+e.ids["0-420"][1], "")
	}},
	{op: "associations.put", name: "simulator", run: func(e *confEnv) error {
		return e.raw("PUT", e.stylePath("/crm/v4/objects/0-420/", "/crm/objects/{v}/0-420/")+e.ids["0-420"][1]+"/associations/contacts/"+e.ids["contacts"][0],
			`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":882}]`)
	}},
	{op: "associations.list", name: "simulator", run: func(e *confEnv) error {
		return e.raw("GET", e.stylePath("/crm/v4/objects/0-420/", "/crm/objects/{v}/0-420/")+e.ids["0-420"][1]+"/associations/contacts?limit=100", "")
	}},
	{op: "associations.delete", name: "simulator", run: func(e *confEnv) error {
		return e.raw("DELETE", e.stylePath("/crm/v4/objects/0-420/", "/crm/objects/{v}/0-420/")+e.ids["0-420"][1]+"/associations/contacts/"+e.ids["contacts"][0], "")
	}},
}

// errorRows check the simulator's error answers (the documents' default
// response) and that the client sends nothing undocumented on the way.
var errorRows = []conformanceRow{
	{op: "objects.get", name: "missing record", wantErr: true, run: func(e *confEnv) error {
		_, err := e.c.GetObject(e.ctx, "contacts", "999999999", nil)
		return err
	}},
	{op: "objects.batch.upsert", name: "duplicate ids", wantErr: true, run: func(e *confEnv) error {
		in := []UpsertInput{{ID: "7", IDProperty: "buildium_tenant_id", Properties: contactProps(7)}, {ID: "7", IDProperty: "buildium_tenant_id", Properties: contactProps(8)}}
		_, err := e.c.BatchUpsert(e.ctx, "contacts", in)
		return err
	}},
	{op: "objects.batch.upsert", name: "unknown property", wantErr: true, run: func(e *confEnv) error {
		_, err := e.c.BatchUpsert(e.ctx, "contacts", []UpsertInput{{ID: "1", IDProperty: "buildium_tenant_id", Properties: map[string]string{"no_such_property": "x"}}})
		return err
	}},
	{op: "objects.batch.upsert", name: "one bad input with trace ids", run: func(e *confEnv) error {
		bad := contactProps(21)
		bad["buildium_status"] = "no-such-option"
		r, err := e.c.BatchUpsert(e.ctx, "contacts", []UpsertInput{
			{ID: "20", IDProperty: "buildium_tenant_id", Properties: contactProps(20), ObjectWriteTraceID: "t20"},
			{ID: "21", IDProperty: "buildium_tenant_id", Properties: bad, ObjectWriteTraceID: "t21"},
		})
		if err != nil {
			return err
		}
		return errIf(r.HTTPStatus != 207 || len(r.Errors) != 1, "status %d, %d errors", r.HTTPStatus, len(r.Errors))
	}},
	{op: "properties.groups.create", name: "existing group", wantErr: true, run: func(e *confEnv) error {
		_, err := e.c.CreatePropertyGroup(e.ctx, "contacts", PropertyGroup{Name: "buildium", Label: "Buildium"})
		return err
	}},
}

var archiveRows = []conformanceRow{
	{op: "objects.batch.archive", name: "listings", run: func(e *confEnv) error {
		return e.c.BatchArchive(e.ctx, "0-420", e.ids["0-420"][2:])
	}},
}
