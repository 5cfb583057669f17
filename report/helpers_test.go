package report_test

import (
	"context"
	"path/filepath"
	gosync "sync"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/report"
	"b2h/state"
	"b2h/sync"
)

// fixedNow pins the demo job's clock to the generator's reference day, so
// job ids, lease labels and timestamps are the same on every run.
func fixedNow() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// demo is a real sync of a generated portfolio, run over loopback against
// both simulators, with its state file: the job a report is made from.
type demo struct {
	st    *state.Store
	env   *sim.Env
	jobID string
	sum   sync.Summary
}

// demoOptions vary the demo run.
type demoOptions struct {
	scale   int
	faults  string
	now     func() time.Time // engine clock (default fixedNow)
	workers int
}

// runDemo runs a full sync of a demo portfolio (Scale 200, Seed 1,
// Enterprise tier unless told otherwise) and returns its state.
func runDemo(t testing.TB, o demoOptions) *demo {
	t.Helper()
	if o.scale == 0 {
		o.scale = 200
	}
	if o.now == nil {
		o.now = fixedNow
	}
	env, err := sim.Start(sim.Options{Scale: o.scale, Seed: 1, Tier: "enterprise", Faults: o.faults})
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
	st, err := state.Open(state.Options{Path: filepath.Join(t.TempDir(), "s.db"), NoSync: true, Keys: state.NewMemoryKeyStore()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sum, err := sync.New(bd, hs, st, nil, sync.Options{Mode: sync.Full, Now: o.now, Workers: o.workers}).Run(ctx)
	if err != nil {
		t.Fatalf("demo sync: %v (%+v)", err, sum)
	}
	return &demo{st: st, env: env, jobID: sum.JobID, sum: sum}
}

// build makes the report of the demo job with a pinned generation time and
// the machine-dependent fields normalised.
func (d *demo) build(t testing.TB) *report.Report {
	t.Helper()
	r, err := report.Build(d.st, d.jobID, report.Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	r.Job.Operator = "operator@host"
	r.Job.BuildiumHost = "127.0.0.1:buildium"
	return r
}

// stepClock returns a clock that advances by step at every reading, so a
// job's audit entries spread over time (for throughput charts).
func stepClock(start time.Time, step time.Duration) func() time.Time {
	var mu gosync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}
