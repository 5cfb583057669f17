package doctor_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/doctor"
	"b2h/state"
	"b2h/sync"
)

// fixture is a pair of simulators, real clients over loopback and a state
// path: what `b2h doctor` looks at.
type fixture struct {
	t    *testing.T
	env  *sim.Env
	bd   *buildium.Client
	hs   *hubspot.Client
	path string
	keys state.KeyStore
}

func newFixture(t *testing.T, o sim.Options) *fixture {
	t.Helper()
	env, err := sim.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	f := &fixture{t: t, env: env, path: filepath.Join(t.TempDir(), "state.db"), keys: state.NewMemoryKeyStore()}
	if f.bd, err = buildium.New(buildium.Options{BaseURL: env.BuildiumURL, ClientID: env.BuildiumClientID, ClientSecret: env.BuildiumClientSecret}); err != nil {
		t.Fatal(err)
	}
	if f.hs, err = hubspot.New(hubspot.Options{BaseURL: env.HubSpotURL, Token: env.HubSpotToken}); err != nil {
		t.Fatal(err)
	}
	return f
}

// options are the doctor options of the fixture, as `b2h doctor --demo`
// would set them.
func (f *fixture) options() doctor.Options {
	return doctor.Options{BuildiumURL: f.env.BuildiumURL, HubSpotURL: f.env.HubSpotURL, Demo: true,
		Buildium: f.bd, HubSpot: f.hs, StatePath: f.path, StateKeys: f.keys, StateLockWait: 200 * time.Millisecond,
		Keyring: func() error { return nil }, ServerTime: doctor.ServerClock(f.env.HubSpotURL)}
}

// sync runs a full sync, which bootstraps the schema and writes the state.
func (f *fixture) sync() {
	f.t.Helper()
	st, err := state.Open(state.Options{Path: f.path, NoSync: true, Keys: f.keys})
	if err != nil {
		f.t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := sync.New(f.bd, f.hs, st, nil, sync.Options{Mode: sync.Full}).Run(ctx); err != nil {
		f.t.Fatal(err)
	}
}

func run(o doctor.Options) doctor.Report { return doctor.Run(context.Background(), o) }

// TestEveryCheckPassesAfterASync: on both unit mappings, once a sync has
// set the account up, every check passes, in the documented order.
func TestEveryCheckPassesAfterASync(t *testing.T) {
	order := []string{doctor.CheckHosts, doctor.CheckBuildium, doctor.CheckHubSpot, doctor.CheckScopes, doctor.CheckTier,
		doctor.CheckListings, doctor.CheckProperties, doctor.CheckUnitSchema, doctor.CheckLabels, doctor.CheckState,
		doctor.CheckKeyring, doctor.CheckClock}
	for _, tier := range []string{"enterprise", "professional"} {
		t.Run(tier, func(t *testing.T) {
			f := newFixture(t, sim.Options{Scale: 20, Seed: 2, Tier: tier})
			f.sync()
			r := run(f.options())
			if len(r.Findings) != len(order) {
				t.Fatalf("%d findings, want %d", len(r.Findings), len(order))
			}
			for i, fd := range r.Findings {
				if fd.Check != order[i] {
					t.Errorf("finding %d is %q, want %q", i, fd.Check, order[i])
				}
				if fd.Status != doctor.Pass || fd.Detail == "" {
					t.Errorf("%s: %s %s (fix: %s)", fd.Check, fd.Status, fd.Detail, fd.Fix)
				}
			}
			if r.Worst() != doctor.Pass {
				t.Errorf("worst %s", r.Worst())
			}
		})
	}
}

// TestFreshAccountWarnsWhatSyncCreates: before the first sync, what b2h
// creates itself (properties, the unit object, labels, the state file) is a
// warning whose fix says so; nothing fails.
func TestFreshAccountWarnsWhatSyncCreates(t *testing.T) {
	f := newFixture(t, sim.Options{Scale: 5, Seed: 2, Tier: "enterprise"})
	r := run(f.options())
	for _, tc := range []struct{ check, fix string }{
		{doctor.CheckProperties, "b2h sync creates them"},
		{doctor.CheckUnitSchema, "b2h sync creates it"},
		{doctor.CheckLabels, "b2h sync creates them"},
		{doctor.CheckState, "the first b2h sync creates it"},
	} {
		fd, _ := r.Find(tc.check)
		if fd.Status != doctor.Warn || !strings.Contains(fd.Fix, tc.fix) {
			t.Errorf("%s: %s %q, fix %q; want WARN with %q", tc.check, fd.Status, fd.Detail, fd.Fix, tc.fix)
		}
	}
	if r.Worst() != doctor.Warn {
		t.Errorf("worst %s, want WARN", r.Worst())
	}
}
