package sync

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// assocUndoChunk is how many associations are read per request (the batch
// read takes up to 1,000 from-ids; reference/hubspot-api.md §4).
const assocUndoChunk = 500

// inverseEmergency is the inverse label of LabelEmergencyContact, which
// b2h creates with it; it is b2h's own, not a person's.
const inverseEmergency = "Emergency contact for"

// assocStep is the decision for one association and the writes it needs.
type assocStep struct {
	item     UndoItem
	pair     hubspot.AssociationPair
	archive  bool                        // remove every type between the pair
	drop     *hubspot.AssociationTypeRef // remove only this type (b2h's label)
	create   bool                        // (re)create the pair with label
	label    string                      // label to create ("" = unlabelled)
	bookkeep state.Batch                 // committed when the writes land
}

// assocPass undoes the associations the job created, relabelled or removed,
// per pair of object types.
func (u *undoer) assocPass(ctx context.Context) error {
	groups := map[string][]*assocEntry{}
	var order []string
	for _, k := range u.assocKeys {
		e := u.assocs[k]
		if (e.created && e.removed) || (!e.created && !e.removed && e.oldLabel == e.newLabel) {
			continue // made and removed, or relabelled and back, by the job itself
		}
		if groups[e.obj] == nil {
			order = append(order, e.obj)
		}
		groups[e.obj] = append(groups[e.obj], e)
	}
	for _, g := range order {
		for chunk := range slices.Chunk(groups[g], assocUndoChunk) {
			if err := u.assocChunk(ctx, chunk); err != nil {
				return err
			}
		}
	}
	return nil
}

func (u *undoer) assocChunk(ctx context.Context, es []*assocEntry) error {
	from, to, _ := strings.Cut(es[0].obj, ">")
	keys := make([]string, len(es))
	var fids []string
	for i, e := range es {
		keys[i] = e.key
		if f, _, _ := strings.Cut(e.hsID, ">"); !slices.Contains(fids, f) {
			fids = append(fids, f)
		}
	}
	ms, err := u.st.MappingsByKey(kindAssociations, keys)
	if err != nil {
		return fmt.Errorf("read association mappings: %w", err)
	}
	read, err := u.hs.BatchReadAssociations(ctx, from, to, fids)
	var partial *hubspot.AssociationReadError
	if err != nil && !errors.As(err, &partial) {
		if f := u.fatal(ctx, err); f != nil {
			return f
		}
		read = nil
	}
	steps := make([]assocStep, len(es))
	for i, e := range es {
		f, t, _ := strings.Cut(e.hsID, ">")
		steps[i].pair = hubspot.AssociationPair{From: f, To: t}
		steps[i].item = UndoItem{Kind: kindAssociations, SourceID: e.key, HubSpotType: e.obj, HubSpotID: e.hsID, Undo: e.undo()}
		tos, ok := read[f]
		if !ok {
			steps[i].item.Outcome = UndoErrored
			steps[i].item.Reason = "could not read its associations from HubSpot"
			if err != nil {
				steps[i].item.Reason += ": " + err.Error()
			}
			continue
		}
		var types []hubspot.AssociationType
		for _, x := range tos {
			if x.ToObjectID == t {
				types = append(types, x.Types...)
			}
		}
		m, hasM := ms[e.key]
		u.decideAssoc(&steps[i], e, m, hasM, types)
	}
	if !u.o.DryRun {
		if err := u.writeAssocs(ctx, from, to, steps); err != nil {
			return err
		}
	}
	var b state.Batch
	items := make([]UndoItem, len(steps))
	for i, s := range steps {
		items[i] = s.item
		items[i].Changes = s.item.Outcome != UndoErrored && (s.archive || s.drop != nil || s.create || len(s.bookkeep.Audit) > 0)
		if s.item.Outcome == UndoKept {
			u.pin(s.item.HubSpotType, s.item.HubSpotID, "its association "+s.item.SourceID+" stays ("+s.item.Reason+")")
		}
		if s.item.Outcome != UndoErrored {
			b.Mappings = append(b.Mappings, s.bookkeep.Mappings...)
			b.DeleteMappings = append(b.DeleteMappings, s.bookkeep.DeleteMappings...)
			b.Audit = append(b.Audit, s.bookkeep.Audit...)
		}
	}
	return u.commit(b, items)
}

