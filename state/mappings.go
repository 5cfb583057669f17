package state

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Mapping links one Buildium record to the HubSpot record b2h wrote for it.
// Stored in mappings/<kind> under the source id, with a reverse index entry in
// mappings_by_hubspot.
type Mapping struct {
	Kind         Kind              // Buildium entity kind
	SourceID     string            // Buildium id (or a composite id for associations)
	HubSpotType  string            // HubSpot object type id, e.g. "0-1", "0-420", "2-123"
	HubSpotID    string            // HubSpot record id
	SyncHash     string            // hash of the values last written; lower-case hex is stored packed
	LastSynced   time.Time         // when the record was last written or confirmed
	JobID        string            // the last job that wrote it
	CreatedByJob string            // the job that first mapped it (kept across updates)
	Snapshot     map[string]string // the values last written (the base of three-way conflicts); encrypted at rest
	Extra        map[string]string // non-PII bookkeeping, e.g. association labels; stored in clear
}

// MappingKey identifies a mapping.
type MappingKey struct {
	Kind     Kind
	SourceID string
}

// mappingFormat is the current mapping record format (see codec.go).
const mappingFormat = 1

// mappingRaw is a mapping record as stored: the snapshot still sealed.
type mappingRaw struct {
	HubSpotType, HubSpotID, SyncHash string
	LastSynced                       time.Time
	JobID, CreatedByJob              string
	Sealed                           []byte
	Extra                            map[string]string
}

func encodeMappingRaw(r mappingRaw) []byte {
	// Sized for all of it (each length prefix or number takes at most 10
	// bytes): growing the buffer was a copy of every mapping written.
	size := 1 + 9*10 + len(r.HubSpotType) + len(r.HubSpotID) + len(r.SyncHash) + len(r.JobID) + len(r.CreatedByJob) + len(r.Sealed)
	for k, v := range r.Extra {
		size += 20 + len(k) + len(v)
	}
	e := encoder{b: make([]byte, 0, size)}
	e.byte1(mappingFormat)
	e.str(r.HubSpotType)
	e.str(r.HubSpotID)
	e.hexstr(r.SyncHash)
	e.time(r.LastSynced)
	e.str(r.JobID)
	if r.CreatedByJob == r.JobID { // the common case: store a flag, not the id again
		e.byte1(0)
	} else {
		e.byte1(1)
		e.str(r.CreatedByJob)
	}
	e.bytes(r.Sealed)
	e.kv(r.Extra)
	return e.b
}

func decodeMappingRaw(v []byte) (mappingRaw, error) { return decodeMappingFields(v, true) }

// decodeMappingFields decodes a stored mapping; without withSealed the
// sealed snapshot is skipped, not copied (Sealed is nil).
func decodeMappingFields(v []byte, withSealed bool) (mappingRaw, error) {
	d := decoder{b: v}
	d.version(mappingFormat)
	r := mappingRaw{
		HubSpotType: d.str(),
		HubSpotID:   d.str(),
		SyncHash:    d.hexstr(),
		LastSynced:  d.time(),
		JobID:       d.str(),
	}
	r.CreatedByJob = r.JobID
	if d.bool1() {
		r.CreatedByJob = d.str()
	}
	if withSealed {
		r.Sealed = d.bytes()
	} else {
		d.raw()
	}
	r.Extra = d.kv()
	return r, d.err
}

// decodeMappingRef reads only the HubSpot type and id of a stored mapping.
func decodeMappingRef(v []byte) (hsType, hsID string, err error) {
	d := decoder{b: v}
	d.version(mappingFormat)
	hsType, hsID = d.str(), d.str()
	return hsType, hsID, d.err
}

// decodeMappingRefExtra reads the HubSpot type and id and the extra fields
// of a stored mapping, stepping over the rest without copying it.
func decodeMappingRefExtra(v []byte) (hsType, hsID string, extra map[string]string, err error) {
	d := decoder{b: v}
	d.version(mappingFormat)
	hsType, hsID = d.str(), d.str()
	if d.byte1() > 1 { // SyncHash: its tag, then its bytes either way
		d.fail(errors.New("bad string tag"))
	}
	d.raw()
	d.uvarint() // LastSynced
	d.raw()     // JobID
	if d.bool1() {
		d.raw() // CreatedByJob
	}
	d.raw() // the sealed snapshot
	extra = d.kv()
	return hsType, hsID, extra, d.err
}

// sealSnapshot encodes and encrypts a snapshot (nil for an empty one).
func (s *Store) sealSnapshot(snap map[string]string) ([]byte, error) {
	if len(snap) == 0 {
		return nil, nil
	}
	return s.crypt.sealFieldMap(aadSnapshot, snap)
}

