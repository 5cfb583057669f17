package main

import (
	"fmt"
	"os"
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
	path := func() (string, error) { return g.keptStatePath("state") }
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
	exportKey := &cobra.Command{
		Use:   "export-key FILE",
		Short: "Write the state's encryption key to FILE (mode 0600), to move the state to another machine",
		Long: `The state encrypts the personal data it keeps (snapshots, ledger details,
decisions) with a key held in the OS keyring or a key file beside it, never inside
the state. To hand the state to someone else or move it to another machine, export
the key, move FILE separately from the state (whoever holds both can read the
PII), and run b2h state import-key FILE there.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open(true)
			if err != nil {
				return err
			}
			defer st.Close()
			data, err := st.ExportKeys()
			if err != nil {
				return err
			}
			f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return usageErr("export-key: %v (it never overwrites a file)", err)
			}
			if _, err := f.Write(data); err != nil {
				_ = f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote the key of %s to %s; move it apart from the state, then run b2h state import-key there\n", st.Path(), args[0])
			return nil
		},
	}
	importKey := &cobra.Command{
		Use:   "import-key FILE",
		Short: "Store the key exported with export-key for this state (--state) in the OS keyring or key file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := path()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usageErr("import-key: %v", err)
			}
			where, err := state.ImportKeys(p, data, nil)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "the key of %s is now in %s; delete %s\n", p, where, args[0])
			return nil
		},
	}
	cmd.AddCommand(inspect, backup, restore, compact, rotate, prune, exportKey, importKey)
	return cmd
}
