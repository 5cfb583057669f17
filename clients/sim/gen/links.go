package gen

import (
	"slices"
	"time"

	"b2h/clients/buildium"
)

// Index maps record ids to slice positions and holds the lease links, so
// that the derived fields of a record can be rendered without a scan.
// It is a snapshot: rebuild it after adding records or changing
// Lease.Tenants, UnitId or LeaseStatus.
type Index struct {
	Rental, Unit, Tenant, Lease map[int32]int
	// TenantLeases lists, per tenant id, the ids of every lease the tenant
	// is on (any status), ascending.
	TenantLeases map[int32][]int32
	// ActiveLeases counts, per unit id, the leases with LeaseStatus Active.
	ActiveLeases map[int32]int
}

// BuildIndex indexes p.
func (p *Portfolio) BuildIndex() *Index {
	ix := &Index{
		Rental:       make(map[int32]int, len(p.Rentals)),
		Unit:         make(map[int32]int, len(p.Units)),
		Tenant:       make(map[int32]int, len(p.Tenants)),
		Lease:        make(map[int32]int, len(p.Leases)),
		TenantLeases: make(map[int32][]int32, len(p.Tenants)),
		ActiveLeases: make(map[int32]int, len(p.Units)),
	}
	for i, r := range p.Rentals {
		ix.Rental[r.ID] = i
	}
	for i, u := range p.Units {
		ix.Unit[u.ID] = i
	}
	for i, t := range p.Tenants {
		ix.Tenant[t.ID] = i
	}
	for i, l := range p.Leases {
		ix.Lease[l.ID] = i
		if l.LeaseStatus == StatusActive {
			ix.ActiveLeases[l.UnitID]++
		}
		for _, lt := range l.Tenants {
			ix.TenantLeases[lt.ID] = append(ix.TenantLeases[lt.ID], l.ID)
		}
	}
	for id, ls := range ix.TenantLeases {
		slices.Sort(ls)
		ix.TenantLeases[id] = slices.Compact(ls)
	}
	return ix
}

// ShallowLease returns a copy of a lease as nested in TenantMessage.Leases:
// without CurrentTenants, so that the tenant ⇄ lease recursion stops after
// one level (reference/buildium-api.md §9 leaves the depth undocumented).
func ShallowLease(l buildium.Lease) buildium.Lease {
	l.CurrentTenants = []buildium.Tenant{}
	l.CurrentNumberOfOccupants = currentCount(l)
	return l
}

// currentCount counts the lease's tenants with status Current.
func currentCount(l buildium.Lease) int32 {
	var n int32
	for _, lt := range l.Tenants {
		if lt.Status == TenantCurrent {
			n++
		}
	}
	return n
}

// RenderTenant returns tenant i as GET /v1/leases/tenants shows it: with
// every lease the tenant is on (shallow), whatever Tenants[i].Leases holds.
func (p *Portfolio) RenderTenant(ix *Index, i int) buildium.Tenant {
	t := p.Tenants[i]
	ids := ix.TenantLeases[t.ID]
	t.Leases = make([]buildium.Lease, 0, len(ids))
	for _, id := range ids {
		if li, ok := ix.Lease[id]; ok {
			t.Leases = append(t.Leases, ShallowLease(p.Leases[li]))
		}
	}
	return t
}

// RenderLease returns lease i as GET /v1/leases shows it: CurrentTenants
// holds the full tenant objects whose LeaseTenant status is Current
// (their own Leases left out), and CurrentNumberOfOccupants the number of
// Current lease tenants.
func (p *Portfolio) RenderLease(ix *Index, i int) buildium.Lease {
	l := p.Leases[i]
	l.CurrentTenants = []buildium.Tenant{}
	for _, lt := range l.Tenants {
		if lt.Status != TenantCurrent {
			continue
		}
		if ti, ok := ix.Tenant[lt.ID]; ok {
			t := p.Tenants[ti]
			t.Leases = nil
			l.CurrentTenants = append(l.CurrentTenants, t)
		}
	}
	l.CurrentNumberOfOccupants = currentCount(l)
	return l
}

// RenderUnit returns unit i with IsUnitOccupied computed from its Active
// leases, as the API computes it at query time (reference §5).
func (p *Portfolio) RenderUnit(ix *Index, i int) buildium.RentalUnit {
	u := p.Units[i]
	u.IsUnitOccupied = ptr(ix.ActiveLeases[u.ID] > 0)
	return u
}

