package main

import (
	"path/filepath"
	"strings"
	"testing"

	"b2h/report"
)

// TestNumericFlagsValidated: a numeric flag whose value means nothing is a
// usage error when the command starts, naming the flag and the range.
func TestNumericFlagsValidated(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "--demo", "--dry-run", "--workers", "0"}, "--workers 0: use 1 to 16"},
		{[]string{"sync", "--demo", "--dry-run", "--workers", "-3"}, "--workers -3: use 1 to 16"},
		{[]string{"sync", "--demo", "--dry-run", "--workers", "17"}, "--workers 17: use 1 to 16"},
		{[]string{"verify", "--max", "-1"}, "--max -1: use 0 or more"},
		{[]string{"sync", "--demo", "--dry-run", "--demo-scale", "-1"}, "--demo-scale -1: use 0 to 1000000"},
		{[]string{"demo", "serve", "--scale", "-5"}, "--scale -5: use 0 to 1000000"},
	} {
		stderr, code := runCLIMsg(t, append(tc.args, "--state", filepath.Join(t.TempDir(), "s.db"))...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, want %d with %q: %s", tc.args, code, exitUsage, tc.want, stderr)
		}
	}
	if stderr, code := runCLIMsg(t, "sync", "--demo", "--demo-scale", "5", "--dry-run", "--workers", "16"); code != exitOK && code != exitPartial {
		t.Errorf("--workers 16: exit %d: %s", code, stderr)
	}
}

// TestWebhookValidatedAtStart: a webhook URL the alert could never be
// posted to is refused when sync starts (exit 2), not when an alert fires.
func TestWebhookValidatedAtStart(t *testing.T) {
	for _, tc := range []struct {
		flag, env, want string
	}{
		{"ftp://x", "", "--webhook"},
		{"https://", "", "--webhook"},
		{"http://hooks.example.com/x", "", "plain http"},
		{"", "ftp://x", "$" + report.WebhookEnv},
		{"not a url at all\x7f", "", "--webhook"},
	} {
		t.Setenv(report.WebhookEnv, tc.env)
		args := []string{"sync", "--demo", "--demo-scale", "5", "--dry-run", "--state", filepath.Join(t.TempDir(), "s.db")}
		if tc.flag != "" {
			args = append(args, "--webhook", tc.flag)
		}
		stderr, code := runCLIMsg(t, args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "dry run") {
			t.Errorf("webhook %q env %q: exit %d, want %d naming %q before the run: %s", tc.flag, tc.env, code, exitUsage, tc.want, stderr)
		}
	}
	t.Setenv(report.WebhookEnv, "")
	for _, ok := range []string{"https://hooks.example.com/x", "http://127.0.0.1:9/x"} {
		if stderr, code := runCLIMsg(t, "sync", "--demo", "--demo-scale", "5", "--dry-run", "--webhook", ok); code != exitOK && code != exitPartial {
			t.Errorf("webhook %q: exit %d: %s", ok, code, stderr)
		}
	}
}
