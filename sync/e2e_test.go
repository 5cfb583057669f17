package sync_test

import (
	"fmt"
	"testing"
	"time"

	"b2h/clients/buildium"
	"b2h/clients/sim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestFullSyncEndToEnd runs a full sync of a generated portfolio (with its
// dirt) over loopback on both unit mappings, reads HubSpot back through its
// public API and checks that every Buildium record is in HubSpot exactly
// once with the expected values, or is reported — none unaccounted for.
// A second run of unchanged data must send no write.
func TestFullSyncEndToEnd(t *testing.T) {
	scale := 2000
	if testing.Short() {
		scale = 400
	}
	for _, tier := range []string{"enterprise", "professional"} {
		t.Run(tier, func(t *testing.T) {
			h := newHarness(t, sim.Options{Scale: scale, Seed: 7, Tier: tier})
			rollOverEndedLeases(t, h, 6)
			sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
			if err != nil {
				t.Fatalf("run: %v (summary %+v)", err, sum)
			}
			if sum.Status != sync.StatusDone && sum.Status != sync.StatusDoneWithErrors {
				t.Fatalf("status %s", sum.Status)
			}
			acct, err := h.st.Account()
			if err != nil {
				t.Fatal(err)
			}
			wantMode := map[string]string{"enterprise": sync.UnitCustomObject, "professional": sync.UnitListing}[tier]
			if acct.UnitMode != wantMode {
				t.Fatalf("unit mode %s, want %s", acct.UnitMode, wantMode)
			}
			t.Logf("summary: %+v hubspot %+v buildium %+v", sum.Entities, sum.HubSpot, sum.Buildium)
			checkLanded(t, h, sum, acct)

			before := h.env.HubSpot.Stats()
			sum2, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			after := h.env.HubSpot.Stats()
			if w := after.Writes - before.Writes; w != 0 {
				t.Fatalf("second full sync of unchanged data sent %d HubSpot writes, want 0 (%v)", w, sum2.Entities)
			}
			// The summary counts this run's requests, not the client's
			// lifetime (the same clients served the first run).
			if sum2.HubSpot.Writes != 0 || sum2.HubSpot.Requests != after.Requests-before.Requests {
				t.Errorf("second summary: %+v; the simulator saw %d requests, 0 writes", sum2.HubSpot, after.Requests-before.Requests)
			}
			for ent, c := range sum2.Entities {
				if c.Created+c.Updated != 0 {
					t.Errorf("second run %s: created %d updated %d, want 0", ent, c.Created, c.Updated)
				}
			}
		})
	}
}

// fixedNow pins "today" to the generator's reference day, so lease labels
// computed from dates are stable.
func fixedNow() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// rollOverEndedLeases makes n active fixed leases roll over past their end
// date (half FixedWithRollover, half month-to-month), as Buildium keeps
// them: still Active, LeaseToDate before today. Their tenants are current
// (mapping.LeaseLabel), which checkLanded expects of their associations.
func rollOverEndedLeases(t *testing.T, h *harness, n int) {
	t.Helper()
	end := fixedNow().AddDate(0, 0, -40)
	done := 0
	for _, l := range h.env.Buildium.Snapshot().Leases {
		if done == n || l.LeaseStatus != "Active" || l.LeaseType != "Fixed" || len(l.Tenants) == 0 || l.LeaseToDate <= end.Format(time.DateOnly) {
			continue
		}
		odd := done%2 == 1
		if err := h.env.Buildium.UpdateLease(l.ID, func(l *buildium.Lease) {
			l.LeaseFromDate, l.LeaseToDate = end.AddDate(-1, 0, 1).Format(time.DateOnly), end.Format(time.DateOnly)
			if l.LeaseType = "FixedWithRollover"; odd {
				l.LeaseType, l.TermType = "Fixed", "MonthToMonth"
			}
		}); err != nil {
			t.Fatal(err)
		}
		done++
	}
	if done < n {
		t.Fatalf("%d active fixed leases to roll over; want %d", done, n)
	}
}

// checkLanded compares HubSpot with the Buildium portfolio.
func checkLanded(t *testing.T, h *harness, sum sync.Summary, acct state.Account) {
	t.Helper()
	p := h.env.Buildium.Snapshot()
	unitTarget := mapping.TargetUnit
	if acct.UnitMode == sync.UnitListing {
		unitTarget = mapping.TargetListings
	}
	m := mapping.Default(mapping.Options{UnitTarget: unitTarget})

	// Every entity's outcomes add up to what was read.
	for ent, c := range sum.Entities {
		if c.Accounted() != c.Read {
			t.Errorf("%s: read %d but outcomes add to %d (%+v)", ent, c.Read, c.Accounted(), c)
		}
	}
	if got := sum.Entities[mapping.Tenants].Read; got != len(p.Tenants) {
		t.Errorf("tenants read %d, Buildium has %d", got, len(p.Tenants))
	}
	if got := sum.Entities[mapping.Properties].Read; got != len(p.Rentals) {
		t.Errorf("properties read %d, Buildium has %d", got, len(p.Rentals))
	}
	if got := sum.Entities[mapping.Units].Read; got != len(p.Units) {
		t.Errorf("units read %d, Buildium has %d", got, len(p.Units))
	}
	if got := sum.Entities[mapping.Leases].Read; got != len(p.Leases) {
		t.Errorf("leases read %d, Buildium has %d", got, len(p.Leases))
	}

	// Contacts: one per key, no shared email, values as mapped.
	tenantProps := propNames(m, mapping.Tenants)
	contacts := h.readAll("contacts", append(tenantProps, mapping.KeyEmergencyContact))
	byTenant := map[string]object{}
	emails := map[string]string{}
	for _, c := range contacts {
		if em := c.props["email"]; em != "" {
			if other, dup := emails[em]; dup {
				t.Errorf("contacts %s and %s share the email %s", other, c.id, em)
			}
			emails[em] = c.id
		}
		k := c.props[mapping.KeyTenant]
		if k == "" {
			continue
		}
		if _, dup := byTenant[k]; dup {
			t.Errorf("two contacts carry buildium_tenant_id %s", k)
		}
		byTenant[k] = c
	}
	unaccounted := 0
	for _, tn := range p.Tenants {
		rec := m.Tenant(tn)
		got, in := byTenant[rec.SourceID]
		switch {
		case !rec.Valid() && in:
			t.Errorf("invalid tenant %s reached HubSpot", rec.SourceID)
		case in:
			for k, v := range rec.Properties {
				if got.props[k] != v {
					t.Errorf("tenant %s: HubSpot %s = %q, want %q", rec.SourceID, k, got.props[k], v)
				}
			}
		default:
			if !reported(t, h, state.Kind(mapping.Tenants), rec.SourceID) {
				unaccounted++
				t.Errorf("tenant %s is neither in HubSpot nor reported", rec.SourceID)
			}
		}
	}
	if unaccounted == 0 && len(byTenant) == 0 {
		t.Fatal("no tenant reached HubSpot")
	}

	// Listings for properties; units in their own object or as listings.
	listings := h.readAll("0-420", []string{mapping.KeyProperty, mapping.KeyUnit, mapping.RecordTypeProperty, "hs_name"})
	propListing := map[string]string{}
	unitRecord := map[string]string{}
	for _, l := range listings {
		switch l.props[mapping.RecordTypeProperty] {
		case "property":
			propListing[l.props[mapping.KeyProperty]] = l.id
		case "unit":
			unitRecord[l.props[mapping.KeyUnit]] = l.id
		}
	}
	if acct.UnitMode == sync.UnitCustomObject {
		for _, u := range h.readAll(acct.UnitObjectType, []string{mapping.KeyUnit}) {
			if _, dup := unitRecord[u.props[mapping.KeyUnit]]; dup {
				t.Errorf("two unit records for buildium_unit_id %s", u.props[mapping.KeyUnit])
			}
			unitRecord[u.props[mapping.KeyUnit]] = u.id
		}
	}
	for _, r := range p.Rentals {
		id := fmt.Sprint(r.ID)
		if _, ok := propListing[id]; !ok && !reported(t, h, state.Kind(mapping.Properties), id) {
			t.Errorf("property %s is neither in HubSpot nor reported", id)
		}
	}
	for _, u := range p.Units {
		id := fmt.Sprint(u.ID)
		if _, ok := unitRecord[id]; !ok && !reported(t, h, state.Kind(mapping.Units), id) {
			t.Errorf("unit %s is neither in HubSpot nor reported", id)
		}
	}

	// Every lease tenant who landed is associated with the lease's unit
	// under the label its dates give.
	var contactIDs []string
	for _, c := range byTenant {
		contactIDs = append(contactIDs, c.id)
	}
	got := h.assocs("contacts", acct.UnitObjectType, contactIDs)
	type pair struct{ tenant, unit int32 }
	rank := map[string]int{sync.LabelCurrentTenant: 3, sync.LabelFutureTenant: 2, sync.LabelPastTenant: 1}
	want := map[pair]string{}
	for _, l := range p.Leases {
		for _, lt := range l.Tenants {
			lab := mapping.LeaseLabel(l, mapping.TenantLeaseStatus(l, lt.ID, fixedNow()), fixedNow())
			k := pair{lt.ID, l.UnitID}
			if rank[lab] > rank[want[k]] {
				want[k] = lab
			}
		}
	}
	checked := 0
	for k, lab := range want {
		c, ok1 := byTenant[fmt.Sprint(k.tenant)]
		u, ok2 := unitRecord[fmt.Sprint(k.unit)]
		if !ok1 || !ok2 {
			continue
		}
		checked++
		if !got[c.id+">"+u+":"+lab] {
			t.Errorf("tenant %d ↔ unit %d: no %q association", k.tenant, k.unit, lab)
		}
	}
	if checked == 0 {
		t.Error("no lease association was checked")
	}

	// Every emergency contact of a landed tenant is associated.
	ecAssocs := h.assocs("contacts", "contacts", contactIDs)
	ecChecked := 0
	for _, tn := range p.Tenants {
		c, ok := byTenant[fmt.Sprint(tn.ID)]
		ec, has := m.EmergencyContact(tn)
		if !ok || !has {
			continue
		}
		found := false
		for k := range ecAssocs {
			if len(k) > len(c.id) && k[:len(c.id)+1] == c.id+">" && hasLabel(k, sync.LabelEmergencyContact) {
				found = true
				break
			}
		}
		if !found && !reported(t, h, state.Kind(mapping.EmergencyContacts), ec.SourceID) {
			t.Errorf("tenant %d: emergency contact %s not associated", tn.ID, ec.SourceID)
		}
		ecChecked++
	}
	if ecChecked == 0 {
		t.Error("no emergency contact was checked")
	}
}

func hasLabel(k, label string) bool {
	for i := len(k) - 1; i >= 0; i-- {
		if k[i] == ':' {
			return contains(k[i+1:], label)
		}
	}
	return false
}

func contains(list, s string) bool {
	for start := 0; start <= len(list); {
		end := start
		for end < len(list) && list[end] != ',' {
			end++
		}
		if list[start:end] == s {
			return true
		}
		start = end + 1
	}
	return false
}

// reported says whether state accounts for a record that is not in HubSpot:
// an open ledger entry (invalid, failed) or a review item (duplicate).
func reported(t *testing.T, h *harness, kind state.Kind, id string) bool {
	t.Helper()
	if _, err := h.st.Ledger(kind, id); err == nil {
		return true
	}
	items, err := h.st.ReviewItems("open")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind != kind {
			continue
		}
		for _, s := range it.SourceIDs {
			if s == id {
				return true
			}
		}
	}
	return false
}

