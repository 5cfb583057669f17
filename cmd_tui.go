package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"b2h/clients/sim/fault"
	"b2h/clients/sim/gen"
	"b2h/report"
	"b2h/state"
	"b2h/sync/mapping"
	"b2h/tui"
	"b2h/tui/theme"
)

// demoFaultsEnv names the environment variable that injects faults into
// the demo's simulators (the SPEC of `b2h demo serve --faults`), e.g.
// B2H_DEMO_FAULTS=429=0.1,5xx=0.05 to watch the Sync screen retry.
const demoFaultsEnv = "B2H_DEMO_FAULTS"

// demoLatency is added to every demo request so the Sync screen can be
// watched: real HubSpot batch writes take a few hundred milliseconds, the
// simulator answers in microseconds.
const demoLatency = "hubspot.latency=150ms,buildium.latency=30ms"

// runTUI starts the guided terminal UI. Without a terminal it explains the
// headless commands instead (DESIGN.md §7: plain output without a TTY).
func runTUI(cmd *cobra.Command, g *globals) error { return startTUI(cmd, g, false) }

// startTUI starts the terminal UI, on the Review screen when review is set
// (b2h review in a terminal).
func startTUI(cmd *cobra.Command, g *globals, review bool) error {
	if !isTerminal(os.Stdin) || !isTerminal(os.Stdout) {
		fmt.Fprintln(cmd.OutOrStdout(), "b2h: no terminal, so no guided UI. The same steps, headless:\n"+
			"  b2h sync --dry-run        the plan: what a sync would do, record by record\n"+
			"  b2h sync --full --yes     run it (b2h sync --json for JSON Lines)\n"+
			"  b2h sync --incremental    only what changed since the last sync\n"+
			"See b2h --help; add --demo to rehearse against built-in simulators.")
		return nil
	}
	override, err := mappingOverride(g)
	if err != nil {
		return err
	}
	deps := tui.Deps{Demo: g.demo, MappingOverride: override, StartReview: review,
		NoColor: theme.NoColorEnv(os.Environ()), Sources: map[string]tui.Source{}}
	var allowHTTP bool
	if g.demo {
		s, err := openSession(g, cmd.ErrOrStderr())
		if err != nil {
			return err
		}
		defer s.Close()
		spec := demoLatency
		if v := os.Getenv(demoFaultsEnv); v != "" {
			spec = v
		}
		if err := setDemoFaults(s, spec); err != nil {
			return err
		}
		env := s.env
		deps.Credentials = tui.Credentials{BuildiumURL: env.BuildiumURL, BuildiumClientID: env.BuildiumClientID,
			BuildiumClientSecret: env.BuildiumClientSecret, HubSpotURL: env.HubSpotURL, HubSpotToken: env.HubSpotToken}
		for _, f := range []string{"BuildiumClientID", "BuildiumClientSecret", "HubSpotToken"} {
			deps.Sources[f] = tui.SourceDemo
		}
		deps.Store, deps.Logger = s.st, s.logger
		seed := g.demoSeed
		deps.Activity = func() (string, error) {
			seed++
			return describeMutation(env.Buildium.Mutate(0.05, seed)), nil
		}
		allowHTTP = true // loopback simulators
	} else {
		c := envCredentials(g)
		if err := checkURL("--buildium-url", c.BuildiumURL, g.allowHTTP); err != nil {
			return err
		}
		if err := checkURL("--hubspot-url", c.HubSpotURL, g.allowHTTP); err != nil {
			return err
		}
		deps.Credentials = tui.Credentials{BuildiumURL: c.BuildiumURL, BuildiumClientID: c.BuildiumClientID,
			BuildiumClientSecret: c.BuildiumClientSecret, HubSpotURL: c.HubSpotURL, HubSpotToken: c.HubSpotToken}
		for f, v := range map[string]string{"BuildiumClientID": c.BuildiumClientID, "BuildiumClientSecret": c.BuildiumClientSecret, "HubSpotToken": c.HubSpotToken} {
			if v != "" {
				deps.Sources[f] = tui.SourceEnv
			}
		}
		st, err := state.Open(state.Options{Path: g.statePath})
		if err != nil {
			return err
		}
		defer st.Close()
		deps.Store, deps.Logger = st, openLogger(g, st.Path(), cmd.ErrOrStderr())
		deps.Keyring = tui.OSKeyring{}
		allowHTTP = g.allowHTTP
	}
	deps.TempState = g.demo && g.statePath == ""
	if src, ok := deps.Store.(report.Source); ok {
		deps.WriteReport = func(jobID string) (string, error) { return writeJobReport(src, jobID) }
	}
	logger, ua, api := deps.Logger, "b2h/"+version, g.hubspotAPI
	deps.Connect = func(ctx context.Context, c tui.Credentials) (*tui.Accounts, error) {
		return tui.Dial(ctx, c, tui.DialOptions{Logger: logger, UserAgent: ua, AllowHTTP: allowHTTP, HubSpotAPI: api})
	}
	err = tui.Run(cmd.Context(), deps)
	var stopped *tui.InterruptedError
	if errors.As(err, &stopped) {
		// Leaving stopped a sync: resumable, like a paused run (exit 4),
		// unless the state was a demo's temporary one.
		if stopped.Temporary {
			fmt.Fprintln(cmd.ErrOrStderr(), "b2h:", stopped.Error())
			return nil
		}
		return &exitError{code: exitPaused, msg: stopped.Error()}
	}
	return err
}

// mappingOverride validates --mapping now (exit 2 on a bad file) and
// returns the function that applies it to the account's default.
func mappingOverride(g *globals) (func(*mapping.Mapping) (*mapping.Mapping, error), error) {
	return mappingFileOverride(g, "")
}

// setDemoFaults applies a fault SPEC to both demo simulators.
func setDemoFaults(s *session, spec string) error {
	bf, err := fault.Parse(spec, "buildium")
	if err != nil {
		return usageErr("%s: %v", demoFaultsEnv, err)
	}
	hf, err := fault.Parse(spec, "hubspot")
	if err != nil {
		return usageErr("%s: %v", demoFaultsEnv, err)
	}
	s.env.Buildium.SetFaults(bf)
	s.env.HubSpot.SetFaults(hf)
	return nil
}

// describeMutation says in one line what the simulated activity changed.
func describeMutation(m gen.MutationSummary) string {
	var parts []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			parts = append(parts, "1 "+one)
		case n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", n, many))
		}
	}
	add(len(m.Tenants)-len(m.NewTenants), "tenant edited", "tenants edited")
	add(len(m.NewTenants), "new tenant", "new tenants")
	add(len(m.EndedLeases), "lease ended", "leases ended")
	add(len(m.MovedLeases), "lease moved", "leases moved")
	add(len(m.NewLeases), "new lease", "new leases")
	add(len(m.Units), "unit rent changed", "unit rents changed")
	add(len(m.Rentals), "property edited", "properties edited")
	if len(parts) == 0 {
		return "nothing changed"
	}
	return strings.Join(parts, ", ")
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeJobReport writes a job's HTML report into the current directory
// (b2h-report-JOB.html, mode 0600: it names the client's tenants) and
// returns its path.
func writeJobReport(src report.Source, jobID string) (string, error) {
	r, err := report.Build(src, jobID, report.Options{})
	if err != nil {
		return "", err
	}
	path := "b2h-report-" + jobID + ".html"
	if err := writeFileAtomic(path, r.WriteHTML); err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return path, nil
}