// decideAssoc settles one association: undo only what HubSpot and state
// still show as the job left it.
func (u *undoer) decideAssoc(s *assocStep, e *assocEntry, m state.Mapping, hasM bool, types []hubspot.AssociationType) {
	it := &s.item
	it.Outcome = UndoReversed
	present := len(types) > 0
	same := hasM && m.HubSpotID == e.hsID
	forget := func(label string) {
		s.bookkeep.DeleteMappings = []state.MappingKey{{Kind: kindAssociations, SourceID: e.key}}
		s.bookkeep.Audit = []state.AuditEntry{{Action: state.ActionDelete, Kind: kindAssociations, SourceID: e.key,
			HubSpotType: e.obj, HubSpotID: e.hsID, Changes: []state.FieldChange{{Field: "label", Old: label}}}}
	}
	remember := func(old, label string) {
		s.bookkeep.Mappings = []state.Mapping{{Kind: kindAssociations, SourceID: e.key, HubSpotType: e.obj, HubSpotID: e.hsID,
			LastSynced: u.now(), JobID: u.rep.JobID, CreatedByJob: m.CreatedByJob, Extra: map[string]string{"label": label}}}
		s.bookkeep.Audit = []state.AuditEntry{{Action: state.ActionRestore, Kind: kindAssociations, SourceID: e.key,
			HubSpotType: e.obj, HubSpotID: e.hsID, Changes: []state.FieldChange{{Field: "label", Old: old, New: label}}}}
	}
	switch {
	case e.created:
		switch {
		case !hasM && present:
			it.Outcome, it.Reason = UndoKept, "b2h no longer tracks this association; left in HubSpot"
		case !hasM:
			// already removed
		case !same || m.Extra["label"] != e.newLabel:
			it.Outcome, it.Reason = UndoKept, "changed since by job "+m.JobID+"; left in HubSpot"
		case !present:
			forget(e.newLabel) // removed in HubSpot, or by an interrupted undo
		default:
			foreign := foreignLabels(types, e.newLabel)
			switch {
			case len(foreign) == 0:
				s.archive = true
			case e.newLabel == "":
				it.Outcome, it.Reason = UndoKept, "the pair also carries the label(s) "+strings.Join(foreign, ", ")+" added in HubSpot; left in HubSpot"
				return
			default:
				s.drop = labelType(types, e.newLabel)
				it.Outcome, it.Reason = UndoKept, "the pair also carries the label(s) "+strings.Join(foreign, ", ")+" added in HubSpot: only b2h's label is removed"
			}
			forget(e.newLabel)
		}
	case e.removed:
		switch {
		case hasM:
			// a later job associated them again
		case present:
			remember("", e.oldLabel) // in HubSpot already (an interrupted undo): remember it
		default:
			s.create, s.label = true, e.oldLabel
			remember("", e.oldLabel)
		}
	default:
		switch {
		case !same:
			it.Outcome, it.Reason = UndoKept, "b2h no longer tracks this association in this form; left in HubSpot"
		case m.Extra["label"] == e.oldLabel:
			// already relabelled by an interrupted undo
		case m.Extra["label"] != e.newLabel:
			it.Outcome, it.Reason = UndoKept, "relabelled since by job "+m.JobID+"; left in HubSpot"
		case !present:
			it.Outcome, it.Reason = UndoKept, "removed in HubSpot after the job; not re-created"
		default:
			s.create, s.label, s.drop = true, e.oldLabel, labelType(types, e.newLabel)
			remember(e.newLabel, e.oldLabel)
		}
	}
}

// undo names what undoing the entry does.
func (e *assocEntry) undo() string {
	switch {
	case e.created:
		return UndoUnassociate
	case e.removed:
		return UndoReassociate
	}
	return UndoRelabel
}

// foreignLabels lists the labels on a pair that b2h did not set.
func foreignLabels(types []hubspot.AssociationType, own string) []string {
	var out []string
	for _, t := range types {
		if t.Label != "" && !strings.EqualFold(t.Label, own) && !strings.EqualFold(t.Label, inverseEmergency) && !slices.Contains(out, t.Label) {
			out = append(out, t.Label)
		}
	}
	return out
}

// labelType returns the type of a pair's label, nil when it has none.
func labelType(types []hubspot.AssociationType, label string) *hubspot.AssociationTypeRef {
	if t, ok := findLabel(types, label); ok && label != "" {
		r := t.Ref()
		return &r
	}
	return nil
}

