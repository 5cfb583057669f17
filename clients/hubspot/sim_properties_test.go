package hubspot

import (
	"context"
	"slices"
	"strings"
	"testing"

	"b2h/clients/sim/hubspotsim"
)

// TestPropertyDefinitionsAndSensitivity: property definitions decode their
// options, modification metadata, sensitivity and HubSpot-defined flags; a
// highly sensitive property is created with DataSensitivity and listed only
// by ListSensitiveProperties.
func TestPropertyDefinitionsAndSensitivity(t *testing.T) {
	ctx := context.Background()
	scopes := append(slices.Clone(hubspotsim.DefaultScopes), hubspotsim.SensitiveScopes...)
	sim, url := startSim(t, hubspotsim.Options{Tier: hubspotsim.TierEnterprise, Scopes: scopes})
	c, _ := simClient(t, sim, url)
	bootstrapContacts(t, c)
	created, err := c.CreateProperty(ctx, "contacts", PropertyCreate{Name: "buildium_tax_id", Label: "Tax ID", Type: "string", FieldType: "text",
		GroupName: "buildium", DataSensitivity: SensitivityHigh})
	if err != nil || created.DataSensitivity != SensitivityHigh {
		t.Fatalf("%+v %v", created, err)
	}
	if _, err := c.CreateProperty(ctx, "contacts", PropertyCreate{Name: "buildium_status", Label: "Status", Type: "enumeration", FieldType: "select",
		GroupName: "buildium", Options: []PropertyOption{{Label: "Current", Value: "current"}, {Label: "Past", Value: "past", Hidden: true}}}); err != nil {
		t.Fatal(err)
	}
	all, err := c.ListProperties(ctx, "contacts")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Property{}
	for _, p := range all {
		byName[p.Name] = p
	}
	if _, listed := byName["buildium_tax_id"]; listed {
		t.Fatal("a highly sensitive property is listed among the non-sensitive ones")
	}
	st := byName["buildium_status"]
	if len(st.Options) != 2 || st.Options[1].Value != "past" || !st.Options[1].Hidden || st.HubSpotDefined || st.ModificationMetadata == nil || !st.ModificationMetadata.Archivable {
		t.Fatalf("buildium_status: %+v", st)
	}
	email, created2 := byName["email"], byName["createdate"]
	if !email.HubSpotDefined || email.ModificationMetadata == nil || email.ModificationMetadata.Archivable || !email.ModificationMetadata.ReadOnlyDefinition {
		t.Fatalf("email: %+v", email)
	}
	if !created2.ReadOnly() {
		t.Fatalf("createdate is writable: %+v", created2)
	}
	sens, err := c.ListSensitiveProperties(ctx, "contacts", SensitivityHigh)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range sens {
		names = append(names, p.Name)
		if p.DataSensitivity != SensitivityHigh {
			t.Fatalf("%s listed as highly sensitive with %q", p.Name, p.DataSensitivity)
		}
	}
	if !slices.Contains(names, "buildium_tax_id") {
		t.Fatalf("highly sensitive: %s", strings.Join(names, ", "))
	}
	// Below Enterprise, a sensitive property is refused (typed).
	pro, purl := startSim(t, hubspotsim.Options{})
	pc, _ := simClient(t, pro, purl)
	bootstrapContacts(t, pc)
	if _, err := pc.CreateProperty(ctx, "contacts", PropertyCreate{Name: "x_tax", Label: "X", Type: "string", FieldType: "text", GroupName: "buildium", DataSensitivity: SensitivityHigh}); !IsForbidden(err) {
		t.Fatalf("err = %v", err)
	}
}
