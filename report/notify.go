package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"b2h/state"
)

// WebhookEnv is the environment variable holding the webhook URL
// (the --webhook flag wins over it).
const WebhookEnv = "B2H_WEBHOOK_URL"

// Payload is the JSON body posted to the webhook: Slack-compatible (Slack
// shows text and ignores the rest), with the details for other receivers.
type Payload struct {
	Text         string  `json:"text"`
	JobID        string  `json:"job_id"`
	Mode         string  `json:"mode"`
	DryRun       bool    `json:"dry_run"`
	Status       string  `json:"status"`
	QualityScore float64 `json:"quality_score"`
	ErrorRate    float64 `json:"error_rate"`
	Alerts       []Alert `json:"alerts"`
}

// NewPayload builds the webhook body for a job's alerts. It carries figures
// and job identifiers only, never record values.
func NewPayload(job state.Job, alerts []Alert) Payload {
	kind := job.Mode + " sync"
	if job.DryRun {
		kind += ", dry run"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "b2h job %s (%s) ended %s with %d alert", job.ID, kind, job.Status, len(alerts))
	if len(alerts) != 1 {
		b.WriteByte('s')
	}
	b.WriteByte(':')
	for _, a := range alerts {
		fmt.Fprintf(&b, "\n• [%s] %s", a.Severity, a.Message)
	}
	b.WriteString("\nFull report: b2h report --job " + job.ID)
	return Payload{Text: slackEscape(b.String()), JobID: job.ID, Mode: job.Mode, DryRun: job.DryRun, Status: job.Status,
		QualityScore: QualityScore(job), ErrorRate: ErrorRate(job), Alerts: alerts}
}

// slackEscape escapes the three characters Slack's text format reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// WebhookError is a failed webhook delivery. It never contains the URL,
// which is a secret (a Slack webhook URL is its own credential).
type WebhookError struct {
	StatusCode int    // the receiver's HTTP status, 0 when no response came
	Attempts   int    // how many times the POST was tried
	Reason     string // what went wrong, for a person
}

// Error implements error.
func (e *WebhookError) Error() string {
	return fmt.Sprintf("alert webhook failed after %d attempt(s): %s (the sync result is unaffected)", e.Attempts, e.Reason)
}

// Notifier posts alerts to a webhook. The zero value is ready to use.
type Notifier struct {
	// Client sends the request; nil means a client with Timeout that never
	// follows redirects (a redirect could carry the alert elsewhere).
	Client *http.Client
	// Timeout bounds each attempt (default 10 s).
	Timeout time.Duration
	// Attempts is how many times to try when the receiver answers 429 or
	// 5xx or cannot be reached (default 3).
	Attempts int
	// Backoff is the wait before the second attempt, doubling after
	// (default 1 s; negative means no wait).
	Backoff time.Duration
}

// Notify posts the job's alerts to webhookURL with the default Notifier.
// An empty URL or no alerts sends nothing and returns nil. A failure
// returns a *WebhookError, which the caller only logs: a failed webhook
// never fails the sync.
func Notify(ctx context.Context, webhookURL string, alerts []Alert, job state.Job) error {
	return Notifier{}.Notify(ctx, webhookURL, alerts, job)
}

// Notify posts the job's alerts to webhookURL; see the package-level Notify.
func (n Notifier) Notify(ctx context.Context, webhookURL string, alerts []Alert, job state.Job) error {
	if webhookURL == "" || len(alerts) == 0 {
		return nil
	}
	if err := CheckWebhookURL(webhookURL); err != nil {
		return &WebhookError{Attempts: 0, Reason: err.Error()}
	}
	body, err := json.Marshal(NewPayload(job, alerts))
	if err != nil {
		return &WebhookError{Reason: "encode the alert: " + err.Error()}
	}
	attempts := n.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	backoff := n.Backoff
	if backoff == 0 {
		backoff = time.Second
	}
	var last *WebhookError
	for i := 1; i <= attempts; i++ {
		if i > 1 && backoff > 0 {
			t := time.NewTimer(backoff << (i - 2))
			select {
			case <-ctx.Done():
				t.Stop()
				last.Attempts = i - 1
				last.Reason += "; gave up: " + ctx.Err().Error()
				return last
			case <-t.C:
			}
		}
		status, retry, err := n.post(ctx, webhookURL, body)
		if err == nil {
			return nil
		}
		last = &WebhookError{StatusCode: status, Attempts: i, Reason: err.Error()}
		if ctx.Err() != nil {
			// Cancelled while the attempt was answered: say so, as when the
			// cancel comes during the backoff.
			last.Reason += "; gave up: " + ctx.Err().Error()
			break
		}
		if !retry {
			break
		}
	}
	return last
}

// post sends one attempt; retry says whether another attempt may succeed.
func (n Notifier) post(ctx context.Context, webhookURL string, body []byte) (status int, retry bool, err error) {
	timeout := n.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, webhookURL, bytes.NewReader(body))
	if err != nil {
		return 0, false, errors.New("cannot build the request (check the webhook URL)")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "b2h")
	client := n.Client
	if client == nil {
		client = &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, true, errors.New(describeTransportError(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, false, nil
	}
	msg := fmt.Sprintf("the receiver answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	if s := oneLine(string(snippet)); s != "" {
		msg += ": " + truncate(s, 120)
	}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return resp.StatusCode, retry, errors.New(msg)
}

// describeTransportError explains a failed request without the URL that
// *url.Error would print.
func describeTransportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return "the receiver did not answer in time"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return "cannot reach the receiver (" + op.Op + ": " + op.Err.Error() + ")"
	}
	return "cannot reach the receiver"
}

// CheckWebhookURL accepts https URLs, and plain http only to this machine
// (alerts name the job and its figures; they must not cross a network in
// clear text). The error never repeats the URL.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("the webhook URL is not a valid http(s) URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
		return errors.New("the webhook URL uses plain http outside this machine: use https")
	}
	return errors.New("the webhook URL is not a valid http(s) URL")
}
