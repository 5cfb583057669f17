package gen

import (
	"math"
	"time"

	"b2h/clients/buildium"
)

// Lease statuses (LeaseMessage.LeaseStatus) and lease-tenant statuses
// (LeaseTenantMessage.Status), reference/buildium-api.md §8.
const (
	StatusActive = "Active"
	StatusPast   = "Past"
	StatusFuture = "Future"

	TenantCurrent  = "Current"
	TenantFuture   = "Future"
	TenantMovedOut = "MovedOut"
)

// Occupancy patterns of a unit's lease history.
const (
	patVacant = iota
	patActive
	patPastActive
	patPast
	patActiveFuture
	patPastActiveFuture
)

var patternWeights = []float64{0.07, 0.50, 0.25, 0.05, 0.08, 0.05}

// leases plans every unit's lease history and assigns tenants (by index;
// the records are made by tenants()) to leases, until every tenant is on a
// lease: a rental tenant cannot exist without one (POST
// /v1/leases/tenants requires LeaseId, reference §6).
func (b *builder) leases() {
	b.tenantLeases = make([][]int, b.n)
	b.home = make([]int, b.n)
	next := 0
	take := func() []int {
		k := 1 + b.weighted([]float64{0.55, 0.35, 0.10})
		k = min(k, b.n-next)
		ts := make([]int, k)
		for i := range ts {
			ts[i] = next
			next++
		}
		return ts
	}
	earliest := make([]time.Time, len(b.p.Units))
	var pastPool []int // tenants of past leases, candidates for a transfer
	transferred := false

	for _, ui := range b.rng.Perm(len(b.p.Units)) {
		if next >= b.n {
			break
		}
		pat := b.weighted(patternWeights)
		if pat == patVacant {
			continue
		}
		var unitPast []int // this unit's past tenants: a transfer comes from elsewhere
		// The current (or most recent) lease.
		var curFrom, curTo time.Time
		hasActive := pat != patPast
		if hasActive {
			curFrom = b.today.AddDate(0, 0, -b.rng.IntN(331))
		} else {
			curTo = b.today.AddDate(0, 0, -1-b.rng.IntN(90))
			curFrom = curTo.AddDate(-1, 0, 1)
		}
		earliest[ui] = curFrom
		if pat == patPastActive || pat == patPastActiveFuture {
			to := curFrom.AddDate(0, 0, -1-b.rng.IntN(30))
			from := to.AddDate(-1, 0, 1)
			earliest[ui] = from
			unitPast = take()
			b.addLease(ui, from, to, StatusPast, "Fixed", unitPast)
			if next >= b.n {
				break
			}
		}
		if !hasActive {
			ts := take()
			b.addLease(ui, curFrom, curTo, StatusPast, "Fixed", ts)
			pastPool = append(pastPool, ts...)
			continue
		}
		lt := []string{"Fixed", "FixedWithRollover", "AtWill"}[b.weighted([]float64{0.7, 0.2, 0.1})]
		to := curFrom.AddDate(1, 0, -1)
		if lt == "AtWill" {
			to = time.Time{}
		}
		// Dirt: the lease ended yesterday but Buildium still says Active;
		// the status flips on a date-driven job, so consumers must look at
		// the dates, not only at LeaseStatus.
		if b.chance(0.005) || !b.endedActive {
			b.endedActive = true
			lt = "Fixed"
			to = b.today.AddDate(0, 0, -1)
			curFrom = to.AddDate(-1, 0, 1)
		}
		ts := take()
		if len(pastPool) > 0 && len(ts) < 3 && (!transferred || b.chance(0.02)) {
			// Dirt: a tenant who moved from another unit is on two leases.
			transferred = true
			ts = append(ts, pastPool[b.rng.IntN(len(pastPool))])
		}
		b.addLease(ui, curFrom, to, StatusActive, lt, ts)
		pastPool = append(pastPool, unitPast...)
		if pat == patActiveFuture || pat == patPastActiveFuture {
			if next >= b.n {
				break
			}
			from := b.today.AddDate(0, 0, 15+b.rng.IntN(45))
			if !to.IsZero() {
				from = to.AddDate(0, 0, 1)
			}
			if !from.After(b.today) {
				from = b.today.AddDate(0, 0, 1)
			}
			b.addLease(ui, from, from.AddDate(1, 0, -1), StatusFuture, "Fixed", take())
		}
	}
	// Tenants left over: older past leases on random units.
	for next < b.n && len(b.p.Units) > 0 {
		ui := b.rng.IntN(len(b.p.Units))
		start := earliest[ui]
		if start.IsZero() {
			start = b.today
		}
		to := start.AddDate(0, 0, -1-b.rng.IntN(60))
		from := to.AddDate(-1, 0, 1)
		earliest[ui] = from
		b.addLease(ui, from, to, StatusPast, "Fixed", take())
	}
	for i := range b.p.Units {
		b.p.Units[i].IsUnitListed = ptr(b.chance(0.3))
	}
}

