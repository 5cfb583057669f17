package sync

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"b2h/clients/hubspot"
	"b2h/state"
	"b2h/sync/mapping"
)

// assoc is one association b2h wants in HubSpot.
type assoc struct {
	key              string // state source id, e.g. "T12>U34"
	fromKind, toKind state.Kind
	fromSrc, toSrc   string
	fromObj, toObj   string
	label            string // "" = the default (unlabelled) association
}

// assocOutcome is what happened to one association.
type assocOutcome struct {
	act Action
	why string
}

// labelRank orders tenant labels when one tenant has several leases on the
// same unit: the most current wins.
var labelRank = map[string]int{LabelCurrentTenant: 3, LabelFutureTenant: 2, LabelPastTenant: 1}

// syncAssociations reconciles the associations as their own pass
// (association changes do not bump record timestamps): tenant ↔ unit with
// the label recomputed from lease dates, emergency contact ↔ tenant, and
// unit ↔ property listing.
func (e *Engine) syncAssociations(ctx context.Context) error {
	const ent = mapping.Leases
	started := e.stageStart(ent, len(e.idx.leases))
	today := e.today()
	unitObj := e.acct.UnitType

	// Tenant ↔ unit pairs, one label each.
	type pair struct{ tenant, unit int32 }
	best := map[pair]string{}
	for _, l := range e.idx.leases {
		bl := l.lease()
		for _, t := range l.tenants {
			lab := mapping.LeaseLabel(bl, t.status, today)
			p := pair{t.id, l.unitID}
			if labelRank[lab] > labelRank[best[p]] {
				best[p] = lab
			}
		}
	}
	keys := make([]pair, 0, len(best))
	for p := range best {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, func(a, b pair) int { return cmp.Or(cmp.Compare(a.tenant, b.tenant), cmp.Compare(a.unit, b.unit)) })
	want := make([]assoc, len(keys))
	for i, p := range keys {
		want[i] = assoc{key: "T" + id32(p.tenant) + ">U" + id32(p.unit), fromKind: state.Kind(mapping.Tenants),
			toKind: state.Kind(mapping.Units), fromSrc: id32(p.tenant), toSrc: id32(p.unit),
			fromObj: objContacts, toObj: unitObj, label: best[p]}
	}
	out, err := e.reconcile(ctx, want)
	if err != nil {
		return err
	}
	if len(e.opt.PropertyIDs) == 0 {
		// Every lease was read: a tenant ↔ unit association b2h made that no
		// lease supports any more (the tenant moved, the lease was removed)
		// goes. A property-scoped run has not seen the rest, so never removes.
		if err := e.removeStale(ctx, want, func(key string) bool {
			return strings.HasPrefix(key, "T") && strings.Contains(key, ">U")
		}); err != nil {
			return err
		}
	}

	// Each lease's outcome is the sum of its tenants' associations.
	var c Counters
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	now := e.now()
	for _, l := range e.idx.leases {
		act, why := leaseOutcome(l, out, func(t int32) string { return "T" + id32(t) + ">U" + id32(l.unitID) })
		c.Read++
		c.count(act)
		if act != ActSkip && act != ActFailed {
			b.Resolve = append(b.Resolve, state.LedgerKey{Kind: state.Kind(ent), SourceID: id32(l.id)})
		}
		if act == ActSkip || act == ActFailed {
			b.Ledger = append(b.Ledger, state.LedgerEntry{Kind: state.Kind(ent), SourceID: id32(l.id), JobID: e.jobID,
				ErrorType: map[Action]string{ActSkip: "skipped", ActFailed: "hubspot"}[act], Message: why, FirstSeen: now, LastSeen: now})
			e.rep.Report(Issue{Entity: ent, SourceID: id32(l.id), Action: act, Message: fmt.Sprintf("lease %d: %s", l.id, why)})
		}
	}
	e.readCount(ent, c.Read)
	c.Read = 0
	b.Counters[state.Kind(ent)] = toStateCounter(c)
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit lease outcomes: %w", err)
		}
	}
	e.progress(ent, c)

	// Emergency contact ↔ tenant, labelled, tenant → emergency contact.
	if e.idx.ecs != nil && e.want(mapping.EmergencyContacts) {
		var ecs []assoc
		for _, k := range e.idx.ecs.order {
			en := e.idx.ecs.byKey[k]
			for _, t := range en.tenants {
				a := assoc{key: "T" + id32(t) + ">E" + k, fromKind: state.Kind(mapping.Tenants), fromSrc: id32(t),
					toKind: state.Kind(mapping.EmergencyContacts), toSrc: k, fromObj: objContacts, toObj: objContacts,
					label: LabelEmergencyContact}
				if en.owner != 0 {
					if en.owner == t {
						continue // a tenant who names themself
					}
					a.toKind, a.toSrc = state.Kind(mapping.Tenants), id32(en.owner)
				}
				ecs = append(ecs, a)
			}
		}
		if _, err := e.reconcileCounted(ctx, ecs, mapping.EmergencyContacts); err != nil {
			return err
		}
		// A tenant read in this run whose emergency contact changed loses the
		// association to the old one.
		seenT := e.idx.tenantsSeen
		if err := e.removeStale(ctx, ecs, func(key string) bool {
			t, rest, ok := strings.Cut(key, ">")
			return ok && strings.HasPrefix(t, "T") && (strings.HasPrefix(rest, "E") || strings.HasPrefix(rest, "T")) && seenT[strings.TrimPrefix(t, "T")]
		}); err != nil {
			return err
		}
	}
	// Unit ↔ property listing (custom-object units only; listing units carry
	// buildium_property_id instead).
	if e.acct.UnitMode == UnitCustomObject && len(e.idx.unitProperty) > 0 {
		var ups []assoc
		for _, u := range slices.Sorted(maps.Keys(e.idx.unitProperty)) {
			p := e.idx.unitProperty[u]
			ups = append(ups, assoc{key: "U" + id32(u) + ">P" + id32(p), fromKind: state.Kind(mapping.Units), fromSrc: id32(u),
				toKind: state.Kind(mapping.Properties), toSrc: id32(p), fromObj: unitObj, toObj: objListings})
		}
		if _, err := e.reconcileCounted(ctx, ups, mapping.Units); err != nil {
			return err
		}
	}
	e.stageDone(ent, started)
	return ctx.Err()
}

