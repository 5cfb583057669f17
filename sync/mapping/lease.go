package mapping

import (
	"strings"
	"time"

	"b2h/clients/buildium"
)

// Association labels b2h finds by name or creates (USER_DEFINED; their
// type ids differ per account and are never hard-coded, DESIGN.md §2).
const (
	// LabelCurrentTenant labels tenant contact → unit record for a current lease.
	LabelCurrentTenant = "Current tenant"
	// LabelFutureTenant labels tenant contact → unit record for a lease not started.
	LabelFutureTenant = "Future tenant"
	// LabelPastTenant labels tenant contact → unit record for an ended lease or
	// a tenant who moved out.
	LabelPastTenant = "Past tenant"
	// LabelEmergencyContact labels tenant contact → emergency contact
	// (contact↔contact).
	LabelEmergencyContact = "Emergency contact"
)

// Buildium lease tenant statuses (LeaseTenantMessage.Status,
// reference/buildium-api.md §8).
const (
	// TenantMovedOut: the tenant has left the lease.
	TenantMovedOut = "MovedOut"
	// TenantCurrent: the tenant lives there under the lease.
	TenantCurrent = "Current"
	// TenantFuture: the tenant has not moved in yet.
	TenantFuture = "Future"
)

// rollsOver reports whether a lease continues after its end date: leases
// of type FixedWithRollover and AtWill, and month-to-month terms, stay
// active past LeaseToDate until someone ends them in Buildium.
func rollsOver(l *buildium.Lease) bool {
	return strings.EqualFold(l.LeaseType, "FixedWithRollover") || strings.EqualFold(l.LeaseType, "AtWill") ||
		strings.EqualFold(l.TermType, "MonthToMonth")
}

// LeaseLabel returns the association label of one tenant on lease l:
// LabelCurrentTenant, LabelFutureTenant or LabelPastTenant. tenantStatus is
// the tenant's status on the lease (TenantLeaseStatus; "" if unknown) and
// today the date in the company's time zone. The label is recomputed from
// dates on every run, because a lease that simply reaches its end date is
// not edited in Buildium (DESIGN.md §2, lessons §5.7). In order:
//
//  1. a tenant who moved out, or a lease with status Past, is Past;
//  2. a lease whose LeaseToDate is before today is Past even if its status
//     still says Active — unless it rolls over (FixedWithRollover, AtWill or
//     month-to-month), which Buildium keeps active after the end date;
//  3. a lease whose LeaseFromDate is after today, or a tenant with status
//     Future, is Future;
//  4. otherwise, including a lease with status Future whose start date has
//     come, Current.
//
// Unparseable dates are ignored.
func LeaseLabel(l buildium.Lease, tenantStatus string, today time.Time) string {
	if strings.EqualFold(tenantStatus, TenantMovedOut) {
		return LabelPastTenant
	}
	if s := leaseState(&l, today); s != LabelCurrentTenant {
		return s
	}
	if strings.EqualFold(tenantStatus, TenantFuture) {
		return LabelFutureTenant
	}
	return LabelCurrentTenant
}

// leaseState is the label of the lease itself, ignoring any one tenant.
func leaseState(l *buildium.Lease, today time.Time) string {
	t := today.Format("2006-01-02")
	if strings.EqualFold(l.LeaseStatus, "Past") {
		return LabelPastTenant
	}
	if end, ok := Date(l.LeaseToDate); ok && end < t && !rollsOver(l) {
		return LabelPastTenant
	}
	start, ok := Date(l.LeaseFromDate)
	switch {
	case ok && start > t:
		return LabelFutureTenant
	case !ok && strings.EqualFold(l.LeaseStatus, "Future"):
		return LabelFutureTenant
	}
	return LabelCurrentTenant
}

// TenantLeaseStatus returns tenant's status on lease l: TenantMovedOut when
// l.MoveOutData has a move-out date before today, else the Status in
// l.Tenants (MovedOut, Current or Future), else TenantCurrent when the
// tenant is among l.CurrentTenants, else "".
func TenantLeaseStatus(l buildium.Lease, tenantID int32, today time.Time) string {
	t := today.Format("2006-01-02")
	for _, mo := range l.MoveOutData {
		if d, ok := Date(mo.MoveOutDate); mo.TenantID == tenantID && ok && d < t {
			return TenantMovedOut
		}
	}
	for _, lt := range l.Tenants {
		if lt.ID == tenantID && lt.Status != "" {
			return lt.Status
		}
	}
	for _, ct := range l.CurrentTenants {
		if ct.ID == tenantID {
			return TenantCurrent
		}
	}
	return ""
}

// ActiveLease returns the lease whose values a unit shows in its lease
// fields: among leases whose own label (LeaseLabel without a tenant) is
// Current, the one that started last (ties: the highest id); nil when none
// is current.
func ActiveLease(leases []buildium.Lease, today time.Time) *buildium.Lease {
	var best *buildium.Lease
	var bestStart string
	for i := range leases {
		l := &leases[i]
		if leaseState(l, today) != LabelCurrentTenant {
			continue
		}
		start, _ := Date(l.LeaseFromDate)
		if best == nil || start > bestStart || start == bestStart && l.ID > best.ID {
			best, bestStart = l, start
		}
	}
	return best
}

// LeaseFields returns the unit properties that come from the unit's active
// lease (the leases entity's fields; by default current_lease_start,
// current_lease_end and current_rent, or their buildium_ names on unit
// listings). With active nil, or for a value the lease lacks, fields marked
// Clear map to "" so that HubSpot's value is cleared: a unit whose lease
// ended shows no lease. Values are converted and sanitised as in records.
func (m *Mapping) LeaseFields(active *buildium.Lease) map[string]string {
	return m.leaseRecord(active).Properties
}

// leaseRecord maps the lease fields of active, with their warnings, whose
// hints point at the lease in Buildium.
func (m *Mapping) leaseRecord(active *buildium.Lease) Record {
	c := recordCtx{entity: Leases, where: "Leases"}
	if active != nil {
		c.sourceID = id(active.ID)
		c.where = "Leases › lease " + c.sourceID
	}
	return m.mapFields(c, &input{lease: active})
}

// UnitLeaseFields returns the default lease fields of a `unit` record —
// current_lease_start and current_lease_end ("YYYY-MM-DD") and
// current_rent — from the unit's active lease (ActiveLease); nil clears
// all three. Use Mapping.LeaseFields to honour a mapping file or the
// listings fallback.
func UnitLeaseFields(active *buildium.Lease) map[string]string {
	return Default(Options{}).LeaseFields(active)
}
