package sync

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"b2h/clients/buildium"
	"b2h/state"
	"b2h/sync/mapping"
)

// ecKey is an emergency contact's source id (mapping.EmergencyContactKey)
// in fixed size: the hash of an "email-" key, or the tenant of a "tenant-"
// one. It holds no pointer, so neither does the collector's index: at
// 100,000 tenants the GC had 20 MB of keys, entries and packed contacts to
// mark at every cycle of the tenants stage, the run's busiest.
type ecKey struct {
	sum    [16]byte
	tenant int32
	email  bool
}

func ecKeyOf(tenantID int32, ec *buildium.EmergencyContact) ecKey {
	if sum, ok := mapping.EmergencyContactSum(ec); ok {
		return ecKey{sum: sum, email: true}
	}
	return ecKey{tenant: tenantID}
}

// String is the key as state, HubSpot and reports know it.
func (k ecKey) String() string {
	if k.email {
		return mapping.EmailKey(k.sum)
	}
	return mapping.TenantKey(k.tenant)
}

// parseECKey reverses String; ok is false for any other string.
func parseECKey(s string) (k ecKey, ok bool) {
	switch {
	case strings.HasPrefix(s, "email-") && len(s) == len("email-")+2*len(k.sum):
		if _, err := hex.Decode(k.sum[:], []byte(s[len("email-"):])); err != nil {
			return ecKey{}, false
		}
		k.email = true
	case strings.HasPrefix(s, "tenant-"):
		if k.tenant, ok = parseID32(s[len("tenant-"):]); !ok {
			return ecKey{}, false
		}
	default:
		return ecKey{}, false
	}
	return k, k.String() == s // one spelling only (hex in lower case)
}

// compare orders keys as their strings sort.
func (k ecKey) compare(o ecKey) int {
	switch {
	case k.email && o.email:
		return bytes.Compare(k.sum[:], o.sum[:])
	case k.email != o.email: // "email-…" < "tenant-…"
		if k.email {
			return -1
		}
		return 1
	}
	return strings.Compare(id32(k.tenant), id32(o.tenant))
}

// ecEntry is one emergency-contact person and the tenants who name them.
// It holds only what the emergency-contact stage needs to map the person
// again (the first naming tenant's id and where the contact, as Buildium
// gave it, lies packed in the collector), not the mapped record: at
// 100,000 tenants the records' property maps would be most of the run's
// heap, and the stage maps a page at a time.
type ecEntry struct {
	key      ecKey
	first    int32  // the first tenant seen naming this person: the record is theirs
	owner    int32  // the tenant this person is, when their email is a tenant's (set by the stage)
	off, n   uint32 // the first tenant's buildium.EmergencyContact: packed[off:off+n] (packEC)
	rejected bool   // the mapping rejects it: nothing to write or link
}

// record maps the entry as the first naming tenant gave it: the same
// record mapping that tenant's emergency contact yields, and the name a
// person knows it by. ok is false when the mapping rejects it (nothing to
// write).
func (c *ecCollector) record(en *ecEntry, m *mapping.Mapping) (rec mapping.Record, name string, ok bool) {
	ec := unpackEC(string(c.packed[en.off : en.off+en.n]))
	rec, ok = m.EmergencyContact(buildium.Tenant{ID: en.first, EmergencyContact: &ec})
	return rec, mapping.Sanitize(ec.Name), ok
}

// packEC appends an emergency contact's four fields to b, each
// length-prefixed (any byte may occur in them).
func packEC(b []byte, ec buildium.EmergencyContact) []byte {
	for _, f := range [...]string{ec.Name, ec.RelationshipDescription, ec.Phone, ec.Email} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
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
	at      map[ecKey]int32 // → index into entries
	entries []ecEntry       // in collection order
	// more lists, by entry index, the tenants naming the person after the
	// first: few people are named by several.
	more   map[int32][]int32
	packed []byte // the entries' contacts, back to back; nil once mapped
}

func newECCollector() *ecCollector {
	return &ecCollector{at: map[ecKey]int32{}, more: map[int32][]int32{}}
}

func (c *ecCollector) collect(t buildium.Tenant) {
	ec := t.EmergencyContact
	// The same test as mapping.EmergencyContact: a contact with neither a
	// name, an email nor a phone is nobody. The stage maps the entry again
	// and drops it should the mapping disagree.
	if ec == nil || strings.TrimSpace(ec.Name+ec.Email+ec.Phone) == "" {
		return
	}
	key := ecKeyOf(t.ID, ec)
	i, ok := c.at[key]
	if !ok {
		off := len(c.packed)
		c.packed = packEC(c.packed, *ec)
		c.at[key] = int32(len(c.entries))
		c.entries = append(c.entries, ecEntry{key: key, first: t.ID, off: uint32(off), n: uint32(len(c.packed) - off)})
		return
	}
	if c.entries[i].first != t.ID && !slices.Contains(c.more[i], t.ID) {
		c.more[i] = append(c.more[i], t.ID)
	}
}

