package sync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// Duplicate resolutions (a person's decision, or the configured default).
const (
	DupMerge        = "merge"         // one contact for the group; fields per Decision.Fields
	DupKeepSeparate = "keep_separate" // one contact each; only the primary keeps a shared email
	DupSkip         = "skip"          // none of the group is written
	DupAdopt        = "adopt"         // take over the existing HubSpot contact (sets its buildium_tenant_id)
	DupReview       = "review"        // hold until a person decides (the default)
)

// dupeIndex groups tenants who are the same person, or would collide on
// HubSpot's unique email, before anything is written (DESIGN.md §3): a
// shared normalised email, an email equal to another tenant's alternate
// email, or the same name and phone.
type dupeIndex struct {
	// owner maps each normalised primary email to its tenant (the lowest
	// id when several share it); shared holds the emails of several, with
	// their tenants in reading order. Most emails are one tenant's, so no
	// slice is kept per tenant (memory at 100,000 tenants).
	owner   map[string]int32
	shared  map[string][]int32
	group   map[int32]string   // tenant id → duplicate group id
	members map[string][]int32 // group id → tenant ids (sorted)
	reason  map[string]string  // group id → why they are grouped
}

func dupeGroupID(kind, key string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + key))
	return "dup-" + kind + "-" + hex.EncodeToString(h[:6])
}

// unionFind joins tenants related by any duplicate rule.
type unionFind map[int32]int32

func (u unionFind) find(x int32) int32 {
	for {
		p, ok := u[x]
		if !ok || p == x {
			return x
		}
		// Path halving: point x at its grandparent, when it has one (a
		// root is absent from the map: its zero value is no parent).
		if gp, ok := u[p]; ok {
			u[x] = gp
		}
		x = p
	}
}

func (u unionFind) join(a, b int32) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u[max(ra, rb)] = min(ra, rb)
	}
}

func nameKey(first, last string) string {
	return strings.ToLower(strings.Join(strings.Fields(mapping.Sanitize(first+" "+last)), " "))
}

// awaitTenantPrepass returns once the tenant pre-pass is done: the one
// started beside the earlier stages, or, when none was, one run now.
func (e *Engine) awaitTenantPrepass(ctx context.Context) error {
	var r prepassResult
	if e.tenantPrepass != nil {
		r = <-e.tenantPrepass
		e.tenantPrepass = nil
	} else {
		r.pages, r.err = e.prepassTenants(ctx)
	}
	e.listPages[mapping.Tenants] = r.pages
	return r.err
}

