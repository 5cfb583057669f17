package sync

import (
	"context"
	"fmt"
	"slices"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// ecEntry is one emergency-contact person and the tenants who name them.
type ecEntry struct {
	rec     mapping.Record
	name    string
	tenants []int32
	owner   int32 // the tenant this person is, when their email is a tenant's
}

// ecCollector gathers emergency contacts while tenants stream by, so one
// person named by several tenants becomes one contact (DESIGN.md §2).
type ecCollector struct {
	byKey map[string]*ecEntry
	order []string
}

func newECCollector() *ecCollector { return &ecCollector{byKey: map[string]*ecEntry{}} }

func (c *ecCollector) collect(e *Engine, t buildium.Tenant) {
	rec, ok := e.m.EmergencyContact(t)
	if !ok {
		return
	}
	en := c.byKey[rec.SourceID]
	if en == nil {
		en = &ecEntry{rec: rec, name: mapping.Sanitize(t.EmergencyContact.Name)}
		if em := rec.Properties["email"]; em != "" && e.idx.dupes != nil {
			if owner, ok := e.idx.dupes.tenantOwner(em); ok {
				en.owner = owner
			}
		}
		c.byKey[rec.SourceID] = en
		c.order = append(c.order, rec.SourceID)
	}
	if !slices.Contains(en.tenants, t.ID) {
		en.tenants = append(en.tenants, t.ID)
	}
}

// collectOnly streams tenants just to gather emergency contacts (when the
// run syncs emergency contacts but not tenants).
func (e *Engine) collectEmergencyContacts(ctx context.Context) error {
	if err := e.prepassTenants(ctx); err != nil {
		return err
	}
	e.idx.ecs = newECCollector()
	for page, err := range e.bd.Tenants(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read tenants from Buildium: %w", err)
		}
		for _, t := range page.Items {
			e.idx.ecs.collect(e, t)
		}
	}
	return nil
}

func (e *Engine) syncEmergencyContacts(ctx context.Context) error {
	if e.idx.ecs == nil {
		if err := e.collectEmergencyContacts(ctx); err != nil {
			return err
		}
	}
	const ent = mapping.EmergencyContacts
	started := e.stageStart(ent, len(e.idx.ecs.order))
	em := e.m.Entities[ent]
	ld, lctx := e.newLoader(ctx, ent, e.objectType(em.Target), em.Key)
	var runErr error
	var linked []*ecEntry
	page := make([]named, 0, 1000)
	flush := func() error {
		if len(page) == 0 {
			return nil
		}
		e.readCount(ent, len(page))
		err := e.planPage(lctx, ent, page, ld)
		page = page[:0]
		return err
	}
	for _, k := range e.idx.ecs.order {
		en := e.idx.ecs.byKey[k]
		if en.owner != 0 {
			linked = append(linked, en)
			continue
		}
		page = append(page, named{rec: en.rec, name: en.name})
		if len(page) == cap(page) {
			if runErr = flush(); runErr != nil {
				break
			}
		}
	}
	if runErr == nil {
		runErr = flush()
	}
	if err := ld.close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil {
		runErr = e.reportLinkedContacts(linked)
	}
	e.stageDone(ent, started)
	return runErr
}

// reportLinkedContacts counts emergency contacts who are tenants: they are
// not created again; the association pass links the tenant's contact.
func (e *Engine) reportLinkedContacts(linked []*ecEntry) error {
	if len(linked) == 0 {
		return nil
	}
	const ent = mapping.EmergencyContacts
	e.readCount(ent, len(linked))
	c := Counters{Skipped: len(linked)}
	b := state.Batch{JobID: e.jobID, Counters: map[state.Kind]state.EntityCounters{state.Kind(ent): toStateCounter(c)}}
	now := e.now()
	for _, en := range linked {
		b.Audit = append(b.Audit, state.AuditEntry{JobID: e.jobID, Time: now, Action: "skip", Kind: state.Kind(ent),
			SourceID: en.rec.SourceID, Changes: []state.FieldChange{{Field: "linked_tenant", New: id32(en.owner)}}})
	}
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit emergency contacts: %w", err)
		}
	}
	e.progress(ent, c)
	return nil
}
