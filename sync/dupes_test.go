package sync_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/clients/sim/gen"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// dupePortfolio is a small clean portfolio with one planted duplicate pair
// of the given kind: tenants a and b.
func dupePortfolio(t *testing.T, kind string) (p *gen.Portfolio, a, b int32) {
	t.Helper()
	p = gen.Generate(gen.Options{Scale: 40, Seed: 77})
	var clean []int32
	seenEmail := map[string]int{}
	for _, tn := range p.Tenants {
		seenEmail[mapping.NormalizeEmail(tn.Email)]++
	}
	for _, tn := range p.Tenants {
		em := mapping.NormalizeEmail(tn.Email)
		if tn.FirstName != "" && tn.LastName != "" && mapping.ValidEmail(em) && seenEmail[em] == 1 {
			clean = append(clean, tn.ID)
		}
	}
	if len(clean) < 2 {
		t.Fatal("generator gave too few clean tenants")
	}
	a, b = clean[0], clean[1]
	idx := map[int32]*buildium.Tenant{}
	for i := range p.Tenants {
		idx[p.Tenants[i].ID] = &p.Tenants[i]
	}
	ta, tb := idx[a], idx[b]
	switch kind {
	case "email":
		tb.Email = "  " + ta.Email + " " // a case/space variant of the same address
	case "altemail":
		tb.AlternateEmail = ta.Email
	case "namephone":
		tb.FirstName, tb.LastName = ta.FirstName, ta.LastName
		tb.PhoneNumbers = ta.PhoneNumbers
		if len(ta.PhoneNumbers) == 0 {
			ph := []buildium.PhoneNumber{{Number: "(415) 555-0142", Type: "Cell"}}
			ta.PhoneNumbers, tb.PhoneNumbers = ph, ph
		}
	}
	return p, a, b
}

