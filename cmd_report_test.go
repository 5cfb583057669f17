package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/zalando/go-keyring"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/report"
	"b2h/state"
	"b2h/sync"
)

func init() {
	// No test of package main may reach the real OS keyring: state files
	// opened with the default key store keep their key in a file beside them.
	keyring.MockInitWithError(errors.New("OS keyring disabled in tests"))
}

// testSession runs both simulators with a fault profile and opens a state
// file in dir: what openSession gives `b2h sync --demo`, with faults.
func testSession(t *testing.T, dir, faults string) *session {
	t.Helper()
	env, err := sim.Start(sim.Options{Scale: 40, Seed: 1, Tier: "enterprise", Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	bd, err := buildium.New(buildium.Options{BaseURL: env.BuildiumURL, ClientID: env.BuildiumClientID, ClientSecret: env.BuildiumClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := hubspot.New(hubspot.Options{BaseURL: env.HubSpotURL, Token: env.HubSpotToken})
	if err != nil {
		t.Fatal(err)
	}
	st, err := state.Open(state.Options{Path: filepath.Join(dir, "state.db"), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s := &session{bd: bd, hs: hs, st: st, env: env}
	t.Cleanup(func() { _ = st.Close() })
	return s
}

// runJob runs a full sync in the session, as runSync does.
func runJob(t *testing.T, s *session) (sync.Summary, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return sync.New(s.bd, s.hs, s.st, nil, sync.Options{Mode: sync.Full}).Run(ctx)
}

// exitCode is the code b2h would exit with for err.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	}
	return exitFatal
}

// TestFailingWebhookKeepsTheExitCode runs a sync that spends HubSpot's
// daily budget (it pauses: exit 4, and the daily-budget alert fires), then
// reports it to a webhook that fails: the alert is printed, delivery is
// attempted and fails with a warning, and the exit code is still 4.
func TestFailingWebhookKeepsTheExitCode(t *testing.T) {
	old := alertNotifier
	alertNotifier = report.Notifier{Attempts: 2, Backoff: -1, Timeout: 5 * time.Second}
	t.Cleanup(func() { alertNotifier = old })

	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "receiver down", http.StatusBadGateway)
	}))
	defer hook.Close()
	t.Setenv(report.WebhookEnv, hook.URL+"/secret-token")

	s := testSession(t, t.TempDir(), "hubspot.daily=20")
	sum, runErr := runJob(t, s)
	before := exitCode(exitFor(sum, runErr))
	if before != exitPaused {
		t.Fatalf("the run exits %d (%s), want %d: the daily limit should pause it", before, sum.Status, exitPaused)
	}

	var out bytes.Buffer
	alerts := reportAfterRun(context.Background(), s, sum.JobID, webhookURL(""), &out)
	if after := exitCode(exitFor(sum, runErr)); after != before {
		t.Errorf("exit code %d after the webhook failed, want %d", after, before)
	}
	if len(alerts) == 0 || alerts[len(alerts)-1].Rule != report.RuleDailyBudget {
		t.Fatalf("alerts %+v, want the daily budget alert", alerts)
	}
	if hits.Load() != 2 {
		t.Errorf("webhook tried %d times, want 2", hits.Load())
	}
	text := out.String()
	t.Logf("after the run:\n%s", text)
	if !strings.Contains(text, "alert [critical] HubSpot daily API budget low") || !strings.Contains(text, "warning: alert webhook failed") ||
		!strings.Contains(text, "502") {
		t.Errorf("output lacks the alert or the webhook warning:\n%s", text)
	}
	if strings.Contains(text, "secret-token") {
		t.Error("the webhook URL (a secret) was printed")
	}
	job, err := s.st.Job(sum.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := job.Metrics[report.MetricDailyRemaining]; !ok || job.Metrics[report.MetricDailyLimit] != 20 {
		t.Errorf("daily budget not stored with the job: %v", job.Metrics)
	}
}

// TestReportCommand writes each format of a real job through the command.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	s := testSession(t, dir, "")
	sum, err := runJob(t, s)
	if err != nil {
		t.Fatal(err)
	}
	reportAfterRun(context.Background(), s, sum.JobID, "", io.Discard)
	if err := s.st.Close(); err != nil { // a report opens the state read-only
		t.Fatal(err)
	}
	g := &globals{statePath: filepath.Join(dir, "state.db")}
	run := func(args ...string) (string, error) {
		cmd := newReportCmd(g)
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		err := cmd.ExecuteContext(context.Background())
		return out.String(), err
	}

	for _, tc := range []struct {
		args  []string
		file  string
		check func(t *testing.T, body string)
	}{
		{nil, "", func(t *testing.T, body string) {
			if !strings.HasPrefix(body, "# b2h job report "+sum.JobID) || !strings.Contains(body, "## Counts per entity and action") {
				t.Errorf("default output is not the Markdown report:\n%.300s", body)
			}
		}},
		{[]string{"-o"}, "r.html", func(t *testing.T, body string) {
			if !strings.HasPrefix(body, "<!doctype html>") || strings.Count(body, "<svg ") != 3 {
				t.Errorf("r.html is not the HTML report with 3 charts")
			}
		}},
		{[]string{"--format", "csv", "-o"}, "problems.txt", func(t *testing.T, body string) {
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(rows) < 2 || strings.Join(rows[0], ",") != strings.Join(report.CSVHeader, ",") {
				t.Errorf("CSV: %v, %d rows", err, len(rows))
			}
		}},
		{[]string{"--job", sum.JobID, "--format", "json"}, "", func(t *testing.T, body string) {
			var r report.Report
			if err := json.Unmarshal([]byte(body), &r); err != nil || r.Job.ID != sum.JobID || r.Metrics.MemPeakBytes == nil {
				t.Errorf("JSON: %v, job %q, stored metrics %v", err, r.Job.ID, r.Raw)
			}
		}},
	} {
		name := strings.Join(tc.args, " ") + " " + tc.file
		t.Run(name, func(t *testing.T) {
			args := tc.args
			var path string
			if tc.file != "" {
				path = filepath.Join(t.TempDir(), tc.file)
				args = append(append([]string{}, args...), path)
			}
			out, err := run(args...)
			if err != nil {
				t.Fatal(err)
			}
			body := out
			if path != "" {
				raw, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				body = string(raw)
				if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
					t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
				}
			}
			tc.check(t, body)
		})
	}

	for _, tc := range []struct {
		name string
		g    *globals
		args []string
	}{
		{"unknown job", g, []string{"--job", "20990101-000000-0001"}},
		{"unknown format", g, []string{"--format", "pdf"}},
		{"no state file", &globals{statePath: filepath.Join(dir, "none.db")}, nil},
		{"demo state is temporary", &globals{demo: true}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g0 := g
			g = tc.g
			defer func() { g = g0 }()
			if _, err := run(tc.args...); exitCode(err) != exitUsage {
				t.Errorf("exit %d (%v), want %d", exitCode(err), err, exitUsage)
			}
		})
	}
}