// reconcileCounted reconciles and reports failures against ent's counters.
func (e *Engine) reconcileCounted(ctx context.Context, want []assoc, ent mapping.Entity) (map[string]assocOutcome, error) {
	out, err := e.reconcile(ctx, want)
	if err != nil {
		return nil, err
	}
	for _, a := range want {
		if o := out[a.key]; o.act == ActFailed {
			e.rep.Report(Issue{Entity: ent, SourceID: a.fromSrc, Action: ActFailed, Message: "association " + a.key + ": " + o.why})
		}
	}
	return out, nil
}

func leaseOutcome(l leaseLite, out map[string]assocOutcome, key func(int32) string) (Action, string) {
	if len(l.tenants) == 0 {
		return ActSkip, "the lease has no tenants in Buildium"
	}
	var created, updated, unchanged, failed, skipped int
	var why []string
	for _, t := range l.tenants {
		o, ok := out[key(t.id)]
		if !ok {
			continue
		}
		switch o.act {
		case ActCreate:
			created++
		case ActUpdate:
			updated++
		case ActUnchanged:
			unchanged++
		case ActFailed:
			failed++
			why = append(why, o.why)
		default:
			skipped++
			why = append(why, o.why)
		}
	}
	switch {
	case failed > 0:
		return ActFailed, strings.Join(why, "; ")
	case created+updated+unchanged == 0:
		return ActSkip, strings.Join(why, "; ")
	case created > 0 && updated+unchanged == 0:
		return ActCreate, ""
	case created+updated > 0:
		return ActUpdate, ""
	}
	return ActUnchanged, ""
}

// assocChunk is how many associations are reconciled per state lookup and
// per write call: the API's batch-create maximum.
const assocChunk = hubspot.MaxAssociationCreateInputs

// reconcile brings HubSpot's associations in line with want, in chunks.
func (e *Engine) reconcile(ctx context.Context, want []assoc) (map[string]assocOutcome, error) {
	out := make(map[string]assocOutcome, len(want))
	for len(want) > 0 {
		n := min(len(want), assocChunk)
		if err := e.reconcileChunk(ctx, want[:n], out); err != nil {
			return nil, err
		}
		want = want[n:]
	}
	return out, nil
}