// prepassTenants reads every tenant's contact fields: duplicate groups, and
// in an incremental run the tenants behind emergency-contact links and
// retries. It may run beside other stages: it sets only its own fields of
// the engine's indexes (idx.dupes, idx.ecLinks, idx.ecRetry). Memory is
// a few small maps of ids per tenant, never the records.
func (e *Engine) prepassTenants(ctx context.Context) (pages int, err error) {
	d := &dupeIndex{owner: map[string]int32{}, shared: map[string][]int32{}, group: map[int32]string{}, members: map[string][]int32{}, reason: map[string]string{}}
	alt := map[string][]int32{}
	namePhone := map[string][]int32{}
	// An incremental run reads again, besides the window, the tenants whose
	// emergency contact depends on a tenant it reads (see followTenants)
	// and those whose emergency contact HubSpot refused.
	var ecNaming map[string][]int32 // emergency contact email → tenants naming it
	var retryEC map[string]bool
	if e.opt.Mode == Incremental {
		ecNaming = map[string][]int32{}
		open, err := e.st.OpenLedger(state.Kind(mapping.EmergencyContacts))
		if err != nil {
			return 0, fmt.Errorf("read the emergency contact ledger: %w", err)
		}
		for _, le := range open {
			if retryable(le.ErrorType) {
				if retryEC == nil {
					retryEC = map[string]bool{}
				}
				retryEC[le.SourceID] = true
			}
		}
	}
	// Duplicates are decided over the whole portfolio, even in a run scoped
	// to some properties: a tenant there whose email a tenant elsewhere
	// shares is held like in a full run, so a scoped run never writes a
	// record a full plan would hold. Emergency-contact links stay in scope.
	e.idx.tenantIDs = newIDSet()
	dupes := func(t *buildium.TenantContact) {
		e.idx.tenantIDs.add(id32(t.ID))
		if em := mapping.NormalizeEmail(t.Email); em != "" && mapping.ValidEmail(em) {
			d.addEmail(em, t.ID)
		}
		if em := mapping.NormalizeEmail(t.AlternateEmail); em != "" && mapping.ValidEmail(em) {
			alt[em] = append(alt[em], t.ID)
		}
		if n := nameKey(t.FirstName, t.LastName); n != "" {
			if ph, _ := mapping.PickPhones(t.PhoneNumbers); ph != "" {
				if p, ok := mapping.NormalizePhone(ph, "US"); ok {
					ph = p
				}
				namePhone[n+"|"+ph] = append(namePhone[n+"|"+ph], t.ID)
			}
		}
	}
	links := func(t *buildium.TenantContact) {
		if ec := t.EmergencyContact; ecNaming != nil && ec != nil {
			if em := mapping.NormalizeEmail(ec.Email); em != "" && mapping.ValidEmail(em) {
				ecNaming[em] = append(ecNaming[em], t.ID)
			}
			if retryEC[mapping.EmergencyContactKey(t.ID, ec)] {
				e.idx.ecRetry = append(e.idx.ecRetry, t.ID)
			}
		}
	}
	scoped := len(e.opt.PropertyIDs) > 0
	for page, err := range e.bd.TenantContacts(ctx, buildium.ListOptions{}) {
		if err != nil {
			return 0, fmt.Errorf("read tenants from Buildium: %w", err)
		}
		if pages == 0 && !scoped {
			if err := e.shrink.check(mapping.Tenants, page.Total); err != nil {
				return 0, err
			}
		}
		pages++
		for i := range page.Items {
			dupes(&page.Items[i])
			if !scoped {
				links(&page.Items[i])
			}
		}
		if len(page.Bad) > 0 {
			e.idx.dupesIncomplete = true
		}
	}
	if scoped && ecNaming != nil {
		for page, err := range e.bd.TenantContacts(ctx, e.listOpts()) {
			if err != nil {
				return 0, fmt.Errorf("read tenants from Buildium: %w", err)
			}
			for i := range page.Items {
				links(&page.Items[i])
			}
		}
	}
	if ecNaming != nil {
		e.idx.ecLinks = map[int32][]int32{}
		for em, naming := range ecNaming {
			if owner, ok := d.owner[em]; ok {
				e.idx.ecLinks[owner] = append(e.idx.ecLinks[owner], naming...)
			}
		}
	}
	uf := unionFind{}
	keyOf := map[int32]string{} // a component's smallest relation key: its stable id
	why := map[int32][]string{}
	relate := func(ids []int32, kind, key, reason string) {
		if len(ids) < 2 {
			return
		}
		for _, id := range ids[1:] {
			uf.join(ids[0], id)
		}
		for _, id := range ids {
			k := kind + ":" + key
			if cur, ok := keyOf[id]; !ok || k < cur {
				keyOf[id] = k
			}
			why[id] = append(why[id], reason)
		}
	}
	for em, owner := range d.owner {
		ids := d.shared[em]
		if ids == nil {
			ids = []int32{owner}
		}
		relate(ids, "email", em, "share the email "+em)
		if others := alt[em]; len(others) > 0 {
			all := append(slices.Clone(ids), others...)
			relate(slices.Compact(slices.Sorted(slices.Values(all))), "altemail", em, "one's email "+em+" is another's alternate email")
		}
	}
	for k, ids := range namePhone {
		name, _, _ := strings.Cut(k, "|")
		relate(ids, "namephone", k, "have the same name ("+name+") and phone")
	}
	comp := map[int32][]int32{}
	for id := range keyOf {
		r := uf.find(id)
		comp[r] = append(comp[r], id)
	}
	for _, ids := range comp {
		slices.Sort(ids)
		ids = slices.Compact(ids)
		if len(ids) < 2 {
			continue
		}
		key := keyOf[ids[0]]
		var reasons []string
		for _, id := range ids {
			if keyOf[id] < key {
				key = keyOf[id]
			}
			reasons = append(reasons, why[id]...)
		}
		kind, rest, _ := strings.Cut(key, ":")
		g := dupeGroupID(kind, rest)
		d.members[g] = ids
		slices.Sort(reasons)
		d.reason[g] = strings.Join(slices.Compact(reasons), "; ")
		for _, id := range ids {
			d.group[id] = g
		}
	}
	e.idx.dupes = d
	return pages, nil
}

