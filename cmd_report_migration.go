package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"b2h/clients/buildium"
	"b2h/report"
	"b2h/state"
)

// migrationCountTimeout bounds the Buildium counts of a migration report.
const migrationCountTimeout = 60 * time.Second

// buildiumKinds are the state kinds Buildium can count, with its list.
// Emergency contacts are part of the tenants: Buildium has no count of them.
var buildiumKinds = map[state.Kind]buildium.Kind{state.KindProperties: buildium.KindRentals,
	state.KindUnits: buildium.KindUnits, state.KindTenants: buildium.KindTenants, state.KindLeases: buildium.KindLeases}

// addMigrationFlags registers --migration, --client and --mask on b2h report.
func addMigrationFlags(cmd *cobra.Command, f *reportFlags) {
	fl := cmd.Flags()
	fl.BoolVar(&f.migration, "migration", false, "report the whole migration (every job): one line per Buildium record with its final status, totals reconciled with Buildium, decisions")
	fl.StringVar(&f.client, "client", "", "the client's name on the --migration cover (default: the Buildium host)")
	fl.BoolVar(&f.mask, "mask", false, "mask names and emails in the --migration report (\"Jane Doe\" → \"J*** D***\")")
}

// runMigrationReport writes `b2h report --migration`: the sign-off document
// of every job in the state. Buildium is counted when its credentials are
// set; without them (or with --demo) the totals say "not reconciled"
// instead of failing, since the state alone still makes a full report.
func runMigrationReport(cmd *cobra.Command, g *globals, f *reportFlags, format report.Format) error {
	if f.job != "" {
		return usageErr("--migration covers every job: drop --job (or drop --migration for one job's report)")
	}
	st, path, err := openReportState(g)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := report.MigrationOptions{Client: f.client, Mask: f.mask}
	opt.BuildiumCounts, opt.NotReconciled = buildiumCounts(cmd.Context(), g)
	m, err := report.BuildMigration(st, opt)
	switch {
	case errors.Is(err, report.ErrNoJobs):
		return usageErr("%s has no job yet: run b2h sync first", path)
	case err != nil:
		return err
	}
	if f.out == "" || f.out == "-" {
		return m.Write(cmd.OutOrStdout(), format)
	}
	if err := writeFileAtomic(f.out, func(w io.Writer) error { return m.Write(w, format) }); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote the %s migration report (%d records) to %s\n", format, len(m.Records), f.out)
	return nil
}

// buildiumCounts asks Buildium how many records of each kind it holds
// (X-Total-Count). It returns nil and the reason when it cannot.
func buildiumCounts(ctx context.Context, g *globals) (map[state.Kind]int, string) {
	if g.demo {
		return nil, "--demo: each b2h process starts fresh simulators"
	}
	c := envCredentials(g)
	if c.BuildiumClientID == "" || c.BuildiumClientSecret == "" {
		return nil, "no Buildium credentials: set BUILDIUM_CLIENT_ID and BUILDIUM_CLIENT_SECRET to reconcile"
	}
	if err := checkURL("Buildium URL", c.BuildiumURL, g.allowHTTP); err != nil {
		return nil, err.Error()
	}
	bd, err := buildium.New(buildium.Options{BaseURL: c.BuildiumURL, ClientID: c.BuildiumClientID,
		ClientSecret: c.BuildiumClientSecret, UserAgent: "b2h/" + version})
	if err != nil {
		return nil, "Buildium: " + err.Error()
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, migrationCountTimeout)
	defer cancel()
	out := map[state.Kind]int{}
	for kind, bk := range buildiumKinds {
		n, err := bd.Count(ctx, bk, buildium.ListOptions{})
		if err != nil {
			return nil, "Buildium did not give its counts: " + sanitizeLine(err.Error())
		}
		out[kind] = n
	}
	return out, ""
}