// decodeMapping turns a stored record into a Mapping, decrypting the snapshot.
func (s *Store) decodeMapping(kind Kind, sourceID string, v []byte) (Mapping, error) {
	r, err := decodeMappingRaw(v)
	if err != nil {
		return Mapping{}, fmt.Errorf("state: mapping %s/%s: %w", kind, sourceID, err)
	}
	m := Mapping{Kind: kind, SourceID: sourceID, HubSpotType: r.HubSpotType, HubSpotID: r.HubSpotID,
		SyncHash: r.SyncHash, LastSynced: r.LastSynced, JobID: r.JobID, CreatedByJob: r.CreatedByJob, Extra: r.Extra}
	if len(r.Sealed) > 0 {
		pt, err := s.crypt.open(aadSnapshot, r.Sealed)
		if err != nil {
			return Mapping{}, fmt.Errorf("state: mapping %s/%s snapshot: %w", kind, sourceID, err)
		}
		if m.Snapshot, err = decodeFieldMap(pt); err != nil {
			return Mapping{}, fmt.Errorf("state: mapping %s/%s snapshot: %w", kind, sourceID, err)
		}
	}
	return m, nil
}

// revValue is the (non-empty, so never mistaken for a bucket) value of reverse index entries.
var revValue = []byte{1}

// revKey is the reverse index key: hubspot type, id, kind and source id, NUL-separated.
func revKey(hsType, hsID string, kind Kind, sourceID string) []byte {
	k := make([]byte, 0, len(hsType)+len(hsID)+len(kind)+len(sourceID)+3)
	k = append(k, hsType...)
	k = append(k, 0)
	k = append(k, hsID...)
	k = append(k, 0)
	k = append(k, kind...)
	k = append(k, 0)
	return append(k, sourceID...)
}

func revPrefix(hsType, hsID string) []byte {
	k := make([]byte, 0, len(hsType)+len(hsID)+2)
	k = append(k, hsType...)
	k = append(k, 0)
	k = append(k, hsID...)
	return append(k, 0)
}

// Mapping returns the mapping of one Buildium record, or ErrNotFound.
func (s *Store) Mapping(kind Kind, sourceID string) (Mapping, error) {
	var m Mapping
	err := s.view(func(tx *bolt.Tx) error {
		v := mappingGet(tx, kind, sourceID)
		if v == nil {
			return fmt.Errorf("mapping %s/%s: %w", kind, sourceID, ErrNotFound)
		}
		var err error
		m, err = s.decodeMapping(kind, sourceID, v)
		return err
	})
	return m, err
}

func mappingGet(tx *bolt.Tx, kind Kind, sourceID string) []byte {
	kb := kindBucket(tx, kind)
	if kb == nil {
		return nil
	}
	return kb.Get([]byte(sourceID))
}

// kindBucket is the bucket of one kind's mappings, nil when there is none.
// A nested bucket's pages stay valid for the transaction, also across
// releaseBeforeLookup (dropping resident pages changes no mapping: bbolt
// remaps only on commit).
func kindBucket(tx *bolt.Tx, kind Kind) *bolt.Bucket {
	maps := tx.Bucket(bucketMappings)
	if maps == nil {
		return nil
	}
	return maps.Bucket([]byte(kind))
}

// MappingsByKey returns the mappings of a batch of source ids in one read
// transaction, keyed by source id; ids without a mapping are absent.
func (s *Store) MappingsByKey(kind Kind, sourceIDs []string) (map[string]Mapping, error) {
	return s.mappingsBatch(kind, sourceIDs, func(id string, v []byte) (Mapping, error) {
		return s.decodeMapping(kind, id, v)
	})
}

// MappingHeads is MappingsByKey without the snapshots: each mapping's
// Snapshot is nil and nothing is decrypted. It is for callers that only
// compare sync hashes or need the HubSpot ids (the engine's plan of a page,
// association ends), which at 100,000 records would otherwise decrypt and
// discard a snapshot per record.
func (s *Store) MappingHeads(kind Kind, sourceIDs []string) (map[string]Mapping, error) {
	return s.mappingsBatch(kind, sourceIDs, func(id string, v []byte) (Mapping, error) {
		r, err := decodeMappingFields(v, false)
		if err != nil {
			return Mapping{}, fmt.Errorf("state: mapping %s/%s: %w", kind, id, err)
		}
		return Mapping{Kind: kind, SourceID: id, HubSpotType: r.HubSpotType, HubSpotID: r.HubSpotID,
			SyncHash: r.SyncHash, LastSynced: r.LastSynced, JobID: r.JobID, CreatedByJob: r.CreatedByJob, Extra: r.Extra}, nil
	})
}

