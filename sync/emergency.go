package sync

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// ecEntry is one emergency-contact person and the tenants who name them.
// It holds only what the emergency-contact stage needs to map the person
// again (the first naming tenant's id and the contact as Buildium gave it,
// packed in one string), not the mapped record: at 100,000 tenants the
// records' property maps would be most of the run's heap, and the stage
// maps a page at a time.
type ecEntry struct {
	key     string // the contact's source id (mapping.EmergencyContactKey)
	first   int32  // the first tenant seen naming this person: the record is theirs
	ec      string // that tenant's buildium.EmergencyContact (packEC)
	tenants []int32
	owner   int32 // the tenant this person is, when their email is a tenant's (set by the stage)
}

// record maps the entry as the first naming tenant gave it: the same
// record mapping that tenant's emergency contact yields, and the name a
// person knows it by. ok is false when the mapping rejects it (nothing to
// write).
func (en *ecEntry) record(m *mapping.Mapping) (rec mapping.Record, name string, ok bool) {
	ec := unpackEC(en.ec)
	rec, ok = m.EmergencyContact(buildium.Tenant{ID: en.first, EmergencyContact: &ec})
	return rec, mapping.Sanitize(ec.Name), ok
}

// packEC packs an emergency contact's four fields into one string, each
// length-prefixed (any byte may occur in them): one allocation per person
// instead of four.
func packEC(ec buildium.EmergencyContact) string {
	fields := [...]string{ec.Name, ec.RelationshipDescription, ec.Phone, ec.Email}
	n := 0
	for _, f := range fields {
		n += binary.MaxVarintLen64 + len(f)
	}
	b := make([]byte, 0, n)
	for _, f := range fields {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return string(b)
}

// unpackEC reverses packEC.
func unpackEC(s string) buildium.EmergencyContact {
	var fields [4]string
	for i := range fields {
		n, w := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		if w <= 0 || uint64(len(s)-w) < n {
			break // not packEC's output: cannot happen
		}
		fields[i], s = s[w:w+int(n)], s[w+int(n):]
	}
	return buildium.EmergencyContact{Name: fields[0], RelationshipDescription: fields[1], Phone: fields[2], Email: fields[3]}
}

// ecCollector gathers emergency contacts while tenants stream by, so one
// person named by several tenants becomes one contact (DESIGN.md §2).
type ecCollector struct {
	byKey map[string]*ecEntry
	order []string
}

func newECCollector() *ecCollector { return &ecCollector{byKey: map[string]*ecEntry{}} }

func (c *ecCollector) collect(t buildium.Tenant) {
	ec := t.EmergencyContact
	// The same test as mapping.EmergencyContact: a contact with neither a
	// name, an email nor a phone is nobody. The stage maps the entry again
	// and drops it should the mapping disagree.
	if ec == nil || strings.TrimSpace(ec.Name+ec.Email+ec.Phone) == "" {
		return
	}
	key := mapping.EmergencyContactKey(t.ID, ec)
	en := c.byKey[key]
	if en == nil {
		en = &ecEntry{key: key, first: t.ID, ec: packEC(*ec)}
		c.byKey[key] = en
		c.order = append(c.order, key)
	}
	if !slices.Contains(en.tenants, t.ID) {
		en.tenants = append(en.tenants, t.ID)
	}
}

// collectOnly streams tenants just to gather emergency contacts (when the
// run syncs emergency contacts but not tenants).
func (e *Engine) collectEmergencyContacts(ctx context.Context) error {
	if err := e.awaitTenantPrepass(ctx); err != nil {
		return err
	}
	e.idx.ecs = newECCollector()
	for page, err := range e.bd.Tenants(ctx, e.listOpts()) {
		if err != nil {
			return fmt.Errorf("read tenants from Buildium: %w", err)
		}
		for _, t := range page.Items {
			e.idx.ecs.collect(t)
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
	// In key order, not the order tenants named them: the keys are hashes of
	// email addresses, and writing their mappings in key order appends to the
	// state file's index instead of touching a random page of it for every
	// record (a third less commit work at 100,000 tenants). The association
	// pass keeps the collection order (its keys start with the tenant id).
	for _, k := range slices.Sorted(slices.Values(e.idx.ecs.order)) {
		en := e.idx.ecs.byKey[k]
		rec, name, ok := en.record(e.m)
		en.ec = "" // mapped: the association pass needs only the key and the tenants
		if !ok {
			// Not a contact after all (see collect): nothing to write or link.
			delete(e.idx.ecs.byKey, k)
			continue
		}
		if em := rec.Properties["email"]; em != "" && e.idx.dupes != nil {
			if owner, ok := e.idx.dupes.tenantOwner(em); ok {
				en.owner = owner
			}
		}
		if en.owner != 0 {
			linked = append(linked, en)
			continue
		}
		page = append(page, named{rec: rec, name: name})
		if len(page) == cap(page) {
			if runErr = flush(); runErr != nil {
				break
			}
		}
	}
	if runErr == nil {
		runErr = flush()
	}
	e.idx.ecs.order = slices.DeleteFunc(e.idx.ecs.order, func(k string) bool { return e.idx.ecs.byKey[k] == nil })
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
			SourceID: en.key, Changes: []state.FieldChange{{Field: "linked_tenant", New: id32(en.owner)}}})
	}
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit emergency contacts: %w", err)
		}
	}
	e.progress(ent, c)
	return nil
}
