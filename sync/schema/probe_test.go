package schema_test

import (
	"testing"

	"b2h/clients/hubspot"
	"b2h/clients/sim/hubspotsim"
	"b2h/sync/schema"
)

// TestProbeEveryTierAndVariant reads each simulated tier under each answer
// variant: the probe never fails on a refusal, never takes the tier from
// the daily quota, and Decide gives each tier the layout HubSpot allows it.
func TestProbeEveryTierAndVariant(t *testing.T) {
	want := map[hubspotsim.Tier]struct{ assoc, tier string }{
		hubspotsim.TierFree:         {schema.AssocDefault, "free or starter"},
		hubspotsim.TierStarter:      {schema.AssocDefault, "free or starter"},
		hubspotsim.TierProfessional: {schema.AssocLabelled, "professional or enterprise"},
		hubspotsim.TierEnterprise:   {schema.AssocLabelled, "professional or enterprise"},
	}
	for _, tier := range []hubspotsim.Tier{hubspotsim.TierFree, hubspotsim.TierStarter, hubspotsim.TierProfessional, hubspotsim.TierEnterprise} {
		for _, v := range append([]hubspotsim.Variant{""}, hubspotsim.Variants...) {
			t.Run(string(tier)+"/"+string(v), func(t *testing.T) {
				var vs []hubspotsim.Variant
				if v != "" {
					vs = []hubspotsim.Variant{v}
				}
				srv := hubspotsim.New(hubspotsim.Options{Tier: tier, ListingsEnabled: true, Variants: vs})
				url, err := srv.Start()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(srv.Close)
				hs, err := hubspot.New(hubspot.Options{BaseURL: url, Token: srv.Token()})
				if err != nil {
					t.Fatal(err)
				}
				f, err := schema.Probe(t.Context(), hs)
				if err != nil {
					t.Fatalf("probe: %v", err)
				}
				d := schema.Decide(f, schema.Prior{})
				if d.AssocMode != want[tier].assoc || d.Tier != want[tier].tier {
					t.Errorf("associations %q, tier %q; want %q, %q (%s; %s)", d.AssocMode, d.Tier, want[tier].assoc, want[tier].tier, d.AssocReason, d.TierHow)
				}
				if f.Listings != schema.Available {
					t.Errorf("listings %v, want available", f.Listings)
				}
				if f.PortalID == "" {
					t.Errorf("no portal id (unchecked: %v)", f.Unchecked)
				}
				if v == hubspotsim.VariantNoLegacy && f.ScopesKnown {
					t.Errorf("scopes known although token info is absent")
				}
				if !f.DailyKnown && v != hubspotsim.VariantNoLegacy {
					t.Errorf("daily budget unknown: %v", f.Unchecked)
				}
			})
		}
	}
}
