package sync_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"b2h/clients/buildium"
	"b2h/clients/hubspot"
	"b2h/clients/sim"
	"b2h/clients/sim/hubspotsim"
	"b2h/state"
	"b2h/sync"
	"b2h/sync/mapping"
)

// TestEveryTierAndVariant runs a full sync, a second full sync and an
// incremental sync against each HubSpot tier under each real-portal answer
// variant, and checks HubSpot afterwards: every tenant with a name is a
// contact or held for review, every unit is a record, every lease tenant is
// associated with its unit (labelled where the tier has labels), three
// contacts HubSpot already had are opened as review items, and the re-runs
// write nothing.
func TestEveryTierAndVariant(t *testing.T) {
	variants := append([]hubspotsim.Variant{""}, hubspotsim.Variants...)
	scale := 200
	if testing.Short() {
		scale = 60
	}
	for _, tier := range sim.Tiers {
		for _, v := range variants {
			name := tier + "/" + string(v)
			if v == "" {
				name = tier + "/default"
			}
			t.Run(name, func(t *testing.T) {
				var vs []hubspotsim.Variant
				if v != "" {
					vs = []hubspotsim.Variant{v}
				}
				h := newHarness(t, sim.Options{Scale: scale, Seed: 11, Tier: tier, HubSpot: &hubspotsim.Options{Variants: vs, ListingsEnabled: true}})
				h.bdRate = 1000 // the simulator's limits are off: no need to pace at Buildium's 10/s
				h.connect()
				seeded := seedExistingContacts(t, h, 3)
				sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow})
				if err != nil {
					t.Fatalf("full sync: %v (%+v)", err, sum)
				}
				acct, err := h.st.Account()
				if err != nil {
					t.Fatal(err)
				}
				for _, ent := range []mapping.Entity{mapping.Properties, mapping.Units, mapping.Tenants, mapping.Leases} {
					if c := sum.Entities[ent]; c.Expected != c.Read {
						t.Errorf("%s: read %d, Buildium's list holds %d", ent, c.Read, c.Expected)
					}
				}
				l := checkEveryRecordLanded(t, h, acct, seeded)
				t.Logf("MATRIX | %s | %s | %d of %d (contacts %d + held %d of %d tenants; units %d of %d; associations %d of %d) | %d | %d (%d writes) | %s, %s |",
					tier, strings.TrimPrefix(name, tier+"/"), l.written(), l.expected(), l.contacts, l.held, l.tenants, l.units, l.wantUnits,
					l.assocs, l.wantAssocs, exitCode(sum.Status), sum.HubSpot.Requests, sum.HubSpot.Writes, acct.UnitMode, acct.AssociationMode)
				for _, o := range []sync.Options{{Mode: sync.Full, Today: fixedNow}, {Mode: sync.Incremental, Today: fixedNow}} {
					before := h.env.HubSpot.Stats()
					again, _, err := h.run(o)
					if err != nil {
						t.Fatalf("%s re-run: %v", o.Mode, err)
					}
					if again.HubSpot.Writes != 0 {
						t.Errorf("%s re-run sent %d HubSpot writes, want 0 (%v; %+v)", o.Mode, again.HubSpot.Writes, kindsSince(before, h.env.HubSpot.Stats()), again.Entities)
					}
				}
			})
		}
	}
}

// exitCode is b2h's exit code for a finished run's status.
func exitCode(status string) int {
	switch status {
	case sync.StatusDone:
		return 0
	case sync.StatusDoneWithErrors:
		return 3
	case sync.StatusPaused, sync.StatusCancelled:
		return 4
	}
	return 1
}

// seedExistingContacts puts n contacts that b2h did not create into HubSpot,
// with the emails of n tenants that have a valid one, and returns those
// tenants' ids.
func seedExistingContacts(t *testing.T, h *harness, n int) []string {
	t.Helper()
	emails := map[string]int{}
	for _, tn := range h.env.Buildium.Snapshot().Tenants {
		emails[strings.ToLower(strings.TrimSpace(tn.Email))]++
	}
	var ids []string
	for _, tn := range h.env.Buildium.Snapshot().Tenants {
		em := strings.ToLower(strings.TrimSpace(tn.Email))
		if len(ids) == n || !mapping.ValidEmail(em) || emails[em] > 1 || tn.FirstName == "" {
			continue
		}
		h.env.HubSpot.SeedContact(map[string]string{"email": em, "firstname": "Existing", "lastname": "Contact"})
		ids = append(ids, fmt.Sprint(tn.ID))
	}
	if len(ids) < n {
		t.Fatalf("only %d tenants with a unique valid email to seed", len(ids))
	}
	return ids
}

