package sync_test

import (
	"context"
	"testing"

	"b2h/clients/sim"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestVerifyFindsWhatChangedInHubSpot: right after a sync the consistency
// check finds nothing; after a person edits a contact in HubSpot it names
// that record and field.
func TestVerifyFindsWhatChangedInHubSpot(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 120, Seed: 2, Tier: "enterprise"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	eng := sync.New(h.bd, h.hs, h.st, nil, sync.Options{})
	res, err := eng.Verify(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked[mapping.Tenants] == 0 || res.Checked[mapping.Units] == 0 {
		t.Fatalf("nothing checked: %+v", res.Checked)
	}
	if len(res.Differences) != 0 {
		t.Fatalf("fresh sync differs from state: %+v", res.Differences[0])
	}
	var target object
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant}) {
		if c.props[mapping.KeyTenant] != "" {
			target = c
			break
		}
	}
	if err := h.env.HubSpot.EditObject("contacts", target.id, map[string]string{"firstname": "Changed By A Person"}); err != nil {
		t.Fatal(err)
	}
	res, err = eng.Verify(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Differences) != 1 || res.Differences[0].HubSpotID != target.id || res.Differences[0].Field != "firstname" ||
		res.Differences[0].HubSpot != "Changed By A Person" || res.Differing[mapping.Tenants] != 1 {
		t.Fatalf("differences %+v", res.Differences)
	}
}
