package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/spf13/cobra"

	"b2h/clients/buildium"
	"b2h/internal/termsafe"
	"b2h/report"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

type syncFlags struct {
	full, incremental, dryRun, jsonOut, yes bool
	allowShrink                             bool
	only, property, units                   string
	workers                                 int
	conflicts, duplicates, webhook          string
	fieldRules                              []string
	detail                                  bool
}

func newSyncCmd(g *globals) *cobra.Command {
	f := &syncFlags{}
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Run a full or incremental sync (headless)",
		Long: `Sync reads Buildium and writes HubSpot. --full syncs everything in scope;
--incremental only what changed since the last run. --dry-run produces the plan
through the same code path and sends no write. Exit codes: 0 done; 1 fatal;
2 usage or configuration; 3 done with record-level failures or open review items;
4 paused (daily limit, interrupt) and resumable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSync(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.full, "full", false, "sync everything in scope (default)")
	fl.BoolVar(&f.incremental, "incremental", false, "sync only what changed since the last run")
	fl.BoolVar(&f.dryRun, "dry-run", false, "plan only: no HubSpot write is sent")
	fl.BoolVar(&f.jsonOut, "json", false, "print JSON Lines events; the last line is the summary")
	fl.StringVar(&f.only, "only", "", "restrict to entities: properties,units,tenants,emergency_contacts,leases")
	fl.StringVar(&f.property, "property", "", "restrict to these Buildium property ids (comma-separated) and everything under them")
	fl.BoolVar(&f.yes, "yes", false, "do not ask for confirmation before a live full or scoped sync")
	fl.IntVar(&f.workers, "workers", 4, "concurrent HubSpot write batches, 1 to 16")
	addPolicyFlags(cmd, f)
	addUnitsFlag(cmd, f)
	addWebhookFlag(cmd, &f.webhook)
	return cmd
}

// addUnitsFlag adds --units, the unit target a person can force, and
// --allow-shrink.
func addUnitsFlag(cmd *cobra.Command, f *syncFlags) {
	cmd.Flags().StringVar(&f.units, "units", "auto", "where units go: auto (the account decides), listings, or custom-object (Enterprise)")
	cmd.Flags().BoolVar(&f.allowShrink, "allow-shrink", false, "go on when a Buildium list has shrunk by more than 10 % since the last full sync (records really removed)")
}

// addPolicyFlags adds the conflict and duplicate policy flags.
func addPolicyFlags(cmd *cobra.Command, f *syncFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.conflicts, "conflicts", sync.ManualReview, "fields changed in both Buildium and HubSpot: buildium_wins, hubspot_wins, manual_review or merge_fields")
	fl.StringArrayVar(&f.fieldRules, "field-rule", nil, "with --conflicts merge_fields: PROPERTY=buildium|hubspot (repeatable)")
	fl.StringVar(&f.duplicates, "duplicates", sync.DupReview, "undecided duplicate groups: review (hold them), merge, keep_separate or skip")
}

func newPlanCmd(g *globals) *cobra.Command {
	f := &syncFlags{dryRun: true, detail: true}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Dry run: per-record actions and diffs, predicted API calls; sends no write",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSync(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.incremental, "incremental", false, "plan an incremental run")
	fl.BoolVar(&f.jsonOut, "json", false, "print JSON Lines events")
	fl.StringVar(&f.only, "only", "", "restrict to entities")
	fl.StringVar(&f.property, "property", "", "restrict to these Buildium property ids")
	addPolicyFlags(cmd, f)
	addUnitsFlag(cmd, f)
	return cmd
}

// parseOnly parses --only.
func parseOnly(s string) ([]mapping.Entity, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []mapping.Entity
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		ok := false
		for _, e := range mapping.Entities() {
			if string(e) == p {
				out, ok = append(out, e), true
			}
		}
		if !ok {
			return nil, usageErr("--only: unknown entity %q (use properties, units, tenants, emergency_contacts, leases)", p)
		}
	}
	return out, nil
}

// parseIDs parses --property.
func parseIDs(s string) ([]int32, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []int32
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(p), 10, 32)
		if err != nil || n <= 0 {
			return nil, usageErr("--property: %q is not a Buildium property id", p)
		}
		out = append(out, int32(n))
	}
	return out, nil
}

func runSync(cmd *cobra.Command, g *globals, f *syncFlags) error {
	if f.full && f.incremental {
		return usageErr("choose --full or --incremental, not both")
	}
	if cmd.Flags().Lookup("workers") != nil {
		if err := intInRange("--workers", f.workers, 1, maxWorkers); err != nil {
			return err
		}
	}
	if cmd.Flags().Lookup("webhook") != nil {
		if err := checkWebhook(f.webhook); err != nil {
			return err
		}
	}
	only, err := parseOnly(f.only)
	if err != nil {
		return err
	}
	props, err := parseIDs(f.property)
	if err != nil {
		return err
	}
	override, err := mappingFileOverride(g, f.units)
	if err != nil {
		return err
	}
	rules := map[string]string{}
	for _, r := range f.fieldRules {
		k, v, ok := strings.Cut(r, "=")
		if !ok || (v != "buildium" && v != "hubspot") {
			return usageErr("--field-rule %q: use PROPERTY=buildium or PROPERTY=hubspot", r)
		}
		rules[k] = v
	}
	if !slices.Contains(sync.Strategies, f.conflicts) {
		return usageErr("--conflicts %q: use buildium_wins, hubspot_wins, manual_review or merge_fields", f.conflicts)
	}
	switch f.duplicates {
	case sync.DupReview, sync.DupMerge, sync.DupKeepSeparate, sync.DupSkip:
	default:
		return usageErr("--duplicates %q: use review, merge, keep_separate or skip", f.duplicates)
	}
	s, err := openSession(g, cmd.ErrOrStderr())
	if err != nil {
		damagedStateAlert(cmd.Context(), err, "", webhookURL(f.webhook), cmd.ErrOrStderr())
		return err
	}
	defer s.Close()
	mode := sync.Full
	if f.incremental {
		mode = sync.Incremental
	}
	if !f.dryRun && !f.yes && !g.demo && (mode == sync.Full || len(props) > 0 || len(only) > 0) {
		what := "This live full sync"
		if len(props) > 0 || len(only) > 0 {
			what = "This live scoped sync (" + scopeText(only, props) + ")"
		}
		if err := confirm(cmd, what+" writes to the HubSpot account behind HUBSPOT_ACCESS_TOKEN. Continue? [y/N] "); err != nil {
			return err
		}
	}
	out := cmd.OutOrStdout()
	var rep sync.Reporter
	if f.jsonOut {
		rep = newJSONReporter(out)
	} else {
		rep = newTextReporter(out)
	}
	eng := sync.New(s.bd, s.hs, s.st, rep, sync.Options{Mode: mode, DryRun: f.dryRun, Only: only, PropertyIDs: props,
		Workers: f.workers, MappingOverride: override, ConflictStrategy: f.conflicts, FieldRules: rules, DuplicateDefault: f.duplicates, PlanDetail: f.detail, BuildiumHost: s.bdHost, Logger: s.logger, Units: f.units, AllowShrink: f.allowShrink})
	sum, runErr := eng.Run(cmd.Context())
	if state.IsDamaged(runErr) {
		// Nothing more is written to a damaged state, metrics included.
		damagedStateAlert(cmd.Context(), runErr, sum.JobID, webhookURL(f.webhook), cmd.ErrOrStderr())
	} else if sum.JobID != "" {
		// Metrics, alerts and the webhook never change the exit code.
		reportAfterRun(cmd.Context(), s, sum.JobID, webhookURL(f.webhook), cmd.ErrOrStderr())
	}
	return exitFor(sum, runErr)
}

// exitFor maps a run's outcome to the exit codes of DESIGN.md §6. A damaged
// state is fatal (1) and says only the state's own message: what is damaged
// and how to restore or rebuild it.
func exitFor(sum sync.Summary, err error) error {
	var bdErr *buildium.APIError
	var damaged *state.CorruptError
	switch {
	case errors.As(err, &damaged):
		return &exitError{code: exitFatal, msg: damaged.Error()}
	case err != nil && errors.Is(err, sync.ErrConfig):
		return &exitError{code: exitUsage, msg: err.Error()}
	case err != nil && errors.As(err, &bdErr) && (bdErr.StatusCode == 401 || bdErr.StatusCode == 403):
		// Buildium refused the key or its permissions: configuration.
		return &exitError{code: exitUsage, msg: err.Error()}
	case sum.Status == sync.StatusPaused || sum.Status == sync.StatusCancelled:
		return exitWith(exitPaused)
	case err != nil:
		return &exitError{code: exitFatal, msg: err.Error()}
	case sum.Status == sync.StatusDoneWithErrors:
		return exitWith(exitPartial)
	}
	return nil
}

// scopeText describes a run's scope for its confirmation.
func scopeText(only []mapping.Entity, props []int32) string {
	var parts []string
	if len(only) > 0 {
		parts = append(parts, "only "+strings.Join(entityNames(only), ", "))
	}
	if len(props) > 0 {
		ids := make([]string, len(props))
		for i, p := range props {
			ids[i] = strconv.Itoa(int(p))
		}
		parts = append(parts, "properties "+strings.Join(ids, ", "))
	}
	return strings.Join(parts, "; ")
}

func entityNames(es []mapping.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = string(e)
	}
	return out
}

// damagedStateAlert raises the critical alert of a sync that found its state
// damaged. No job can be recorded in such a state (nothing is written to
// it), so the failed job is described here and posted to the webhook only;
// the message itself is what b2h prints before it exits 1.
func damagedStateAlert(ctx context.Context, err error, jobID, webhook string, w io.Writer) {
	var damaged *state.CorruptError
	if webhook == "" || !errors.As(err, &damaged) {
		return
	}
	if jobID == "" {
		jobID = "(not recorded: the state is damaged)"
	}
	job := state.Job{ID: jobID, Status: state.StatusFailed, Error: damaged.Error(), FinishedAt: time.Now().UTC()}
	nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), notifyTimeout)
	defer cancel()
	if err := alertNotifier.Notify(nctx, webhook, report.Alerts(job, report.Thresholds{}), job); err != nil {
		fmt.Fprintf(w, "b2h: warning: %v\n", err)
	}
}

func confirm(cmd *cobra.Command, prompt string) error {
	st, err := os.Stdin.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return usageErr("a live full or scoped sync needs confirmation: run it in a terminal, or add --yes")
	}
	fmt.Fprint(cmd.ErrOrStderr(), prompt)
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return &exitError{code: exitUsage, msg: "cancelled: nothing was written"}
	}
	return nil
}

// jsonReporter prints events as JSON Lines, each with an "event" field.
type jsonReporter struct {
	mu  gosync.Mutex
	enc *json.Encoder
}

func newJSONReporter(w io.Writer) *jsonReporter {
	return &jsonReporter{enc: json.NewEncoder(termsafe.JSONWriter(w))}
}

// Report implements sync.Reporter.
func (r *jsonReporter) Report(ev sync.Event) {
	if _, ok := ev.(sync.Progress); ok {
		return // progress is for screens; the JSON stream carries stage ends, issues and the summary
	}
	b, err := json.Marshal(ev)
	if err != nil {
		return
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return
	}
	m["event"] = ev.EventName()
	r.mu.Lock()
	defer r.mu.Unlock()
	_ = r.enc.Encode(m)
}

// textReporter prints a readable log of the run for terminals and cron mail.
type textReporter struct {
	mu   gosync.Mutex
	w    io.Writer
	last time.Time
	dry  bool // the run is a dry run: counts are what a live run would do
	// totals are Buildium's count per stage from StageStarted: a Progress
	// event's Total is only what was read so far.
	totals map[mapping.Entity]int
}

func newTextReporter(w io.Writer) *textReporter { return &textReporter{w: w} }

// Report implements sync.Reporter.
func (r *textReporter) Report(ev sync.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case sync.JobStarted:
		kind := "live"
		if e.DryRun {
			kind = "dry run"
		}
		r.dry = e.DryRun
		fmt.Fprintf(r.w, "job %s: %s sync (%s)\n", e.JobID, e.Mode, kind)
	case sync.AccountChecked:
		fmt.Fprintf(r.w, "HubSpot portal %s (%s): listings %s, units → %s (%s)\n", sanitizeLine(e.PortalID), sanitizeLine(e.Tier), onOff(e.ListingsEnabled), e.UnitMode, sanitizeLine(e.UnitReason))
	case sync.SchemaReady:
		if len(e.Created) > 0 {
			verb := "created"
			if r.dry {
				verb = "to create"
			}
			fmt.Fprintf(r.w, "schema: %d %s (%s), %d already there\n", len(e.Created), verb, strings.Join(e.Created, ", "), e.Existed)
		}
	case sync.StageStarted:
		if r.totals == nil {
			r.totals = map[mapping.Entity]int{}
		}
		r.totals[e.Entity] = e.Total
		fmt.Fprintf(r.w, "%s: %d in Buildium\n", e.Entity, e.Total)
	case sync.AmenitiesRead:
		if time.Since(r.last) > 2*time.Second || e.Done == e.Total {
			r.last = time.Now()
			rate := ""
			if e.ElapsedS > 0 {
				rate = fmt.Sprintf(" (%.0f/s)", float64(e.Done)/e.ElapsedS)
			}
			fmt.Fprintf(r.w, "  properties: amenities %d/%d%s\n", e.Done, e.Total, rate)
		}
	case sync.Progress:
		if time.Since(r.last) > 2*time.Second {
			r.last = time.Now()
			if t, ok := r.totals[e.Entity]; ok && t >= e.Total {
				fmt.Fprintf(r.w, "  %s %d/%d (%d read)\n", e.Entity, e.Done, t, e.Total)
			} else {
				fmt.Fprintf(r.w, "  %s %d/%d\n", e.Entity, e.Done, e.Total)
			}
		}
	case sync.StageDone:
		c := e.Counters
		created, updated := "created", "updated"
		if r.dry {
			created, updated = "to create", "to update"
		}
		fmt.Fprintf(r.w, "%s: read %d, %s %d, %s %d, unchanged %d, skipped %d, invalid %d, failed %d, duplicates %d, conflicts %d (%.1fs)\n",
			e.Entity, c.Read, created, c.Created, updated, c.Updated, c.Unchanged, c.Skipped, c.Invalid, c.Failed, c.Duplicates, c.Conflicts, e.Elapsed)
	case sync.Issue:
		fmt.Fprintf(r.w, "  ! %s %s\n", e.Action, sanitizeLine(e.Message))
	case sync.RecordPlanned:
		fmt.Fprintf(r.w, "  %s %s %s %s\n", e.Action, e.Entity, e.SourceID, sanitizeLine(e.Name))
		if e.Action != sync.ActUpdate {
			break // a create's values are in the JSON plan; updates show their diff
		}
		for _, c := range e.Changes {
			fmt.Fprintf(r.w, "      %s: %q → %q\n", c.Field, sanitizeLine(c.Old), sanitizeLine(c.New))
		}
	case sync.Throttled:
		fmt.Fprintf(r.w, "  %s rate limit: %d × 429 (retried; %.1fs waited meanwhile)\n", e.API, e.Count, e.WaitS)
	case sync.Summary:
		fmt.Fprintf(r.w, "job %s %s in %.1fs; HubSpot requests %d (writes %d, 429s %d); Buildium requests %d\n",
			e.JobID, e.Status, e.DurationS, e.HubSpot.Requests, e.HubSpot.Writes, e.HubSpot.RateLimited, e.Buildium.Requests)
		if e.Predicted != nil {
			fmt.Fprintf(r.w, "a live run would send about %d HubSpot requests, at least %.0fs at this account's rate limit\n", e.Predicted.Requests, e.Predicted.MinDurationS)
		}
		if e.Error != "" {
			fmt.Fprintf(r.w, "%s\n", sanitizeLine(e.Error))
		}
	}
}

func onOff(b bool) string {
	if b {
		return "activated"
	}
	return "not activated"
}

// sanitizeLine keeps terminal escapes and control characters in Buildium
// data from reaching the terminal raw.
func sanitizeLine(s string) string { return termsafe.Text(s) }