// tenantOwner returns the tenant whose primary email is em (the lowest id
// when several share it).
func (d *dupeIndex) tenantOwner(em string) (int32, bool) {
	id, ok := d.owner[em]
	return id, ok
}

// addEmail records that tenant id has the normalised primary email em.
func (d *dupeIndex) addEmail(em string, id int32) {
	first, ok := d.owner[em]
	if !ok {
		d.owner[em] = id
		return
	}
	if d.shared[em] == nil {
		d.shared[em] = []int32{first} // the only one so far: first is its id
	}
	d.shared[em] = append(d.shared[em], id)
	d.owner[em] = min(first, id)
}

// groupDecision returns how a duplicate group is settled: a person's stored
// decision, else the configured default, else review.
func (e *Engine) groupDecision(g string) (state.Decision, bool) {
	if d, ok := e.decisions[g]; ok {
		return d, true
	}
	if e.opt.DuplicateDefault != "" && e.opt.DuplicateDefault != DupReview {
		return state.Decision{ID: g, Type: "duplicate", Resolution: e.opt.DuplicateDefault, DecidedBy: "default"}, true
	}
	return state.Decision{}, false
}

// primaryOf is the member whose contact a merged group keeps.
func primaryOf(d state.Decision, members []int32) int32 {
	var p int32
	if _, err := fmt.Sscan(d.Fields["primary"], &p); err == nil && slices.Contains(members, p) {
		return p
	}
	return members[0]
}

// heldTenant is a tenant of a duplicate group that does not go through the
// normal write: held for review, skipped, or merged into another's contact.
type heldTenant struct {
	id    int32
	name  string
	group string
	rec   mapping.Record
	act   Action // ActDuplicate (held), ActSkip (skip or merged)
	// existing: held because its email is a HubSpot contact's that b2h did
	// not create (its review item is already open).
	existing bool
	// kept: held because an open review item holds it and the tenant list
	// was not read whole (the item stays as it was).
	kept bool
}

