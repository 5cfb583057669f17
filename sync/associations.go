package sync

import (
	"cmp"
	"context"
	"fmt"
	"iter"
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
//
// Memory stays small at 100,000 tenants: the wanted associations are
// generated a chunk at a time (never held whole as assocs), tenant ↔ unit
// outcomes are kept one byte per pair, and stale ones are found by asking
// the compact want sets, not a set of every key.
func (e *Engine) syncAssociations(ctx context.Context) error {
	const ent = mapping.Leases
	started := e.stageStart(ent, len(e.idx.leases))
	unitObj := e.acct.UnitType

	// Tenant ↔ unit pairs, one label each.
	tu := tenantUnits(e.idx.leases, e.today())
	outs := newPairOutcomes(len(tu.pairs))
	if err := e.reconcile(ctx, tu.assocs(unitObj), outs.set); err != nil {
		return err
	}
	if len(e.opt.PropertyIDs) == 0 && e.readComplete(mapping.Leases) {
		// Every lease was read: a tenant ↔ unit association b2h made that no
		// lease supports any more (the tenant moved, the lease was removed)
		// goes. A property-scoped run has not seen the rest, and a lease list
		// with records b2h could not read may hide the lease that supports
		// it: neither removes.
		if err := e.removeStale(ctx, func(key string) bool {
			return strings.HasPrefix(key, "T") && strings.Contains(key, ">U") && !tu.wanted(key)
		}); err != nil {
			return err
		}
	}

	if err := e.syncLeaseStatus(ctx); err != nil {
		return err
	}

	// Each lease's outcome is the sum of its tenants' associations.
	if err := e.commitLeaseOutcomes(func(l leaseLite) (Action, string) {
		return leaseOutcome(l, func(t int32) (assocOutcome, bool) {
			i, ok := tu.index(t, l.unitID)
			if !ok {
				return assocOutcome{}, false
			}
			return outs.get(i), true
		})
	}); err != nil {
		return err
	}

	// Emergency contact ↔ tenant, labelled, tenant → emergency contact.
	if e.idx.ecs != nil && e.want(mapping.EmergencyContacts) {
		if err := e.reconcileCounted(ctx, e.idx.ecs.assocs(), mapping.EmergencyContacts); err != nil {
			return err
		}
		// A tenant read in this run whose emergency contact changed loses the
		// association to the old one.
		seenT, ecs := e.idx.tenantsSeen, e.idx.ecs
		if err := e.removeStale(ctx, func(key string) bool {
			t, rest, ok := strings.Cut(key, ">")
			return ok && strings.HasPrefix(t, "T") && (strings.HasPrefix(rest, "E") || strings.HasPrefix(rest, "T")) &&
				seenT.has(strings.TrimPrefix(t, "T")) && !ecs.wanted(key)
		}); err != nil {
			return err
		}
	}
	// Unit ↔ property listing (custom-object units only; listing units carry
	// buildium_property_id instead).
	if e.acct.UnitMode == UnitCustomObject && len(e.idx.unitProperty) > 0 {
		units := slices.Sorted(maps.Keys(e.idx.unitProperty))
		ups := func(yield func(assoc) bool) {
			for _, u := range units {
				p := e.idx.unitProperty[u]
				if !yield(assoc{key: "U" + id32(u) + ">P" + id32(p), fromKind: state.Kind(mapping.Units), fromSrc: id32(u),
					toKind: state.Kind(mapping.Properties), toSrc: id32(p), fromObj: unitObj, toObj: objListings}) {
					return
				}
			}
		}
		if err := e.reconcileCounted(ctx, ups, mapping.Units); err != nil {
			return err
		}
	}
	e.stageDone(ent, started)
	return ctx.Err()
}

// typed gives want's associations the type the account allows: on
// accounts without custom labels every association is HubSpot's default
// type (the lease status is then written on the contact instead).
func (e *Engine) typed(want iter.Seq[assoc]) iter.Seq[assoc] {
	if e.acct.labelled() {
		return want
	}
	return func(yield func(assoc) bool) {
		for a := range want {
			a.label = ""
			if !yield(a) {
				return
			}
		}
	}
}

// reconcileCounted reconciles and reports failures against ent's counters
// once every chunk is done (as Issues, in want order).
func (e *Engine) reconcileCounted(ctx context.Context, want iter.Seq[assoc], ent mapping.Entity) error {
	var failed []Issue
	err := e.reconcile(ctx, want, func(_ int, a assoc, o assocOutcome) {
		if o.act == ActFailed {
			failed = append(failed, Issue{Entity: ent, SourceID: a.fromSrc, Action: ActFailed, Message: "association " + a.key + ": " + o.why})
		}
	})
	if err != nil {
		return err
	}
	for _, is := range failed {
		e.rep.Report(is)
	}
	return nil
}

// assocChunk is how many associations are reconciled per state lookup and
// per write call: the API's batch-create maximum.
const assocChunk = hubspot.MaxAssociationCreateInputs

// reconcile brings HubSpot's associations in line with want, in chunks of
// assocChunk pulled from want as they are needed; done receives each
// association's outcome with its index in want, a chunk at a time, in want
// order.
//
// Chunks are pipelined three deep: while one chunk's outcome is committed
// to state, the next one's writes go to HubSpot and the one after is drawn
// from want and planned against state (reads only). Chunks hold distinct
// associations, so a plan never depends on the writes before it; HubSpot
// writes, commits and done calls stay in order, one chunk at a time. A
// chunk that archives old labels or moved pairs asks state whether another
// association still uses the pair, so its writes wait for the commit
// before it.
func (e *Engine) reconcile(ctx context.Context, want iter.Seq[assoc], done func(i int, a assoc, o assocOutcome)) error {
	want = e.typed(want)
	chunk := make([]assoc, 0, assocChunk)
	base := 0
	var written chan error   // the last chunk's HubSpot writes; nil when none in flight
	var committed chan error // the last chunk's commit (and its done calls)
	// drain waits for everything in flight (each commit waits for the one
	// before it, so the last one's result means all are done) and returns
	// the first error.
	drain := func() error {
		var err error
		if written != nil {
			err = <-written
			written = nil
		}
		if committed != nil {
			if cerr := <-committed; err == nil {
				err = cerr
			}
			committed = nil
		}
		return err
	}
	flush := func() error {
		out := make(map[string]assocOutcome, len(chunk))
		plan, err := e.planChunk(chunk, out)
		if written != nil {
			werr := <-written
			written = nil
			if werr != nil {
				_ = drain() // the same failure, or a commit's before it: this one is reported
				return werr
			}
		}
		if err != nil {
			_ = drain()
			return err
		}
		prev, w, c := committed, make(chan error, 1), make(chan error, 1)
		written, committed = w, c
		go func(chunk []assoc, base int) {
			if prev != nil && (len(plan.archives) > 0 || len(plan.moved) > 0) {
				if perr := <-prev; perr != nil {
					w <- perr
					c <- perr
					return
				}
				prev = nil
			}
			b, err := e.writeChunk(ctx, chunk, out, plan)
			w <- err
			if prev != nil { // always: when c is sent, every chunk before is done
				if perr := <-prev; err == nil {
					err = perr
				}
			}
			if err == nil && len(b.Mappings) > 0 {
				if cerr := e.st.Commit(b); cerr != nil {
					err = fmt.Errorf("commit associations: %w", cerr)
				}
			}
			if err == nil {
				for j, a := range chunk {
					done(base+j, a, out[a.key])
				}
			}
			c <- err
		}(chunk, base)
		base += len(chunk)
		chunk = make([]assoc, 0, assocChunk) // the writer owns the last one
		return nil
	}
	for a := range want {
		chunk = append(chunk, a)
		if len(chunk) == assocChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(chunk) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	return drain()
}

// chunkPlan is what a chunk needs written: the HubSpot ids of its ends,
// its associations' mappings as state had them, the associations to
// create grouped by object-type pair, and those whose old label must go.
type chunkPlan struct {
	ids      map[state.Kind]map[string]state.Mapping
	have     map[string]state.Mapping
	creates  map[assocGroup][]int
	archives []int
	moved    []int
}

type assocGroup struct{ from, to string }

// planChunk reads what state knows of a chunk and decides each
// association's action; the ones needing no write get their outcome in out
// now.
func (e *Engine) planChunk(chunk []assoc, out map[string]assocOutcome) (*chunkPlan, error) {
	ends := map[state.Kind][]string{}
	keys := make([]string, len(chunk))
	for i, a := range chunk {
		ends[a.fromKind] = append(ends[a.fromKind], a.fromSrc)
		ends[a.toKind] = append(ends[a.toKind], a.toSrc)
		keys[i] = a.key
	}
	ids := map[state.Kind]map[string]state.Mapping{}
	for k, srcs := range ends {
		m, err := e.st.MappingRefs(k, srcs) // only the HubSpot ids are needed
		if err != nil {
			return nil, fmt.Errorf("read %s mappings: %w", k, err)
		}
		ids[k] = m
	}
	have, err := e.st.MappingRefs(kindAssociations, keys) // their HubSpot pair and label
	if err != nil {
		return nil, fmt.Errorf("read association mappings: %w", err)
	}
	creates := map[assocGroup][]int{}
	var archives []int // indexes whose old label must go
	var moved []int    // indexes whose old HubSpot pair must go
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
		if had && prev.HubSpotID != hid && prev.HubSpotID != "" {
			moved = append(moved, i) // e.g. an emergency contact no longer linked to a tenant's contact
		}
		g := assocGroup{a.fromObj, a.toObj}
		creates[g] = append(creates[g], i)
		act := ActCreate
		if had {
			act = ActUpdate
		}
		out[a.key] = assocOutcome{act: act}
	}
	return &chunkPlan{ids: ids, have: have, creates: creates, archives: archives, moved: moved}, nil
}

// writeChunk makes a planned chunk's HubSpot writes and returns what to
// commit for them; a failed write's associations get their outcome in out.
func (e *Engine) writeChunk(ctx context.Context, chunk []assoc, out map[string]assocOutcome, p *chunkPlan) (state.Batch, error) {
	ids, have, creates, archives := p.ids, p.have, p.creates, p.archives
	hub := func(k state.Kind, src string) string { return ids[k][src].HubSpotID }
	b := state.Batch{JobID: e.jobID, Mappings: make([]state.Mapping, 0, len(chunk)), Audit: make([]state.AuditEntry, 0, len(chunk))}
	now := e.now()
	for _, g := range slices.SortedFunc(maps.Keys(creates), func(a, b assocGroup) int { return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to)) }) {
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
					return state.Batch{}, fmt.Errorf("association label %q (%s → %s) is missing from the account setup", a.label, a.fromObj, a.toObj)
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
				return state.Batch{}, fatal
			}
			for _, i := range idx {
				out[chunk[i].key] = assocOutcome{ActFailed, err.Error()}
			}
			continue
		}
		pairType := g.from + ">" + g.to
		extras := map[string]map[string]string{} // by label: one map for the group's mappings, which only read it
		for _, i := range idx {
			a := chunk[i]
			hid := hub(a.fromKind, a.fromSrc) + ">" + hub(a.toKind, a.toSrc)
			extra, ok := extras[a.label]
			if !ok {
				extra = map[string]string{"label": a.label}
				extras[a.label] = extra
			}
			b.Mappings = append(b.Mappings, state.Mapping{Kind: kindAssociations, SourceID: a.key, HubSpotType: pairType,
				HubSpotID: hid, LastSynced: now, JobID: e.jobID, CreatedByJob: e.jobID, Extra: extra})
			b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "associate", Kind: kindAssociations,
				SourceID: a.key, HubSpotType: pairType, HubSpotID: hid,
				Changes: []state.FieldChange{{Field: "label", Old: have[a.key].Extra["label"], New: a.label}}})
		}
	}
	if len(archives) > 0 && !e.opt.DryRun {
		if err := e.archiveOldLabels(ctx, chunk, archives, have, hub); err != nil {
			return state.Batch{}, err
		}
	}
	if len(p.moved) > 0 && !e.opt.DryRun {
		if err := e.archiveMovedPairs(ctx, chunk, p.moved, have, out, hub); err != nil {
			return state.Batch{}, err
		}
	}
	return b, nil
}

