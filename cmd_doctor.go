package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/doctor"
	"b2h/internal/termsafe"
	"b2h/sync"
	"b2h/sync/mapping"
)

// doctorTimeout bounds a whole doctor run: every check is a few reads.
const doctorTimeout = 2 * time.Minute

// newDoctorCmd is `b2h doctor` (DESIGN.md §6).
func newDoctorCmd(g *globals) *cobra.Command {
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check credentials, hosts, scopes, account capabilities, HubSpot schema, state, keyring and clock",
		Long: `Doctor checks, without writing anything, what a sync depends on: the API
hosts, the Buildium API key and its permissions, the HubSpot access token and
its scopes, the account's tier (custom objects) and listings activation, the
buildium_* properties and their unique keys, the unit custom object, the
association labels, the state file (integrity, lock, encryption key, last
job), the OS keyring and the clock. Each check prints PASS, WARN or FAIL with
what it found and, when not PASS, the fix.

With --demo it first runs a full sync of the throwaway demo account (which
creates the schema), then checks it: every check passes.

Exit codes: 0 every check passed; 3 some warned (none failed); 1 a check
failed; 2 usage (a bad mapping file).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDoctor(cmd, g, jsonOut) },
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, `print one JSON object: {"status", "findings": [{"check","status","finding","fix"}]}`)
	return cmd
}

func runDoctor(cmd *cobra.Command, g *globals, jsonOut bool) error {
	ctx, cancel := context.WithTimeout(cmd.Context(), doctorTimeout)
	defer cancel()
	o := doctor.Options{AllowHTTP: g.allowHTTP, Demo: g.demo, StatePath: g.statePath}
	if g.mappingFile != "" {
		if _, err := mappingFileOverride(g, ""); err != nil {
			return err
		}
		o.MappingFor = func(target string) (*mapping.Mapping, error) {
			// A file for listings on a custom-object account is checked as
			// listings: sync --units listings runs it so.
			if data, err := os.ReadFile(g.mappingFile); err == nil && mapping.FileUnitTarget(data) == mapping.TargetListings {
				target = mapping.TargetListings
			}
			return loadMappingFileOn(g.mappingFile, mapping.Default(mapping.Options{UnitTarget: target}))
		}
	}
	if g.demo {
		s, err := demoDoctorSession(ctx, g, cmd.ErrOrStderr(), &o)
		if err != nil {
			return err
		}
		defer s.Close()
	} else {
		doctorClients(g, &o)
	}
	o.ServerTime = doctor.ServerClock(o.HubSpotURL)
	r := doctor.Run(ctx, o)
	printDoctor(cmd.OutOrStdout(), r, jsonOut)
	switch r.Worst() {
	case doctor.Fail:
		return exitWith(exitFatal)
	case doctor.Warn:
		return exitWith(exitPartial)
	}
	return nil
}

// demoDoctorSession starts the simulators and runs a full sync of the
// throwaway demo account, which creates the schema and the state, so that
// the checks look at a set-up account.
func demoDoctorSession(ctx context.Context, g *globals, stderr io.Writer, o *doctor.Options) (*session, error) {
	s, err := openSession(g, stderr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(stderr, "b2h doctor --demo: setting up the demo account with a full sync first")
	if _, err := sync.New(s.bd, s.hs, s.st, nil, sync.Options{Mode: sync.Full, Logger: s.logger, BuildiumHost: s.bdHost}).Run(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("set up the demo account: %w", err)
	}
	o.StatePath = s.st.Path()
	_ = s.st.Close() // the state check opens it read-only; session.Close tolerates a second Close
	o.BuildiumURL, o.HubSpotURL = s.env.BuildiumURL, s.env.HubSpotURL
	o.Buildium, o.HubSpot = s.bd, s.hs
	o.Keyring = func() error { return nil } // the demo simulates its keyring like its accounts
	return s, nil
}

// doctorClients makes the clients from the environment; a client that
// cannot be made is left nil with the reason, for its check to report.
func doctorClients(g *globals, o *doctor.Options) {
	creds := envCredentials(g)
	o.BuildiumURL, o.HubSpotURL = creds.BuildiumURL, creds.HubSpotURL
	var missing []string
	for _, v := range creds.missing() {
		if strings.HasPrefix(v, "BUILDIUM") {
			missing = append(missing, v)
		}
	}
	if len(missing) > 0 {
		o.BuildiumErr = &doctor.MissingCredentialsError{Vars: missing}
	} else if bd, err := buildium.New(buildium.Options{BaseURL: creds.BuildiumURL, ClientID: creds.BuildiumClientID,
		ClientSecret: creds.BuildiumClientSecret, UserAgent: "b2h/" + version, MaxRetries: 2}); err != nil {
		o.BuildiumErr = err
	} else {
		o.Buildium = bd
	}
	if creds.HubSpotToken == "" {
		o.HubSpotErr = &doctor.MissingCredentialsError{Vars: []string{"HUBSPOT_ACCESS_TOKEN"}}
	} else if err := checkURL("--hubspot-url", creds.HubSpotURL, g.allowHTTP); err != nil {
		o.HubSpotErr = fmt.Errorf("not contacted (the token is never sent in clear): %v", err) // the hosts check says why
	} else if hs, err := newDoctorHubSpot(g, creds); err != nil {
		o.HubSpotErr = err
	} else {
		o.HubSpot = hs
	}
}

// printDoctor prints the findings: aligned text with the fix under each
// WARN and FAIL, or one JSON object.
func printDoctor(w io.Writer, r doctor.Report, jsonOut bool) {
	if jsonOut {
		_ = json.NewEncoder(termsafe.JSONWriter(w)).Encode(struct {
			Status   doctor.Status    `json:"status"`
			Findings []doctor.Finding `json:"findings"`
		}{r.Worst(), r.Findings})
		return
	}
	n := map[doctor.Status]int{}
	for _, f := range r.Findings {
		n[f.Status]++
		fmt.Fprintf(w, "%-4s  %-20s  %s\n", f.Status, f.Check, sanitizeLine(f.Detail))
		if f.Fix != "" {
			fmt.Fprintf(w, "      %-20s  fix: %s\n", "", sanitizeLine(f.Fix))
		}
	}
	fmt.Fprintf(w, "%d checks: %d passed, %d warned, %d failed\n", len(r.Findings), n[doctor.Pass], n[doctor.Warn], n[doctor.Fail])
}

// newDoctorHubSpot builds the doctor's HubSpot client: few retries, the
// API paths in force.
func newDoctorHubSpot(g *globals, creds credentials) (*hubspot.Client, error) {
	ho := hubspot.Options{BaseURL: creds.HubSpotURL, Token: creds.HubSpotToken, UserAgent: "b2h/" + version, MaxRetries: 2}
	applyHubSpotAPI(g, &ho)
	return hubspot.New(ho)
}