// addLease creates one lease on unit ui with the given tenants (indexes).
// A zero `to` means no end date (at-will).
func (b *builder) addLease(ui int, from, to time.Time, status, leaseType string, tenants []int) {
	u := &b.p.Units[ui]
	li := len(b.p.Leases)
	l := buildium.Lease{
		ID:            int32(leaseBase + li + 1),
		PropertyID:    u.PropertyID,
		UnitID:        u.ID,
		UnitNumber:    u.UnitNumber,
		LeaseFromDate: date(from),
		LeaseType:     leaseType,
		LeaseStatus:   status,
		TermType:      "Standard",
		PaymentDueDay: 1,
	}
	if !to.IsZero() {
		l.LeaseToDate = date(to)
	}
	if leaseType == "AtWill" {
		l.TermType = "MonthToMonth"
	}
	rent := b.unitRent[ui]
	if status == StatusPast {
		rent = 5 * math.Round(rent*0.95/5)
	}
	l.AccountDetails = &buildium.AccountDetails{Rent: ptr(rent)}
	if !b.chance(0.1) {
		l.AccountDetails.SecurityDeposit = ptr(rent)
	}
	l.AutomaticallyMoveOutTenants = status == StatusPast || b.chance(0.2)
	l.IsEvictionPending = status == StatusActive && b.chance(0.01)

	created := b.between(from.AddDate(0, 0, -45), from.AddDate(0, 0, -7)).Add(time.Duration(b.rng.IntN(86400)) * time.Second)
	if latest := b.now.Add(-time.Hour); created.After(latest) {
		created = latest
	}
	updatedFrom := created
	if status == StatusPast && to.After(created) && to.Before(b.now) {
		updatedFrom = to // the move-out was recorded
	}
	updated := b.between(updatedFrom, b.now.Add(-time.Minute))
	l.CreatedDateTime = dt(created)
	l.LastUpdatedDateTime = dt(updated)
	b.p.Touch(KindLease, l.ID, updated)

	roommateLeft := status == StatusActive && len(tenants) > 1 && b.chance(0.05)
	for k, t := range tenants {
		lt := buildium.LeaseTenant{ID: tenantID(t), MoveInDate: l.LeaseFromDate}
		switch {
		case status == StatusFuture:
			lt.Status, lt.MoveInDate = TenantFuture, ""
		case status == StatusPast || (roommateLeft && k == len(tenants)-1):
			lt.Status = TenantMovedOut
			out := to
			if status == StatusActive {
				out = b.between(from, b.today.AddDate(0, 0, -1))
			}
			l.MoveOutData = append(l.MoveOutData, buildium.MoveOut{
				TenantID:        lt.ID,
				MoveOutDate:     date(out),
				NoticeGivenDate: date(out.AddDate(0, 0, -30)),
			})
		default:
			lt.Status = TenantCurrent
		}
		l.Tenants = append(l.Tenants, lt)
		b.tenantLeases[t] = append(b.tenantLeases[t], li)
		if prev := b.home[t]; len(b.tenantLeases[t]) == 1 || b.p.Leases[prev].LeaseFromDate < l.LeaseFromDate {
			b.home[t] = li
		}
	}
	b.p.Leases = append(b.p.Leases, l)
}

func tenantID(index int) int32 { return int32(tenantBase + index + 1) }