func (e *Engine) reconcileChunk(ctx context.Context, chunk []assoc, out map[string]assocOutcome) error {
	ends := map[state.Kind][]string{}
	keys := make([]string, len(chunk))
	for i, a := range chunk {
		ends[a.fromKind] = append(ends[a.fromKind], a.fromSrc)
		ends[a.toKind] = append(ends[a.toKind], a.toSrc)
		keys[i] = a.key
	}
	ids := map[state.Kind]map[string]state.Mapping{}
	for k, srcs := range ends {
		m, err := e.st.MappingsByKey(k, srcs)
		if err != nil {
			return fmt.Errorf("read %s mappings: %w", k, err)
		}
		ids[k] = m
	}
	have, err := e.st.MappingsByKey(kindAssociations, keys)
	if err != nil {
		return fmt.Errorf("read association mappings: %w", err)
	}
	type group struct{ from, to string }
	creates := map[group][]int{}
	var archives []int // indexes whose old label must go
	for i, a := range chunk {
		from, ok1 := ids[a.fromKind][a.fromSrc]
		to, ok2 := ids[a.toKind][a.toSrc]
		if e.opt.DryRun {
			// The plan counts on the records it would create.
			ok1 = ok1 || e.planned[a.fromKind][a.fromSrc]
			ok2 = ok2 || e.planned[a.toKind][a.toSrc]
		}
		switch {
		case !ok1:
			out[a.key] = assocOutcome{ActSkip, fmt.Sprintf("%s %s is not in HubSpot (see its own report line)", singular(mapping.Entity(a.fromKind)), a.fromSrc)}
			continue
		case !ok2:
			out[a.key] = assocOutcome{ActSkip, fmt.Sprintf("%s %s is not in HubSpot (see its own report line)", singular(mapping.Entity(a.toKind)), a.toSrc)}
			continue
		}
		hid := from.HubSpotID + ">" + to.HubSpotID
		prev, had := have[a.key]
		if had && prev.HubSpotID == hid && prev.Extra["label"] == a.label {
			out[a.key] = assocOutcome{act: ActUnchanged}
			continue
		}
		if had && prev.HubSpotID == hid && prev.Extra["label"] != "" {
			archives = append(archives, i)
		}
		g := group{a.fromObj, a.toObj}
		creates[g] = append(creates[g], i)
		act := ActCreate
		if had {
			act = ActUpdate
		}
		out[a.key] = assocOutcome{act: act}
	}
	hub := func(k state.Kind, src string) string { return ids[k][src].HubSpotID }
	b := state.Batch{JobID: e.jobID}
	now := e.now()
	for _, g := range slices.SortedFunc(maps.Keys(creates), func(a, b group) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) }) {
		idx := creates[g]
		if e.opt.DryRun {
			e.mu.Lock()
			e.planReqs++
			e.mu.Unlock()
			continue
		}
		var err error
		if chunk[idx[0]].label == "" {
			pairs := make([]hubspot.AssociationPair, len(idx))
			for j, i := range idx {
				pairs[j] = hubspot.AssociationPair{From: hub(chunk[i].fromKind, chunk[i].fromSrc), To: hub(chunk[i].toKind, chunk[i].toSrc)}
			}
			_, err = e.hs.BatchCreateDefaultAssociations(ctx, g.from, g.to, pairs)
		} else {
			in := make([]hubspot.AssociationInput, len(idx))
			for j, i := range idx {
				a := chunk[i]
				t, ok := e.acct.labels[labelKey(a.fromObj, a.toObj, a.label)]
				if !ok {
					return fmt.Errorf("association label %q (%s → %s) is missing from the account setup", a.label, a.fromObj, a.toObj)
				}
				in[j] = hubspot.AssociationInput{From: hub(a.fromKind, a.fromSrc), To: hub(a.toKind, a.toSrc), Types: []hubspot.AssociationTypeRef{t}}
			}
			var res *hubspot.AssociationBatchResult
			res, err = e.hs.BatchCreateAssociations(ctx, g.from, g.to, in)
			if err == nil && res != nil && len(res.Errors) > 0 {
				err = fmt.Errorf("HubSpot rejected %d associations: %s", len(res.Errors), res.Errors[0].Message)
			}
		}
		if err != nil {
			if fatal := e.fatalWriteError(ctx, err); fatal != nil {
				return fatal
			}
			for _, i := range idx {
				out[chunk[i].key] = assocOutcome{ActFailed, err.Error()}
			}
			continue
		}
		for _, i := range idx {
			a := chunk[i]
			from, to := hub(a.fromKind, a.fromSrc), hub(a.toKind, a.toSrc)
			b.Mappings = append(b.Mappings, state.Mapping{Kind: kindAssociations, SourceID: a.key, HubSpotType: a.fromObj + ">" + a.toObj,
				HubSpotID: from + ">" + to, LastSynced: now, JobID: e.jobID, CreatedByJob: e.jobID, Extra: map[string]string{"label": a.label}})
			b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "associate", Kind: kindAssociations,
				SourceID: a.key, HubSpotType: a.fromObj + ">" + a.toObj, HubSpotID: from + ">" + to,
				Changes: []state.FieldChange{{Field: "label", Old: have[a.key].Extra["label"], New: a.label}}})
		}
	}
	if len(archives) > 0 && !e.opt.DryRun {
		if err := e.archiveOldLabels(ctx, chunk, archives, have, hub); err != nil {
			return err
		}
	}
	if len(b.Mappings) > 0 {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit associations: %w", err)
		}
	}
	return nil
}

