package sync_test

import (
	"strconv"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/clients/sim/buildiumsim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestRecreatedTenantIsRekeyed: a tenant re-created in Buildium (a new id,
// the same email) is recognised as the contact b2h made, offered as one
// re-key decision, and after it ends as one contact with one mapping.
func TestRecreatedTenantIsRekeyed(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 60, Seed: 21, Tier: "professional"})
	h.bdRate = 1000
	h.connect()
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	p := h.env.Buildium.Snapshot()
	// A tenant with a contact of their own and a unique valid email.
	count := map[string]int{}
	for _, x := range p.Tenants {
		count[mapping.NormalizeEmail(x.Email)]++
	}
	var old buildium.Tenant
	var oldMap state.Mapping
	for _, x := range p.Tenants {
		em := mapping.NormalizeEmail(x.Email)
		if count[em] != 1 || !mapping.ValidEmail(em) {
			continue
		}
		ms, err := h.st.MappingsByKey(state.Kind(mapping.Tenants), []string{id32s(x.ID)})
		if err == nil && ms[id32s(x.ID)].HubSpotID != "" {
			old, oldMap = x, ms[id32s(x.ID)]
			break
		}
	}
	if old.ID == 0 {
		t.Fatal("no synced tenant with a unique email")
	}
	const newID = 1999999
	for i := range p.Tenants {
		if p.Tenants[i].ID == old.ID {
			p.Tenants[i].ID = newID
		}
	}
	for i := range p.Leases {
		for j := range p.Leases[i].Tenants {
			if p.Leases[i].Tenants[j].ID == old.ID {
				p.Leases[i].Tenants[j].ID = newID
			}
		}
	}
	srv := buildiumsim.New(buildiumsim.Options{Portfolio: p})
	url, err := srv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cid, secret := srv.Credentials()
	if h.bd, err = buildium.New(buildium.Options{BaseURL: url, ClientID: cid, ClientSecret: secret, RatePerSecond: 1000}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	items, err := h.st.ReviewItems("open")
	if err != nil {
		t.Fatal(err)
	}
	var item state.ReviewItem
	for _, it := range items {
		if strings.Contains(strings.Join(it.SourceIDs, ","), id32s(newID)) {
			item = it
		}
	}
	if !strings.Contains(item.Summary, "re-key") || !strings.Contains(item.Summary, id32s(old.ID)) {
		t.Fatalf("the re-created tenant's review item says %q, want a re-key of %d", item.Summary, old.ID)
	}
	if err := h.st.PutDecision(state.Decision{ID: item.ID, Type: "duplicate", Resolution: sync.DupAdopt,
		Fields: map[string]string{"existing_contact_id": oldMap.HubSpotID}, DecidedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	ms, err := h.st.MappingsByHubSpot("contacts", oldMap.HubSpotID)
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	for _, m := range ms {
		if m.Kind == state.Kind(mapping.Tenants) {
			srcs = append(srcs, m.SourceID)
		}
	}
	if len(srcs) != 1 || srcs[0] != id32s(newID) {
		t.Errorf("contact %s carries tenant mappings %q, want only %d", oldMap.HubSpotID, srcs, newID)
	}
	n := 0
	for _, c := range h.readAll("contacts", []string{"email"}) {
		if c.props["email"] == mapping.NormalizeEmail(old.Email) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d contacts hold the re-created tenant's email, want 1", n)
	}
}

func id32s(id int32) string { return strconv.Itoa(int(id)) }
