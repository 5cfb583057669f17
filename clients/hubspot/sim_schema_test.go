package hubspot

import (
	"context"
	"slices"
	"testing"

	"b2h/clients/sim/hubspotsim"
)

func TestSimSchemasByTier(t *testing.T) {
	egg := SchemaCreate{
		Name: "unit", Labels: SchemaLabels{"Unit", "Units"}, PrimaryDisplayProperty: "unit_number",
		RequiredProperties: []string{"unit_number"}, SearchableProperties: []string{"unit_number"},
		Properties: []PropertyCreate{
			{Name: "unit_number", Label: "Unit number", Type: "string", FieldType: "text"},
			{Name: "buildium_unit_id", Label: "Buildium unit ID", Type: "string", FieldType: "text", HasUniqueValue: true},
		},
		AssociatedObjects: []string{"0-1", "0-420"},
	}
	ctx := context.Background()

	t.Run("professional answers 403", func(t *testing.T) {
		sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierProfessional, ListingsEnabled: true})
		c, _ := simClient(t, sim, url)
		if _, err := c.CreateSchema(ctx, egg); !IsForbidden(err) {
			t.Fatalf("err = %v", err)
		}
		if list, err := c.ListSchemas(ctx); err != nil || len(list) != 0 {
			t.Fatalf("%v %v", list, err)
		}
	})
	t.Run("enterprise creates the unit object", func(t *testing.T) {
		sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierEnterprise, ListingsEnabled: true, PortalID: 777})
		c, _ := simClient(t, sim, url)
		s, err := c.CreateSchema(ctx, egg)
		if err != nil {
			t.Fatal(err)
		}
		if s.ObjectTypeID != "2-"+s.ID || s.FullyQualifiedName != "p777_unit" || s.PrimaryDisplayProperty != "unit_number" {
			t.Fatalf("%+v", s)
		}
		if _, err := c.CreateSchema(ctx, egg); err == nil {
			t.Fatal("second schema with the same name accepted")
		} else if _, ok := IsConflict(err); !ok {
			t.Fatalf("second create: %v, want a conflict", err)
		}
		got, err := c.GetSchema(ctx, "p777_unit")
		if err != nil || got.ObjectTypeID != s.ObjectTypeID {
			t.Fatalf("%+v %v", got, err)
		}
		list, err := c.ListSchemas(ctx)
		if err != nil || len(list) != 1 {
			t.Fatalf("%v %v", list, err)
		}
		// Records live at the objectTypeId; upsert by the unique key.
		r, err := c.BatchUpsert(ctx, s.ObjectTypeID, []UpsertInput{{ID: "u1", IDProperty: "buildium_unit_id", Properties: map[string]string{"unit_number": "1A"}, ObjectWriteTraceID: "u1"}})
		if err != nil || len(r.Results) != 1 || !r.Results[0].IsNew() {
			t.Fatalf("%+v %v", r, err)
		}
		// The schema's associations have portal-specific types, found via labels.
		types, err := c.ListAssociationLabels(ctx, s.ObjectTypeID, "0-420")
		if err != nil || len(types) == 0 {
			t.Fatalf("%v %v", types, err)
		}
	})
}

