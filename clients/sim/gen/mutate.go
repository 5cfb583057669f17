package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"b2h/clients/buildium"
)

// MutationSummary lists what Mutate changed. Every id listed had its hidden
// last-updated time set to the mutation time; ids are ascending.
type MutationSummary struct {
	Rentals []int32 // rentals changed (description, reserve, year built)
	Units   []int32 // units whose market rent changed
	Tenants []int32 // tenants changed (name, email, phone) or created
	Leases  []int32 // leases changed (ended, moved) or created

	NewTenants  []int32 // subset of Tenants that did not exist before
	NewLeases   []int32 // subset of Leases that did not exist before
	EndedLeases []int32 // subset of Leases moved from Active to Past
	MovedLeases []int32 // subset of Leases moved to another unit
}

// Count returns the number of records changed or created.
func (s MutationSummary) Count() int {
	return len(s.Rentals) + len(s.Units) + len(s.Tenants) + len(s.Leases)
}

// Refs returns every changed record.
func (s MutationSummary) Refs() []Ref {
	var out []Ref
	for _, k := range []struct {
		kind Kind
		ids  []int32
	}{{KindRental, s.Rentals}, {KindUnit, s.Units}, {KindTenant, s.Tenants}, {KindLease, s.Leases}} {
		for _, id := range k.ids {
			out = append(out, Ref{k.kind, id})
		}
	}
	return out
}

// mutation kinds and their shares.
const (
	mutTenantName = iota
	mutTenantEmail
	mutTenantPhone
	mutUnitRent
	mutRental
	mutEndLease
	mutMoveLease
	mutNewLease
)

var mutationWeights = []float64{0.15, 0.15, 0.20, 0.20, 0.05, 0.08, 0.07, 0.10}

// Mutate changes about fraction of all records the way a month of property
// management does: tenants' names, emails and phones, units' rents,
// rental details, leases that end, move to another unit or start (with new
// or returning tenants). Changed records get the hidden last-updated time
// `at` (leases also LastUpdatedDateTime). The same arguments on the same
// portfolio make the same changes. Derived fields are relinked afterwards.
//
// Like Buildium, a lease change bumps the lease only, not its tenants.
func Mutate(p *Portfolio, fraction float64, seed uint64, at time.Time) MutationSummary {
	total := len(p.Rentals) + len(p.Units) + len(p.Tenants) + len(p.Leases)
	want := int(math.Round(fraction * float64(total)))
	if want == 0 && fraction > 0 && total > 0 {
		want = 1
	}
	at = at.UTC().Truncate(time.Second)
	m := &mutator{
		builder: builder{
			rng:    rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d)),
			now:    at,
			today:  time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC),
			p:      p,
			emails: make(map[string]bool, len(p.Tenants)),
		},
		changed: make(map[Ref]bool),
		busy:    make(map[int32]bool),
	}
	for _, t := range p.Tenants {
		m.emails[t.Email] = true
	}
	for _, l := range p.Leases {
		if l.LeaseStatus != StatusPast {
			m.busy[l.UnitID] = true
		}
	}
	m.ix = p.BuildIndex()
	for tries := 0; len(m.changed) < want && tries < 8*want+8; tries++ {
		m.apply(m.weighted(mutationWeights))
	}
	s := m.summary
	for _, ids := range []*[]int32{&s.Rentals, &s.Units, &s.Tenants, &s.Leases, &s.NewTenants, &s.NewLeases, &s.EndedLeases, &s.MovedLeases} {
		slices.Sort(*ids)
	}
	p.Relink()
	return s
}

type mutator struct {
	builder
	ix      *Index
	changed map[Ref]bool
	busy    map[int32]bool // units with an Active or Future lease
	summary MutationSummary
}

// choose returns a random index in [0,n) whose record is unchanged and
// passes ok, or -1.
func (m *mutator) choose(kind Kind, n int, id func(int) int32, ok func(int) bool) int {
	if n == 0 {
		return -1
	}
	for range 16 {
		i := m.rng.IntN(n)
		if !m.changed[Ref{kind, id(i)}] && (ok == nil || ok(i)) {
			return i
		}
	}
	return -1
}

