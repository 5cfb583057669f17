package main

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/spf13/cobra"

	"b2h/internal/termsafe"
	"b2h/sync"
	"b2h/sync/mapping"
)

func newVerifyCmd(g *globals) *cobra.Command {
	var jsonOut bool
	var max int
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Consistency check: read HubSpot back and compare with what b2h wrote",
		Long: `Verify reads every record b2h wrote back from HubSpot (one batch read per 100)
and lists the fields that no longer hold what b2h wrote: edits by people or
workflows, or lost writes. It writes nothing. Exit 0 when all match, 3 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := intInRange("--max", max, 0, math.MaxInt); err != nil {
				return err
			}
			if err := demoHasNoHubSpot(g, "verify"); err != nil {
				return err
			}
			s, err := openSession(g, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := sync.New(s.bd, s.hs, s.st, nil, sync.Options{Logger: s.logger}).Verify(cmd.Context(), max)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if jsonOut {
				if err := json.NewEncoder(termsafe.JSONWriter(out)).Encode(res); err != nil {
					return err
				}
			} else {
				for _, ent := range mapping.Entities() {
					if n := res.Checked[ent]; n > 0 {
						fmt.Fprintf(out, "%s: %d checked, %d differ, %d missing from HubSpot\n", ent, n, res.Differing[ent], res.Missing[ent])
					}
				}
				for _, d := range res.Differences {
					if d.Missing {
						fmt.Fprintf(out, "  %s %s: HubSpot record %s is gone (archived or merged)\n", d.Entity, d.SourceID, d.HubSpotID)
						continue
					}
					fmt.Fprintf(out, "  %s %s (HubSpot %s) %s: wrote %q, HubSpot has %q\n", d.Entity, d.SourceID, d.HubSpotID, d.Field,
						mapping.Sanitize(d.Wrote), mapping.Sanitize(d.HubSpot))
				}
			}
			for _, ent := range mapping.Entities() {
				if res.Differing[ent]+res.Missing[ent] > 0 {
					return exitWith(exitPartial)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the result as JSON")
	cmd.Flags().IntVar(&max, "max", 200, "list at most this many differences, 0 or more (all are counted)")
	return cmd
}
