package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"b2h/clients/sim"
)

func newDemoCmd(g *globals) *cobra.Command {
	demo := &cobra.Command{Use: "demo", Short: "Simulators for rehearsals and load tests"}
	var o sim.Options
	var limits string
	serve := &cobra.Command{
		Use:   "serve",
		Short: "Run the Buildium and HubSpot simulators on loopback until interrupted",
		Long: `Serve starts both simulators on 127.0.0.1 and prints, once ready, the five
lines BUILDIUM_URL=…, BUILDIUM_CLIENT_ID=…, BUILDIUM_CLIENT_SECRET=…, HUBSPOT_URL=…,
HUBSPOT_ACCESS_TOKEN=…; eval them in a shell and point b2h (or curl) at them.
HubSpot starts as an empty account; --scale 0 leaves Buildium empty.`,
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
			if o.Scale < 0 {
				return usageErr("--scale must be 0 or more")
			}
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
	f.IntVar(&o.Scale, "scale", 300, "number of generated tenants (with properties, units, leases in proportion)")
	f.Uint64Var(&o.Seed, "seed", 1, "generator seed (same seed, same portfolio)")
	f.StringVar(&o.Tier, "tier", "professional", "HubSpot tier: free, starter, professional, enterprise")
	f.BoolVar(&o.NoListings, "no-listings", false, "the HubSpot Listings object is not activated")
	f.StringVar(&o.Faults, "faults", "", "fault SPEC, e.g. 429=0.1,5xx=0.05,reset=0.02,latency=20ms,daily=5000")
	f.StringVar(&o.BuildiumData, "buildium-data", "", "load rentals.json, units.json, tenants.json, leases.json from DIR instead of generating")
	f.StringVar(&limits, "rate-limits", "real", "real or off")
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
			fmt.Fprintln(cmd.OutOrStdout())
		},
	}
}