// TestDuplicatesHeldThenDecided: each duplicate category is detected before
// anything is written, held (no contact for either member, no 409 from
// HubSpot), and lands as decided.
func TestDuplicatesHeldThenDecided(t *testing.T) {
	for _, kind := range []string{"email", "altemail", "namephone"} {
		for _, res := range []string{sync.DupMerge, sync.DupKeepSeparate, sync.DupSkip} {
			// The decision applies on the next run, full or incremental (an
			// incremental run fetches decided records Buildium did not touch).
			mode := sync.Full
			if kind != "email" {
				mode = sync.Incremental
			}
			t.Run(kind+"/"+res, func(t *testing.T) {
				p, a, b := dupePortfolio(t, kind)
				h := newHarness(t, sim.Options{Portfolio: p, Tier: "professional"})
				sum1, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
				if err != nil {
					t.Fatal(err)
				}
				contacts := func() map[string]object {
					m := map[string]object{}
					for _, c := range h.readAll("contacts", []string{mapping.KeyTenant, "email", "firstname"}) {
						if k := c.props[mapping.KeyTenant]; k != "" {
							m[k] = c
						}
					}
					return m
				}
				got := contacts()
				if _, ok := got[fmt.Sprint(a)]; ok {
					t.Fatalf("tenant %d of an undecided duplicate group was written", a)
				}
				if _, ok := got[fmt.Sprint(b)]; ok {
					t.Fatalf("tenant %d of an undecided duplicate group was written", b)
				}
				if n := h.env.HubSpot.Stats().Errors[409]; n != 0 {
					t.Fatalf("HubSpot answered %d 409s", n)
				}
				items, err := h.st.ReviewItems("open")
				if err != nil {
					t.Fatal(err)
				}
				var group string
				for _, it := range items {
					if it.Type == "duplicate" && len(it.SourceIDs) == 2 && it.SourceIDs[0] == fmt.Sprint(a) && it.SourceIDs[1] == fmt.Sprint(b) {
						group = it.ID
					}
				}
				if group == "" {
					t.Fatalf("no review item for the %s pair %d/%d: %+v", kind, a, b, items)
				}
				// The item carries both members' values for the review screen.
				gi, err := h.st.ReviewItem(group)
				if err != nil {
					t.Fatal(err)
				}
				var pl sync.DuplicatePayload
				if err := json.Unmarshal(gi.Payload, &pl); err != nil {
					t.Fatalf("group payload: %v (%q)", err, gi.Payload)
				}
				if len(pl.Members) != 2 || pl.Members[0].SourceID != fmt.Sprint(a) || pl.Members[1].SourceID != fmt.Sprint(b) ||
					pl.Members[0].Properties[mapping.KeyTenant] != fmt.Sprint(a) || pl.Members[1].Properties["firstname"] == "" || pl.Reason == "" {
					t.Errorf("group payload: %+v", pl)
				}
				if err := h.st.PutDecision(state.Decision{ID: group, Type: "duplicate", Resolution: res, DecidedBy: "test"}); err != nil {
					t.Fatal(err)
				}
				sum, _, err := h.run(sync.Options{Mode: mode, Today: fixedNow})
				if err != nil {
					t.Fatal(err)
				}
				got = contacts()
				ca, okA := got[fmt.Sprint(a)]
				_, okB := got[fmt.Sprint(b)]
				switch res {
				case sync.DupSkip:
					if okA || okB {
						t.Errorf("skip: a=%v b=%v in HubSpot", okA, okB)
					}
				case sync.DupMerge:
					if !okA || okB {
						t.Errorf("merge: want one contact (a's), got a=%v b=%v", okA, okB)
					}
					ma, _ := h.st.Mapping(state.Kind(mapping.Tenants), fmt.Sprint(a))
					mb, err := h.st.Mapping(state.Kind(mapping.Tenants), fmt.Sprint(b))
					if err != nil || mb.HubSpotID != ca.id || ma.HubSpotID != ca.id {
						t.Errorf("merge: b maps to %q, want a's contact %s (%v)", mb.HubSpotID, ca.id, err)
					}
				case sync.DupKeepSeparate:
					if !okA || !okB {
						t.Errorf("keep separate: want both, got a=%v b=%v", okA, okB)
					}
				}
				if mode == sync.Incremental {
					// Only the decided pair was fetched; the other groups are
					// untouched and stay held, unread.
					if c := sum.Entities[mapping.Tenants]; c.Duplicates != 0 || c.Read < 2 {
						t.Errorf("incremental run: %+v, want the decided pair read and no duplicate", c)
					}
				} else if d1, d2 := sum1.Entities[mapping.Tenants].Duplicates, sum.Entities[mapping.Tenants].Duplicates; d2 != d1-2 {
					t.Errorf("duplicates %d before the decision, %d after; want the decided pair (2) gone", d1, d2)
				}
				if _, err := h.st.ReviewItem(group); err == nil {
					t.Errorf("the group's review item is still open after the %s run applied %s", mode, res)
				}
				if d, err := h.st.Decision(group); err != nil || d.AppliedByJob != sum.JobID {
					t.Errorf("decision applied by %q (%v), want this run's job %s", d.AppliedByJob, err, sum.JobID)
				}
				// It stands: a third run changes nothing and opens nothing.
				sum3, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
				if err != nil {
					t.Fatal(err)
				}
				if c := sum3.Entities[mapping.Tenants]; c.Created+c.Updated != 0 {
					t.Errorf("a third run wrote tenants again: %+v", c)
				}
				if _, err := h.st.ReviewItem(group); err == nil {
					t.Error("the third run opened the decided group again")
				}
			})
		}
	}
}

