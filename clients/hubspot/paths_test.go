package hubspot

import (
	"context"
	"testing"
)

// TestPathStyles pins every endpoint's path in both styles (hubspot-api.md
// §0: same shapes under /crm/v3|v4 and /crm/…/2026-03).
func TestPathStyles(t *testing.T) {
	ctx := context.Background()
	one := []UpsertInput{{ID: "1", IDProperty: "k"}}
	tests := []struct {
		name      string
		call      func(*Client) error
		method    string
		v3, dated string
		query     string
	}{
		{"upsert", func(c *Client) error { _, err := c.BatchUpsert(ctx, "contacts", one); return err }, "POST", "/crm/v3/objects/contacts/batch/upsert", "/crm/objects/2026-03/contacts/batch/upsert", ""},
		{"create", func(c *Client) error {
			_, err := c.BatchCreate(ctx, "0-420", []CreateInput{{}})
			return err
		}, "POST", "/crm/v3/objects/0-420/batch/create", "/crm/objects/2026-03/0-420/batch/create", ""},
		{"update", func(c *Client) error {
			_, err := c.BatchUpdate(ctx, "2-99", []UpdateInput{{ID: "1"}})
			return err
		}, "POST", "/crm/v3/objects/2-99/batch/update", "/crm/objects/2026-03/2-99/batch/update", ""},
		{"read", func(c *Client) error {
			_, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{"1"}, Archived: true})
			return err
		}, "POST", "/crm/v3/objects/contacts/batch/read", "/crm/objects/2026-03/contacts/batch/read", "archived=true"},
		{"archive", func(c *Client) error { return c.BatchArchive(ctx, "contacts", []string{"1"}) }, "POST", "/crm/v3/objects/contacts/batch/archive", "/crm/objects/2026-03/contacts/batch/archive", ""},
		{"get", func(c *Client) error {
			_, err := c.GetObjectByProperty(ctx, "contacts", "email", "a@b.c", []string{"email", "firstname"})
			return err
		}, "GET", "/crm/v3/objects/contacts/a@b.c", "/crm/objects/2026-03/contacts/a@b.c", "idProperty=email&properties=email%2Cfirstname"},
		{"list", func(c *Client) error {
			for _, err := range c.ListObjects(ctx, "0-420", nil) {
				return err
			}
			return nil
		}, "GET", "/crm/v3/objects/0-420", "/crm/objects/2026-03/0-420", "limit=100"},
		{"search", func(c *Client) error { _, err := c.Search(ctx, "contacts", SearchRequest{}); return err }, "POST", "/crm/v3/objects/contacts/search", "/crm/objects/2026-03/contacts/search", ""},
		{"properties", func(c *Client) error { _, err := c.ListProperties(ctx, "0-420"); return err }, "GET", "/crm/v3/properties/0-420", "/crm/properties/2026-03/0-420", ""},
		{"property", func(c *Client) error { _, err := c.GetProperty(ctx, "contacts", "email"); return err }, "GET", "/crm/v3/properties/contacts/email", "/crm/properties/2026-03/contacts/email", ""},
		{"create property", func(c *Client) error {
			_, err := c.CreateProperty(ctx, "contacts", PropertyCreate{Name: "x"})
			return err
		}, "POST", "/crm/v3/properties/contacts", "/crm/properties/2026-03/contacts", ""},
		{"batch properties", func(c *Client) error {
			_, err := c.BatchCreateProperties(ctx, "contacts", []PropertyCreate{{Name: "x"}})
			return err
		}, "POST", "/crm/v3/properties/contacts/batch/create", "/crm/properties/2026-03/contacts/batch/create", ""},
		{"groups", func(c *Client) error { _, err := c.ListPropertyGroups(ctx, "contacts"); return err }, "GET", "/crm/v3/properties/contacts/groups", "/crm/properties/2026-03/contacts/groups", ""},
		{"create group", func(c *Client) error {
			_, err := c.CreatePropertyGroup(ctx, "contacts", PropertyGroup{Name: "buildium"})
			return err
		}, "POST", "/crm/v3/properties/contacts/groups", "/crm/properties/2026-03/contacts/groups", ""},
		{"schemas", func(c *Client) error { _, err := c.ListSchemas(ctx); return err }, "GET", "/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas", ""},
		{"schema", func(c *Client) error { _, err := c.GetSchema(ctx, "p1_unit"); return err }, "GET", "/crm-object-schemas/v3/schemas/p1_unit", "/crm-object-schemas/2026-03/schemas/p1_unit", ""},
		{"create schema", func(c *Client) error { _, err := c.CreateSchema(ctx, SchemaCreate{Name: "unit"}); return err }, "POST", "/crm-object-schemas/v3/schemas", "/crm-object-schemas/2026-03/schemas", ""},
		{"schema association", func(c *Client) error {
			_, err := c.CreateSchemaAssociation(ctx, "2-9", "2-9", "0-420", "unit_to_listing")
			return err
		}, "POST", "/crm-object-schemas/v3/schemas/2-9/associations", "/crm-object-schemas/2026-03/schemas/2-9/associations", ""},
		{"labels", func(c *Client) error { _, err := c.ListAssociationLabels(ctx, "contacts", "2-9"); return err }, "GET", "/crm/v4/associations/contacts/2-9/labels", "/crm/associations/2026-03/contacts/2-9/labels", ""},
		{"create label", func(c *Client) error {
			_, err := c.CreateAssociationLabel(ctx, "contacts", "contacts", "Emergency contact", "emergency_contact", "")
			return err
		}, "POST", "/crm/v4/associations/contacts/contacts/labels", "/crm/associations/2026-03/contacts/contacts/labels", ""},
		{"assoc create", func(c *Client) error {
			_, err := c.BatchCreateAssociations(ctx, "contacts", "0-420", []AssociationInput{{From: "1", To: "2"}})
			return err
		}, "POST", "/crm/v4/associations/contacts/0-420/batch/create", "/crm/associations/2026-03/contacts/0-420/batch/create", ""},
		{"assoc default", func(c *Client) error {
			_, err := c.BatchCreateDefaultAssociations(ctx, "2-9", "0-420", []AssociationPair{{"1", "2"}})
			return err
		}, "POST", "/crm/v4/associations/2-9/0-420/batch/associate/default", "/crm/associations/2026-03/2-9/0-420/batch/associate/default", ""},
		{"assoc read", func(c *Client) error {
			_, err := c.BatchReadAssociations(ctx, "contacts", "0-420", []string{"1"})
			return err
		}, "POST", "/crm/v4/associations/contacts/0-420/batch/read", "/crm/associations/2026-03/contacts/0-420/batch/read", ""},
		{"assoc archive", func(c *Client) error {
			return c.BatchArchiveAssociations(ctx, "contacts", "0-420", []AssociationPair{{"1", "2"}})
		}, "POST", "/crm/v4/associations/contacts/0-420/batch/archive", "/crm/associations/2026-03/contacts/0-420/batch/archive", ""},
		{"assoc single", func(c *Client) error {
			_, err := c.CreateAssociation(ctx, "contacts", "1", "0-420", "2", nil)
			return err
		}, "PUT", "/crm/v4/objects/contacts/1/associations/0-420/2", "/crm/objects/2026-03/contacts/1/associations/0-420/2", ""},
		{"assoc single default", func(c *Client) error {
			_, err := c.CreateDefaultAssociation(ctx, "contacts", "1", "0-420", "2")
			return err
		}, "PUT", "/crm/v4/objects/contacts/1/associations/default/0-420/2", "/crm/objects/2026-03/contacts/1/associations/default/0-420/2", ""},
		{"labels archive", func(c *Client) error {
			return c.BatchArchiveAssociationLabels(ctx, "contacts", "0-420", []AssociationInput{{From: "1", To: "2"}})
		}, "POST", "/crm/v4/associations/contacts/0-420/batch/labels/archive", "/crm/associations/2026-03/contacts/0-420/batch/labels/archive", ""},
		{"enablement", func(c *Client) error { _, err := c.ListingsEnabled(ctx); return err }, "GET", "/crm/v3/object-library/enablement/0-420", "/crm/object-library/2026-03/enablement/0-420", ""},
		{"details", func(c *Client) error { _, err := c.AccountDetails(ctx); return err }, "GET", "/account-info/v3/details", "/account-info/2026-03/details", ""},
		{"daily usage", func(c *Client) error { _, err := c.DailyUsage(ctx); return err }, "GET", "/account-info/v3/api-usage/daily/private-apps", "/account-info/2026-03/api-usage/daily/private-apps", ""},
		{"token info", func(c *Client) error { _, err := c.TokenInfo(ctx); return err }, "POST", "/oauth/v2/private-apps/get/access-token-info", "/oauth/v2/private-apps/get/access-token-info", ""},
		{"label limits", func(c *Client) error { _, err := c.LabelLimits(ctx, "0-1", "2-9"); return err }, "GET", "/crm/v3/limits/associations/labels", "/crm/limits/2026-03/associations/labels", "fromObjectTypeId=0-1&toObjectTypeId=2-9"},
		{"probe", func(c *Client) error { return c.ProbeObjects(ctx, "0-420") }, "GET", "/crm/v3/objects/0-420", "/crm/objects/2026-03/0-420", "limit=1"},
		{"sensitive properties", func(c *Client) error {
			_, err := c.ListSensitiveProperties(ctx, "contacts", SensitivityHigh)
			return err
		}, "GET", "/crm/v3/properties/contacts", "/crm/properties/2026-03/contacts", "dataSensitivity=highly_sensitive"},
	}
	for _, style := range []PathStyle{PathV3, PathDated, PathStyle(-1)} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				srv := newCannedServer(t, reply(200, `{"status":"COMPLETE","results":[]}`))
				c, _ := newTestClient(t, srv, func(o *Options) {
					if style >= 0 {
						o.PathStyle = style
					}
				})
				if err := tt.call(c); err != nil {
					t.Fatal(err)
				}
				want := tt.v3
				if style != PathV3 { // the zero Options are dated
					want = tt.dated
				}
				r := srv.Requests()[0]
				if r.Method != tt.method || r.Path != want || r.RawQuery != tt.query {
					t.Fatalf("%s %s?%s, want %s %s?%s", r.Method, r.Path, r.RawQuery, tt.method, want, tt.query)
				}
			})
		}
	}
}
