package tui

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestReviewEndToEnd: a demo portfolio is synced against the simulators;
// the duplicate groups the generator planted, and a conflict made by
// editing one tenant in both systems, are decided through the Review
// screen with a mix of choices; the next sync applies them, and HubSpot,
// read back through its API, holds exactly the chosen values.
func TestReviewEndToEnd(t *testing.T) {
	env, err := sim.Start(sim.Options{Scale: 60, Seed: 11, Tier: "professional"})
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
	store := openStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(mode sync.Mode) sync.Summary {
		t.Helper()
		sum, err := sync.New(bd, hs, store, sync.ReporterFunc(func(sync.Event) {}), sync.Options{Mode: mode}).Run(ctx)
		if err != nil {
			t.Fatalf("%s sync: %v", mode, err)
		}
		return sum
	}
	contacts := func() map[string]map[string]string { // by Buildium tenant id
		t.Helper()
		out := map[string]map[string]string{}
		props := []string{mapping.KeyTenant, "firstname", "lastname", "email", "phone", "mobilephone", "address", "city", "state", "zip"}
		for page, err := range hs.ListObjects(ctx, "contacts", props) {
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page {
				if k := o.Prop(mapping.KeyTenant); k != "" {
					if out[k] != nil {
						t.Fatalf("tenant %s has two contacts", k)
					}
					m := map[string]string{"_id": o.ID}
					for _, p := range props {
						m[p] = o.Prop(p)
					}
					out[k] = m
				}
			}
		}
		return out
	}

	run(sync.Full)
	// A conflict: a synced tenant outside every group gets a new phone in
	// Buildium while someone edits it in HubSpot.
	before := contacts()
	var tenant, contact string
	for _, tn := range env.Buildium.Snapshot().Tenants {
		if c, ok := before[fmt.Sprint(tn.ID)]; ok && c["phone"] != "" {
			tenant, contact = fmt.Sprint(tn.ID), c["_id"]
			break
		}
	}
	if contact == "" {
		t.Fatal("no synced tenant with a phone")
	}
	if err := env.HubSpot.EditObject("contacts", contact, map[string]string{"phone": "+14155550111"}); err != nil {
		t.Fatal(err)
	}
	var id32 int32
	fmt.Sscan(tenant, &id32)
	if err := env.Buildium.UpdateTenant(id32, func(tn *buildium.Tenant) {
		tn.PhoneNumbers = []buildium.PhoneNumber{{Number: "(415) 555-0122", Type: "Cell"}}
	}); err != nil {
		t.Fatal(err)
	}
	run(sync.Incremental)

	// The Review screen, on the real state file.
	d := testDeps(t)
	d.Store, d.Reviewer = fixedPathStore{store}, "consultant"
	m := newTestModel(t, d, 120, 40)
	m, cmd := send(m, goTo(scrReview))
	m, _ = send(m, cmd())
	var groups []reviewEntry
	var conflictID string
	for _, e := range m.review.entries {
		switch {
		case e.kind == kindGroup && e.dup != nil:
			groups = append(groups, e)
		case e.kind == kindConflict && e.conf != nil && e.conf.SourceID == tenant:
			conflictID = e.item.ID
		}
	}
	if len(groups) < 3 || conflictID == "" {
		t.Fatalf("the demo planted %d duplicate groups (want 3 or more) and conflict %q", len(groups), conflictID)
	}

	// 1. Merge, the second member primary, one field taken from the first
	// member, one edited.
	merge := groups[0]
	ids := merge.members()
	m = openItem(t, m, merge.item.ID)
	m, _ = press(m, "p")
	take := differingField(merge, ids[0], ids[1])
	m = toField(t, m, take)
	m, _ = press(m, "left")
	m = toField(t, m, "lastname")
	m, _ = press(m, "e")
	m.review.detail.input.SetValue("Reviewed-By-Hand")
	m, _ = press(m, "enter", "enter")
	wantDecision(t, m, merge.item.ID, "duplicate", sync.DupMerge, map[string]string{"primary": ids[1], take: ids[0], "lastname": "value:Reviewed-By-Hand"})

	// 2. Keep separate, the second member keeping a shared email.
	sep := groups[1]
	m = openItem(t, m, sep.item.ID)
	m, _ = press(m, "p", "2", "enter")
	wantDecision(t, m, sep.item.ID, "duplicate", sync.DupKeepSeparate, map[string]string{"primary": sep.members()[1]})

	// 3. Skip every other group.
	for _, g := range groups[2:] {
		m = openItem(t, m, g.item.ID)
		m, _ = press(m, "3", "enter")
		wantDecision(t, m, g.item.ID, "duplicate", sync.DupSkip, nil)
	}

	// 4. The conflict (the phone; the mobile changed in Buildium only): an
	// edited value.
	m = openItem(t, m, conflictID)
	if f := m.review.entry().fields; !slices.Equal(f, []string{"phone"}) {
		t.Fatalf("the conflict is on %v, want the phone alone", f)
	}
	m, _ = press(m, "e")
	m.review.detail.input.SetValue("+14155550177")
	m, _ = press(m, "enter", "enter")
	wantDecision(t, m, conflictID, "conflict", "fields", map[string]string{"phone": "value:+14155550177"})

	// The next sync applies every decision: an incremental one, as
	// reviewScreen.applyNow starts (it fetches the decided records).
	run(sync.Incremental)
	after := contacts()
	member := func(e reviewEntry, id string) map[string]string { return e.member(id).Properties }

	prim, other := member(merge, ids[1]), member(merge, ids[0])
	got, ok := after[ids[1]]
	switch {
	case !ok:
		t.Fatalf("merged group: no contact for the primary %s", ids[1])
	case after[ids[0]] != nil:
		t.Errorf("merged group: %s still has a contact of its own", ids[0])
	}
	want := maps.Clone(prim)
	want[take] = other[take]
	want["lastname"] = "Reviewed-By-Hand"
	for k, v := range want {
		if k == mapping.KeyTenant {
			continue
		}
		if g, inList := got[k]; inList && g != v {
			t.Errorf("merged contact %s = %q, want %q", k, g, v)
		}
	}
	if m, err := store.Mapping(state.Kind(mapping.Tenants), ids[0]); err != nil || m.HubSpotID != got["_id"] {
		t.Errorf("merged member %s maps to %q, want the primary's contact %s (%v)", ids[0], m.HubSpotID, got["_id"], err)
	}

	sids := sep.members()
	p, o := after[sids[1]], after[sids[0]]
	if p == nil || o == nil {
		t.Fatalf("keep separate: contacts %v / %v", p != nil, o != nil)
	}
	pe, oe := member(sep, sids[1])["email"], member(sep, sids[0])["email"]
	if p["email"] != pe {
		t.Errorf("keep separate: the primary's email %q, want %q", p["email"], pe)
	}
	if wantOther := either(mapping.NormalizeEmail(oe) == mapping.NormalizeEmail(pe), "", oe); o["email"] != wantOther {
		t.Errorf("keep separate: the other's email %q, want %q", o["email"], wantOther)
	}

	for _, g := range groups[2:] {
		for _, id := range g.members() {
			if after[id] != nil {
				t.Errorf("skipped group: tenant %s reached HubSpot", id)
			}
		}
	}

	if got := after[tenant]["phone"]; got != "+14155550177" {
		t.Errorf("conflict: phone %q, want the edited +14155550177", got)
	}

	// Applied: the merge and the conflict leave the queue, their decisions
	// marked with the job that applied them.
	for _, id := range []string{merge.item.ID, conflictID} {
		if _, err := store.ReviewItem(id); err == nil {
			t.Errorf("%s is still open after the sync applied it", id)
		}
		if d, err := store.Decision(id); err != nil || d.AppliedByJob == "" {
			t.Errorf("%s not marked applied: %+v %v", id, d, err)
		}
	}
}

// differingField is a non-key property two members hold different values
// of (the one a person would pick), preferring the phone.
func differingField(e reviewEntry, a, b string) string {
	pa, pb := e.member(a).Properties, e.member(b).Properties
	for _, f := range append([]string{"phone", "firstname", "email", "address"}, e.fields...) {
		if !isKeyProperty(f) && f != "lastname" && pa[f] != pb[f] && pa[f] != "" {
			return f
		}
	}
	return "phone"
}
