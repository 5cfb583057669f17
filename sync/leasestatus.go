package sync

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// kindLeaseStatus is the state kind of the lease-status properties b2h
// writes on tenant contacts where the account allows no custom labels: one
// mapping per tenant, its hash that of the values last written.
const kindLeaseStatus = state.Kind("lease_status")

// Lease-status contact properties, written where association labels
// cannot carry a tenant's lease status.
const (
	propLeaseStatus = "buildium_lease_status"
	propLeaseUnit   = "buildium_lease_unit"
	propLeases      = "buildium_leases"
)

// leaseStatusDefs are the contact properties of accounts without labels.
func leaseStatusDefs() []mapping.PropertyDef {
	return []mapping.PropertyDef{
		{Name: propLeaseStatus, Label: "Lease status", Type: "enumeration", FieldType: "select", Group: mapping.PropertyGroup,
			Description: "The tenant's most current lease status in Buildium (b2h recomputes it on every run)",
			Options: []mapping.Option{{Label: "Current", Value: "current"}, {Label: "Future", Value: "future"}, {Label: "Past", Value: "past"}}},
		{Name: propLeaseUnit, Label: "Lease unit", Type: "string", FieldType: "text", Group: mapping.PropertyGroup,
			Description: "The unit(s) of the tenant's most current lease status"},
		{Name: propLeases, Label: "Leases", Type: "string", FieldType: "textarea", Group: mapping.PropertyGroup,
			Description: "Every Buildium lease of the tenant: status, unit, start – end"},
	}
}

// tenantLease is one lease of a tenant as the lease-status properties show
// it.
type tenantLease struct {
	status     string // current, future or past
	unit       string // the unit's display name
	start, end string // YYYY-MM-DD, or ""
}

var leaseStatusRank = map[string]int{"current": 3, "future": 2, "past": 1}

// leaseStatusValues are the lease-status properties of a tenant with these
// leases: the most current status, the units of that status, and every
// lease, one line each, in a stable order. No lease gives empty values
// (which clear the properties).
func leaseStatusValues(ls []tenantLease) map[string]string {
	out := map[string]string{propLeaseStatus: "", propLeaseUnit: "", propLeases: ""}
	if len(ls) == 0 {
		return out
	}
	ls = slices.Clone(ls)
	slices.SortFunc(ls, func(a, b tenantLease) int {
		if d := leaseStatusRank[b.status] - leaseStatusRank[a.status]; d != 0 {
			return d
		}
		if c := strings.Compare(b.start, a.start); c != 0 {
			return c
		}
		return strings.Compare(a.unit, b.unit)
	})
	best := ls[0].status
	var units, lines []string
	for _, l := range ls {
		if l.status == best && !slices.Contains(units, l.unit) {
			units = append(units, l.unit)
		}
		span := strings.TrimSpace(l.start + " – " + l.end)
		if l.end == "" {
			span = l.start + " –"
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s)", l.status, l.unit, span))
	}
	out[propLeaseStatus] = best
	out[propLeaseUnit] = strings.Join(units, "; ")
	out[propLeases] = strings.Join(lines, "\n")
	return out
}

