package main

import (
	"math"
	"strconv"

	"b2h/report"
)

// Accepted ranges of the numeric flags, checked when a command starts: a
// value outside its range is a usage error (exit 2) naming the flag and
// the range, never quietly replaced by a default.
const (
	// maxWorkers bounds sync --workers: HubSpot's burst limit is shared
	// by the batches, so more concurrent writes only wait longer.
	maxWorkers = 16
	// maxDemoScale bounds --demo-scale: the demo portfolio lives in memory.
	maxDemoScale = 1_000_000
)

// intInRange refuses v, the value of flag name, outside lo..hi; hi of
// math.MaxInt means "lo or more".
func intInRange(name string, v, lo, hi int) error {
	if v >= lo && v <= hi {
		return nil
	}
	want := strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	if hi == math.MaxInt {
		want = strconv.Itoa(lo) + " or more"
	}
	return usageErr("%s %d: use %s", name, v, want)
}

// checkWebhook refuses, when a command starts, a webhook URL (--webhook,
// else $B2H_WEBHOOK_URL) that an alert could never be posted to: the rule
// is report.CheckWebhookURL, the one delivery applies (http or https with
// a host; plain http only to this machine), so an alert is not lost at the
// end of a run. The URL is a secret and is never shown.
func checkWebhook(flag string) error {
	u := webhookURL(flag)
	if u == "" {
		return nil
	}
	name := "--webhook"
	if flag == "" {
		name = "$" + report.WebhookEnv
	}
	if err := report.CheckWebhookURL(u); err != nil {
		return usageErr("%s: %v (the value is not shown: a webhook URL is a secret)", name, err)
	}
	return nil
}
