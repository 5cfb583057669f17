package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"b2h/clients/sim"
	"b2h/clients/sim/hubspotsim"
)

func newDemoCmd(g *globals) *cobra.Command {
	demo := &cobra.Command{Use: "demo", Short: "Simulators for rehearsals and load tests"}
	var o sim.Options
	var limits, variants string
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Run the Buildium and HubSpot simulators on loopback until interrupted",
		Long: `Serve starts both simulators on 127.0.0.1 and prints, once ready, the five
lines BUILDIUM_URL=…, BUILDIUM_CLIENT_ID=…, BUILDIUM_CLIENT_SECRET=…, HUBSPOT_URL=…,
HUBSPOT_ACCESS_TOKEN=…; eval them in a shell and point b2h (or curl) at them.
HubSpot starts as an empty account; --scale 0 leaves Buildium empty.

--hubspot-variant makes the HubSpot simulator answer as some real portals
do rather than by its default reading of the docs (several may be given,
comma-separated):
  batch-409       a contact write whose email another contact holds fails
                  the whole batch with 409 "Contact already exists.
                  Existing ID: N", even with trace ids
  spec-errors     error bodies in the OpenAPI shape: subCategory objects,
                  context arrays, errors[] with code and in, links; 429s in
                  the standard shape with the policy name off the top level
  no-echo         batch write results carry no objectWriteTraceId and no
                  idProperty value, in shuffled order
  no-legacy       a service key: token info answers 404, daily API usage 403
  dated-only      after the sunset: /crm/v3, /crm/v4, /crm/associations/v4
                  and /crm-object-schemas/v3 answer 404
  edited-options  built-in dropdowns have edited options`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch limits {
			case "real":
				o.RateLimits = true
			case "off":
				o.RateLimits = false
			default:
				return usageErr("--rate-limits must be real or off")
			}
			if err := intInRange("--scale", o.Scale, 0, maxDemoScale); err != nil {
				return err
			}
			vs, err := hubspotsim.ParseVariants(variants)
			if err != nil {
				return usageErr("--hubspot-variant: %v", err)
			}
			o.HubSpotVariants = vs
			o.Now = time.Now // generated lease dates are relative to today
			env, err := sim.Start(o)
			if err != nil {
				return usageErr("%v", err)
			}
			defer env.Close()
			if err := env.WriteEnv(cmd.OutOrStdout()); err != nil {
				return err
			}
			<-cmd.Context().Done()
			fmt.Fprintf(cmd.ErrOrStderr(), "simulators stopped at %s\n", time.Now().Format(time.TimeOnly))
			return nil
		},
	}
	f := serve.Flags()
	f.IntVar(&o.Scale, "scale", 300, "number of generated tenants (with properties, units, leases in proportion), 0 to 1000000")
	f.Uint64Var(&o.Seed, "seed", 1, "generator seed (same seed, same portfolio)")
	f.StringVar(&o.Tier, "tier", "professional", "HubSpot tier: free, starter, professional, enterprise")
	f.BoolVar(&o.NoListings, "no-listings", false, "the HubSpot Listings object is not activated")
	f.StringVar(&o.Faults, "faults", "", "fault SPEC, e.g. 429=0.1,5xx=0.05,reset=0.02,latency=20ms,daily=5000; Buildium list shapes: buildium.short=50 (pages 50 short), buildium.shortfor=3 (only the first 3 list requests), buildium.odd=all or null+zero+negative+stringid+bigid+emergency")
	f.StringVar(&o.BuildiumData, "buildium-data", "", "load rentals.json, units.json, tenants.json, leases.json from DIR instead of generating")
	f.StringVar(&limits, "rate-limits", "real", "real or off")
	f.StringVar(&variants, "hubspot-variant", "", "real-portal answer shapes the HubSpot simulator plays, comma-separated ("+variantNames()+")")
	demo.AddCommand(serve)
	return demo
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print build information",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintf(cmd.OutOrStdout(), "b2h %s", version)
			if commit != "" {
				fmt.Fprintf(cmd.OutOrStdout(), " (%s, %s)", commit, date)
			}
			// The toolchain and platform, for a bug report.
			fmt.Fprintf(cmd.OutOrStdout(), " %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		},
	}
}
