package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"b2h/state"
)

func newStateCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Inspect, back up, restore, compact or re-key the state file",
		Long: `The state file (default $XDG_STATE_HOME/b2h/state.db) holds jobs, the Buildium →
HubSpot id mappings, the retry ledger, the audit trail, decisions and cursors. It is
what makes every run safe to repeat: back it up before a migration and keep it.`,
	}
	path := func() (string, error) {
		if g.statePath != "" {
			return g.statePath, nil
		}
		return state.DefaultPath()
	}
	open := func(readOnly bool) (*state.Store, error) {
		p, err := path()
		if err != nil {
			return nil, err
		}
		return state.Open(state.Options{Path: p, ReadOnly: readOnly})
	}
	inspect := &cobra.Command{
		Use:   "inspect",
		Short: "Counts per bucket, schema version, last jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			info, err := st.Inspect(cmd.Context())
			if err != nil {
				return err
			}
			return info.WriteText(cmd.OutOrStdout())
		},
	}
	backup := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent, verified copy of the state (while no other b2h holds it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Backup(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backed up %s to %s\n", st.Path(), args[0])
			return nil
		},
	}
	restore := &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the state with a verified backup (refuses while b2h runs)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dst, err := path()
			if err != nil {
				return err
			}
			res, err := state.Restore(args[0], dst, state.RestoreOptions{})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s from %s (schema v%d)", dst, args[0], res.SchemaVersion)
			if res.Previous != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "; the replaced state is kept at %s", res.Previous)
			}
			fmt.Fprintln(cmd.OutOrStdout())
			return nil
		},
	}
	compact := &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the state file without free pages",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := path()
			if err != nil {
				return err
			}
			res, err := state.Compact(p, state.CompactOptions{})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "compacted %s: %d → %d bytes\n", p, res.Before, res.After)
			return nil
		},
	}
	rotate := &cobra.Command{
		Use:   "rotate-key",
		Short: "Re-encrypt snapshots, ledger details and decisions with a new key",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.RotateKey(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "re-encrypted %s with a new key (kept in %s)\n", st.Path(), st.KeyLocation())
			return nil
		},
	}
	var days int
	prune := &cobra.Command{
		Use:   "prune",
		Short: "Delete audit entries older than --older-than days",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days <= 0 {
				return usageErr("--older-than must be a positive number of days")
			}
			st, err := open(false)
			if err != nil {
				return err
			}
			defer st.Close()
			n, err := st.PruneAudit(time.Duration(days) * 24 * time.Hour)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "deleted %d audit entries older than %d days\n", n, days)
			return nil
		},
	}
	prune.Flags().IntVar(&days, "older-than", 0, "age in days")
	cmd.AddCommand(inspect, backup, restore, compact, rotate, prune)
	return cmd
}