func TestSimPropertiesAndGroups(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{ListingsEnabled: true})
	c, _ := simClient(t, sim, url)
	ctx := context.Background()
	if _, err := c.CreatePropertyGroup(ctx, "0-420", PropertyGroup{Name: "buildium", Label: "Buildium"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreatePropertyGroup(ctx, "0-420", PropertyGroup{Name: "buildium", Label: "Buildium"}); err == nil {
		t.Fatal("duplicate group accepted")
	}
	groups, err := c.ListPropertyGroups(ctx, "0-420")
	if err != nil || !slices.ContainsFunc(groups, func(g PropertyGroup) bool { return g.Name == "buildium" }) {
		t.Fatalf("%v %v", groups, err)
	}
	res, err := c.BatchCreateProperties(ctx, "0-420", []PropertyCreate{
		{Name: "buildium_property_id", Label: "Buildium property ID", Type: "string", FieldType: "text", GroupName: "buildium", HasUniqueValue: true},
		{Name: "buildium_total_units", Label: "Total units", Type: "number", FieldType: "number", GroupName: "buildium"},
	})
	if err != nil || len(res.Results) != 2 || res.NumErrors != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	p, err := c.GetProperty(ctx, "0-420", "buildium_property_id")
	if err != nil || !p.HasUniqueValue || p.GroupName != "buildium" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := c.CreateProperty(ctx, "0-420", PropertyCreate{Name: "buildium_property_id", Label: "x", Type: "string", FieldType: "text", GroupName: "buildium"}); err == nil {
		t.Fatal("duplicate property accepted")
	} else if _, ok := IsConflict(err); !ok {
		t.Fatalf("duplicate property: %v, want a conflict", err)
	}
	props, err := c.ListProperties(ctx, "0-420")
	if err != nil || !slices.ContainsFunc(props, func(p Property) bool { return p.Name == "hs_name" }) {
		t.Fatalf("hs_name missing from listing properties (%v)", err)
	}
	if _, err := c.GetProperty(ctx, "0-420", "no_such_property"); !IsNotFound(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestSimListingsEnablement(t *testing.T) {
	ctx := context.Background()
	for _, on := range []bool{true, false} {
		sim, url := startSim(t, hubspotsim.Options{ListingsEnabled: on})
		c, _ := simClient(t, sim, url)
		got, err := c.ListingsEnabled(ctx)
		if err != nil || got != on {
			t.Fatalf("enabled %v: got %v %v", on, got, err)
		}
		_, err = c.BatchCreate(ctx, "0-420", []CreateInput{{Properties: map[string]string{"hs_name": "12 Elm St"}}})
		if on && err != nil || !on && !IsForbidden(err) {
			t.Fatalf("enabled %v: create listing: %v", on, err)
		}
	}
}

func TestSimAccount(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierProfessional, PortalID: 31337, RateLimits: true})
	c, _ := simClient(t, sim, url, realTime)
	ctx := context.Background()
	d, err := c.AccountDetails(ctx)
	if err != nil || d.PortalID != 31337 || d.TimeZone == "" {
		t.Fatalf("%+v %v", d, err)
	}
	u, err := c.DailyUsage(ctx)
	if err != nil || u.UsageLimit != 625000 || u.CurrentUsage < 1 || !u.ResetsAt.After(u.CollectedAt) {
		t.Fatalf("%+v %v", u, err)
	}
	info, err := c.TokenInfo(ctx)
	if err != nil || info.HubID != 31337 || !info.HasScope("crm.schemas.custom.write") {
		t.Fatalf("%+v %v", info, err)
	}
	// The headers sized the limiter and tell the engine the tier.
	l := c.Limits()
	if !l.Known || l.Max != 190 || l.IntervalMs != 10000 || !l.DailyKnown || l.Daily != 625000 {
		t.Fatalf("%+v", l)
	}
	if r := c.Rate(); r.Max != 190 {
		t.Fatalf("rate %+v", r)
	}
}

// TestSimAssociationsAndLabels runs the lease flow: labels found or created
// by name, labelled associations written, read back, relabelled, removed.
func TestSimAssociationsAndLabels(t *testing.T) {
	for _, style := range []PathStyle{PathV3, PathDated} {
		name := map[PathStyle]string{PathV3: "v3", PathDated: "dated"}[style]
		t.Run(name, func(t *testing.T) {
			sim, url := startSim(t, hubspotsim.Options{ListingsEnabled: true})
			c, _ := simClient(t, sim, url, func(o *Options) { o.PathStyle = style })
			ctx := context.Background()

			current, err := c.CreateAssociationLabel(ctx, "contacts", "0-420", "Current tenant", "current_tenant", "Current tenancy")
			if err != nil || len(current) == 0 {
				t.Fatalf("%v %v", current, err)
			}
			if _, err := c.CreateAssociationLabel(ctx, "contacts", "0-420", "Current tenant", "current_tenant", ""); err == nil {
				t.Fatal("duplicate label accepted")
			}
			past, err := c.CreateAssociationLabel(ctx, "contacts", "0-420", "Past tenant", "past_tenant", "")
			if err != nil {
				t.Fatal(err)
			}
			labels, err := c.ListAssociationLabels(ctx, "contacts", "0-420")
			if err != nil {
				t.Fatal(err)
			}
			byLabel := map[string]AssociationType{}
			for _, l := range labels {
				byLabel[l.Label] = l
			}
			cur, ok := byLabel["Current tenant"]
			if !ok || cur.Category != AssociationUserDefined || cur.TypeID != current[0].TypeID || byLabel["Past tenant"].TypeID != past[0].TypeID {
				t.Fatalf("labels %+v", labels)
			}
			if _, ok := byLabel[""]; !ok {
				t.Fatalf("no unlabelled default type in %+v", labels)
			}

			listing, err := c.BatchCreate(ctx, "0-420", []CreateInput{{Properties: map[string]string{"hs_name": "12 Elm St"}}})
			if err != nil {
				t.Fatal(err)
			}
			lid := listing.Results[0].ID
			a := sim.SeedContact(map[string]string{"email": "a@example.com"})
			b := sim.SeedContact(map[string]string{"email": "b@example.com"})

			res, err := c.BatchCreateAssociations(ctx, "contacts", "0-420", []AssociationInput{
				{From: a, To: lid, Types: []AssociationTypeRef{cur.Ref()}},
				{From: b, To: lid, Types: []AssociationTypeRef{cur.Ref()}},
			})
			if err != nil || len(res.Results) != 2 || res.NumErrors != 0 {
				t.Fatalf("%+v %v", res, err)
			}
			// Default (unlabelled) associations need no type id.
			if _, err := c.BatchCreateDefaultAssociations(ctx, "contacts", "contacts", []AssociationPair{{a, b}}); err != nil {
				t.Fatal(err)
			}

			got, err := c.BatchReadAssociations(ctx, "0-420", "contacts", []string{lid})
			if err != nil {
				t.Fatal(err)
			}
			if len(got[lid]) != 2 {
				t.Fatalf("listing %s associated with %+v", lid, got[lid])
			}
			fromA, err := c.BatchReadAssociations(ctx, "contacts", "0-420", []string{a, b, "999"})
			if err != nil {
				t.Fatal(err)
			}
			if len(fromA[a]) != 1 || fromA[a][0].ToObjectID != lid || !hasLabel(fromA[a][0].Types, "Current tenant") {
				t.Fatalf("from a: %+v", fromA[a])
			}
			if fromA["999"] == nil || len(fromA["999"]) != 0 {
				t.Fatalf("999: %+v", fromA["999"])
			}

			// The lease ended: move a to Past tenant.
			if _, err := c.BatchCreateAssociations(ctx, "contacts", "0-420", []AssociationInput{{From: a, To: lid, Types: []AssociationTypeRef{past[0].Ref()}}}); err != nil {
				t.Fatal(err)
			}
			if err := c.BatchArchiveAssociationLabels(ctx, "contacts", "0-420", []AssociationInput{{From: a, To: lid, Types: []AssociationTypeRef{cur.Ref()}}}); err != nil {
				t.Fatal(err)
			}
			fromA, err = c.BatchReadAssociations(ctx, "contacts", "0-420", []string{a})
			if err != nil || len(fromA[a]) != 1 || hasLabel(fromA[a][0].Types, "Current tenant") || !hasLabel(fromA[a][0].Types, "Past tenant") {
				t.Fatalf("after relabel: %+v %v", fromA, err)
			}

			// Remove b entirely.
			if err := c.BatchArchiveAssociations(ctx, "contacts", "0-420", []AssociationPair{{b, lid}}); err != nil {
				t.Fatal(err)
			}
			fromB, err := c.BatchReadAssociations(ctx, "contacts", "0-420", []string{b})
			if err != nil || len(fromB[b]) != 0 {
				t.Fatalf("after archive: %+v %v", fromB, err)
			}
			if n := len(sim.Associations("contacts", "0-420")); n != 1 {
				t.Fatalf("simulator holds %d contact→listing associations, want 1", n)
			}
		})
	}
}

func hasLabel(types []AssociationType, label string) bool {
	return slices.ContainsFunc(types, func(t AssociationType) bool { return t.Label == label })
}

// TestSimPathStyles runs the core write path in both styles against the
// same simulator.
func TestSimPathStyles(t *testing.T) {
	sim, url := startSim(t, hubspotsim.Options{})
	v3, _ := simClient(t, sim, url)
	dated, _ := simClient(t, sim, url, func(o *Options) { o.PathStyle = PathDated })
	bootstrapContacts(t, v3)
	ctx := context.Background()
	for i, c := range []*Client{v3, dated} {
		r, err := c.BatchUpsert(ctx, "contacts", tenants(i*10, 3))
		if err != nil || len(r.Results) != 3 {
			t.Fatalf("client %d: %+v %v", i, r, err)
		}
		props, err := c.ListProperties(ctx, "contacts")
		if err != nil || !slices.ContainsFunc(props, func(p Property) bool { return p.Name == "buildium_tenant_id" }) {
			t.Fatalf("client %d: properties: %v", i, err)
		}
		read, err := c.BatchRead(ctx, "contacts", ReadRequest{IDs: []string{r.Results[0].ID}})
		if err != nil || len(read.Results) != 1 {
			t.Fatalf("client %d: read %+v %v", i, read, err)
		}
		if _, err := c.ListSchemas(ctx); err != nil {
			t.Fatalf("client %d: schemas: %v", i, err)
		}
	}
	st := sim.Stats()
	if st.ByKind["unknown"] != 0 || len(sim.Objects("contacts")) != 6 {
		t.Fatalf("%+v", st)
	}
}
