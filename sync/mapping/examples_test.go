package mapping

import (
	"encoding/json"
	"testing"
	"time"

	"b2h/clients/buildium"
)

// TestExamples maps the synthetic Buildium examples in
// shared/specs/buildium/examples with the default mapping and compares the
// records with golden files; the key values are also asserted here.
func TestExamples(t *testing.T) {
	var (
		rentals []buildium.Rental
		units   []buildium.RentalUnit
		tenants []buildium.Tenant
		leases  []buildium.Lease
	)
	readExamples(t, "rentals-list.synthetic.json", &rentals)
	readExamples(t, "rental-units-list.synthetic.json", &units)
	readExamples(t, "tenants-list.synthetic.json", &tenants)
	readExamples(t, "leases-list.synthetic.json", &leases)
	if len(rentals) == 0 || len(units) == 0 || len(tenants) == 0 || len(leases) == 0 {
		t.Fatal("examples are empty")
	}
	today := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, target := range []string{TargetUnit, TargetListings} {
		t.Run(target, func(t *testing.T) {
			m := Default(Options{UnitTarget: target})
			var out []Record
			names := map[int32]string{}
			for _, r := range rentals {
				names[r.ID] = r.Name
				out = append(out, m.Rental(r, nil, MinMarketRent(units)))
			}
			for _, u := range units {
				rec := m.Unit(u, names[u.PropertyID])
				rec.SetProperties(m.LeaseFields(ActiveLease(leasesOfUnit(leases, u.ID), today)))
				out = append(out, rec)
			}
			for _, tn := range tenants {
				out = append(out, m.Tenant(tn))
				if ec, ok := m.EmergencyContact(tn); ok {
					out = append(out, ec)
				}
			}
			for _, r := range out {
				if !r.Valid() || len(r.Warnings) > 0 {
					t.Errorf("%s %s: errors %v warnings %v", r.Entity, r.SourceID, r.Errors, r.Warnings)
				}
			}
			b, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "examples-"+target+".json", append(b, '\n'))

			tenant := out[len(out)-2]
			assertProps(t, tenant.Properties, map[string]string{"buildium_tenant_id": "4001", "email": "alex.example@example.com",
				"phone": "+15550100199", "mobilephone": "+15550100199", "address": "100 Example Street, Unit 101", "country": "United States"})
			unit := out[1]
			if target == TargetUnit {
				assertProps(t, unit.Properties, map[string]string{"bedrooms": "2", "bathrooms": "1.5", "current_rent": "1450",
					"current_lease_start": "2024-02-01", "current_lease_end": "2025-01-31", "occupancy_status": "occupied", "unit_name": "100 Example Street – Unit 101"})
			} else {
				assertProps(t, unit.Properties, map[string]string{"hs_name": "100 Example Street – Unit 101", RecordTypeProperty: "unit",
					"buildium_current_rent": "1450"})
			}
			l := leases[0]
			if got := LeaseLabel(l, TenantLeaseStatus(l, 4001, today), today); got != LabelCurrentTenant {
				t.Errorf("lease 3001 on 2024-06-01: %s", got)
			}
			if got := LeaseLabel(l, TenantLeaseStatus(l, 4001, day("2025-02-01")), day("2025-02-01")); got != LabelPastTenant {
				t.Errorf("lease 3001 after its end date: %s", got)
			}
		})
	}
}

func leasesOfUnit(all []buildium.Lease, unitID int32) []buildium.Lease {
	var out []buildium.Lease
	for _, l := range all {
		if l.UnitID == unitID {
			out = append(out, l)
		}
	}
	return out
}
