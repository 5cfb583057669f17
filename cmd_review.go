package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"b2h/internal/termsafe"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

func newReviewCmd(g *globals) *cobra.Command {
	var jsonOut, noTUI bool
	var apply, id string
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Decide open duplicates and conflicts (side by side in a terminal, or --apply)",
		Long: `Review shows the duplicate groups and conflicts a sync held back. In a
terminal it opens the Review screen: each item side by side, decided per field
or per record (--no-tui lists them instead). Headless, decide them with --apply
STRATEGY (all open items, or one with --id). The next sync applies the
decisions. Strategies: for conflicts buildium_wins or hubspot_wins; for
duplicate groups merge, keep_separate or skip; for a record whose email belongs
to a HubSpot contact b2h did not create, adopt, keep_separate or skip.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if apply == "" && !jsonOut && !noTUI && id == "" && interactive(cmd) {
				return startTUI(cmd, g, true)
			}
			path, err := g.keptStatePath("review")
			if err != nil {
				return err
			}
			st, err := state.Open(state.Options{Path: path, ReadOnly: apply == ""})
			if err != nil {
				return err
			}
			defer st.Close()
			items, err := st.ReviewItems("open")
			if err != nil {
				return err
			}
			if id != "" {
				var one []state.ReviewItem
				for _, it := range items {
					if it.ID == id {
						one = append(one, it)
					}
				}
				if len(one) == 0 {
					return usageErr("no open review item %q (list them with b2h review)", id)
				}
				items = one
			}
			out := cmd.OutOrStdout()
			if apply == "" {
				// Decisions a person made that the next sync has yet to apply.
				pending := map[string]string{}
				decs, err := st.Decisions()
				if err != nil {
					return err
				}
				for _, d := range decs {
					if d.AppliedByJob == "" {
						pending[d.ID] = d.Resolution
					}
				}
				if jsonOut {
					enc := json.NewEncoder(termsafe.JSONWriter(out))
					for _, it := range items {
						rec := map[string]any{"id": it.ID, "type": it.Type, "kind": it.Kind, "source_ids": it.SourceIDs,
							"summary": mapping.Sanitize(it.Summary), "opened_at": it.OpenedAt, "job_id": it.JobID}
						if r, ok := pending[it.ID]; ok {
							rec["decided"] = r // applied by the next sync
						}
						_ = enc.Encode(rec)
					}
					return nil
				}
				if len(items) == 0 {
					fmt.Fprintln(out, "nothing to review")
					return nil
				}
				decided := 0
				for _, it := range items {
					line := fmt.Sprintf("%s  %-9s %-10s %s", it.ID, it.Type, it.Kind, mapping.Sanitize(it.Summary))
					if r, ok := pending[it.ID]; ok {
						line += " [decided: " + r + "]"
						decided++
					}
					fmt.Fprintln(out, line)
				}
				if decided > 0 {
					fmt.Fprintf(out, "%d open, %d of them decided (the next b2h sync applies them); decide the rest with b2h review --apply STRATEGY [--id ID]\n", len(items), decided)
				} else {
					fmt.Fprintf(out, "%d open; decide with b2h review --apply STRATEGY [--id ID]\n", len(items))
				}
				return exitWith(exitPartial)
			}
			who := "unknown"
			if u, err := user.Current(); err == nil {
				who = u.Username
			}
			n := 0
			for _, it := range items {
				d, err := decisionFor(it, apply, who)
				if err != nil {
					return err
				}
				if err := st.PutDecision(d); err != nil {
					return err
				}
				n++
			}
			fmt.Fprintf(out, "decided %d item(s) with %s; the next b2h sync applies the decisions\n", n, apply)
			return nil
		},
	}
	cmd.Flags().BoolVar(&jsonOut, "json", false, "list as JSON Lines")
	cmd.Flags().StringVar(&apply, "apply", "", "decide with this strategy")
	cmd.Flags().StringVar(&id, "id", "", "only this review item")
	cmd.Flags().BoolVar(&noTUI, "no-tui", false, "list as text even in a terminal")
	return cmd
}

// interactive reports whether the command talks to a person at a terminal:
// its output is the process's own stdout (not redirected by the caller)
// and both stdin and stdout are terminals.
func interactive(cmd *cobra.Command) bool {
	out, ok := cmd.OutOrStdout().(*os.File)
	return ok && out == os.Stdout && isTerminal(os.Stdin) && isTerminal(os.Stdout)
}

// decisionFor turns a headless --apply into a decision for one item,
// refusing strategies that do not fit it.
func decisionFor(it state.ReviewItem, strategy, who string) (state.Decision, error) {
	d := state.Decision{ID: it.ID, Type: it.Type, Resolution: strategy, DecidedAt: time.Now(), DecidedBy: who, Fields: map[string]string{}}
	existing := strings.HasPrefix(it.ID, "dup-existing-")
	var ok bool
	switch {
	case it.Type == "conflict":
		ok = strategy == sync.BuildiumWins || strategy == sync.HubSpotWins
	case existing:
		ok = strategy == sync.DupAdopt || strategy == sync.DupKeepSeparate || strategy == sync.DupSkip
		if strategy == sync.DupAdopt {
			var p struct {
				ID string `json:"existing_contact_id"`
			}
			if json.Unmarshal(it.Payload, &p) != nil || p.ID == "" {
				return d, fmt.Errorf("review item %s does not name the existing contact; run b2h sync again to refresh it", it.ID)
			}
			d.Fields["existing_contact_id"] = p.ID
		}
	default:
		ok = strategy == sync.DupMerge || strategy == sync.DupKeepSeparate || strategy == sync.DupSkip
	}
	if !ok {
		return d, usageErr("--apply %s does not fit %s item %s (conflicts: buildium_wins, hubspot_wins; duplicate groups: merge, keep_separate, skip; existing contacts: adopt, keep_separate, skip)", strategy, it.Type, it.ID)
	}
	return d, nil
}