func (e *Engine) syncTenants(ctx context.Context) error {
	if err := e.awaitTenantPrepass(ctx); err != nil {
		return err
	}
	e.idx.ecs = newECCollector()
	heldBefore := map[int32]string{} // tenant → the open review item holding it
	for item, srcs := range e.reviewSources[state.Kind(mapping.Tenants)] {
		for _, src := range srcs {
			if id, err := strconv.ParseInt(src, 10, 32); err == nil {
				heldBefore[int32(id)] = item
			}
		}
	}
	var held []heldTenant
	var adopts []adoptItem
	merges := map[string]map[int32]mapping.Record{} // merge groups: member records seen
	// Merged groups, adoptions and held duplicates are settled before the
	// stage ends, so its final counters are complete.
	if e.opt.Mode == Incremental {
		e.idx.emailMoved = newIDSet()
		e.followUp[mapping.Tenants] = e.followTenants
	}
	e.afterRead[mapping.Tenants] = func(ctx context.Context, seen *idSet, _ *loader) error {
		e.idx.tenantsSeen = seen
		if err := e.writeMerged(ctx, merges); err != nil {
			return err
		}
		if err := e.adopt(ctx, mapping.Tenants, adopts); err != nil {
			return err
		}
		return e.holdDuplicates(mapping.Tenants, held)
	}
	return streamStage(ctx, e, mapping.Tenants, e.bd.TenantsShallow, e.bd.Tenant, func(t buildium.Tenant) (named, bool) {
		e.idx.ecs.collect(t)
		rec := e.m.Tenant(t)
		name := rec.Name
		if rec.Valid() {
			// A known collision with a HubSpot contact b2h did not create is
			// never sent again until decided (no 409 for a known duplicate).
			xid := ExistingID(mapping.Tenants, rec.SourceID)
			// Skip and keep-separate stand for good (the email still belongs
			// to the other contact); adopt applies once, then the tenant is
			// that contact's.
			if dec, ok := e.decisions[xid]; ok && (dec.AppliedByJob == "" || dec.Resolution != DupAdopt) {
				if dec.Resolution != DupAdopt {
					e.settle(xid)
				}
				switch dec.Resolution {
				case DupSkip:
					held = append(held, heldTenant{id: t.ID, name: name, group: xid, rec: rec, act: ActSkip})
					return named{}, false
				case DupAdopt:
					adopts = append(adopts, adoptItem{rec: rec, name: name, dec: dec})
					return named{}, false
				case DupKeepSeparate:
					delete(rec.Properties, "email")
					rec.Hash = mapping.Hash(rec.Target, rec.Properties)
				}
			} else if e.openReview[xid] {
				held = append(held, heldTenant{id: t.ID, name: name, group: xid, rec: rec, act: ActDuplicate, existing: true})
				return named{}, false
			}
		}
		g, grouped := e.idx.dupes.group[t.ID]
		if !grouped && rec.Valid() && e.idx.dupesIncomplete {
			// The tenant list held records b2h could not read: a group this
			// tenant was held in may have lost a member only to that. It
			// stays held until the list is whole or the group is decided.
			if item, ok := heldBefore[t.ID]; ok {
				held = append(held, heldTenant{id: t.ID, name: name, group: item, rec: rec, act: ActDuplicate, kept: true})
				return named{}, false
			}
		}
		if !grouped || !rec.Valid() {
			return named{rec: rec, name: name}, true
		}
		dec, decided := e.groupDecision(g)
		members := e.idx.dupes.members[g]
		switch {
		case !decided:
			held = append(held, heldTenant{id: t.ID, name: name, group: g, rec: rec, act: ActDuplicate})
			return named{}, false
		case dec.Resolution == DupSkip:
			e.settle(g)
			held = append(held, heldTenant{id: t.ID, name: name, group: g, rec: rec, act: ActSkip})
			return named{}, false
		case dec.Resolution == DupMerge:
			if merges[g] == nil {
				merges[g] = map[int32]mapping.Record{}
			}
			merges[g][t.ID] = rec
			if t.ID != primaryOf(dec, members) {
				held = append(held, heldTenant{id: t.ID, name: name, group: g, rec: rec, act: ActSkip})
				return named{}, false
			}
			return named{}, false // the primary is written once the group is complete
		case dec.Resolution == DupKeepSeparate:
			e.settle(g)
			if t.ID != primaryOf(dec, members) && e.sharesEmail(t.ID, rec) {
				// HubSpot allows one contact per email: the others keep their
				// own contact without it (their Buildium email stays in state).
				delete(rec.Properties, "email")
				rec.Hash = mapping.Hash(rec.Target, rec.Properties)
			}
		}
		return named{rec: rec, name: name}, true
	})
}

// sharesEmail reports whether the tenant's email is also another tenant's.
func (e *Engine) sharesEmail(id int32, rec mapping.Record) bool {
	em := rec.Properties["email"]
	ids := e.idx.dupes.shared[em]
	return em != "" && len(ids) > 1 && slices.Contains(ids, id)
}

