package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"b2h/report"
	"b2h/state"
)

type reportFlags struct {
	job, format, out string
	migration, mask  bool   // --migration, --mask (cmd_report_migration.go)
	client           string // --client
}

// newReportCmd is `b2h report [--job ID] [--format md|html|csv|json] [-o FILE]`
// (DESIGN.md §6, §8): a job's sign-off report from the state file.
func newReportCmd(g *globals) *cobra.Command {
	f := &reportFlags{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write a job's report: Markdown for sign-off, HTML with charts, CSV of problem records, or JSON",
		Long: `Report reads a job from the state file (the newest unless --job names one) and writes:
  md    the sign-off report: scope, counts per entity and action, duplicates and
        decisions, conflicts, invalid/failed/skipped records with reasons and fixes,
        quality score, alerts, API usage and duration (default);
  html  the same as one self-contained page with charts (throughput over time,
        actions per entity, error categories) that opens without a network;
  csv   every invalid, failed, skipped and held record with its reason and the fix;
  json  everything, for other tools.
Without --format the format follows -o's extension. The report names records by
Buildium id (and name where b2h wrote them); keep it as you keep the client's data.

With --migration the report covers every job: one line per Buildium record with
its final status (in HubSpot with its id, held for review, invalid, failed or
skipped, with the reason and the fix), totals per entity reconciled with what
Buildium holds now (when its credentials are set; otherwise "not reconciled"),
the decisions taken, and the client (--client) and HubSpot portal on the cover.
Its CSV columns: entity,buildium_id,name,status,hubspot_id,reason,fix. --mask
masks names and emails. Print the HTML from a browser for a PDF.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runReport(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.job, "job", "", "job id (default: the newest job; b2h state inspect lists the jobs)")
	fl.StringVar(&f.format, "format", "", "md, html, csv or json (default: from -o's extension, else md)")
	fl.StringVarP(&f.out, "output", "o", "", "write to FILE instead of standard output")
	addMigrationFlags(cmd, f)
	return cmd
}

func runReport(cmd *cobra.Command, g *globals, f *reportFlags) error {
	format := report.FormatMarkdown
	switch guessed, ok := report.FormatForPath(f.out); {
	case f.format != "":
		var err error
		if format, err = report.ParseFormat(f.format); err != nil {
			return usageErr("--format: %v", err)
		}
	case ok:
		format = guessed
	}
	if f.migration {
		return runMigrationReport(cmd, g, f, format)
	}
	if f.client != "" || f.mask {
		return usageErr("--client and --mask apply to the --migration report: add --migration")
	}
	st, path, err := openReportState(g)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := report.Build(st, f.job, report.Options{})
	switch {
	case errors.Is(err, report.ErrNoJobs):
		return usageErr("%s has no job yet: run b2h sync (or b2h plan) first", path)
	case errors.Is(err, state.ErrNotFound) && f.job != "":
		return usageErr("no job %s in %s: `b2h state inspect` lists the jobs", f.job, path)
	case err != nil:
		return err
	}
	if f.out == "" || f.out == "-" {
		return r.Write(cmd.OutOrStdout(), format)
	}
	if err := writeFileAtomic(f.out, func(w io.Writer) error { return r.Write(w, format) }); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote the %s report of job %s to %s\n", format, r.Job.ID, f.out)
	return nil
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, then renames it, so a failed write never leaves half a report.
// The file is 0600: reports name the client's tenants.
func writeFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// addWebhookFlag registers --webhook on a command that runs jobs (sync).
func addWebhookFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "webhook", "", "post alerts as JSON (Slack-compatible) to this URL (default $"+report.WebhookEnv+
		"; prefer the variable: a flag stays in shell history)")
}

// webhookURL is --webhook, else $B2H_WEBHOOK_URL, else "" (no webhook).
func webhookURL(flag string) string { return firstNonEmpty(flag, os.Getenv(report.WebhookEnv)) }

// alertNotifier posts alerts; tests shorten its backoff.
var alertNotifier = report.Notifier{}

// notifyTimeout bounds the whole webhook delivery after a run.
const notifyTimeout = 30 * time.Second

// reportAfterRun runs after every sync or plan job: it stores the job's
// metrics (derived figures, the HubSpot daily budget left, the time spent
// waiting on limits, peak memory), evaluates the alert rules, prints the
// alerts to w and posts them to the webhook when one is configured.
//
// It returns the alerts (for a TUI or a JSON event) and no error, on
// purpose: metrics, alerts and the webhook never change a sync's outcome
// or exit code (DESIGN.md §8). Failures are logged and shown as warnings.
func reportAfterRun(ctx context.Context, s *session, jobID, webhook string, w io.Writer) []report.Alert {
	if jobID == "" || s == nil || s.st == nil {
		return nil
	}
	log := s.logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	extra := report.ProcessMetrics()
	if s.hs != nil {
		if lim := s.hs.Limits(); lim.DailyKnown && lim.Daily > 0 {
			extra[report.MetricDailyRemaining] = float64(lim.DailyRemaining)
			extra[report.MetricDailyLimit] = float64(lim.Daily)
		}
		extra[report.MetricHubSpotWaitS] = s.hs.Stats().Waited.Seconds()
	}
	job, err := report.StoreMetrics(s.st, jobID, extra)
	if err != nil {
		log.Warn("job metrics not stored", "job", jobID, "err", err)
		fmt.Fprintf(w, "b2h: warning: the job's metrics were not stored (%v); the sync result is unaffected\n", err)
		if job, err = s.st.Job(jobID); err != nil {
			return nil
		}
	}
	alerts := report.Alerts(job, report.Thresholds{})
	for _, a := range alerts {
		log.Warn("alert", "job", jobID, "rule", a.Rule, "severity", a.Severity, "value", a.Value)
		fmt.Fprintf(w, "b2h: alert [%s] %s\n", a.Severity, sanitizeLine(a.Message))
	}
	if webhook == "" || len(alerts) == 0 {
		return alerts
	}
	// An interrupted run still reports: the delivery outlives the run's
	// context, within its own time limit.
	nctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), notifyTimeout)
	defer cancel()
	if err := alertNotifier.Notify(nctx, webhook, alerts, job); err != nil {
		log.Warn("alert webhook failed", "job", jobID, "err", err)
		fmt.Fprintf(w, "b2h: warning: %v\n", err)
	} else {
		log.Info("alerts posted to the webhook", "job", jobID, "alerts", len(alerts))
	}
	return alerts
}

// keptStatePath is the state file a command that reads a kept state works
// on: --state, else the default path. With --demo and no --state there is
// none to read (the demo's state lives as long as one b2h process), and the
// command is refused: it would otherwise quietly act on the real state.
func (g *globals) keptStatePath(command string) (string, error) {
	switch {
	case g.statePath != "":
		return g.statePath, nil
	case g.demo:
		return "", usageErr("%s --demo: the demo's state is temporary (it lives as long as one b2h process); keep one with b2h --demo --state FILE and pass --state FILE here, or use the guided UI (b2h --demo)", command)
	}
	return state.DefaultPath()
}

// demoHasNoHubSpot refuses a command that compares the state with HubSpot
// under --demo: each b2h process starts fresh simulators, so no HubSpot
// holds what an earlier demo run wrote.
func demoHasNoHubSpot(g *globals, command string) error {
	if g.demo {
		return usageErr("%s --demo: each b2h process starts fresh simulators, so no HubSpot holds what an earlier demo run wrote; run b2h demo serve in one terminal and point b2h at it (README › Rehearsing on the demo)", command)
	}
	return nil
}

// openReportState opens the kept state read-only for a report, or says how
// to get one.
func openReportState(g *globals) (*state.Store, string, error) {
	path, err := g.keptStatePath("report")
	if err != nil {
		return nil, "", err
	}
	st, err := state.Open(state.Options{Path: path, ReadOnly: true})
	if errors.Is(err, state.ErrNoState) {
		return nil, "", usageErr("no state file at %s: run b2h sync first, or pass --state", path)
	}
	return st, path, err
}