// syncLeaseStatus writes each tenant's lease status on their contact where
// the account allows no custom labels, recomputed from the leases on every
// run and written only where it changed. Clearing a tenant whose leases are
// gone needs a read of every lease: a property-scoped run never clears.
func (e *Engine) syncLeaseStatus(ctx context.Context) error {
	if e.acct.labelled() {
		return nil
	}
	today := e.today()
	byTenant := map[int32][]tenantLease{}
	unitIDs := map[string]bool{}
	for _, l := range e.idx.leases {
		bl := l.lease()
		for _, t := range l.tenants {
			st := strings.ToLower(strings.TrimSuffix(mapping.LeaseLabel(bl, t.status, today), " tenant"))
			if leaseStatusRank[st] == 0 {
				continue
			}
			byTenant[t.id] = append(byTenant[t.id], tenantLease{status: st, unit: id32(l.unitID), start: l.from, end: l.to})
			unitIDs[id32(l.unitID)] = true
		}
	}
	names, err := e.unitNames(slices.Sorted(maps.Keys(unitIDs)))
	if err != nil {
		return err
	}
	srcs := map[string]bool{}
	for t := range byTenant {
		srcs[id32(t)] = true
	}
	if len(e.opt.PropertyIDs) == 0 {
		if err := e.st.ForEachMappingID(kindLeaseStatus, func(id string) error {
			srcs[id] = true
			return nil
		}); err != nil {
			return fmt.Errorf("read the lease-status mappings: %w", err)
		}
	}
	ids := slices.Sorted(maps.Keys(srcs))
	for len(ids) > 0 {
		n := min(len(ids), hubspot.MaxBatchInputs)
		if err := e.writeLeaseStatus(ctx, ids[:n], byTenant, names); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// unitNames returns each unit's display name as b2h last wrote it.
func (e *Engine) unitNames(ids []string) (map[string]string, error) {
	ms, err := e.st.MappingsByKey(state.Kind(mapping.Units), ids)
	if err != nil {
		return nil, fmt.Errorf("read the unit mappings: %w", err)
	}
	out := make(map[string]string, len(ids))
	for _, id := range ids {
		s := ms[id].Snapshot
		out[id] = cmpOr(s["unit_name"], s["hs_name"], s["unit_number"], "unit "+id)
	}
	return out, nil
}

func cmpOr(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// writeLeaseStatus writes the lease status of up to one batch of tenants.
func (e *Engine) writeLeaseStatus(ctx context.Context, ids []string, byTenant map[int32][]tenantLease, names map[string]string) error {
	contacts, err := e.st.MappingRefs(state.Kind(mapping.Tenants), ids)
	if err != nil {
		return fmt.Errorf("read the tenant mappings: %w", err)
	}
	prev, err := e.st.MappingHeads(kindLeaseStatus, ids)
	if err != nil {
		return fmt.Errorf("read the lease-status mappings: %w", err)
	}
	var in []hubspot.UpdateInput
	var ms []state.Mapping
	now := e.now()
	for _, id := range ids {
		c := contacts[id]
		if c.HubSpotID == "" {
			continue // the tenant is not in HubSpot (held, invalid): nothing to write on
		}
		var t int32
		if _, err := fmt.Sscan(id, &t); err != nil {
			continue
		}
		ls := byTenant[t]
		for i := range ls {
			ls[i].unit = names[ls[i].unit]
		}
		vals := leaseStatusValues(ls)
		hash := mapping.Hash(objContacts, vals)
		if p, ok := prev[id]; ok && p.SyncHash == hash && p.HubSpotID == c.HubSpotID {
			continue
		}
		if _, ok := prev[id]; !ok && len(ls) == 0 {
			continue // never written, nothing to clear
		}
		in = append(in, hubspot.UpdateInput{ID: c.HubSpotID, Properties: vals})
		ms = append(ms, state.Mapping{Kind: kindLeaseStatus, SourceID: id, HubSpotType: objContacts, HubSpotID: c.HubSpotID,
			SyncHash: hash, LastSynced: now, JobID: e.jobID, CreatedByJob: e.jobID})
	}
	if len(in) == 0 {
		return nil
	}
	if e.opt.DryRun {
		e.mu.Lock()
		e.planReqs++
		e.mu.Unlock()
		return nil
	}
	res, err := e.hs.BatchUpdate(ctx, objContacts, in)
	if err != nil {
		if fatal := e.fatalWriteError(ctx, err); fatal != nil {
			return fatal
		}
		e.rep.Report(Issue{Entity: mapping.Leases, Action: ActFailed, Message: "the lease status of " + fmt.Sprint(len(in)) + " tenants could not be written: " + err.Error() + " (the next run tries again)"})
		return nil
	}
	ok := map[string]bool{}
	for _, o := range res.Results {
		ok[o.ID] = true
	}
	kept := ms[:0]
	for _, m := range ms {
		if ok[m.HubSpotID] {
			kept = append(kept, m)
		}
	}
	if len(kept) < len(ms) {
		e.rep.Report(Issue{Entity: mapping.Leases, Action: ActFailed, Message: fmt.Sprintf("HubSpot did not take the lease status of %d tenants (the next run tries again)", len(ms)-len(kept))})
	}
	if err := e.st.Commit(state.Batch{JobID: e.jobID, Mappings: kept}); err != nil {
		return fmt.Errorf("commit the lease status: %w", err)
	}
	return nil
}