// landed counts what checkEveryRecordLanded found against what it expected.
type landed struct {
	contacts, held, tenants int // tenants with a name: contacts, held for review, in all
	units, wantUnits        int
	assocs, wantAssocs      int // lease tenants' associations with their units
}

func (l landed) written() int  { return l.contacts + l.held + l.units + l.assocs }
func (l landed) expected() int { return l.tenants + l.wantUnits + l.wantAssocs }

// checkEveryRecordLanded checks that nothing was lost and counts the Buildium
// records in HubSpot (or held for review) against those that should be
// (tenants with a name, units, and lease tenants' associations).
func checkEveryRecordLanded(t *testing.T, h *harness, acct state.Account, seeded []string) (l landed) {
	t.Helper()
	p := h.env.Buildium.Snapshot()
	hs := h.env.HubSpot
	byTenant := map[string]string{}
	for _, o := range hs.Objects("contacts") {
		if id := o.Properties["buildium_tenant_id"]; id != "" && !o.Archived {
			byTenant[id] = o.ID
		}
	}
	held := map[string]bool{}
	items, err := h.st.ReviewItems("open")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == state.Kind(mapping.Tenants) {
			for _, id := range it.SourceIDs {
				held[id] = true
			}
		}
	}
	for _, id := range seeded {
		if !held[id] {
			t.Errorf("tenant %s shares its email with a contact b2h did not create, but no review item holds it", id)
		}
	}
	for _, tn := range p.Tenants {
		if strings.TrimSpace(tn.FirstName+tn.LastName) == "" {
			continue
		}
		id := fmt.Sprint(tn.ID)
		l.tenants++
		switch {
		case byTenant[id] != "":
			l.contacts++
		case held[id]:
			l.held++ // held for a person to decide, and reported
		default:
			t.Errorf("tenant %s (%s %s, %q) is neither a contact nor held for review", id, tn.FirstName, tn.LastName, tn.Email)
		}
	}
	unitType := acct.UnitObjectType
	byUnit := map[string]string{}
	for _, o := range hs.Objects(unitType) {
		if id := o.Properties["buildium_unit_id"]; id != "" && !o.Archived {
			byUnit[id] = o.ID
		}
	}
	for _, u := range p.Units {
		l.wantUnits++
		if byUnit[fmt.Sprint(u.ID)] != "" {
			l.units++
		} else {
			t.Errorf("unit %d (%q) is not a HubSpot record", u.ID, u.UnitNumber)
		}
	}
	pairs := map[string][]string{}
	for _, a := range hs.Associations("contacts", unitType) {
		pairs[a.FromID+">"+a.ToID] = a.Labels
	}
	labelled := acct.AssociationMode != "default"
	for _, ls := range p.Leases {
		for _, lt := range ls.Tenants {
			cid, uid := byTenant[fmt.Sprint(lt.ID)], byUnit[fmt.Sprint(ls.UnitID)]
			if cid == "" || uid == "" {
				continue // the tenant is held (or nameless): its association waits
			}
			l.wantAssocs++
			labels, ok := pairs[cid+">"+uid]
			switch {
			case !ok:
				t.Errorf("lease %d: tenant %d is not associated with unit %d", ls.ID, lt.ID, ls.UnitID)
			case labelled && !slices.ContainsFunc(labels, func(s string) bool { return strings.HasSuffix(s, " tenant") }):
				t.Errorf("lease %d: tenant %d ↔ unit %d has labels %q, want a tenant label", ls.ID, lt.ID, ls.UnitID, labels)
			case !labelled && len(labels) > 0:
				t.Errorf("lease %d: tenant %d ↔ unit %d has labels %q on a tier without custom labels", ls.ID, lt.ID, ls.UnitID, labels)
			default:
				l.assocs++
			}
		}
	}
	if !labelled {
		for _, o := range hs.Objects("contacts") {
			id := o.Properties["buildium_tenant_id"]
			if id != "" && hasLease(p.Leases, id) && o.Properties["buildium_lease_status"] == "" {
				t.Errorf("tenant %s has leases but no buildium_lease_status on a tier without labels", id)
			}
		}
	}
	if os.Getenv("B2H_MATRIX_VERBOSE") != "" {
		t.Logf("contacts %d, units %d, held %d", len(byTenant), len(byUnit), len(held))
	}
	return l
}

