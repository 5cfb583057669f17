package sync_test

import (
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/clients/sim/fault"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestShortPagesChangeNothing: with every Buildium list page served 50
// records short for one run while X-Total-Count stays true, HubSpot is
// unchanged by that run (nothing removed, blanked or created), the run
// says which list was incomplete, and the next complete run converges.
func TestShortPagesChangeNothing(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 300, Seed: 12, Tier: "professional"})
	h.bdRate = 1000
	h.connect()
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	before := hubspotContents(t, h)
	stats := h.env.HubSpot.Stats()
	h.env.Buildium.SetShortPages(50)
	_, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if !buildium.IsIncomplete(err) || !strings.Contains(err.Error(), "list came back incomplete") {
		t.Fatalf("short pages: %v, want the incomplete list named", err)
	}
	if w := h.env.HubSpot.Stats().Writes - stats.Writes; w != 0 {
		t.Errorf("the run over short pages sent %d HubSpot writes", w)
	}
	compareContents(t, "after the short run", hubspotContents(t, h), before)
	h.env.Buildium.SetShortPages(0)
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatalf("the complete run after: %v", err)
	}
	compareContents(t, "after the complete run", hubspotContents(t, h), before)
}

// TestOddRecordsCostOneLineEach: records Buildium sends in odd shapes (a
// null, Ids 0 and −5, a string Id, an Id over int32, EmergencyContact: [])
// are invalid lines, never keys in HubSpot, and the run goes on.
func TestOddRecordsCostOneLineEach(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 120, Seed: 13, Tier: "professional"})
	h.bdRate = 1000
	h.connect()
	h.env.Buildium.SetOddRecords(fault.OddAll)
	sum, rec, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatalf("odd records stopped the run: %v", err)
	}
	invalid := 0
	for _, ev := range rec.events {
		if is, ok := ev.(sync.Issue); ok && is.Action == sync.ActInvalid && strings.Contains(is.Message, "not a record b2h can use") {
			invalid++
		}
	}
	if invalid == 0 {
		t.Errorf("no odd record was reported invalid (%+v)", sum.Entities)
	}
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant}) {
		if k := c.props[mapping.KeyTenant]; k != "" && (k == "0" || strings.HasPrefix(k, "-") || len(k) > 10) {
			t.Errorf("a contact was keyed by Buildium id %q", k)
		}
	}
	for ent, c := range sum.Entities {
		if c.Accounted() != c.Read {
			t.Errorf("%s: read %d, outcomes %d", ent, c.Read, c.Accounted())
		}
	}
	t.Logf("odd records reported invalid: %d; %+v", invalid, sum.Entities)
}

// TestOddRecordsRemoveNothing: records that become unreadable after a
// complete sync (a lease, a unit, a tenant among them) make the next run's
// lists incomplete: it removes no association and blanks no field that a
// full read supports, and the run after them converges.
func TestOddRecordsRemoveNothing(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 200, Seed: 14, Tier: "enterprise"})
	h.bdRate = 1000
	h.connect()
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	before := hubspotContents(t, h)
	h.env.Buildium.SetOddRecords(fault.OddStringID | fault.OddBigID)
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatalf("odd records stopped the run: %v", err)
	}
	after := hubspotContents(t, h)
	for k := range before {
		if !after[k] {
			t.Errorf("lost while records were unreadable: %s", k)
		}
	}
	h.env.Buildium.SetOddRecords(0)
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	compareContents(t, "after the records are readable again", hubspotContents(t, h), before)
}
