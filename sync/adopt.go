package sync

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// adoptItem is a record a person decided should take over an existing
// HubSpot contact.
type adoptItem struct {
	rec  mapping.Record
	name string
	dec  state.Decision
	// rekeyFrom is the mapping of the tenant Buildium no longer returns
	// whose contact this one takes over (nil: a contact b2h did not make).
	rekeyFrom *state.Mapping
}

// adopt writes records onto the existing HubSpot contacts their decisions
// name (Fields["existing_contact_id"]), setting the unique key so later
// runs upsert onto them. Fields the decision marks "hubspot" keep
// HubSpot's value.
func (e *Engine) adopt(ctx context.Context, ent mapping.Entity, items []adoptItem) error {
	kind := state.Kind(ent)
	for len(items) > 0 {
		n := min(len(items), 100)
		chunk := items[:n]
		items = items[n:]
		var in []hubspot.UpdateInput
		var ok []adoptItem
		var c Counters
		b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
		now := e.now()
		for _, a := range chunk {
			id := a.dec.Fields["existing_contact_id"]
			if id == "" {
				c.Duplicates++
				continue
			}
			rekey, err := e.rekeyOf(kind, a.rec.SourceID, id)
			if err != nil {
				c.Failed++
				b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: kind, SourceID: a.rec.SourceID, JobID: e.jobID,
					ErrorType: "duplicate", Message: err.Error(), FirstSeen: now, LastSeen: now})
				e.rep.Report(Issue{Entity: ent, SourceID: a.rec.SourceID, Action: ActFailed, Message: err.Error(), Name: a.name})
				continue
			}
			a.rekeyFrom = rekey
			props := map[string]string{}
			for k, v := range a.rec.Properties {
				if a.dec.Fields[k] != "hubspot" {
					props[k] = v
				}
			}
			in = append(in, hubspot.UpdateInput{ID: id, Properties: props, ObjectWriteTraceID: a.rec.Key})
			a.rec.Properties = props
			ok = append(ok, a)
		}
		e.readCount(ent, len(chunk))
		if e.opt.DryRun {
			e.mu.Lock()
			e.planReqs++
			e.mu.Unlock()
			c.Updated += len(ok)
			e.progress(ent, c)
			continue
		}
		if len(in) > 0 {
			// What the adopted contacts hold now: the audit keeps it, so a
			// person (and undo) can see what adopting overwrote.
			before, err := e.readBefore(ctx, in)
			if err != nil {
				return err
			}
			res, err := e.hs.BatchUpdate(ctx, objContacts, in)
			if err != nil {
				if fatal := e.fatalWriteError(ctx, err); fatal != nil {
					return fatal
				}
				res = &hubspot.BatchResult{}
				for _, a := range ok {
					res.Errors = append(res.Errors, hubspot.StandardError{Message: err.Error(), Context: map[string][]string{"objectWriteTraceId": {a.rec.Key}}})
				}
			}
			errs := res.ErrorByTrace()
			for _, a := range ok {
				id := a.dec.Fields["existing_contact_id"]
				if se, bad := errs[a.rec.Key]; bad {
					c.Failed++
					b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: kind, SourceID: a.rec.SourceID, JobID: e.jobID,
						ErrorType: "hubspot", Message: "adopting contact " + id + ": " + standardMessage(se), FirstSeen: now, LastSeen: now})
					continue
				}
				c.Updated++
				created := ""
				if a.rekeyFrom != nil {
					// Re-keyed: the contact b2h made for a tenant Buildium no
					// longer returns becomes this one's, with its history.
					created = a.rekeyFrom.CreatedByJob
					b.DeleteMappings = append(b.DeleteMappings, state.MappingKey{Kind: kind, SourceID: a.rekeyFrom.SourceID})
				}
				b.Mappings = append(b.Mappings, state.Mapping{Kind: kind, SourceID: a.rec.SourceID, HubSpotType: objContacts,
					HubSpotID: id, SyncHash: a.rec.Hash, LastSynced: now, JobID: e.jobID, CreatedByJob: created, Snapshot: a.rec.Properties})
				var ch []state.FieldChange
				for _, f := range slices.Sorted(maps.Keys(a.rec.Properties)) {
					if old := before[id][f]; !sameValue(old, a.rec.Properties[f]) {
						ch = append(ch, state.FieldChange{Field: f, Old: old, New: a.rec.Properties[f]})
					}
				}
				b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "adopt", Kind: kind,
					SourceID: a.rec.SourceID, HubSpotType: objContacts, HubSpotID: id, Changes: ch})
				d := a.dec
				d.AppliedByJob = e.jobID
				b.Decisions = append(b.Decisions, d)
				b.DeleteReview = append(b.DeleteReview, d.ID)
				b.Resolve = append(b.Resolve, state.LedgerKey{Kind: kind, SourceID: a.rec.SourceID})
			}
		}
		b.Counters[kind] = toStateCounter(c)
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit adopted contacts: %w", err)
		}
		e.progress(ent, c)
	}
	return nil
}

// readBefore reads the current values of the properties about to be
// written to existing contacts, by contact id.
func (e *Engine) readBefore(ctx context.Context, in []hubspot.UpdateInput) (map[string]map[string]string, error) {
	ids := make([]string, 0, len(in))
	props := map[string]bool{}
	for _, u := range in {
		ids = append(ids, u.ID)
		for k := range u.Properties {
			props[k] = true
		}
	}
	res, err := e.hs.BatchRead(ctx, objContacts, hubspot.ReadRequest{IDs: ids, Properties: slices.Sorted(maps.Keys(props))})
	if err != nil {
		if fatal := e.fatalWriteError(ctx, err); fatal != nil {
			return nil, fatal
		}
		return nil, fmt.Errorf("read the contacts to adopt: %w", err)
	}
	out := make(map[string]map[string]string, len(res.Results))
	for _, o := range res.Results {
		vals := map[string]string{}
		for k := range props {
			vals[k] = o.Prop(k)
		}
		out[o.ID] = vals
	}
	return out, nil
}

// rekeyOf says what adopting HubSpot contact hsID for record src does to
// the mappings already on that contact: none (nil), or the mapping of a
// record Buildium no longer returns, which the adoption takes over (a
// tenant re-created in Buildium under a new id). A contact mapped to a
// record Buildium still returns is refused: one HubSpot record never
// carries two mappings.
func (e *Engine) rekeyOf(kind state.Kind, src, hsID string) (*state.Mapping, error) {
	ms, err := e.st.MappingsByHubSpot(objContacts, hsID)
	if err != nil {
		return nil, fmt.Errorf("read the mappings of contact %s: %w", hsID, err)
	}
	var old *state.Mapping
	for i := range ms {
		m := ms[i]
		if m.Kind != kind || m.SourceID == src {
			continue
		}
		if e.idx.tenantIDs == nil || e.idx.tenantIDs.has(m.SourceID) || old != nil {
			return nil, fmt.Errorf("%s %s cannot adopt HubSpot contact %s: it is %s %s's, which Buildium still returns; decide the two as duplicates (merge or keep separate) instead", singular(mapping.Entity(kind)), src, hsID, singular(mapping.Entity(kind)), m.SourceID)
		}
		old = &m
	}
	return old, nil
}
