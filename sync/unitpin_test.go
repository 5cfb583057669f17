package sync_test

import (
	"strings"
	"testing"

	"b2h/clients/sim"
	"b2h/clients/sim/hubspotsim"
	"b2h/sync"
)

// TestUnitModePinnedAfterUpgrade: units synced as listings stay listings
// when the account is upgraded to Enterprise between runs; the second run
// creates no unit custom object and no second record of any unit.
func TestUnitModePinnedAfterUpgrade(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 40, Seed: 3, Tier: "professional"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	listings := len(h.env.HubSpot.Objects("0-420"))
	if listings == 0 {
		t.Fatal("the first run wrote no listing")
	}
	h.env.HubSpot.SetTier(hubspotsim.TierEnterprise)
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(h.env.HubSpot.Objects("0-420")); got != listings {
		t.Errorf("listings %d after the upgrade, want the %d of before", got, listings)
	}
	if c := sum.Entities["units"]; c.Created != 0 {
		t.Errorf("the second run created %d units", c.Created)
	}
	acct, err := h.st.Account()
	if err != nil || acct.UnitMode != sync.UnitListing || acct.UnitObjectType != "0-420" {
		t.Errorf("recorded unit mode %q on %q (%v), want %q on 0-420", acct.UnitMode, acct.UnitObjectType, err, sync.UnitListing)
	}
	// A fresh state on the upgraded account chooses the custom object.
	fresh := newHarness(t, sim.Options{Scale: 5, Seed: 3, Tier: "enterprise"})
	chk, err := sync.New(fresh.bd, fresh.hs, fresh.st, nil, sync.Options{Mode: sync.Full}).Check(t.Context())
	if err != nil || chk.UnitMode != sync.UnitCustomObject || strings.Contains(chk.UnitReason, "earlier runs") {
		t.Errorf("fresh enterprise account: %q %q (%v)", chk.UnitMode, chk.UnitReason, err)
	}
}