func hasLease(leases []buildium.Lease, tenant string) bool {
	for _, l := range leases {
		for _, lt := range l.Tenants {
			if fmt.Sprint(lt.ID) == tenant {
				return true
			}
		}
	}
	return false
}

// kindsSince lists the simulator's requests by endpoint between two Stats.
func kindsSince(before, after hubspotsim.Stats) map[string]int64 {
	out := map[string]int64{}
	for k, n := range after.ByKind {
		if d := n - before.ByKind[k]; d != 0 {
			out[k] = d
		}
	}
	return out
}

// TestTaxIDNeedsSensitiveData syncs the opt-in tax id: below Enterprise the
// run stops before writing anything; on Enterprise with the sensitive-data
// scopes the tax id is a highly sensitive property.
func TestTaxIDNeedsSensitiveData(t *testing.T) {
	for _, tier := range []string{"free", "enterprise"} {
		t.Run(tier, func(t *testing.T) {
			o := &hubspotsim.Options{ListingsEnabled: true}
			if tier == "enterprise" {
				o.Scopes = append(slices.Clone(hubspotsim.DefaultScopes), hubspotsim.SensitiveScopes...)
			}
			h := newHarness(t, sim.Options{Scale: 20, Seed: 5, Tier: tier, HubSpot: o})
			h.bdRate = 1000
			h.connect()
			sum, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow, MappingOpts: mapping.Options{SyncTaxID: true}})
			if tier == "free" {
				if !errors.Is(err, sync.ErrConfig) || !strings.Contains(err.Error(), "sensitive") {
					t.Fatalf("free tier with the tax id: %v, want a configuration error about sensitive data", err)
				}
				if n := len(h.env.HubSpot.Objects("contacts")); n != 0 || sum.HubSpot.Writes > 1 {
					t.Errorf("the refused run wrote %d contacts and %d requests", n, sum.HubSpot.Writes)
				}
				return
			}
			if err != nil {
				t.Fatalf("enterprise with the tax id: %v", err)
			}
			props, err := h.hs.ListSensitiveProperties(t.Context(), "contacts", "highly_sensitive")
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range props {
				if p.DataSensitivity == "highly_sensitive" && strings.Contains(p.Name, "tax") {
					found = true
				}
			}
			if !found {
				t.Errorf("no highly sensitive tax id property among %d", len(props))
			}
		})
	}
}

// TestOldUnitSchemaIsAligned: an Enterprise account whose unit object was
// made before units had a name (displayed by, and requiring, unit_number)
// is brought in line before units are written, so a single-family home
// without a unit number lands, named by its street.
func TestOldUnitSchemaIsAligned(t *testing.T) {
	h := newHarness(t, sim.Options{Scale: 20, Seed: 5, Tier: "enterprise"})
	h.bdRate = 1000
	h.connect()
	old := hubspot.SchemaCreate{Name: "unit", Labels: hubspot.SchemaLabels{Singular: "Unit", Plural: "Units"},
		PrimaryDisplayProperty: "unit_number", RequiredProperties: []string{"unit_number", mapping.KeyUnit},
		Properties: []hubspot.PropertyCreate{{Name: "unit_number", Label: "Unit number", Type: "string", FieldType: "text"},
			{Name: mapping.KeyUnit, Label: "Buildium unit id", Type: "string", FieldType: "text", HasUniqueValue: true}},
		AssociatedObjects: []string{"0-1", "0-420"}}
	if _, err := h.hs.CreateSchema(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	u := h.env.Buildium.Snapshot().Units[0]
	if err := h.env.Buildium.UpdateUnit(u.ID, func(u *buildium.RentalUnit) { u.UnitNumber = "" }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.run(sync.Options{Mode: sync.Full, Today: fixedNow}); err != nil {
		t.Fatal(err)
	}
	acct, err := h.st.Account()
	if err != nil {
		t.Fatal(err)
	}
	s, err := h.hs.GetSchema(t.Context(), acct.UnitObjectType)
	if err != nil {
		t.Fatal(err)
	}
	if s.PrimaryDisplayProperty != "unit_name" || slices.Contains(s.RequiredProperties, "unit_number") {
		t.Errorf("unit object displayed by %q, requiring %q; want unit_name, not unit_number", s.PrimaryDisplayProperty, s.RequiredProperties)
	}
	found := false
	for _, o := range h.env.HubSpot.Objects(acct.UnitObjectType) {
		if o.Properties[mapping.KeyUnit] == fmt.Sprint(u.ID) {
			found = o.Properties["unit_name"] != ""
		}
	}
	if !found {
		t.Errorf("unit %d without a number did not land with a name", u.ID)
	}
}