// TestExistingHubSpotContact: a tenant whose email already belongs to a
// HubSpot contact b2h did not create is held (and never sent again while
// undecided), then lands as decided: adopted (the existing contact gets the
// tenant's id, no second contact), kept separate (a contact of its own
// without the email), or skipped.
func TestExistingHubSpotContact(t *testing.T) {
	for _, res := range []string{sync.DupAdopt, sync.DupKeepSeparate, sync.DupSkip} {
		t.Run(res, func(t *testing.T) {
			p, a, _ := dupePortfolio(t, "none")
			var email string
			for _, tn := range p.Tenants {
				if tn.ID == a {
					email = mapping.NormalizeEmail(tn.Email)
				}
			}
			h := newHarness(t, sim.Options{Portfolio: p, Tier: "professional"})
			existing := h.env.HubSpot.SeedContact(map[string]string{"email": email, "firstname": "Already", "lastname": "There"})
			if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			xid := sync.ExistingID(mapping.Tenants, fmt.Sprint(a))
			it, err := h.st.ReviewItem(xid)
			if err != nil {
				t.Fatalf("no review item for the existing contact: %v", err)
			}
			var pl sync.DuplicatePayload
			if err := json.Unmarshal(it.Payload, &pl); err != nil {
				t.Fatalf("payload: %v", err)
			}
			if pl.ExistingContactID != existing || len(pl.Members) != 1 || pl.Members[0].SourceID != fmt.Sprint(a) ||
				pl.HubSpot["firstname"] != "Already" || pl.HubSpot["email"] != email {
				t.Errorf("existing-contact payload: %+v", pl)
			}
			// A second run holds it without sending it to HubSpot again.
			before := h.env.HubSpot.Stats().Errors
			if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			if after := h.env.HubSpot.Stats().Errors; after[409]+after[207] != before[409]+before[207] {
				t.Errorf("a known duplicate was sent again (errors before %v after %v)", before, after)
			}
			if err := h.st.PutDecision(state.Decision{ID: it.ID, Type: "duplicate", Resolution: res,
				Fields: map[string]string{"existing_contact_id": existing}, DecidedBy: "test"}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			withEmail, withKey := 0, ""
			for _, c := range h.readAll("contacts", []string{mapping.KeyTenant, "email"}) {
				if c.props["email"] == email {
					withEmail++
				}
				if c.props[mapping.KeyTenant] == fmt.Sprint(a) {
					withKey = c.id
				}
			}
			if withEmail != 1 {
				t.Errorf("%d contacts hold the email, want 1", withEmail)
			}
			switch res {
			case sync.DupAdopt:
				if withKey != existing {
					t.Errorf("adopt: tenant %d is on contact %q, want the existing %s", a, withKey, existing)
				}
				// The audit keeps what adopting overwrote.
				jobs, _ := h.st.Jobs(1)
				var old string
				_ = h.st.Audit(jobs[0].ID, func(e state.AuditEntry) error {
					for _, c := range e.Changes {
						if e.Action == state.ActionAdopt && c.Field == "firstname" {
							old = c.Old
						}
					}
					return nil
				})
				if old != "Already" {
					t.Errorf("adopt audit: firstname was %q before, want %q", old, "Already")
				}
			case sync.DupKeepSeparate:
				if withKey == "" || withKey == existing {
					t.Errorf("keep separate: tenant %d is on contact %q, want a new one", a, withKey)
				}
			case sync.DupSkip:
				if withKey != "" {
					t.Errorf("skip: tenant %d reached HubSpot (%s)", a, withKey)
				}
			}
			if _, err := h.st.ReviewItem(xid); err == nil {
				t.Errorf("%s: the review item is still open after the run applied it", res)
			}
			// The decision stands: a later run sends nothing that collides
			// and opens nothing again.
			errsBefore := h.env.HubSpot.Stats().Errors
			if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			if after := h.env.HubSpot.Stats().Errors; after[409]+after[207] != errsBefore[409]+errsBefore[207] {
				t.Errorf("%s: a later run collided with the existing contact again (errors %v → %v)", res, errsBefore, after)
			}
			if _, err := h.st.ReviewItem(xid); err == nil {
				t.Errorf("%s: a later run opened the item again", res)
			}
		})
	}
}

// TestEmergencyContactWhoIsATenant: an emergency contact with a tenant's
// email is not created again: the configured default links the tenant's
// own contact under the Emergency contact label.
func TestEmergencyContactWhoIsATenant(t *testing.T) {
	p, a, b := dupePortfolio(t, "none")
	var emailA string
	for i := range p.Tenants {
		if p.Tenants[i].ID == a {
			emailA = p.Tenants[i].Email
		}
	}
	for i := range p.Tenants {
		if p.Tenants[i].ID == b {
			p.Tenants[i].EmergencyContact = &buildium.EmergencyContact{Name: "Someone Else", Email: strings.ToUpper(emailA), Phone: "(415) 555-0100"}
		}
	}
	h := newHarness(t, sim.Options{Portfolio: p, Tier: "professional"})
	sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	n := 0
	for _, c := range h.readAll("contacts", []string{mapping.KeyTenant, "email"}) {
		ids[c.props[mapping.KeyTenant]] = c.id
		if c.props["email"] == mapping.NormalizeEmail(emailA) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d contacts with the shared email, want 1", n)
	}
	got := h.assocs("contacts", "contacts", []string{ids[fmt.Sprint(b)]})
	if !got[ids[fmt.Sprint(b)]+">"+ids[fmt.Sprint(a)]+":"+sync.LabelEmergencyContact] {
		t.Errorf("tenant %d is not linked to tenant %d as emergency contact: %v", b, a, got)
	}
	if sum.Entities[mapping.EmergencyContacts].Skipped == 0 {
		t.Errorf("the linked emergency contact is not accounted: %+v", sum.Entities[mapping.EmergencyContacts])
	}
}

// TestVanishedDuplicateGroupClosesItsReviewItem: when Buildium edits break
// up a held group (one member gets an email of their own), its review item
// closes (it would otherwise stay open, or decided, for ever) and both
// tenants land as ordinary records.
func TestVanishedDuplicateGroupClosesItsReviewItem(t *testing.T) {
	for _, decided := range []bool{false, true} {
		t.Run(fmt.Sprintf("decided=%v", decided), func(t *testing.T) {
			p, a, b := dupePortfolio(t, "email")
			h := newHarness(t, sim.Options{Portfolio: p, Tier: "professional"})
			if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			var group string
			items, _ := h.st.ReviewItems("open")
			for _, it := range items {
				if slices.Contains(it.SourceIDs, fmt.Sprint(a)) && slices.Contains(it.SourceIDs, fmt.Sprint(b)) {
					group = it.ID
				}
			}
			if group == "" {
				t.Fatal("the pair was not held")
			}
			if decided {
				if err := h.st.PutDecision(state.Decision{ID: group, Type: "duplicate", Resolution: sync.DupSkip, DecidedBy: "test"}); err != nil {
					t.Fatal(err)
				}
			}
			if err := h.env.Buildium.UpdateTenant(b, func(tn *buildium.Tenant) { tn.Email = "someone.else.entirely@example.org" }); err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.run(sync.Options{Mode: sync.Incremental, Today: fixedNow}); err != nil {
				t.Fatal(err)
			}
			if _, err := h.st.ReviewItem(group); err == nil {
				t.Fatal("the vanished group's review item is still open")
			}
			for _, id := range []int32{a, b} {
				if m, err := h.st.Mapping(state.Kind(mapping.Tenants), fmt.Sprint(id)); err != nil || m.HubSpotID == "" {
					t.Errorf("tenant %d did not land once its group was gone: %v", id, err)
				}
			}
		})
	}
}

// TestStaleAssociationSparesASharedPair: a merged tenant's lease and its
// primary's on the same unit are two associations on one HubSpot pair (the
// primary's contact, the unit). When the merged tenant's lease moves away,
// removing its association must leave the primary's in HubSpot.
func TestStaleAssociationSparesASharedPair(t *testing.T) {
	p, a, b := dupePortfolio(t, "email")
	var unit, prop, other int32
	for _, l := range p.Leases {
		for _, lt := range l.Tenants {
			if lt.ID == b && unit == 0 {
				unit, prop = l.UnitID, l.PropertyID
			}
		}
	}
	for _, u := range p.Units {
		if u.ID != unit && other == 0 {
			other = u.ID
		}
	}
	if unit == 0 || other == 0 {
		t.Fatal("the primary has no lease: the test proves nothing")
	}
	h, pair := mergeOntoPrimary(t, p, a, b, unit, prop)
	linked := func() bool { _, ok := pair(); return ok }
	if !linked() {
		t.Fatal("the primary is not associated with its unit after the merge")
	}
	if err := h.env.Buildium.UpdateLease(5999001, func(l *buildium.Lease) { l.UnitID = other }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	if !linked() {
		t.Error("moving the merged tenant's lease away removed the primary's own association with the unit")
	}
}

// TestLabelChangeSparesASharedPair: a merged tenant's lease and its
// primary's on the same unit share one HubSpot pair with the same label.
// When the merged tenant's lease ends, its label changes (Current → Past):
// the old label must stay on the pair, for the primary's lease still has it.
func TestLabelChangeSparesASharedPair(t *testing.T) {
	p, a, b := dupePortfolio(t, "email")
	var unit, prop int32
	from := fixedNow().AddDate(0, -2, 0).Format("2006-01-02")
	to := fixedNow().AddDate(1, 0, 0).Format("2006-01-02")
	for i := range p.Leases {
		l := &p.Leases[i]
		for j, lt := range l.Tenants {
			if lt.ID == b && unit == 0 {
				unit, prop = l.UnitID, l.PropertyID
				l.LeaseStatus, l.LeaseFromDate, l.LeaseToDate = "Active", from, to
				l.Tenants[j].Status = "Current"
				// Current means no move-out either (a past one would win).
				l.MoveOutData = slices.DeleteFunc(slices.Clone(l.MoveOutData), func(m buildium.MoveOut) bool { return m.TenantID == b })
			}
		}
	}
	if unit == 0 {
		t.Fatal("the primary has no lease: the test proves nothing")
	}
	h, pair := mergeOntoPrimary(t, p, a, b, unit, prop)
	labels := func() []string { l, _ := pair(); return l }
	if !slices.Contains(labels(), sync.LabelCurrentTenant) {
		t.Fatalf("after the merge the primary's pair has labels %q, want %q among them", labels(), sync.LabelCurrentTenant)
	}
	if err := h.env.Buildium.UpdateLease(5999001, func(l *buildium.Lease) {
		l.LeaseStatus = "Past"
		l.Tenants[0].Status = "MovedOut"
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	got := labels()
	if !slices.Contains(got, sync.LabelCurrentTenant) {
		t.Errorf("the merged tenant's lease ended and took the primary's %q label with it: pair has %q", sync.LabelCurrentTenant, got)
	}
	if !slices.Contains(got, sync.LabelPastTenant) {
		t.Errorf("pair has %q, want %q for the ended lease too", got, sync.LabelPastTenant)
	}
}

// mergeOntoPrimary adds lease 5999001 (a, current, on unit of property
// prop), syncs, merges the held pair a/b onto b, and syncs again: a's and
// b's leases on unit are then two associations on one HubSpot pair. pair
// returns that pair's labels now, and whether it exists.
func mergeOntoPrimary(t *testing.T, p *gen.Portfolio, a, b, unit, prop int32) (*harness, func() ([]string, bool)) {
	t.Helper()
	from := fixedNow().AddDate(0, -2, 0).Format("2006-01-02")
	to := fixedNow().AddDate(1, 0, 0).Format("2006-01-02")
	p.Leases = append(p.Leases, buildium.Lease{ID: 5999001, PropertyID: prop, UnitID: unit, LeaseFromDate: from, LeaseToDate: to,
		LeaseStatus: "Active", Tenants: []buildium.LeaseTenant{{ID: a, Status: "Current"}}})
	h := newHarness(t, sim.Options{Portfolio: p, Tier: "enterprise"})
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	items, _ := h.st.ReviewItems("open")
	var group string
	for _, it := range items {
		if slices.Contains(it.SourceIDs, fmt.Sprint(a)) && slices.Contains(it.SourceIDs, fmt.Sprint(b)) {
			group = it.ID
		}
	}
	if group == "" {
		t.Fatal("the pair was not held")
	}
	if err := h.st.PutDecision(state.Decision{ID: group, Type: "duplicate", Resolution: sync.DupMerge,
		Fields: map[string]string{"primary": fmt.Sprint(b)}, DecidedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	acct, _ := h.st.Account()
	mb, err := h.st.Mapping(state.Kind(mapping.Tenants), fmt.Sprint(b))
	if err != nil {
		t.Fatal(err)
	}
	mu, err := h.st.Mapping(state.Kind(mapping.Units), fmt.Sprint(unit))
	if err != nil {
		t.Fatal(err)
	}
	return h, func() ([]string, bool) {
		for _, as := range h.env.HubSpot.Associations("contacts", acct.UnitObjectType) {
			if as.FromID == mb.HubSpotID && as.ToID == mu.HubSpotID {
				return as.Labels, true
			}
		}
		return nil, false
	}
}
