package sync_test

import (
	"errors"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/clients/sim/buildiumsim"
	"b2h/sync"
)

// TestShrunkListStopsBeforeWriting: when Buildium's tenant list has lost a
// fifth of its records since the last full sync, the next full sync stops
// before writing and says how to go on; --allow-shrink goes on.
func TestShrunkListStopsBeforeWriting(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 100, Seed: 9, Tier: "professional"})
	h.bdRate = 1000
	h.connect()
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	// The same account, a fifth of its tenants gone.
	p := h.env.Buildium.Snapshot()
	p.Tenants = p.Tenants[:len(p.Tenants)*4/5]
	srv := buildiumsim.New(buildiumsim.Options{Portfolio: p})
	url, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	id, secret := srv.Credentials()
	if h.bd, err = buildium.New(buildium.Options{BaseURL: url, ClientID: id, ClientSecret: secret, RatePerSecond: 1000}); err != nil {
		t.Fatal(err)
	}
	before := h.env.HubSpot.Stats()
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if !errors.Is(err, sync.ErrConfig) || !strings.Contains(err.Error(), "--allow-shrink") || !strings.Contains(err.Error(), "tenants") {
		t.Fatalf("shrunk tenant list: %v (%+v), want a configuration error naming tenants and --allow-shrink", err, sum.Entities)
	}
	if w := h.env.HubSpot.Stats().Writes - before.Writes; w != 0 {
		t.Errorf("the stopped run sent %d HubSpot writes", w)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow, AllowShrink: true}); err != nil {
		t.Fatalf("with AllowShrink: %v", err)
	}
}