// writeMerged writes one contact per merged group: the primary's record
// with the fields the decision takes from other members.
func (e *Engine) writeMerged(ctx context.Context, merges map[string]map[int32]mapping.Record) error {
	if len(merges) == 0 {
		return nil
	}
	em := e.m.Entities[mapping.Tenants]
	ld, lctx := e.newLoader(ctx, mapping.Tenants, e.objectType(em.Target), em.Key)
	var recs []named
	for _, g := range slices.Sorted(mapsKeys(merges)) {
		dec, _ := e.groupDecision(g)
		p := primaryOf(dec, e.idx.dupes.members[g])
		base, ok := merges[g][p]
		if !ok {
			continue // the primary is out of this run's window: unchanged
		}
		props := map[string]string{}
		for k, v := range base.Properties {
			props[k] = v
		}
		for field, choice := range dec.Fields {
			if field == "primary" {
				continue
			}
			if v, ok := strings.CutPrefix(choice, "value:"); ok {
				props[field] = v
				continue
			}
			var from int32
			if _, err := fmt.Sscan(choice, &from); err == nil {
				if r, ok := merges[g][from]; ok {
					if v, ok := r.Properties[field]; ok {
						props[field] = v
					} else {
						delete(props, field)
					}
				}
			}
		}
		base.Properties = props
		base.Hash = mapping.Hash(base.Target, props)
		recs = append(recs, named{rec: base, name: base.Name})
	}
	e.readCount(mapping.Tenants, len(recs))
	if err := e.planPage(lctx, mapping.Tenants, recs, ld); err != nil {
		_ = ld.close()
		return err
	}
	if err := ld.close(); err != nil {
		return err
	}
	return e.linkMerged(merges)
}

// linkMerged maps the non-primary members of merged groups to the primary's
// contact, so their leases associate with it.
func (e *Engine) linkMerged(merges map[string]map[int32]mapping.Record) error {
	if e.opt.DryRun {
		return nil
	}
	now := e.now()
	b := state.Batch{JobID: e.jobID}
	for g, recs := range merges {
		dec, _ := e.groupDecision(g)
		p := primaryOf(dec, e.idx.dupes.members[g])
		pm, err := e.st.MappingsByKey(state.Kind(mapping.Tenants), []string{id32(p)})
		if err != nil {
			return err
		}
		prim, ok := pm[id32(p)]
		if !ok {
			continue // the primary failed: its ledger entry says why
		}
		for id, r := range recs {
			if id == p {
				continue
			}
			b.Mappings = append(b.Mappings, state.Mapping{Kind: state.Kind(mapping.Tenants), SourceID: id32(id),
				HubSpotType: prim.HubSpotType, HubSpotID: prim.HubSpotID, SyncHash: r.Hash, LastSynced: now,
				JobID: e.jobID, Extra: map[string]string{"merged_into": id32(p)}})
			b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "merge", Kind: state.Kind(mapping.Tenants),
				SourceID: id32(id), HubSpotType: prim.HubSpotType, HubSpotID: prim.HubSpotID})
		}
		if d, ok := e.decisions[g]; ok && d.AppliedByJob == "" {
			d.AppliedByJob = e.jobID
			b.Decisions = append(b.Decisions, d)
			b.DeleteReview = append(b.DeleteReview, g)
		}
	}
	if len(b.Mappings) == 0 && len(b.Decisions) == 0 {
		return nil
	}
	return e.st.Commit(b)
}

