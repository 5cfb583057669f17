package sync

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// kindLeaseStatus is the state kind of the lease-status properties b2h
// writes on tenant contacts where the account allows no custom labels: one
// mapping per tenant, its hash that of the values last written.
const kindLeaseStatus = state.Kind("lease_status")

// syncLeaseStatus writes each tenant's lease status on their contact where
// the account allows no custom labels, recomputed from the leases on every
// run and written only where it changed. Clearing a tenant whose leases are
// gone needs a read of every lease: a property-scoped run never clears.
func (e *Engine) syncLeaseStatus(ctx context.Context) error {
	if e.acct.labelled() {
		return nil
	}
	today := e.today()
	byTenant := map[int32][]mapping.TenantLease{}
	unitIDs := map[string]bool{}
	for _, l := range e.idx.leases {
		bl := l.lease()
		for _, t := range l.tenants {
			st := mapping.LeaseLabel(bl, t.status, today)
			if st == "" {
				continue
			}
			byTenant[t.id] = append(byTenant[t.id], mapping.TenantLease{Status: st, Unit: id32(l.unitID), Start: l.from, End: l.to})
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
		out[id] = cmp.Or(s["unit_name"], s["hs_name"], s["unit_number"], "unit "+id)
	}
	return out, nil
}

// writeLeaseStatus writes the lease status of up to one batch of tenants.
func (e *Engine) writeLeaseStatus(ctx context.Context, ids []string, byTenant map[int32][]mapping.TenantLease, names map[string]string) error {
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
		if c.HubSpotID == "" && e.opt.DryRun && e.plannedCreate(state.Kind(mapping.Tenants), id) {
			c.HubSpotID = "planned:" + id // the plan creates the contact: the live run writes its status
		}
		if c.HubSpotID == "" {
			continue // the tenant is not in HubSpot (held, invalid): nothing to write on
		}
		var t int32
		if _, err := fmt.Sscan(id, &t); err != nil {
			continue
		}
		ls := byTenant[t]
		for i := range ls {
			ls[i].Unit = names[ls[i].Unit]
		}
		vals := mapping.TenantLeaseFields(ls)
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

// plannedCreate reports whether a dry run plans to create the record.
func (e *Engine) plannedCreate(kind state.Kind, id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.planned[kind][id]
}