// pairUsedByOther reports whether an association other than key is on the
// HubSpot pair (hsType, hsID) and, by uses, still needs what key's change
// would take off it (two keys share a pair when a merged tenant's lease and
// its primary's are on one unit).
func (e *Engine) pairUsedByOther(key, hsType, hsID string, uses func(state.Mapping) bool) (bool, error) {
	sharers, err := e.st.MappingsByHubSpot(hsType, hsID)
	if err != nil {
		return false, fmt.Errorf("read association mappings: %w", err)
	}
	return slices.ContainsFunc(sharers, func(m state.Mapping) bool {
		return m.Kind == kindAssociations && m.SourceID != key && uses(m)
	}), nil
}

// archiveMovedPairs removes the HubSpot pair an association had before its
// end moved to another record (an emergency contact that was linked to a
// tenant's contact and now has a contact of its own), once the new pair is
// written. A pair another key still uses stays (see archiveOldLabels).
func (e *Engine) archiveMovedPairs(ctx context.Context, chunk []assoc, idx []int, have map[string]state.Mapping,
	out map[string]assocOutcome, hub func(state.Kind, string) string) error {
	by := map[assocGroup][]hubspot.AssociationPair{}
	newPair := make(map[string]string, len(chunk)) // key → the pair this chunk gives it
	for _, c := range chunk {
		newPair[c.key] = hub(c.fromKind, c.fromSrc) + ">" + hub(c.toKind, c.toSrc)
	}
	for _, i := range idx {
		a := chunk[i]
		if out[a.key].act == ActFailed {
			continue // the new pair is not there: keep the old one
		}
		prev := have[a.key]
		from, to, ok := strings.Cut(prev.HubSpotType, ">")
		fid, tid, ok2 := strings.Cut(prev.HubSpotID, ">")
		if !ok || !ok2 {
			continue
		}
		used, err := e.pairUsedByOther(a.key, prev.HubSpotType, prev.HubSpotID, func(m state.Mapping) bool {
			pair, ok := newPair[m.SourceID]
			return !ok || pair == prev.HubSpotID
		})
		if err != nil {
			return err
		}
		if used {
			continue
		}
		g := assocGroup{from, to}
		by[g] = append(by[g], hubspot.AssociationPair{From: fid, To: tid})
	}
	for g, pairs := range by {
		if err := e.hs.BatchArchiveAssociations(ctx, g.from, g.to, pairs); err != nil {
			if fatal := e.fatalWriteError(ctx, err); fatal != nil {
				return fatal
			}
			e.log.Warn("could not remove moved associations", "from", g.from, "to", g.to, "err", err)
		}
	}
	return nil
}

