package report_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"b2h/report"
	"b2h/state"
)

// ruleJobs are jobs that each break exactly one alert rule.
var ruleJobs = []struct {
	rule, severity string
	job            state.Job
}{
	{report.RuleJobFailed, report.SeverityCritical, state.Job{ID: "j-failed", Mode: "full", Status: state.StatusFailed,
		Error:    "read tenants from Buildium: 401 Unauthorized\x1b[2J",
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 10, Created: 10}}}},
	{report.RuleErrorRate, report.SeverityWarning, state.Job{ID: "j-errors", Mode: "full", Status: state.StatusDoneWithErrors,
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 100, Created: 89, Failed: 11}}}},
	{report.RuleQuality, report.SeverityWarning, state.Job{ID: "j-quality", Mode: "full", Status: state.StatusDoneWithErrors,
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 100, Created: 75, Duplicates: 20, Conflicts: 5}}}},
	{report.RuleDailyBudget, report.SeverityWarning, state.Job{ID: "j-budget", Mode: "incremental", Status: state.StatusDone,
		Entities: map[state.Kind]state.EntityCounters{state.KindTenants: {Read: 10, Created: 10}},
		Metrics:  map[string]float64{report.MetricDailyRemaining: 49_999, report.MetricDailyLimit: 500_000}}},
}

func TestAlertsOneRuleEach(t *testing.T) {
	for _, tc := range ruleJobs {
		t.Run(tc.rule, func(t *testing.T) {
			as := report.Alerts(tc.job, report.Thresholds{})
			if len(as) != 1 || as[0].Rule != tc.rule || as[0].Severity != tc.severity {
				t.Fatalf("alerts %+v, want one %s %s", as, tc.severity, tc.rule)
			}
			if strings.ContainsRune(as[0].Message, 0x1b) {
				t.Error("alert message carries a terminal escape")
			}
		})
	}
}

func TestAlertsBoundaries(t *testing.T) {
	ents := func(c state.EntityCounters) map[state.Kind]state.EntityCounters {
		return map[state.Kind]state.EntityCounters{state.KindTenants: c}
	}
	tests := []struct {
		name string
		job  state.Job
		th   report.Thresholds
		want []string
	}{
		{"exactly 10% errors is fine", state.Job{Entities: ents(state.EntityCounters{Read: 100, Created: 90, Failed: 10})}, report.Thresholds{}, nil},
		{"quality exactly 0.8 is fine", state.Job{Entities: ents(state.EntityCounters{Read: 10, Created: 8, Duplicates: 2})}, report.Thresholds{}, nil},
		{"budget exactly 10% is fine", state.Job{Metrics: map[string]float64{report.MetricDailyRemaining: 100, report.MetricDailyLimit: 1000}}, report.Thresholds{}, nil},
		{"budget unknown stays silent", state.Job{Metrics: map[string]float64{report.MetricDailyRemaining: 0}}, report.Thresholds{}, nil},
		{"nothing read stays silent", state.Job{Status: state.StatusDone}, report.Thresholds{}, nil},
		{"paused is not failed", state.Job{Status: state.StatusPaused}, report.Thresholds{}, nil},
		{"invalid counts as errors and lowers quality", state.Job{Entities: ents(state.EntityCounters{Read: 10, Created: 7, Invalid: 3})},
			report.Thresholds{}, []string{report.RuleErrorRate, report.RuleQuality}},
		{"custom thresholds", state.Job{Entities: ents(state.EntityCounters{Read: 100, Created: 95, Failed: 5})},
			report.Thresholds{MaxErrorRate: 0.02}, []string{report.RuleErrorRate}},
		{"everything at once, in rule order", state.Job{Status: state.StatusFailed,
			Entities: ents(state.EntityCounters{Read: 10, Invalid: 5, Created: 5}),
			Metrics:  map[string]float64{report.MetricDailyRemaining: 0, report.MetricDailyLimit: 1000}},
			report.Thresholds{}, []string{report.RuleJobFailed, report.RuleErrorRate, report.RuleQuality, report.RuleDailyBudget}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range report.Alerts(tc.job, tc.th) {
				got = append(got, a.Rule)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("rules %v, want %v", got, tc.want)
			}
		})
	}
}

// receiver is a local webhook endpoint that records what it gets.
type receiver struct {
	*httptest.Server
	hits     atomic.Int32
	payloads chan report.Payload
}

func newReceiver(t *testing.T, status int) *receiver {
	t.Helper()
	rc := &receiver{payloads: make(chan report.Payload, 10)}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.hits.Add(1)
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "want a JSON POST", http.StatusBadRequest)
			return
		}
		body, _ := io.ReadAll(r.Body)
		var p report.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		rc.payloads <- p
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(rc.Close)
	return rc
}