// holdDuplicates accounts for the group members that were not written the
// normal way: held for review (duplicates, one review item per group),
// skipped by decision, or merged into another member's contact.
func (e *Engine) holdDuplicates(ent mapping.Entity, held []heldTenant) error {
	if len(held) == 0 {
		return nil
	}
	now := e.now()
	kind := state.Kind(ent)
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	seen := map[string]bool{}
	payloads := e.groupPayloads(ent, held)
	var c Counters
	for _, h := range held {
		c.count(h.act)
		if h.act != ActDuplicate || seen[h.group] || h.existing || h.kept {
			continue // a kept hold leaves its review item as it was
		}
		seen[h.group] = true
		ids := e.idx.dupes.members[h.group]
		src := make([]string, len(ids))
		for i, id := range ids {
			src[i] = id32(id)
		}
		b.Review = append(b.Review, state.ReviewItem{ID: h.group, Type: "duplicate", Kind: kind, SourceIDs: src,
			Summary: fmt.Sprintf("%d tenants %s", len(ids), e.idx.dupes.reason[h.group]),
			Payload: payloads[h.group], JobID: e.jobID, OpenedAt: now, Status: "open"})
	}
	e.readCount(ent, len(held))
	b.Counters[kind] = toStateCounter(c)
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit duplicate groups: %w", err)
		}
	}
	for _, h := range held {
		switch {
		case h.act == ActSkip:
			why := "skipped by a review decision (" + h.group + ")"
			if dec, ok := e.groupDecision(h.group); ok && dec.Resolution == DupMerge {
				why = "merged into the contact of group " + h.group
			}
			e.rep.Report(Issue{Entity: ent, SourceID: id32(h.id), Action: ActSkip, Name: h.name,
				Message: fmt.Sprintf("tenant %d (%s) is %s", h.id, h.name, why)})
		case h.act == ActDuplicate && h.kept:
			e.rep.Report(Issue{Entity: ent, SourceID: id32(h.id), Action: ActDuplicate,
				Message: fmt.Sprintf("tenant %d (%s) stays held for review (%s): Buildium's tenant list held records b2h could not read, so its duplicate group cannot be settled from this run", h.id, h.name, h.group),
				Name:    h.name})
		case h.act == ActDuplicate && h.existing:
			e.rep.Report(Issue{Entity: ent, SourceID: id32(h.id), Action: ActDuplicate,
				Message: fmt.Sprintf("tenant %d (%s) is held for review: its email belongs to a HubSpot contact b2h did not create (%s); decide with `b2h review`", h.id, h.name, h.group),
				Name:    h.name})
		case h.act == ActDuplicate:
			e.rep.Report(Issue{Entity: ent, SourceID: id32(h.id), Action: ActDuplicate,
				Message: fmt.Sprintf("tenant %d (%s) is held for review: %s (group %s); decide with `b2h review`", h.id, h.name, e.idx.dupes.reason[h.group], h.group),
				Name:    h.name})
		}
	}
	e.progress(ent, c)
	return nil
}

// existingContactReview opens a review item for a record whose email
// belongs to a HubSpot contact b2h did not create.
func existingContactReview(kind state.Kind, it item, existing, jobID string, now time.Time) state.ReviewItem {
	return state.ReviewItem{ID: ExistingID(mapping.Entity(kind), it.rec.SourceID), Type: "duplicate", Kind: kind,
		SourceIDs: []string{it.rec.SourceID},
		Summary:   fmt.Sprintf("%s %s has the email of HubSpot contact %s, which b2h did not create: adopt it, keep separate or skip", singular(mapping.Entity(kind)), it.rec.SourceID, existing),
		Payload:   existingPayload(mapping.Entity(kind), it, existing),
		JobID:     jobID, OpenedAt: now, Status: "open"}
}

// ExistingID is the review id of a record colliding with a HubSpot contact
// b2h did not create.
func ExistingID(ent mapping.Entity, sourceID string) string {
	return dupeGroupID("existing", string(ent)+":"+sourceID)
}

// settle notes that this run applied the standing decision id.
func (e *Engine) settle(id string) {
	e.mu.Lock()
	e.settled[id] = true
	e.mu.Unlock()
}