// TestWebhookURLPrecedence: --webhook wins over $B2H_WEBHOOK_URL.
func TestWebhookURLPrecedence(t *testing.T) {
	t.Setenv(report.WebhookEnv, "https://hooks.example.com/env")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "https://hooks.example.com/env"},
		{[]string{"--webhook", "https://hooks.example.com/flag"}, "https://hooks.example.com/flag"},
	} {
		var flag string
		cmd := &cobra.Command{Use: "sync", RunE: func(*cobra.Command, []string) error { return nil }}
		addWebhookFlag(cmd, &flag)
		cmd.SetArgs(tc.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		if got := webhookURL(flag); got != tc.want {
			t.Errorf("%v: webhook %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestWriteJobReport: the TUI summary's "write report" writes the job's
// HTML report into the working directory, mode 0600.
func TestWriteJobReport(t *testing.T) {
	dir := t.TempDir()
	s := testSession(t, dir, "")
	sum, err := runJob(t, s)
	if err != nil && exitCode(err) == exitFatal {
		t.Fatal(err)
	}
	t.Chdir(dir)
	path, err := writeJobReport(s.st, sum.JobID)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "b2h-report-"+sum.JobID+".html"); path != want {
		t.Errorf("path %s, want %s", path, want)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v %v", fi, err)
	}
	body, _ := os.ReadFile(path)
	if !bytes.Contains(body, []byte(sum.JobID)) || !bytes.Contains(body, []byte("<html")) {
		t.Errorf("the report does not look like job %s's HTML report", sum.JobID)
	}
}
