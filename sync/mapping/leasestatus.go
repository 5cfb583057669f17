package mapping

import (
	"sort"
	"strings"
	"time"

	"b2h/clients/buildium"
)

// Contact properties that say what association labels would, on accounts
// that allow no custom labels (HubSpot Free and Starter): associations
// then have HubSpot's default type, and these make the lease status and
// the emergency-contact relationship visible and filterable.
const (
	// PropLeaseStatus is the tenant's most relevant lease status
	// (LeaseStatusCurrent, LeaseStatusFuture or LeaseStatusPast).
	PropLeaseStatus = "buildium_lease_status"
	// PropLeaseUnit names the units of that status (UnitName), "; "-joined.
	PropLeaseUnit = "buildium_lease_unit"
	// PropLeases lists every lease of the tenant, one per line.
	PropLeases = "buildium_leases"
	// PropEmergencyContactFor names the tenants an emergency contact is
	// the emergency contact of, "; "-joined.
	PropEmergencyContactFor = "buildium_emergency_contact_for"
)

// Values of PropLeaseStatus.
const (
	LeaseStatusCurrent = "current"
	LeaseStatusFuture  = "future"
	LeaseStatusPast    = "past"
)

// UnlabelledProperties returns the definitions of the contact properties
// that stand in for association labels (PropLeaseStatus, PropLeaseUnit,
// PropLeases, PropEmergencyContactFor), in group buildium. Create them
// only on an account without custom labels; Properties(TargetContacts)
// includes them when Options.Unlabelled is set.
func UnlabelledProperties() []PropertyDef {
	const where = " Set by b2h where HubSpot allows no association labels."
	return []PropertyDef{
		{Name: PropLeaseStatus, Label: "Lease status", Type: "enumeration", FieldType: "select", Group: PropertyGroup,
			Description: "The tenant's most relevant lease status over all their leases: current, else future, else past." + where,
			Options: []Option{{Label: "Current", Value: LeaseStatusCurrent}, {Label: "Future", Value: LeaseStatusFuture, DisplayOrder: 1},
				{Label: "Past", Value: LeaseStatusPast, DisplayOrder: 2}}},
		{Name: PropLeaseUnit, Label: "Lease unit", Type: "string", FieldType: "text", Group: PropertyGroup,
			Description: "The unit (or units) of the tenant's lease status." + where},
		{Name: PropLeases, Label: "Leases", Type: "string", FieldType: "textarea", Group: PropertyGroup,
			Description: "Every lease of the tenant, one per line: status, unit, start–end." + where},
		{Name: PropEmergencyContactFor, Label: "Emergency contact for", Type: "string", FieldType: "text", Group: PropertyGroup,
			Description: "The tenants this person is the emergency contact of." + where},
	}
}

// TenantLease is one lease of a tenant as the lease-status properties
// show it.
type TenantLease struct {
	// Status is the tenant's status on the lease: LeaseLabel's result
	// (LabelCurrentTenant …), a PropLeaseStatus value, or Buildium's
	// tenant status (TenantMovedOut is past). Others are left out.
	Status string
	// Unit is the display name of the lease's unit (UnitName).
	Unit string
	// Start and End are the lease dates as Buildium gives them ("" if
	// none).
	Start, End string
}

// leaseStatusRank orders statuses by relevance, most relevant first.
var leaseStatusRank = map[string]int{LeaseStatusCurrent: 0, LeaseStatusFuture: 1, LeaseStatusPast: 2}

// leaseStatus returns the PropLeaseStatus value of a TenantLease.Status,
// or "".
func leaseStatus(s string) string {
	switch strings.ToLower(strings.Join(strings.Fields(s), " ")) {
	case "current", "current tenant", "active":
		return LeaseStatusCurrent
	case "future", "future tenant":
		return LeaseStatusFuture
	case "past", "past tenant", "movedout", "moved out":
		return LeaseStatusPast
	}
	return ""
}