// Relink recomputes the derived fields from Lease.Tenants: Tenant.Leases,
// Lease.CurrentTenants, Lease.CurrentNumberOfOccupants and
// RentalUnit.IsUnitOccupied.
func (p *Portfolio) Relink() {
	ix := p.BuildIndex()
	for i := range p.Tenants {
		p.Tenants[i].Leases = nil
	}
	leases := make([]buildium.Lease, len(p.Leases))
	for i := range p.Leases {
		leases[i] = p.RenderLease(ix, i)
	}
	for i := range p.Tenants {
		p.Tenants[i] = p.RenderTenant(ix, i)
	}
	p.Leases = leases
	for i := range p.Units {
		p.Units[i] = p.RenderUnit(ix, i)
	}
}

// Strip clears the derived fields that Relink fills, to save memory in a
// server that renders them on demand.
func (p *Portfolio) Strip() {
	for i := range p.Tenants {
		p.Tenants[i].Leases = nil
	}
	for i := range p.Leases {
		p.Leases[i].CurrentTenants = nil
	}
}

// Clone returns a deep copy of p: no slice, map or pointer is shared.
func (p *Portfolio) Clone() *Portfolio {
	q := &Portfolio{
		Rentals:   make([]buildium.Rental, len(p.Rentals)),
		Units:     make([]buildium.RentalUnit, len(p.Units)),
		Tenants:   make([]buildium.Tenant, len(p.Tenants)),
		Leases:    make([]buildium.Lease, len(p.Leases)),
		Amenities: make(map[int32]buildium.Amenities, len(p.Amenities)),
		Updated:   make(map[Ref]time.Time, len(p.Updated)),
		AsOf:      p.AsOf,
	}
	for i, r := range p.Rentals {
		q.Rentals[i] = CloneRental(r)
	}
	for i, u := range p.Units {
		q.Units[i] = CloneUnit(u)
	}
	for i, t := range p.Tenants {
		q.Tenants[i] = CloneTenant(t)
	}
	for i, l := range p.Leases {
		q.Leases[i] = CloneLease(l)
	}
	for k, a := range p.Amenities {
		q.Amenities[k] = buildium.Amenities{Features: slices.Clone(a.Features), IncludedInRent: slices.Clone(a.IncludedInRent)}
	}
	for k, v := range p.Updated {
		q.Updated[k] = v
	}
	return q
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// CloneRental deep-copies a rental.
func CloneRental(r buildium.Rental) buildium.Rental {
	r.Address = clonePtr(r.Address)
	r.YearBuilt = clonePtr(r.YearBuilt)
	return r
}

// CloneUnit deep-copies a unit.
func CloneUnit(u buildium.RentalUnit) buildium.RentalUnit {
	u.MarketRent = clonePtr(u.MarketRent)
	u.Address = clonePtr(u.Address)
	u.UnitSize = clonePtr(u.UnitSize)
	u.IsUnitListed = clonePtr(u.IsUnitListed)
	u.IsUnitOccupied = clonePtr(u.IsUnitOccupied)
	return u
}

// CloneTenant deep-copies a tenant, nested leases included.
func CloneTenant(t buildium.Tenant) buildium.Tenant {
	t.PhoneNumbers = slices.Clone(t.PhoneNumbers)
	t.CreatedDateTime = clonePtr(t.CreatedDateTime)
	t.EmergencyContact = clonePtr(t.EmergencyContact)
	t.Address = clonePtr(t.Address)
	t.AlternateAddress = clonePtr(t.AlternateAddress)
	if t.Leases != nil {
		ls := make([]buildium.Lease, len(t.Leases))
		for i, l := range t.Leases {
			ls[i] = CloneLease(l)
		}
		t.Leases = ls
	}
	return t
}

// CloneLease deep-copies a lease, current tenants included.
func CloneLease(l buildium.Lease) buildium.Lease {
	if l.CurrentTenants != nil {
		ts := make([]buildium.Tenant, len(l.CurrentTenants))
		for i, t := range l.CurrentTenants {
			ts[i] = CloneTenant(t)
		}
		l.CurrentTenants = ts
	}
	if l.AccountDetails != nil {
		a := *l.AccountDetails
		a.Rent = clonePtr(a.Rent)
		a.SecurityDeposit = clonePtr(a.SecurityDeposit)
		l.AccountDetails = &a
	}
	l.CreatedDateTime = clonePtr(l.CreatedDateTime)
	l.LastUpdatedDateTime = clonePtr(l.LastUpdatedDateTime)
	l.MoveOutData = slices.Clone(l.MoveOutData)
	l.Tenants = slices.Clone(l.Tenants)
	return l
}