// archiveOldLabels removes the label an association had before its lease
// changed status (e.g. Current → Past).
func (e *Engine) archiveOldLabels(ctx context.Context, chunk []assoc, idx []int, have map[string]state.Mapping, hub func(state.Kind, string) string) error {
	type group struct{ from, to string }
	by := map[group][]hubspot.AssociationInput{}
	for _, i := range idx {
		a := chunk[i]
		old := have[a.key].Extra["label"]
		t, ok := e.acct.labels[labelKey(a.fromObj, a.toObj, old)]
		if !ok {
			continue
		}
		g := group{a.fromObj, a.toObj}
		by[g] = append(by[g], hubspot.AssociationInput{From: hub(a.fromKind, a.fromSrc), To: hub(a.toKind, a.toSrc), Types: []hubspot.AssociationTypeRef{t}})
	}
	for g, in := range by {
		if err := e.hs.BatchArchiveAssociationLabels(ctx, g.from, g.to, in); err != nil {
			if fatal := e.fatalWriteError(ctx, err); fatal != nil {
				return fatal
			}
			e.log.Warn("could not remove old association labels", "from", g.from, "to", g.to, "err", err)
		}
	}
	return nil
}

// fatalWriteError returns err when it must stop the run (daily limit,
// cancellation, credentials), nil when it only fails the records at hand.
func (e *Engine) fatalWriteError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if isDailyLimit(err) {
		return err
	}
	if ex := explainHubSpot(err, "write associations"); isConfig(ex) {
		return ex
	}
	return nil
}

// kindAssociations is the state kind of association mappings.
const kindAssociations = state.Kind("associations")

// removeStale archives the associations b2h made (keys matching owned) that
// are no longer wanted, and forgets them.
func (e *Engine) removeStale(ctx context.Context, want []assoc, owned func(key string) bool) error {
	keep := make(map[string]bool, len(want))
	for _, a := range want {
		keep[a.key] = true
	}
	type group struct{ from, to string }
	var stale []state.Mapping
	err := e.st.ForEachMapping(kindAssociations, func(m state.Mapping) error {
		if owned(m.SourceID) && !keep[m.SourceID] {
			stale = append(stale, m)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read association mappings: %w", err)
	}
	for len(stale) > 0 {
		n := min(len(stale), assocChunk)
		chunk := stale[:n]
		stale = stale[n:]
		by := map[group][]hubspot.AssociationPair{}
		for _, m := range chunk {
			from, to, ok := strings.Cut(m.HubSpotType, ">")
			fid, tid, ok2 := strings.Cut(m.HubSpotID, ">")
			if !ok || !ok2 {
				continue
			}
			g := group{from, to}
			by[g] = append(by[g], hubspot.AssociationPair{From: fid, To: tid})
		}
		if e.opt.DryRun {
			e.mu.Lock()
			e.planReqs += len(by)
			e.mu.Unlock()
			continue
		}
		for g, pairs := range by {
			if err := e.hs.BatchArchiveAssociations(ctx, g.from, g.to, pairs); err != nil {
				if fatal := e.fatalWriteError(ctx, err); fatal != nil {
					return fatal
				}
				e.log.Warn("could not remove stale associations", "from", g.from, "to", g.to, "err", err)
				return nil // kept in state: retried next run
			}
		}
		now := e.now()
		b := state.Batch{JobID: e.jobID}
		for _, m := range chunk {
			b.DeleteMappings = append(b.DeleteMappings, state.MappingKey{Kind: kindAssociations, SourceID: m.SourceID})
			b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "unassociate", Kind: kindAssociations,
				SourceID: m.SourceID, HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID,
				Changes: []state.FieldChange{{Field: "label", Old: m.Extra["label"]}}})
			e.rep.Report(Removed{Key: m.SourceID, Label: m.Extra["label"], Reason: "no Buildium lease or emergency contact supports it any more"})
		}
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit removed associations: %w", err)
		}
	}
	return nil
}