// TenantLeaseFields returns the values of PropLeaseStatus, PropLeaseUnit
// and PropLeases for a tenant with these leases: the most relevant status
// (current, else future, else past), the units with that status sorted
// and "; "-joined, and one line per lease ("current: 1272 Lincoln Rd –
// Unit 3, 2024-02-01–2025-01-31"), sorted by status, then latest start,
// then unit. All three are "" (which clears them) for a tenant with no
// lease of a known status. The result depends only on the set of leases,
// not their order. Add it to the tenant's record with SetProperties, or
// use TenantWithLeases.
func TenantLeaseFields(leases []TenantLease) map[string]string {
	type line struct {
		rank       int
		status     string
		unit       string
		start, end string
	}
	var lines []line
	for _, l := range leases {
		st := leaseStatus(l.Status)
		if st == "" {
			continue
		}
		ln := line{rank: leaseStatusRank[st], status: st, unit: singleLine(Sanitize(l.Unit))}
		ln.start, _ = Date(l.Start)
		ln.end, _ = Date(l.End)
		lines = append(lines, ln)
	}
	out := map[string]string{PropLeaseStatus: "", PropLeaseUnit: "", PropLeases: ""}
	if len(lines) == 0 {
		return out
	}
	sort.Slice(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		switch {
		case a.rank != b.rank:
			return a.rank < b.rank
		case a.start != b.start:
			return a.start > b.start
		case a.unit != b.unit:
			return a.unit < b.unit
		}
		return a.end < b.end
	})
	best := lines[0].status
	var units, texts []string
	for _, l := range lines {
		if l.status == best && l.unit != "" {
			units = append(units, l.unit)
		}
		t := l.status + ": " + l.unit
		if l.unit == "" {
			t = l.status
		}
		switch {
		case l.start != "" && l.end != "":
			t += ", " + l.start + "–" + l.end
		case l.start != "":
			t += ", from " + l.start
		case l.end != "":
			t += ", until " + l.end
		}
		if len(texts) == 0 || texts[len(texts)-1] != t {
			texts = append(texts, t)
		}
	}
	out[PropLeaseStatus] = best
	out[PropLeaseUnit] = joinSorted(units)
	out[PropLeases] = strings.Join(texts, "\n")
	return out
}

// TenantLeasesOf returns tenant's leases among leases as TenantLeaseFields
// takes them: the status from LeaseLabel and TenantLeaseStatus as of
// today, the unit named by unitName (nil: the lease's unit number). A
// lease that does not list the tenant is left out.
func TenantLeasesOf(tenantID int32, leases []buildium.Lease, unitName func(l *buildium.Lease) string, today time.Time) []TenantLease {
	var out []TenantLease
	for i := range leases {
		l := &leases[i]
		if !onLease(l, tenantID) {
			continue
		}
		name := l.UnitNumber
		if unitName != nil {
			name = unitName(l)
		}
		out = append(out, TenantLease{Status: LeaseLabel(*l, TenantLeaseStatus(*l, tenantID, today), today), Unit: name,
			Start: l.LeaseFromDate, End: l.LeaseToDate})
	}
	return out
}

// onLease reports whether the tenant is on lease l.
func onLease(l *buildium.Lease, tenantID int32) bool {
	for _, t := range l.Tenants {
		if t.ID == tenantID {
			return true
		}
	}
	for _, t := range l.CurrentTenants {
		if t.ID == tenantID {
			return true
		}
	}
	return false
}

// TenantWithLeases is Tenant with TenantLeaseFields set over it, hashed
// once: the tenant contact on an account without association labels.
func (m *Mapping) TenantWithLeases(t buildium.Tenant, leases []TenantLease) Record {
	rec := m.mapFields(tenantCtx(&t), &input{tenant: &t})
	rec.SetProperties(TenantLeaseFields(leases))
	return rec
}

// EmergencyContactForFields returns the value of PropEmergencyContactFor
// for an emergency contact of these tenants (their display names): the
// names cleaned, without repeats, sorted and "; "-joined; "" clears it.
func EmergencyContactForFields(tenantNames []string) map[string]string {
	names := make([]string, 0, len(tenantNames))
	for _, n := range tenantNames {
		if n = singleLine(Sanitize(n)); n != "" {
			names = append(names, n)
		}
	}
	return map[string]string{PropEmergencyContactFor: joinSorted(names)}
}

// joinSorted sorts ss, drops repeats and joins them with "; ".
func joinSorted(ss []string) string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}
