package sync

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
)

// recordPass undoes record creates and updates, per object type in chunks
// of one batch.
func (u *undoer) recordPass(ctx context.Context) error {
	groups := map[string][]*recEntry{}
	var order []string
	for _, k := range u.recOrder {
		r := u.recs[k]
		if r.hsID == "" {
			continue
		}
		g := string(r.kind) + "\x00" + r.obj
		if groups[g] == nil {
			order = append(order, g)
		}
		groups[g] = append(groups[g], r)
	}
	for _, g := range order {
		for chunk := range slices.Chunk(groups[g], hubspot.MaxBatchInputs) {
			if err := u.recordChunk(ctx, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordChunk decides and applies one chunk of records of one kind and type.
func (u *undoer) recordChunk(ctx context.Context, rs []*recEntry) error {
	kind, obj := rs[0].kind, rs[0].obj
	srcs := make([]string, len(rs))
	for i, r := range rs {
		srcs[i] = r.src
	}
	ms, err := u.st.MappingsByKey(kind, srcs)
	if err != nil {
		return fmt.Errorf("read %s mappings: %w", kind, err)
	}
	props, ids := map[string]bool{}, []string{}
	for _, r := range rs {
		if !slices.Contains(ids, r.hsID) {
			ids = append(ids, r.hsID)
		}
		for f := range ms[r.src].Snapshot {
			props[f] = !strings.HasPrefix(f, hsSide)
		}
		for _, c := range r.changes {
			props[c.Field] = true
		}
	}
	var want []string
	for f, ok := range props {
		if ok {
			want = append(want, f)
		}
	}
	slices.Sort(want)
	cur, err := u.readRecords(ctx, obj, ids, want)
	if err != nil {
		if f := u.fatal(ctx, err); f != nil {
			return f
		}
		items := make([]UndoItem, len(rs))
		for i, r := range rs {
			items[i] = r.item(undoOf(r), UndoErrored, "could not read it from HubSpot: "+err.Error())
		}
		return u.commit(state.Batch{}, items)
	}
	var archive []string
	var updates []hubspot.UpdateInput
	items := make([]UndoItem, len(rs))
	books := make([]state.Batch, len(rs)) // each record's bookkeeping, committed if its write lands
	for i, r := range rs {
		m, hasM := ms[r.src]
		o, found := cur[r.hsID]
		if r.create {
			items[i] = u.decideCreate(r, m, hasM, o, found)
			if items[i].Outcome != UndoReversed {
				continue
			}
			if found && !slices.Contains(archive, r.hsID) {
				archive = append(archive, r.hsID)
			}
			if hasM && m.HubSpotID == r.hsID {
				if books[i], err = u.forget(r); err != nil {
					return err
				}
			}
			continue
		}
		it, send, snap := u.decideUpdate(r, m, hasM, o, found)
		if r.adopted && it.Outcome == UndoReversed {
			// Every value the adoption replaced is back, the Buildium key
			// included: the contact is no longer b2h's. The next sync finds
			// the email taken again and asks a person (review).
			it.Reason = "b2h had adopted this existing contact (it did not create it): its earlier values are back and the tenant is no longer mapped to it"
			items[i] = it
			if len(send) > 0 {
				updates = append(updates, hubspot.UpdateInput{ID: r.hsID, Properties: send, ObjectWriteTraceID: r.hsID})
			}
			if hasM && m.HubSpotID == r.hsID {
				books[i].DeleteMappings = []state.MappingKey{{Kind: r.kind, SourceID: r.src}}
				books[i].Audit = []state.AuditEntry{{Action: state.ActionRestore, Kind: r.kind, SourceID: r.src,
					HubSpotType: obj, HubSpotID: r.hsID, Changes: restored(r, it.Fields)}}
			}
			continue
		}
		items[i] = it
		if len(send) > 0 {
			updates = append(updates, hubspot.UpdateInput{ID: r.hsID, Properties: send, ObjectWriteTraceID: r.hsID})
		}
		if snap != nil {
			books[i].Mappings = []state.Mapping{{Kind: r.kind, SourceID: r.src, HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID,
				LastSynced: u.now(), JobID: u.rep.JobID, CreatedByJob: m.CreatedByJob, Snapshot: snap, Extra: m.Extra}}
			books[i].Audit = []state.AuditEntry{{Action: state.ActionRestore, Kind: r.kind, SourceID: r.src,
				HubSpotType: obj, HubSpotID: r.hsID, Changes: restored(r, it.Fields)}}
		}
	}
	failed := map[string]string{}
	if !u.o.DryRun {
		if failed, err = u.write(ctx, obj, archive, updates); err != nil {
			return err
		}
	}
	var b state.Batch
	for i, r := range rs {
		if why, bad := failed[r.hsID]; bad {
			items[i].Outcome, items[i].Reason = UndoErrored, why
			continue
		}
		if len(books[i].Mappings)+len(books[i].DeleteMappings) > 0 {
			u.touched[r.kind] = true
		}
		items[i].Changes = len(books[i].Audit) > 0 || (r.create && slices.Contains(archive, r.hsID)) ||
			(!r.create && slices.ContainsFunc(updates, func(in hubspot.UpdateInput) bool { return in.ID == r.hsID }))
		b.Mappings = append(b.Mappings, books[i].Mappings...)
		b.DeleteMappings = append(b.DeleteMappings, books[i].DeleteMappings...)
		b.Audit = append(b.Audit, books[i].Audit...)
	}
	return u.commit(b, items)
}

func undoOf(r *recEntry) string {
	if r.create {
		return UndoArchive
	}
	return UndoRestore
}

func (r *recEntry) item(undo, outcome, reason string) UndoItem {
	return UndoItem{Kind: r.kind, SourceID: r.src, HubSpotType: r.obj, HubSpotID: r.hsID, Undo: undo, Outcome: outcome, Reason: reason}
}

// readRecords batch-reads records; ids missing from HubSpot (archived or
// deleted) are absent from the map.
func (u *undoer) readRecords(ctx context.Context, obj string, ids, props []string) (map[string]hubspot.Object, error) {
	res, err := u.hs.BatchRead(ctx, obj, hubspot.ReadRequest{IDs: ids, Properties: props})
	out := map[string]hubspot.Object{}
	if hubspot.IsNotFound(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, o := range res.Results {
		if !o.Archived {
			out[o.ID] = o
		}
	}
	return out, nil
}

// decideCreate archives a record the job created when HubSpot still holds
// what b2h wrote: the mapping's snapshot with every later job's updates
// reverted.
func (u *undoer) decideCreate(r *recEntry, m state.Mapping, hasM bool, o hubspot.Object, found bool) UndoItem {
	switch {
	case !found:
		return r.item(UndoArchive, UndoReversed, "") // already archived (or deleted in HubSpot)
	case !hasM:
		return r.item(UndoArchive, UndoKept, "b2h no longer tracks this record; left in HubSpot")
	case m.HubSpotID != r.hsID:
		return r.item(UndoArchive, UndoKept, "b2h now syncs this Buildium record to HubSpot record "+m.HubSpotID+"; left in HubSpot")
	case u.pinned[r.obj+"/"+r.hsID] != "":
		return r.item(UndoArchive, UndoKept, u.pinned[r.obj+"/"+r.hsID]+"; archiving the record would remove that association, so it stays")
	}
	k := recKey(r.kind, r.src)
	want := map[string]string{}
	for f, v := range m.Snapshot {
		if !strings.HasPrefix(f, hsSide) {
			want[f] = v
		}
	}
	ups := u.later[k]
	for i := len(ups) - 1; i >= 0; i-- {
		for _, c := range ups[i].changes {
			if !strings.HasPrefix(c.Field, hsSide) {
				want[c.Field] = c.Old
			}
		}
	}
	var changed []string
	for _, f := range slices.Sorted(maps.Keys(want)) {
		if !sameValue(o.Prop(f), want[f]) {
			changed = append(changed, f)
		}
	}
	if len(changed) == 0 {
		return r.item(UndoArchive, UndoReversed, "")
	}
	it := r.item(UndoArchive, UndoKept, u.whoChanged(k, changed, o)+"; the record stays in HubSpot")
	it.KeptFields = changed
	return it
}

// decideUpdate restores each field the job overwrote where HubSpot still
// holds the job's value. It returns the item, the values to send and, when
// state must change, the mapping's new snapshot.
func (u *undoer) decideUpdate(r *recEntry, m state.Mapping, hasM bool, o hubspot.Object, found bool) (UndoItem, map[string]string, map[string]string) {
	if !found {
		return r.item(UndoRestore, UndoKept, "the record is no longer in HubSpot (archived or deleted there); nothing to restore"), nil, nil
	}
	send := map[string]string{}
	var back, kept []string
	for _, c := range r.changes {
		cur := o.Prop(c.Field)
		switch {
		case sameValue(cur, c.Old):
			back = append(back, c.Field) // already restored (an interrupted undo) or never changed
		case sameValue(cur, c.New):
			send[c.Field] = c.Old
			back = append(back, c.Field)
		default:
			kept = append(kept, c.Field)
		}
	}
	it := r.item(UndoRestore, UndoReversed, "")
	it.Fields, it.KeptFields = back, kept
	if len(kept) > 0 {
		it.Outcome, it.Reason = UndoKept, u.whoChanged(recKey(r.kind, r.src), kept, o)+"; left as HubSpot has them"
	}
	if !hasM || m.HubSpotID != r.hsID || len(back) == 0 {
		return it, send, nil
	}
	snap := maps.Clone(m.Snapshot)
	if snap == nil {
		snap = map[string]string{}
	}
	for _, c := range r.changes {
		if slices.Contains(back, c.Field) {
			if c.Old == "" {
				delete(snap, c.Field)
			} else {
				snap[c.Field] = c.Old
			}
			delete(snap, hsSide+c.Field)
		}
	}
	if maps.Equal(snap, m.Snapshot) && m.SyncHash == "" && len(send) == 0 {
		return it, send, nil // an earlier undo already did all of it
	}
	// An empty sync_hash makes the next sync compare the record again.
	return it, send, snap
}

// whoChanged explains kept fields: a later job wrote the value HubSpot holds
// now, or a person edited it in HubSpot.
func (u *undoer) whoChanged(k string, fields []string, o hubspot.Object) string {
	by := map[string][]string{}
	var order []string
	for _, f := range fields {
		who := "edited in HubSpot after the job"
		ups := u.later[k]
		for i := len(ups) - 1; i >= 0 && strings.HasPrefix(who, "edited"); i-- {
			for _, c := range ups[i].changes {
				if c.Field == f && sameValue(c.New, o.Prop(f)) {
					who = "changed by the later job " + ups[i].job
				}
			}
		}
		if by[who] == nil {
			order = append(order, who)
		}
		by[who] = append(by[who], f)
	}
	parts := make([]string, len(order))
	for i, who := range order {
		parts[i] = strings.Join(by[who], ", ") + " " + who
	}
	return strings.Join(parts, "; ")
}

// restored lists the audit changes of the restored fields (old = the job's
// value, new = the restored one).
func restored(r *recEntry, fields []string) []state.FieldChange {
	var out []state.FieldChange
	for _, c := range r.changes {
		if slices.Contains(fields, c.Field) {
			out = append(out, state.FieldChange{Field: c.Field, Old: c.New, New: c.Old})
		}
	}
	return out
}

// forget returns the bookkeeping of an archived record: the deletion of
// every mapping that points at it (its own and, for a contact, those of
// tenants merged into it).
func (u *undoer) forget(r *recEntry) (state.Batch, error) {
	var b state.Batch
	ms, err := u.st.MappingsByHubSpot(r.obj, r.hsID)
	if err != nil {
		return b, fmt.Errorf("read the mappings of HubSpot %s %s: %w", r.obj, r.hsID, err)
	}
	for _, m := range ms {
		b.DeleteMappings = append(b.DeleteMappings, state.MappingKey{Kind: m.Kind, SourceID: m.SourceID})
	}
	b.Audit = []state.AuditEntry{{Action: state.ActionDelete, Kind: r.kind, SourceID: r.src, HubSpotType: r.obj, HubSpotID: r.hsID}}
	return b, nil
}

// write archives and restores one chunk's records. It returns the HubSpot
// ids whose write failed, with the reason.
func (u *undoer) write(ctx context.Context, obj string, archive []string, updates []hubspot.UpdateInput) (map[string]string, error) {
	failed := map[string]string{}
	if len(archive) > 0 {
		if err := u.hs.BatchArchive(ctx, obj, archive); err != nil {
			if f := u.fatal(ctx, err); f != nil {
				return nil, f
			}
			for _, id := range archive {
				failed[id] = "HubSpot did not archive it: " + err.Error()
			}
		}
	}
	if len(updates) == 0 {
		return failed, nil
	}
	res, err := u.hs.BatchUpdate(ctx, obj, updates)
	switch {
	case err == nil:
		for id, se := range res.ErrorByTrace() {
			failed[id] = "HubSpot did not restore it: " + standardMessage(se)
		}
	case u.fatal(ctx, err) != nil:
		return nil, u.fatal(ctx, err)
	case hubspot.IsValidation(err) && len(updates) > 1:
		// A whole-batch 400: send them one by one to isolate the bad one.
		for _, in := range updates {
			if f, err := u.write(ctx, obj, nil, []hubspot.UpdateInput{in}); err != nil {
				return nil, err
			} else {
				maps.Copy(failed, f)
			}
		}
	default:
		for _, in := range updates {
			failed[in.ID] = "HubSpot did not restore it: " + err.Error()
		}
	}
	return failed, nil
}