// MappingRefs is MappingHeads with only the HubSpot type and id and Extra
// set, decoded without the rest: for the association pass, which looks up
// both ends and the association itself of every pair.
func (s *Store) MappingRefs(kind Kind, sourceIDs []string) (map[string]Mapping, error) {
	return s.mappingsBatch(kind, sourceIDs, func(id string, v []byte) (Mapping, error) {
		hsType, hsID, extra, err := decodeMappingRefExtra(v)
		if err != nil {
			return Mapping{}, fmt.Errorf("state: mapping %s/%s: %w", kind, id, err)
		}
		return Mapping{Kind: kind, SourceID: id, HubSpotType: hsType, HubSpotID: hsID, Extra: extra}, nil
	})
}

// mappingsBatch looks up a batch of source ids in one read transaction and
// decodes each stored value found with decode.
func (s *Store) mappingsBatch(kind Kind, sourceIDs []string, decode func(id string, v []byte) (Mapping, error)) (map[string]Mapping, error) {
	out := make(map[string]Mapping, len(sourceIDs))
	err := s.view(func(tx *bolt.Tx) error {
		kb := kindBucket(tx, kind) // once, not once a lookup
		if kb == nil {
			return nil
		}
		// One cursor for the batch: Bucket.Get makes a cursor, and its
		// search stack, per lookup.
		c := kb.Cursor()
		// In key order: neighbouring keys share pages, so a batch of random
		// ids (units and emergency contacts of an association chunk) reads
		// each page once instead of once per id.
		ids := sourceIDs
		if !slices.IsSorted(ids) {
			ids = slices.Sorted(slices.Values(sourceIDs))
		}
		// A seek descends from the root and allocates its path; a batch's
		// ids are often neighbours in the bucket (a page of tenants, an
		// association chunk's), so first step forward a few keys from where
		// the last lookup left the cursor.
		var k, v []byte
		for i, id := range ids {
			s.releaseBeforeLookup(tx, i)
			if i == 0 {
				k, v = c.Seek([]byte(id))
			} else {
				for step := 0; k != nil && string(k) < id; step++ {
					if step == seekAfterSteps {
						k, v = c.Seek([]byte(id))
						break
					}
					k, v = c.Next()
				}
			}
			if k == nil {
				break // past the last key: the rest are not there either
			}
			if v == nil || string(k) != id {
				continue
			}
			m, err := decode(id, v)
			if err != nil {
				return err
			}
			out[id] = m
		}
		return nil
	})
	return out, err
}

// seekAfterSteps is how many keys a batch lookup steps over before it seeks
// instead.
const seekAfterSteps = 8

// MappingByHubSpot finds the mapping of a HubSpot record through the reverse
// index, or ErrNotFound. When several Buildium records share one HubSpot record
// (a tenant who is also an emergency contact), the first in (kind, source id)
// order is returned; MappingsByHubSpot returns them all.
func (s *Store) MappingByHubSpot(hubspotType, hubspotID string) (Mapping, error) {
	ms, err := s.mappingsByHubSpot(hubspotType, hubspotID, 1)
	if err != nil {
		return Mapping{}, err
	}
	if len(ms) == 0 {
		return Mapping{}, fmt.Errorf("mapping of HubSpot %s/%s: %w", hubspotType, hubspotID, ErrNotFound)
	}
	return ms[0], nil
}

// MappingsByHubSpot returns every mapping that points at one HubSpot record.
func (s *Store) MappingsByHubSpot(hubspotType, hubspotID string) ([]Mapping, error) {
	return s.mappingsByHubSpot(hubspotType, hubspotID, 0)
}

func (s *Store) mappingsByHubSpot(hsType, hsID string, limit int) ([]Mapping, error) {
	var out []Mapping
	prefix := revPrefix(hsType, hsID)
	err := s.view(func(tx *bolt.Tx) error {
		rev, err := bucket(tx, bucketMappingsRev)
		if err != nil {
			return err
		}
		c := rev.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			kind, id, ok := bytes.Cut(k[len(prefix):], []byte{0})
			if !ok {
				return badRecord(fmt.Errorf("state: malformed reverse index key %q", printable(string(k), 60)))
			}
			v := mappingGet(tx, Kind(kind), string(id))
			if v == nil {
				continue // stale entry; not expected, harmless
			}
			m, err := s.decodeMapping(Kind(kind), string(id), v)
			if err != nil {
				return err
			}
			out = append(out, m)
			if limit > 0 && len(out) == limit {
				return nil
			}
		}
		return nil
	})
	return out, err
}

// forEachChunk is how many records a streaming iterator reads per read
// transaction; fn runs outside any transaction, so it may write to the store.
const forEachChunk = 256

// ForEachMapping calls fn for every mapping of kind in source-id byte order,
// reading in chunks of short read transactions (fn may write to the store;
// records committed meanwhile may or may not be seen). An error from fn stops
// the walk and is returned.
func (s *Store) ForEachMapping(kind Kind, fn func(Mapping) error) error {
	return walkMappings(s, kind, func(k, v []byte) (Mapping, error) { return s.decodeMapping(kind, string(k), v) },
		func(m Mapping) string { return m.SourceID }, fn)
}