// TestNotifyPerRule posts each rule's alert to a local receiver and checks
// the Slack-compatible body.
func TestNotifyPerRule(t *testing.T) {
	for _, tc := range ruleJobs {
		t.Run(tc.rule, func(t *testing.T) {
			rc := newReceiver(t, http.StatusOK)
			alerts := report.Alerts(tc.job, report.Thresholds{})
			if err := report.Notify(context.Background(), rc.URL+"/hook", alerts, tc.job); err != nil {
				t.Fatal(err)
			}
			p := <-rc.payloads
			if p.JobID != tc.job.ID || p.Status != tc.job.Status || len(p.Alerts) != 1 || p.Alerts[0].Rule != tc.rule {
				t.Errorf("payload %+v", p)
			}
			if !strings.Contains(p.Text, tc.job.ID) || !strings.Contains(p.Text, "["+tc.severity+"]") ||
				!strings.Contains(p.Text, alerts[0].Message[:20]) {
				t.Errorf("text %q lacks the job id, severity or message", p.Text)
			}
			if strings.ContainsAny(p.Text, "<>\x1b") {
				t.Errorf("text %q is not Slack-escaped or carries an escape", p.Text)
			}
		})
	}
}

func TestNotifySendsNothingWithoutAlertsOrURL(t *testing.T) {
	rc := newReceiver(t, http.StatusOK)
	job := ruleJobs[0].job
	if err := report.Notify(context.Background(), rc.URL, nil, job); err != nil {
		t.Fatal(err)
	}
	if err := report.Notify(context.Background(), "", report.Alerts(job, report.Thresholds{}), job); err != nil {
		t.Fatal(err)
	}
	if n := rc.hits.Load(); n != 0 {
		t.Errorf("receiver got %d requests, want 0", n)
	}
}

// TestNotifyFailures: a failing webhook returns a *WebhookError that never
// repeats the URL (a Slack webhook URL is a credential), retries only what
// may succeed, and never follows redirects.
func TestNotifyFailures(t *testing.T) {
	job := ruleJobs[0].job
	alerts := report.Alerts(job, report.Thresholds{})
	const secret = "T000/B000/SECRETTOKEN"
	fast := report.Notifier{Attempts: 3, Backoff: -1, Timeout: 2 * time.Second}

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:9/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()

	tests := []struct {
		name     string
		url      func(t *testing.T) (string, *receiver)
		attempts int
		status   int
	}{
		{"5xx retried then given up", func(t *testing.T) (string, *receiver) { rc := newReceiver(t, 503); return rc.URL, rc }, 3, 503},
		{"4xx not retried", func(t *testing.T) (string, *receiver) { rc := newReceiver(t, 404); return rc.URL, rc }, 1, 404},
		{"unreachable", func(t *testing.T) (string, *receiver) { return closedURL, nil }, 3, 0},
		{"redirect not followed", func(t *testing.T) (string, *receiver) { return redirect.URL, nil }, 1, 307},
		{"plain http off this machine refused", func(t *testing.T) (string, *receiver) { return "http://hooks.example.com", nil }, 0, 0},
		{"not a URL", func(t *testing.T) (string, *receiver) { return "::", nil }, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, rc := tc.url(t)
			err := fast.Notify(context.Background(), base+"/services/"+secret, alerts, job)
			var we *report.WebhookError
			if !errors.As(err, &we) {
				t.Fatalf("err %v, want *WebhookError", err)
			}
			if we.Attempts != tc.attempts || we.StatusCode != tc.status {
				t.Errorf("attempts %d status %d, want %d and %d (%v)", we.Attempts, we.StatusCode, tc.attempts, tc.status, err)
			}
			if strings.Contains(err.Error(), "SECRETTOKEN") || strings.Contains(err.Error(), base) && base != "::" {
				t.Errorf("error repeats the webhook URL: %v", err)
			}
			if rc != nil && int(rc.hits.Load()) != tc.attempts {
				t.Errorf("receiver got %d requests, want %d", rc.hits.Load(), tc.attempts)
			}
		})
	}
}

func TestNotifyGivesUpWhenCancelled(t *testing.T) {
	rc := newReceiver(t, 500)
	ctx, cancel := context.WithCancel(context.Background())
	job := ruleJobs[0].job
	done := make(chan error, 1)
	go func() {
		done <- report.Notifier{Attempts: 5, Backoff: time.Hour}.Notify(ctx, rc.URL, report.Alerts(job, report.Thresholds{}), job)
	}()
	<-rc.payloads // the first attempt arrived; a second would wait an hour
	cancel()
	err := <-done // returns at once, during the first attempt or the backoff
	var we *report.WebhookError
	if !errors.As(err, &we) || we.Attempts != 1 || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("err %v, want a WebhookError after 1 attempt saying it was cancelled", err)
	}
}
