package sync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// dupeIndex groups tenants who are the same person, or would collide on
// HubSpot's unique email, before anything is written (DESIGN.md §3).
type dupeIndex struct {
	byEmail map[string][]int32 // normalised primary email → tenant ids
	group   map[int32]string   // tenant id → duplicate group id
	members map[string][]int32 // group id → tenant ids
	reason  map[string]string  // group id → why they are grouped
	decided map[string]state.Decision
}

func dupeGroupID(kind, key string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + key))
	return "dup-" + kind + "-" + hex.EncodeToString(h[:6])
}

// prepassTenants reads every tenant once to find duplicate groups.
func (e *Engine) prepassTenants(ctx context.Context) error {
	d := &dupeIndex{byEmail: map[string][]int32{}, group: map[int32]string{}, members: map[string][]int32{},
		reason: map[string]string{}, decided: map[string]state.Decision{}}
	for page, err := range e.bd.Tenants(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read tenants from Buildium: %w", err)
		}
		for _, t := range page.Items {
			if em := mapping.NormalizeEmail(t.Email); em != "" && mapping.ValidEmail(em) {
				d.byEmail[em] = append(d.byEmail[em], t.ID)
			}
		}
	}
	for em, ids := range d.byEmail {
		if len(ids) < 2 {
			continue
		}
		g := dupeGroupID("email", em)
		d.members[g] = ids
		d.reason[g] = "share the email " + em
		for _, id := range ids {
			d.group[id] = g
		}
	}
	decs, err := e.st.Decisions()
	if err != nil {
		return fmt.Errorf("read decisions from state: %w", err)
	}
	for _, dc := range decs {
		d.decided[dc.ID] = dc
	}
	e.idx.dupes = d
	return nil
}

// tenantOwner returns the tenant whose primary email is em, if exactly one.
func (d *dupeIndex) tenantOwner(em string) (int32, bool) {
	ids := d.byEmail[em]
	if len(ids) == 0 {
		return 0, false
	}
	return slices.Min(ids), true
}

func (e *Engine) syncTenants(ctx context.Context) error {
	if err := e.prepassTenants(ctx); err != nil {
		return err
	}
	e.idx.ecs = newECCollector()
	var held []heldTenant
	err := streamStage(ctx, e, mapping.Tenants, e.bd.Tenants, e.bd.Tenant, func(t buildium.Tenant) (named, bool) {
		e.idx.ecs.collect(e, t)
		rec := e.m.Tenant(t)
		name := rec.Name
		if g, ok := e.idx.dupes.group[t.ID]; ok {
			if _, decided := e.idx.dupes.decided[g]; !decided && len(rec.Errors) == 0 {
				held = append(held, heldTenant{id: t.ID, name: name, group: g, rec: rec})
				return named{}, false
			}
		}
		return named{rec: rec, name: name}, true
	})
	if err != nil {
		return err
	}
	return e.holdDuplicates(mapping.Tenants, held)
}

// heldTenant is a tenant kept back because its duplicate group awaits a
// decision.
type heldTenant struct {
	id    int32
	name  string
	group string
	rec   mapping.Record
}

// holdDuplicates reports tenants held back for review: counted as
// duplicates, one review item per group.
func (e *Engine) holdDuplicates(ent mapping.Entity, held []heldTenant) error {
	if len(held) == 0 {
		return nil
	}
	now := e.now()
	kind := state.Kind(ent)
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{}}
	seen := map[string]bool{}
	var c Counters
	for _, h := range held {
		c.Duplicates++
		if seen[h.group] {
			continue
		}
		seen[h.group] = true
		ids := e.idx.dupes.members[h.group]
		src := make([]string, len(ids))
		for i, id := range ids {
			src[i] = id32(id)
		}
		b.Review = append(b.Review, state.ReviewItem{ID: h.group, Type: "duplicate", Kind: kind, SourceIDs: src,
			Summary: fmt.Sprintf("%d tenants %s: HubSpot allows one contact per email", len(ids), e.idx.dupes.reason[h.group]),
			JobID:   e.jobID, OpenedAt: now, Status: "open"})
	}
	e.readCount(ent, len(held))
	b.Counters[kind] = toStateCounter(c)
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit duplicate groups: %w", err)
		}
	}
	for _, h := range held {
		e.rep.Report(Issue{Entity: ent, SourceID: id32(h.id), Action: ActDuplicate,
			Message: fmt.Sprintf("tenant %d (%s) is held for review: %s (group %s); decide with `b2h review`", h.id, h.name, e.idx.dupes.reason[h.group], h.group)})
	}
	e.progress(ent, c)
	return nil
}

// existingContactReview opens a review item for a record whose email
// belongs to a HubSpot contact b2h did not create.
func existingContactReview(kind state.Kind, it item, existing, jobID string, now time.Time) state.ReviewItem {
	return state.ReviewItem{ID: dupeGroupID("existing", string(kind)+":"+it.rec.SourceID), Type: "duplicate", Kind: kind,
		SourceIDs: []string{it.rec.SourceID},
		Summary:   fmt.Sprintf("%s %s has the email of HubSpot contact %s, which b2h did not create: adopt it, keep separate or skip", singular(mapping.Entity(kind)), it.rec.SourceID, existing),
		JobID:     jobID, OpenedAt: now, Status: "open"}
}
