package main

import (
	"os"
	"strings"

	"github.com/spf13/cobra"

	"b2h/clients/hubspot"
	"b2h/clients/sim/hubspotsim"
)

// hubspotAPIEnv is the environment variable behind --hubspot-api.
const hubspotAPIEnv = "B2H_HUBSPOT_API"

// hubspotAPIOf returns the HubSpot path style and date version in force:
// --hubspot-api, else $B2H_HUBSPOT_API, else the dated default.
func hubspotAPIOf(g *globals) (hubspot.PathStyle, string, error) {
	v := firstNonEmpty(g.hubspotAPI, os.Getenv(hubspotAPIEnv))
	style, version, err := hubspot.ParseAPIVersion(v)
	if err != nil {
		return 0, "", usageErr("--hubspot-api / %s: %v", hubspotAPIEnv, strings.TrimPrefix(err.Error(), "hubspot: "))
	}
	return style, version, nil
}

// applyHubSpotAPI sets the path style and version in force on o (checked
// before any command runs).
func applyHubSpotAPI(g *globals, o *hubspot.Options) {
	o.PathStyle, o.APIVersion, _ = hubspotAPIOf(g)
}

// demoVariantsOf parses --demo-hubspot-variant.
func demoVariantsOf(g *globals) ([]hubspotsim.Variant, error) {
	vs, err := hubspotsim.ParseVariants(g.demoVariants)
	if err != nil {
		return nil, usageErr("--demo-hubspot-variant: %v", err)
	}
	return vs, nil
}

// variantNames lists the simulator's answer variants for help texts.
func variantNames() string {
	names := make([]string, len(hubspotsim.Variants))
	for i, v := range hubspotsim.Variants {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// globals are the flags every command shares (DESIGN.md §6).
type globals struct {
	statePath       string
	buildiumURL     string
	buildiumSandbox bool
	hubspotURL      string
	mappingFile     string
	demo            bool
	demoScale       int
	demoSeed        uint64
	demoTier        string
	demoVariants    string // --demo-hubspot-variant
	hubspotAPI      string // --hubspot-api
	allowHTTP       bool
	logFile         string
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "b2h",
		Short: "Migrate Buildium into HubSpot CRM and keep them in step",
		Long: `b2h moves a property company's Buildium data into HubSpot CRM:
tenants → contacts, rental properties → listings, units → a custom "unit"
object (or listings), leases → labelled associations, emergency contacts →
associated contacts. Run it with no command for the guided terminal UI,
or with --demo to rehearse against built-in simulators.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// Settings every command reads are checked before it runs, so a
		// typo fails as a usage error, not halfway through a sync.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if err := intInRange("--demo-scale", g.demoScale, 0, maxDemoScale); err != nil {
				return err
			}
			if _, _, err := hubspotAPIOf(g); err != nil {
				return err
			}
			_, err := demoVariantsOf(g)
			return err
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The terminal UI builds its HubSpot client from the
			// environment: --hubspot-api reaches it as B2H_HUBSPOT_API.
			if g.hubspotAPI != "" {
				if err := os.Setenv(hubspotAPIEnv, g.hubspotAPI); err != nil {
					return err
				}
			}
			return runTUI(cmd, g)
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.statePath, "state", "", "state file (default $XDG_STATE_HOME/b2h/state.db; a temporary one with --demo)")
	pf.StringVar(&g.buildiumURL, "buildium-url", "", "Buildium API base URL (default https://api.buildium.com)")
	pf.BoolVar(&g.buildiumSandbox, "buildium-sandbox", false, "use Buildium's sandbox host (https://apisandbox.buildium.com)")
	pf.StringVar(&g.hubspotURL, "hubspot-url", "", "HubSpot API base URL (default https://api.hubapi.com)")
	pf.StringVar(&g.mappingFile, "mapping", "", "mapping file (YAML) overriding the default field mapping")
	pf.BoolVar(&g.demo, "demo", false, "run against fresh in-process Buildium and HubSpot simulators (no accounts needed)")
	pf.IntVar(&g.demoScale, "demo-scale", 300, "with --demo: number of generated tenants (0 to 1000000)")
	pf.Uint64Var(&g.demoSeed, "demo-seed", 1, "with --demo: generator seed")
	pf.StringVar(&g.demoTier, "demo-tier", "professional", "with --demo: simulated HubSpot tier (free|starter|professional|enterprise)")
	pf.StringVar(&g.demoVariants, "demo-hubspot-variant", "", "with --demo: real-portal answer shapes the HubSpot simulator plays, comma-separated ("+variantNames()+")")
	pf.StringVar(&g.hubspotAPI, "hubspot-api", "", "HubSpot API paths: "+hubspot.DefaultAPIVersion+" (date-based, the default) or v3 (/crm/v3, /crm/v4: unsupported by HubSpot from 2027); default $"+hubspotAPIEnv+" or "+hubspot.DefaultAPIVersion)
	pf.BoolVar(&g.allowHTTP, "allow-insecure-http", false, "allow plain-http API URLs outside loopback (never needed in production)")
	pf.StringVar(&g.logFile, "log-file", "", "log file (default b2h.log beside the state file)")

	root.AddCommand(
		newSyncCmd(g),
		newPlanCmd(g),
		newDemoCmd(g),
		newStateCmd(g),
		newMappingCmd(g),
		newReviewCmd(g),
		newReportCmd(g),
		newVerifyCmd(g),
		newVersionCmd(),
		newUndoCmd(g),
		newDoctorCmd(g),
		newDocsCmd(),
	)
	if err := registerFlagCompletions(root); err != nil {
		panic(err) // a flag named in the completion table does not exist: a programming error
	}
	return root
}