// ForEachMappingID calls fn with the source id of every mapping of kind, in
// byte order, like ForEachMapping but without decoding the mappings (a walk
// that needs only the ids, e.g. to find the few no longer wanted).
func (s *Store) ForEachMappingID(kind Kind, fn func(sourceID string) error) error {
	return walkMappings(s, kind, func(k, _ []byte) (string, error) { return string(k), nil },
		func(id string) string { return id }, fn)
}

// walkMappings reads kind's mappings in chunks of forEachChunk, each in a
// read transaction of its own, turns each into a T with read, and calls fn
// on them outside any transaction; id gives the source id of a T, where
// the next chunk starts after.
func walkMappings[T any](s *Store, kind Kind, read func(k, v []byte) (T, error), id func(T) string, fn func(T) error) error {
	var after []byte
	for {
		chunk := make([]T, 0, forEachChunk)
		err := s.view(func(tx *bolt.Tx) error {
			maps, err := bucket(tx, bucketMappings)
			if err != nil {
				return err
			}
			kb := maps.Bucket([]byte(kind))
			if kb == nil {
				return nil
			}
			c := kb.Cursor()
			for k, v := seekAfter(c, after); k != nil && len(chunk) < forEachChunk; k, v = c.Next() {
				x, err := read(k, v)
				if err != nil {
					return err
				}
				chunk = append(chunk, x)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, x := range chunk {
			if err := fn(x); err != nil {
				return err
			}
		}
		if len(chunk) < forEachChunk {
			return nil
		}
		after = []byte(id(chunk[len(chunk)-1]))
	}
}

// seekAfter positions c on the first key strictly after `after` (the first key
// when after is nil).
func seekAfter(c *bolt.Cursor, after []byte) ([]byte, []byte) {
	if after == nil {
		return c.First()
	}
	k, v := c.Seek(after)
	if k != nil && bytes.Equal(k, after) {
		k, v = c.Next()
	}
	return k, v
}

// CountMappings returns how many mappings exist for kind ("" counts every kind).
func (s *Store) CountMappings(kind Kind) (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		maps, err := bucket(tx, bucketMappings)
		if err != nil {
			return err
		}
		return maps.ForEachBucket(func(k []byte) error {
			if kind == "" || string(k) == string(kind) {
				n += maps.Bucket(k).Stats().KeyN
			}
			return nil
		})
	})
	return n, err
}

// putMapping writes a mapping record inside a write transaction, keeping the
// reverse index in step and CreatedByJob from the first write.
func putMapping(kinds *subBuckets, rev *bolt.Bucket, m Mapping, sealed []byte) error {
	kb, err := kinds.create(string(m.Kind))
	if err != nil {
		return err
	}
	key := []byte(m.SourceID)
	if old := kb.get(key); old != nil {
		or, err := decodeMappingRaw(old)
		if err != nil {
			return fmt.Errorf("mapping %s/%s: %w", m.Kind, m.SourceID, err)
		}
		if or.CreatedByJob != "" {
			m.CreatedByJob = or.CreatedByJob
		}
		if or.HubSpotType != m.HubSpotType || or.HubSpotID != m.HubSpotID {
			if err := rev.Delete(revKey(or.HubSpotType, or.HubSpotID, m.Kind, m.SourceID)); err != nil {
				return err
			}
		}
	}
	val := encodeMappingRaw(mappingRaw{HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, SyncHash: m.SyncHash,
		LastSynced: m.LastSynced, JobID: m.JobID, CreatedByJob: m.CreatedByJob, Sealed: sealed, Extra: m.Extra})
	if err := kb.b.Put(key, val); err != nil {
		return err
	}
	return rev.Put(revKey(m.HubSpotType, m.HubSpotID, m.Kind, m.SourceID), revValue)
}

// deleteMapping removes a mapping and its reverse index entry; a missing one is not an error.
func deleteMapping(kinds *subBuckets, rev *bolt.Bucket, k MappingKey) error {
	kb := kinds.lookup(string(k.Kind))
	old := kb.get([]byte(k.SourceID))
	if old == nil {
		return nil
	}
	hsType, hsID, err := decodeMappingRef(old)
	if err != nil {
		return fmt.Errorf("mapping %s/%s: %w", k.Kind, k.SourceID, err)
	}
	if err := rev.Delete(revKey(hsType, hsID, k.Kind, k.SourceID)); err != nil {
		return err
	}
	return kb.b.Delete([]byte(k.SourceID))
}

// mappingFill is the page fill factor for mapping buckets: ids mostly arrive in
// ascending order, so fuller pages cost little and keep the file small.
const mappingFill = 0.9