func propNames(m *mapping.Mapping, ent mapping.Entity) []string {
	var out []string
	for _, f := range m.Entities[ent].Fields {
		out = append(out, f.Target)
	}
	return out
}

// TestListingPriceIsTheLowestUnitRent: a property's listing carries the
// lowest positive MarketRent of its units (buildium_base_rent_amount), whether the run reads the units
// itself (a full run noting rents as its units stage goes) or a property
// run reads them only for the rents; and the no-op incremental after the
// full run finds nothing to update.
func TestListingPriceIsTheLowestUnitRent(t *testing.T) {
	for _, only := range [][]mapping.Entity{nil, {mapping.Properties}} {
		h := newHarness(t, sim.Options{Scale: 150, Seed: 21, Tier: "enterprise"})
		if _, _, err := h.run(sync.Options{Mode: sync.Full, Only: only, Today: fixedNow}); err != nil {
			t.Fatal(err)
		}
		p := h.env.Buildium.Snapshot()
		want := map[string]float64{}
		for _, u := range p.Units {
			if u.MarketRent == nil || *u.MarketRent <= 0 {
				continue
			}
			k := fmt.Sprint(u.PropertyID)
			if r, ok := want[k]; !ok || *u.MarketRent < r {
				want[k] = *u.MarketRent
			}
		}
		checked := 0
		for _, o := range h.env.HubSpot.Objects("0-420") {
			pid := o.Properties["buildium_property_id"]
			if pid == "" || o.Properties["buildium_record_type"] == "unit" {
				continue
			}
			w, ok := want[pid]
			if !ok {
				continue
			}
			var got float64
			if _, err := fmt.Sscan(o.Properties["buildium_base_rent_amount"], &got); err != nil || got != w {
				t.Errorf("only %v: property %s has buildium_base_rent_amount %q, want %v", only, pid, o.Properties["buildium_base_rent_amount"], w)
			}
			checked++
		}
		if checked == 0 {
			t.Fatalf("only %v: no listing with a priced unit: the test proves nothing", only)
		}
		sum, _, err := h.run(sync.Options{Mode: sync.Incremental, Only: only, Today: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.Entities[mapping.Properties]; c.Updated != 0 || c.Created != 0 {
			t.Errorf("only %v: the no-op incremental wrote properties: %+v", only, c)
		}
	}
}