func (m *mutator) mark(kind Kind, id int32) {
	r := Ref{kind, id}
	if m.changed[r] {
		return
	}
	m.changed[r] = true
	m.p.Touch(kind, id, m.now)
	switch kind {
	case KindRental:
		m.summary.Rentals = append(m.summary.Rentals, id)
	case KindUnit:
		m.summary.Units = append(m.summary.Units, id)
	case KindTenant:
		m.summary.Tenants = append(m.summary.Tenants, id)
	case KindLease:
		m.summary.Leases = append(m.summary.Leases, id)
		m.p.Leases[m.ix.Lease[id]].LastUpdatedDateTime = dt(m.now)
	}
}

func (m *mutator) apply(op int) {
	p := m.p
	tenantID := func(i int) int32 { return p.Tenants[i].ID }
	leaseID := func(i int) int32 { return p.Leases[i].ID }
	switch op {
	case mutTenantName:
		if i := m.choose(KindTenant, len(p.Tenants), tenantID, nil); i >= 0 {
			t := &p.Tenants[i]
			if t.FirstName == "" {
				t.FirstName = pick(&m.builder, firstNames)
			} else {
				t.LastName = pick(&m.builder, lastNames) + "-" + pick(&m.builder, lastNames)
			}
			m.mark(KindTenant, t.ID)
		}
	case mutTenantEmail:
		if i := m.choose(KindTenant, len(p.Tenants), tenantID, nil); i >= 0 {
			t := &p.Tenants[i]
			t.Email = m.email(t.FirstName, t.LastName+fmt.Sprint(m.now.Year()%100), t.ID)
			m.mark(KindTenant, t.ID)
		}
	case mutTenantPhone:
		if i := m.choose(KindTenant, len(p.Tenants), tenantID, nil); i >= 0 {
			t := &p.Tenants[i]
			ps := slices.DeleteFunc(slices.Clone(t.PhoneNumbers), func(ph buildium.PhoneNumber) bool { return ph.Type == "Cell" })
			t.PhoneNumbers = append(ps, buildium.PhoneNumber{Number: m.phone(), Type: "Cell"})
			m.mark(KindTenant, t.ID)
		}
	case mutUnitRent:
		if i := m.choose(KindUnit, len(p.Units), func(i int) int32 { return p.Units[i].ID }, nil); i >= 0 {
			u := &p.Units[i]
			rent := 1200.0
			if u.MarketRent != nil {
				rent = 5 * math.Round(*u.MarketRent*1.03/5)
			}
			u.MarketRent = ptr(rent)
			m.mark(KindUnit, u.ID)
		}
	case mutRental:
		if i := m.choose(KindRental, len(p.Rentals), func(i int) int32 { return p.Rentals[i].ID }, nil); i >= 0 {
			r := &p.Rentals[i]
			r.Reserve += 250
			r.StructureDescription = fmt.Sprintf("Renovated %d.", m.now.Year())
			if r.YearBuilt == nil {
				r.YearBuilt = ptr(int32(1950 + m.rng.IntN(70)))
			}
			m.mark(KindRental, r.ID)
		}
	case mutEndLease:
		i := m.choose(KindLease, len(p.Leases), leaseID, func(i int) bool { return p.Leases[i].LeaseStatus == StatusActive })
		if i < 0 {
			return
		}
		l := &p.Leases[i]
		end := date(m.today.AddDate(0, 0, -1))
		if l.LeaseToDate == "" || l.LeaseToDate > end {
			l.LeaseToDate = end
		}
		l.LeaseStatus = StatusPast
		l.Tenants = slices.Clone(l.Tenants)
		for k := range l.Tenants {
			if l.Tenants[k].Status == TenantCurrent {
				l.Tenants[k].Status = TenantMovedOut
				l.MoveOutData = append(slices.Clone(l.MoveOutData), buildium.MoveOut{TenantID: l.Tenants[k].ID, MoveOutDate: l.LeaseToDate})
			}
		}
		delete(m.busy, l.UnitID)
		m.summary.EndedLeases = append(m.summary.EndedLeases, l.ID)
		m.mark(KindLease, l.ID)
	case mutMoveLease:
		i := m.choose(KindLease, len(p.Leases), leaseID, func(i int) bool { return p.Leases[i].LeaseStatus != StatusPast })
		u := m.vacantUnit()
		if i < 0 || u < 0 {
			return
		}
		l := &p.Leases[i]
		delete(m.busy, l.UnitID)
		unit := p.Units[u]
		l.UnitID, l.PropertyID, l.UnitNumber = unit.ID, unit.PropertyID, unit.UnitNumber
		m.busy[unit.ID] = true
		m.summary.MovedLeases = append(m.summary.MovedLeases, l.ID)
		m.mark(KindLease, l.ID)
	case mutNewLease:
		m.newLease()
	}
}