// named reports whether tenant names entry i.
func (c *ecCollector) named(i int, tenant int32) bool {
	return c.entries[i].first == tenant || slices.Contains(c.more[int32(i)], tenant)
}

// collectOnly streams tenants just to gather emergency contacts (when the
// run syncs emergency contacts but not tenants).
func (e *Engine) collectEmergencyContacts(ctx context.Context) error {
	if err := e.awaitTenantPrepass(ctx); err != nil {
		return err
	}
	e.idx.ecs = newECCollector()
	for page, err := range e.bd.TenantsShallow(ctx, e.listOpts()) {
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
	ecs := e.idx.ecs
	started := e.stageStart(ent, len(ecs.entries))
	em := e.m.Entities[ent]
	ld, lctx := e.newLoader(ctx, ent, e.objectType(em.Target), em.Key)
	var runErr error
	var linked []*ecEntry
	linkedNames := map[*ecEntry]string{}
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
	order := make([]int32, len(ecs.entries))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return ecs.entries[a].key.compare(ecs.entries[b].key) })
	forNames, err := e.ecTenantNames(ecs)
	if err != nil {
		return err
	}
	for _, i := range order {
		en := &ecs.entries[i]
		rec, name, ok := ecs.record(en, e.m)
		if ok && forNames != nil {
			var names []string
			for _, t := range append([]int32{en.first}, ecs.more[i]...) {
				names = append(names, forNames[id32(t)])
			}
			rec.SetProperties(mapping.EmergencyContactForFields(names))
		}
		if !ok {
			// Not a contact after all (see collect): nothing to write or link.
			en.rejected = true
			delete(ecs.at, en.key)
			continue
		}
		if em := rec.Properties["email"]; em != "" && e.idx.dupes != nil {
			if owner, ok := e.idx.dupes.tenantOwner(em); ok {
				en.owner = owner
			}
		}
		if en.owner != 0 {
			linked = append(linked, en)
			linkedNames[en] = name
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
	ecs.packed = nil // mapped: the association pass needs only the keys and the tenants
	if err := ld.close(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil {
		runErr = e.reportLinkedContacts(linked, linkedNames)
	}
	e.stageDone(ent, started)
	return runErr
}

// reportLinkedContacts counts emergency contacts who are tenants: they are
// not created again; the association pass links the tenant's contact.
func (e *Engine) reportLinkedContacts(linked []*ecEntry, names map[*ecEntry]string) error {
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
			SourceID: en.key.String(), Changes: []state.FieldChange{{Field: "linked_tenant", New: id32(en.owner)}}})
	}
	if !e.opt.DryRun {
		if err := e.st.Commit(b); err != nil {
			return fmt.Errorf("commit emergency contacts: %w", err)
		}
	}
	for _, en := range linked {
		e.rep.Report(Issue{Entity: ent, SourceID: en.key.String(), Action: ActSkip, Name: names[en],
			Message: fmt.Sprintf("emergency contact %s is tenant %d: linked to that tenant's contact instead of creating a second one", cmp.Or(names[en], en.key.String()), en.owner)})
	}
	e.progress(ent, c)
	return nil
}

// ecTenantNames returns, where the account allows no association labels,
// the names of the tenants that name an emergency contact, by tenant id:
// the contact then says whose emergency contact it is. Elsewhere the label
// says it, and the result is nil.
func (e *Engine) ecTenantNames(ecs *ecCollector) (map[string]string, error) {
	if e.acct.labelled() {
		return nil, nil
	}
	var ids []string
	for i := range ecs.entries {
		ids = append(ids, id32(ecs.entries[i].first))
		for _, t := range ecs.more[int32(i)] {
			ids = append(ids, id32(t))
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[string]string, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		ms, err := e.st.MappingsByKey(state.Kind(mapping.Tenants), ids[:n])
		if err != nil {
			return nil, fmt.Errorf("read the tenants' names: %w", err)
		}
		for id, m := range ms {
			out[id] = strings.TrimSpace(m.Snapshot["firstname"] + " " + m.Snapshot["lastname"])
		}
		ids = ids[n:]
	}
	return out, nil
}