// closeSettled marks the standing decisions this run applied for the first
// time as applied by this job and closes their review items, and those of
// duplicate groups that no longer exist. The decisions stay: they apply
// again on every run. It runs when the whole run has succeeded: an open
// review item is what makes an incremental run fetch its records, so one
// closed before their writes and associations are committed would leave
// them out for good if the run died in between.
func (e *Engine) closeSettled() error {
	if e.opt.DryRun || e.idx == nil || e.idx.dupes == nil {
		return nil
	}
	b := state.Batch{JobID: e.jobID}
	e.mu.Lock()
	for _, id := range slices.Sorted(maps.Keys(e.settled)) {
		if d, ok := e.decisions[id]; ok && d.AppliedByJob == "" {
			d.AppliedByJob = e.jobID
			b.Decisions = append(b.Decisions, d)
		}
		if e.openReview[id] {
			b.DeleteReview = append(b.DeleteReview, id)
		}
	}
	// Duplicate groups that no longer exist: a member's email, name or
	// phone changed in Buildium, so the group is gone or has a new id. Its
	// review item would stay open (and decided) for ever. The pre-pass read
	// every tenant, so the groups are complete unless the run is scoped.
	for id := range e.reviewSources[state.Kind(mapping.Tenants)] {
		if e.vanishedGroup(id) && !slices.Contains(b.DeleteReview, id) {
			b.DeleteReview = append(b.DeleteReview, id)
			e.log.Info("duplicate group no longer exists; its review item is closed", "item", id)
		}
	}
	e.mu.Unlock()
	if len(b.Decisions)+len(b.DeleteReview) == 0 {
		return nil
	}
	if err := e.st.Commit(b); err != nil {
		return fmt.Errorf("record applied decisions: %w", err)
	}
	return nil
}

// followTenants returns the tenants an incremental run reads besides the
// window (seen), so that their emergency contacts are decided afresh as a
// full run would decide them: those whose emergency contact was linked to
// the contact of a tenant whose email changed (away from it), those whose
// emergency contact has the email of a tenant whose email changed (to it)
// or who is new, and those whose emergency contact HubSpot refused.
func (e *Engine) followTenants(seen *idSet) ([]int32, error) {
	moved := e.idx.emailMoved
	ids, err := e.tenantsNamingSeen(moved)
	if err != nil {
		return nil, err
	}
	ids = slices.DeleteFunc(ids, func(x int32) bool { return seen.has(id32(x)) })
	for owner, naming := range e.idx.ecLinks {
		if moved.has(id32(owner)) {
			for _, x := range naming {
				if x != owner && !seen.has(id32(x)) {
					ids = append(ids, x)
				}
			}
		}
	}
	for _, x := range e.idx.ecRetry {
		if !seen.has(id32(x)) {
			ids = append(ids, x)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// tenantsNamingSeen returns the tenants, not in seen, whose emergency
// contact is linked to the contact of a tenant that is (an association
// "T<x>>E<key>" whose HubSpot pair ends at that contact).
// That tenant's email may have changed, and with it whether the link
// holds: an incremental run reads the tenants naming it again, so that
// their emergency contacts are decided afresh, as a full run would
// (TestIncrementalFollowsEmergencyContactLinks).
func (e *Engine) tenantsNamingSeen(seen *idSet) ([]int32, error) {
	if seen.len() == 0 {
		return nil, nil
	}
	ids := make([]string, 0, seen.len())
	for n := range seen.nums {
		ids = append(ids, id32(n))
	}
	for id := range seen.other {
		ids = append(ids, id)
	}
	heads, err := e.st.MappingHeads(state.Kind(mapping.Tenants), ids)
	if err != nil {
		return nil, fmt.Errorf("read tenant mappings: %w", err)
	}
	contacts := make(map[string]bool, len(heads))
	for _, m := range heads {
		contacts[m.HubSpotID] = true
	}
	var out []int32
	err = e.st.ForEachMapping(kindAssociations, func(m state.Mapping) error {
		from, rest, ok := strings.Cut(m.SourceID, ">")
		if !ok || !strings.HasPrefix(from, "T") || !strings.HasPrefix(rest, "E") {
			return nil
		}
		_, to, ok := strings.Cut(m.HubSpotID, ">")
		if !ok || !contacts[to] || seen.has(from[1:]) {
			return nil
		}
		if id, ok := parseID32(from[1:]); ok {
			out = append(out, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read association mappings: %w", err)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