// archiveOldLabels removes the label an association had before its lease
// changed status (e.g. Current → Past).
func (e *Engine) archiveOldLabels(ctx context.Context, chunk []assoc, idx []int, have map[string]state.Mapping, hub func(state.Kind, string) string) error {
	by := map[assocGroup][]hubspot.AssociationInput{}
	var inChunk map[string]string // key → the label this chunk gives it
	for _, i := range idx {
		a := chunk[i]
		old := have[a.key].Extra["label"]
		t, ok := e.acct.labels[labelKey(a.fromObj, a.toObj, old)]
		if !ok {
			continue
		}
		// Two keys can share a HubSpot pair (a merged tenant's lease and its
		// primary's on one unit): the old label stays while another key
		// still has it. A key of this chunk has the label the chunk gives
		// it; any other, the one state records (a later chunk or run that
		// changes it archives the label then).
		if inChunk == nil {
			inChunk = make(map[string]string, len(chunk))
			for _, c := range chunk {
				inChunk[c.key] = c.label
			}
		}
		used, err := e.pairUsedByOther(a.key, a.fromObj+">"+a.toObj, have[a.key].HubSpotID, func(m state.Mapping) bool {
			label, ok := inChunk[m.SourceID]
			if !ok {
				label = m.Extra["label"]
			}
			return label == old
		})
		if err != nil {
			return err
		}
		if used {
			continue
		}
		g := assocGroup{a.fromObj, a.toObj}
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

// removeStale archives the associations b2h made that are no longer
// wanted (isStale reports them by state key), and forgets them.
func (e *Engine) removeStale(ctx context.Context, isStale func(key string) bool) error {
	var stale []state.Mapping
	// The HubSpot record pairs (and their labels) that associations still
	// wanted use. Two keys can share a pair (a merged tenant's lease and
	// its primary's on one unit, both on the primary's contact): archiving
	// the pair for the stale one would take the wanted one with it.
	// Only the stale mappings' pairs are looked up (memory in proportion to
	// what goes, not to every association: a second pass when any goes).
	// The walk reads ids only: a full sync has tens of thousands of
	// associations and, usually, none stale.
	live := map[string]map[string]bool{}
	var staleIDs []string
	err := e.st.ForEachMappingID(kindAssociations, func(id string) error {
		if isStale(id) {
			staleIDs = append(staleIDs, id)
		}
		return nil
	})
	for len(staleIDs) > 0 && err == nil {
		ids := staleIDs[:min(len(staleIDs), assocChunk)]
		staleIDs = staleIDs[len(ids):]
		var heads map[string]state.Mapping // their HubSpot pair and label
		if heads, err = e.st.MappingRefs(kindAssociations, ids); err != nil {
			break
		}
		for _, id := range ids {
			if m, ok := heads[id]; ok {
				stale = append(stale, m)
				live[m.HubSpotType+"|"+m.HubSpotID] = nil
			}
		}
	}
	if err == nil && len(stale) > 0 {
		err = e.st.ForEachMapping(kindAssociations, func(m state.Mapping) error {
			pk := m.HubSpotType + "|" + m.HubSpotID
			if _, shared := live[pk]; !shared || isStale(m.SourceID) {
				return nil
			}
			if live[pk] == nil {
				live[pk] = map[string]bool{}
			}
			live[pk][m.Extra["label"]] = true
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("read association mappings: %w", err)
	}
	for len(stale) > 0 {
		n := min(len(stale), assocChunk)
		chunk := stale[:n]
		stale = stale[n:]
		by := map[assocGroup][]hubspot.AssociationPair{}
		labels := map[assocGroup][]hubspot.AssociationInput{} // pairs still in use: only the stale label goes
		for _, m := range chunk {
			from, to, ok := strings.Cut(m.HubSpotType, ">")
			fid, tid, ok2 := strings.Cut(m.HubSpotID, ">")
			if !ok || !ok2 {
				continue
			}
			g := assocGroup{from, to}
			inUse := live[m.HubSpotType+"|"+m.HubSpotID]
			switch label := m.Extra["label"]; {
			case inUse == nil:
				by[g] = append(by[g], hubspot.AssociationPair{From: fid, To: tid})
			case inUse[label]:
				// Another wanted association is this very one: HubSpot keeps it.
			default:
				if t, ok := e.acct.labels[labelKey(from, to, label)]; ok && label != "" {
					labels[g] = append(labels[g], hubspot.AssociationInput{From: fid, To: tid, Types: []hubspot.AssociationTypeRef{t}})
				}
			}
		}
		if e.opt.DryRun {
			e.mu.Lock()
			e.planReqs += len(by) + len(labels)
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
		for g, in := range labels {
			if err := e.hs.BatchArchiveAssociationLabels(ctx, g.from, g.to, in); err != nil {
				if fatal := e.fatalWriteError(ctx, err); fatal != nil {
					return fatal
				}
				e.log.Warn("could not remove stale association labels", "from", g.from, "to", g.to, "err", err)
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