// vacantUnit returns a random unit index with no Active or Future lease.
func (m *mutator) vacantUnit() int {
	return m.choose(KindUnit, len(m.p.Units), func(i int) int32 { return m.p.Units[i].ID }, func(i int) bool {
		return !m.busy[m.p.Units[i].ID]
	})
}

// newLease signs a lease on a vacant unit with one or two tenants: new
// people, or (sometimes) a tenant returning from a past lease.
func (m *mutator) newLease() {
	p := m.p
	ui := m.vacantUnit()
	if ui < 0 {
		return
	}
	unit := p.Units[ui]
	from := m.today
	status, tstatus := StatusActive, TenantCurrent
	if m.chance(0.3) {
		from, status, tstatus = m.today.AddDate(0, 0, 30), StatusFuture, TenantFuture
	}
	l := buildium.Lease{
		ID:                  maxID(len(p.Leases), func(i int) int32 { return p.Leases[i].ID }, leaseBase) + 1,
		PropertyID:          unit.PropertyID,
		UnitID:              unit.ID,
		UnitNumber:          unit.UnitNumber,
		LeaseFromDate:       date(from),
		LeaseToDate:         date(from.AddDate(1, 0, -1)),
		LeaseType:           "Fixed",
		LeaseStatus:         status,
		TermType:            "Standard",
		PaymentDueDay:       1,
		AccountDetails:      &buildium.AccountDetails{Rent: clonePtr(unit.MarketRent), SecurityDeposit: clonePtr(unit.MarketRent)},
		CreatedDateTime:     dt(m.now),
		LastUpdatedDateTime: dt(m.now),
	}
	lt := func(id int32) buildium.LeaseTenant {
		x := buildium.LeaseTenant{ID: id, Status: tstatus}
		if status == StatusActive {
			x.MoveInDate = l.LeaseFromDate
		}
		return x
	}
	if returning := m.choose(KindTenant, len(p.Tenants), func(i int) int32 { return p.Tenants[i].ID }, func(i int) bool {
		ls := m.ix.TenantLeases[p.Tenants[i].ID]
		return len(ls) > 0 && p.Leases[m.ix.Lease[ls[len(ls)-1]]].LeaseStatus == StatusPast
	}); returning >= 0 && m.chance(0.4) {
		l.Tenants = append(l.Tenants, lt(p.Tenants[returning].ID))
	} else {
		for range 1 + m.rng.IntN(2) {
			l.Tenants = append(l.Tenants, lt(m.newTenant(unit)))
		}
	}
	p.Leases = append(p.Leases, l)
	m.ix.Lease[l.ID] = len(p.Leases) - 1
	m.busy[unit.ID] = true
	m.summary.NewLeases = append(m.summary.NewLeases, l.ID)
	m.mark(KindLease, l.ID)
}

// newTenant appends a new tenant living at unit and returns its id.
func (m *mutator) newTenant(unit buildium.RentalUnit) int32 {
	p := m.p
	t := buildium.Tenant{
		ID:                maxID(len(p.Tenants), func(i int) int32 { return p.Tenants[i].ID }, tenantBase) + 1,
		Address:           clonePtr(unit.Address),
		CreatedDateTime:   dt(m.now),
		MailingPreference: "PrimaryAddress",
	}
	t.FirstName, t.LastName = m.name()
	t.Email = m.email(t.FirstName, t.LastName, t.ID)
	t.PhoneNumbers = m.phones()
	if !m.chance(0.15) {
		t.EmergencyContact = m.emergencyContact()
	}
	p.Tenants = append(p.Tenants, t)
	m.ix.Tenant[t.ID] = len(p.Tenants) - 1
	m.summary.NewTenants = append(m.summary.NewTenants, t.ID)
	m.mark(KindTenant, t.ID)
	return t.ID
}

// maxID returns the largest id of a slice sorted by id, or base if empty.
func maxID(n int, id func(int) int32, base int32) int32 {
	if n == 0 {
		return base
	}
	return max(id(n-1), base)
}
