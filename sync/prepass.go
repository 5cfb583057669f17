package sync

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// leaseLite is the compact part of a lease that later stages need: the unit
// it is on, its dates and status, its tenants and rent. The full records are
// never held: memory stays flat in portfolio size (DESIGN.md §3). Dates and
// statuses repeat across leases and are interned (one copy of each value).
type leaseLite struct {
	id, unitID, propertyID int32
	hasRent                bool
	rent                   float64
	from, to, status       string
	leaseType, termType    string // whether it rolls over past its end date
	tenants                []leaseTenantLite
}

type leaseTenantLite struct {
	id     int32
	status string
}

// indexes are the cross-entity facts the stages share.
type indexes struct {
	leases        []leaseLite
	currentLease  map[int32]int                  // unit id → index into leases of its current lease
	propertyNames map[int32]mapping.UnitProperty // property id → what its units are named by
	minRent       map[int32]float64              // property id → lowest unit MarketRent
	unitProperty  map[int32]int32                // unit id → property id (for unit ↔ listing associations)
	dupes         *dupeIndex
	// ecs collects emergency contacts while tenants stream by.
	ecs *ecCollector
	// updatedRentals are the properties Buildium updated in the incremental
	// window (nil: treat all as updated).
	updatedRentals map[int32]bool
	// tenantsSeen are the tenants read in this run (all of them in a full
	// run, the window in an incremental one).
	tenantsSeen *idSet
	// Incremental runs only, from the tenant pre-pass: ecLinks maps a
	// tenant to the tenants whose emergency contact has its email (the
	// contact is that tenant's), and ecRetry lists the tenants whose
	// emergency contact is open in the ledger (HubSpot refused it).
	ecLinks map[int32][]int32
	ecRetry []int32
	// tenantIDs are every tenant Buildium returned to the pre-pass.
	tenantIDs *idSet
	// dupesIncomplete: the tenant list the duplicate pre-pass read held
	// records b2h could not use, so groups cannot be decided from it alone.
	dupesIncomplete bool
	// emailMoved are the tenants an incremental run creates or whose email
	// it changes: the only ones whose emergency-contact links can change.
	emailMoved *idSet
}

func newIndexes() *indexes {
	return &indexes{currentLease: map[int32]int{}, propertyNames: map[int32]mapping.UnitProperty{}, minRent: map[int32]float64{}, unitProperty: map[int32]int32{}}
}

func (e *Engine) listOpts() buildium.ListOptions {
	return buildium.ListOptions{PropertyIDs: e.opt.PropertyIDs}
}

