package sync_test

import (
	"testing"

	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestFullSyncSendsTheMinimalRequests is the request-count regression guard
// (issue: performance): a full sync of a fixed demo dataset sends exactly
// the minimal number of HubSpot requests — one upsert per 100 records
// written, one association call per 2,000 associations of an object-type
// pair, plus the account check and schema bootstrap — so any change that
// adds requests fails here.
func TestFullSyncSendsTheMinimalRequests(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 700, Seed: 1, Tier: "enterprise"})
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	st := h.env.HubSpot.Stats()
	var minimal, overhead int64
	for k, v := range st.ByKind {
		switch k {
		case "objects.batch.upsert", "associations.batch.create", "associations.batch.default":
		default:
			overhead += v
		}
	}
	minimal += overhead
	for _, ent := range []mapping.Entity{mapping.Properties, mapping.Units, mapping.Tenants, mapping.EmergencyContacts} {
		c := sum.Entities[ent]
		minimal += int64((c.Created + c.Updated + 99) / 100)
	}
	pairs := map[string]int{}
	if err := h.st.ForEachMapping("associations", func(m state.Mapping) error {
		k := m.HubSpotType + "|labelled"
		if m.Extra["label"] == "" {
			k = m.HubSpotType + "|default"
		}
		pairs[k]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, n := range pairs {
		minimal += int64((n + 1999) / 2000)
	}
	if st.Requests != minimal {
		t.Fatalf("full sync sent %d HubSpot requests, the minimum is %d (%v; %+v)", st.Requests, minimal, st.ByKind, sum.Entities)
	}
	if st.RateLimited != 0 {
		t.Errorf("%d requests were rate limited", st.RateLimited)
	}
}
