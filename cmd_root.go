package main

import (
	"github.com/spf13/cobra"
)

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
		RunE: func(cmd *cobra.Command, _ []string) error {
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
	pf.IntVar(&g.demoScale, "demo-scale", 300, "with --demo: number of generated tenants")
	pf.Uint64Var(&g.demoSeed, "demo-seed", 1, "with --demo: generator seed")
	pf.StringVar(&g.demoTier, "demo-tier", "professional", "with --demo: simulated HubSpot tier (free|starter|professional|enterprise)")
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