// writeAssocs applies a chunk's association writes: creates first, then
// removals, so a relabel whose new label could not be created keeps its
// old one. Steps whose writes fail are marked errored.
func (u *undoer) writeAssocs(ctx context.Context, from, to string, steps []assocStep) error {
	fail := func(idx []int, err error) error {
		if f := u.fatal(ctx, err); f != nil {
			return f
		}
		for _, i := range idx {
			steps[i].item.Outcome, steps[i].item.Reason = UndoErrored, "HubSpot did not take the change: "+err.Error()
		}
		return nil
	}
	byLabel := map[string][]int{}
	for i, s := range steps {
		if s.create && s.item.Outcome != UndoErrored {
			byLabel[s.label] = append(byLabel[s.label], i)
		}
	}
	for _, label := range slices.Sorted(maps.Keys(byLabel)) {
		idx := byLabel[label]
		var err error
		if label == "" {
			pairs := make([]hubspot.AssociationPair, len(idx))
			for j, i := range idx {
				pairs[j] = steps[i].pair
			}
			_, err = u.hs.BatchCreateDefaultAssociations(ctx, from, to, pairs)
		} else {
			var ref hubspot.AssociationTypeRef
			if ref, err = u.labelRef(ctx, from, to, label); err == nil {
				in := make([]hubspot.AssociationInput, len(idx))
				for j, i := range idx {
					in[j] = hubspot.AssociationInput{From: steps[i].pair.From, To: steps[i].pair.To, Types: []hubspot.AssociationTypeRef{ref}}
				}
				var res *hubspot.AssociationBatchResult
				if res, err = u.hs.BatchCreateAssociations(ctx, from, to, in); err == nil && res != nil && len(res.Errors) > 0 {
					err = fmt.Errorf("HubSpot rejected %d of them: %s", len(res.Errors), res.Errors[0].Message)
				}
			}
		}
		if err != nil {
			if err := fail(idx, err); err != nil {
				return err
			}
		}
	}
	var drops []hubspot.AssociationInput
	var dropIdx, archIdx []int
	var pairs []hubspot.AssociationPair
	for i, s := range steps {
		switch {
		case s.item.Outcome == UndoErrored:
		case s.archive:
			pairs, archIdx = append(pairs, s.pair), append(archIdx, i)
		case s.drop != nil:
			drops = append(drops, hubspot.AssociationInput{From: s.pair.From, To: s.pair.To, Types: []hubspot.AssociationTypeRef{*s.drop}})
			dropIdx = append(dropIdx, i)
		}
	}
	if len(drops) > 0 {
		if err := u.hs.BatchArchiveAssociationLabels(ctx, from, to, drops); err != nil {
			if err := fail(dropIdx, err); err != nil {
				return err
			}
		}
	}
	if len(pairs) > 0 {
		if err := u.hs.BatchArchiveAssociations(ctx, from, to, pairs); err != nil {
			return fail(archIdx, err)
		}
	}
	return nil
}

// labelRef finds an association label's type by name (type ids differ per
// account and are never hard-coded; reference/hubspot-api.md §4).
func (u *undoer) labelRef(ctx context.Context, from, to, label string) (hubspot.AssociationTypeRef, error) {
	k := from + ">" + to
	ts, ok := u.labels[k]
	if !ok {
		var err error
		if ts, err = u.hs.ListAssociationLabels(ctx, from, to); err != nil {
			return hubspot.AssociationTypeRef{}, err
		}
		u.labels[k] = ts
	}
	if t, ok := findLabel(ts, label); ok {
		return t.Ref(), nil
	}
	return hubspot.AssociationTypeRef{}, fmt.Errorf("the association label %q no longer exists in HubSpot", label)
}

// linkPass reports merges, and adoptions audited before b2h recorded the
// values they replaced: they have nothing of their own to undo (a merged
// tenant shares its primary's contact), so they are kept unless the
// contact they point at was archived above. Adoptions with their earlier
// values go through the record pass instead (undo.go).
func (u *undoer) linkPass() error {
	for chunk := range slices.Chunk(u.links, 100) {
		items := make([]UndoItem, len(chunk))
		for i, a := range chunk {
			ms, err := u.st.MappingsByKey(a.Kind, []string{a.SourceID})
			if err != nil {
				return fmt.Errorf("read %s mappings: %w", a.Kind, err)
			}
			m, hasM := ms[a.SourceID]
			it := UndoItem{Kind: a.Kind, SourceID: a.SourceID, HubSpotType: a.HubSpotType, HubSpotID: a.HubSpotID, Undo: UndoNone, Outcome: UndoReversed}
			switch {
			case a.Action == state.ActionAdopt:
				it.Outcome = UndoKept
				it.Reason = "b2h took over this existing HubSpot contact (it did not create it) and did not record the values it replaced: the contact stays as it is"
			case hasM && m.HubSpotID == a.HubSpotID:
				it.Outcome = UndoKept
				it.Reason = "merged into the contact of " + singular(mapping.Entity(a.Kind)) + " " + m.Extra["merged_into"] + ", which stays in HubSpot"
			}
			items[i] = it
		}
		if err := u.commit(state.Batch{}, items); err != nil {
			return err
		}
	}
	return nil
}

// rewind moves back the cursors of the kinds undo changed, so the next
// incremental sync reads their records again and does not silently skip
// the ones undo archived or restored (their Buildium records did not change).
func (u *undoer) rewind() error {
	if len(u.touched) == 0 {
		return nil
	}
	want := maps.Clone(u.touched)
	if want[state.KindEmergencyContacts] {
		want[state.KindTenants] = true // emergency contacts are read through their tenants
	}
	var cs []state.Cursor
	for _, k := range state.Kinds {
		if !want[k] {
			continue
		}
		c, err := u.st.Cursor(k)
		if errors.Is(err, state.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read the %s cursor: %w", k, err)
		}
		if c.Watermark.After(rewindTo) {
			cs = append(cs, state.Cursor{Kind: k, Watermark: rewindTo, JobID: u.rep.JobID})
			u.rep.Rewound = append(u.rep.Rewound, k)
		}
	}
	if len(cs) == 0 || u.o.DryRun {
		return nil
	}
	if err := u.st.Commit(state.Batch{JobID: u.rep.JobID, Cursors: cs}); err != nil {
		return fmt.Errorf("rewind cursors: %w", err)
	}
	return nil
}