// prepassLeases reads every lease in scope once into compact form (for unit
// lease fields and the association pass) and every unit's market rent (for
// the property's base rent).
func (e *Engine) prepassLeases(ctx context.Context) error {
	today := e.today()
	// Statuses are a handful of words repeated on every lease and tenant:
	// keep one copy of each, not one per record (memory at 100,000 tenants).
	words := map[string]string{}
	intern := func(s string) string {
		if w, ok := words[s]; ok {
			return w
		}
		words[s] = s
		return s
	}
	// Summaries: the current tenants' ids, not their full records.
	first := true
	for page, err := range e.bd.LeaseSummaries(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read leases from Buildium: %w", err)
		}
		if first {
			if err := e.shrink.check(mapping.Leases, page.Total); err != nil {
				return err
			}
			e.expect(mapping.Leases, page.Total)
			first = false
		}
		if err := e.reportBad(mapping.Leases, page.Bad); err != nil {
			return err
		}
		for i := range page.Items {
			ls := &page.Items[i]
			l := ls.Lease() // without CurrentTenants
			ll := leaseLite{id: l.ID, unitID: l.UnitID, propertyID: l.PropertyID, from: intern(l.LeaseFromDate),
				to: intern(l.LeaseToDate), status: intern(l.LeaseStatus), leaseType: intern(l.LeaseType), termType: intern(l.TermType)}
			if l.AccountDetails != nil && l.AccountDetails.Rent != nil {
				ll.hasRent, ll.rent = true, *l.AccountDetails.Rent
			}
			// The lease's tenants, then its current tenants it does not list;
			// each with its status as of today (a move-out date that has
			// passed makes a tenant moved out whatever the status says).
			listed := func(id int32) bool {
				return slices.ContainsFunc(l.Tenants, func(t buildium.LeaseTenant) bool { return t.ID == id })
			}
			n := len(l.Tenants)
			for _, t := range ls.CurrentTenants {
				if !listed(t.ID) {
					n++
				}
			}
			if n > 0 {
				ll.tenants = make([]leaseTenantLite, 0, n)
			}
			for _, t := range l.Tenants {
				ll.tenants = append(ll.tenants, leaseTenantLite{id: t.ID, status: intern(mapping.TenantLeaseStatus(l, t.ID, today))})
			}
			for _, t := range ls.CurrentTenants {
				if !listed(t.ID) {
					st := mapping.TenantLeaseStatus(l, t.ID, today) // moved out, or not listed at all
					if st == "" {
						st = mapping.TenantCurrent
					}
					ll.tenants = append(ll.tenants, leaseTenantLite{id: t.ID, status: intern(st)})
				}
			}
			e.idx.leases = append(e.idx.leases, ll)
			if mapping.LeaseLabel(l, "", today) == LabelCurrentTenant {
				i := len(e.idx.leases) - 1
				if j, ok := e.idx.currentLease[l.UnitID]; !ok || e.idx.leases[j].from < ll.from {
					e.idx.currentLease[l.UnitID] = i
				}
			}
		}
	}
	// Property names (unit listings are named after their property) and
	// which properties need their amenities fetched.
	var fetch []int32
	updated, err := e.updatedRentals(ctx)
	if err != nil {
		return err
	}
	var prior map[string]state.Mapping
	first = true
	for page, err := range e.bd.Rentals(ctx, e.listOpts()) {
		if err == nil && first {
			if err := e.shrink.check(mapping.Properties, page.Total); err != nil {
				return err
			}
			first = false
		}
		if err != nil {
			return fmt.Errorf("read properties from Buildium: %w", err)
		}
		ids := make([]string, len(page.Items))
		for i, r := range page.Items {
			e.idx.propertyNames[r.ID] = mapping.PropertyOf(r)
			ids[i] = id32(r.ID)
		}
		if updated != nil {
			if prior, err = e.st.MappingHeads(state.Kind(mapping.Properties), ids); err != nil {
				return err
			}
		}
		for _, r := range page.Items {
			if _, known := prior[id32(r.ID)]; updated == nil || updated[r.ID] || !known {
				fetch = append(fetch, r.ID)
			}
		}
	}
	e.idx.updatedRentals = updated
	if !e.want(mapping.Properties) {
		return nil
	}
	if !e.opt.SkipAmenities && len(fetch) > 0 {
		e.amenities = e.startAmenities(ctx, fetch)
	}
	if e.unitsStageReadsAll() {
		return nil // the units stage notes each property's lowest rent as it reads them
	}
	for page, err := range e.bd.Units(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read units from Buildium: %w", err)
		}
		for _, u := range page.Items {
			e.noteRent(u)
		}
	}
	return nil
}

// unitsStageReadsAll reports whether the units stage reads every unit in
// scope before the properties stage (a run that syncs units: units are
// read whole in every mode, see windows), so that it, not a separate
// pass, can note the lowest rents.
func (e *Engine) unitsStageReadsAll() bool {
	return e.want(mapping.Units)
}

// noteRent keeps the lowest positive MarketRent of each property (its
// listing's price).
func (e *Engine) noteRent(u buildium.RentalUnit) {
	if u.MarketRent == nil || *u.MarketRent <= 0 {
		return
	}
	if r, ok := e.idx.minRent[u.PropertyID]; !ok || *u.MarketRent < r {
		e.idx.minRent[u.PropertyID] = *u.MarketRent
	}
}

// leaseRecord rebuilds the lease fields mapping needs from the compact form.
func (l leaseLite) lease() buildium.Lease {
	bl := buildium.Lease{ID: l.id, UnitID: l.unitID, PropertyID: l.propertyID, LeaseFromDate: l.from,
		LeaseToDate: l.to, LeaseStatus: l.status, LeaseType: l.leaseType, TermType: l.termType}
	if l.hasRent {
		rent := l.rent
		bl.AccountDetails = &buildium.AccountDetails{Rent: &rent}
	}
	return bl
}

func id32(id int32) string { return strconv.FormatInt(int64(id), 10) }
