package state

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// rotateChunk bounds the records re-encrypted per write transaction.
const rotateChunk = 2000

// RotateKey replaces the state's encryption key and re-encrypts every sealed
// value with the new one. It is safe to interrupt: the new key is stored (next
// to the old one) before any value uses it, values are rewritten in chunks of
// write transactions, and the old key is dropped only after the last chunk.
// Commits from other goroutines wait while it runs.
func (s *Store) RotateKey() error {
	if s.readOnly {
		return ErrReadOnly
	}
	s.rotMu.Lock()
	defer s.rotMu.Unlock()

	ks, err := s.keys.LoadKeys(s.stateID)
	if err != nil {
		return fmt.Errorf("state: rotate-key: loading keys from %s: %w", s.keys, err)
	}
	ks = ks.clone()
	newID, err := ks.add()
	if err != nil {
		return err
	}
	ks.Current = newID
	if err := s.keys.SaveKeys(s.stateID, ks); err != nil {
		return fmt.Errorf("state: rotate-key: saving the new key to %s: %w", s.keys, err)
	}
	if err := s.crypt.setKeys(ks); err != nil {
		return err
	}
	if err := s.putMeta(metaKeyID, u32(newID)); err != nil {
		return err
	}
	if err := s.putMeta(metaKeyStore, []byte(s.keys.String())); err != nil {
		return err
	}
	for _, r := range s.resealers() {
		if err := s.resealBucket(r); err != nil {
			return fmt.Errorf("state: rotate-key: re-encrypting %s: %w (the old key is kept; run rotate-key again)", r.name, err)
		}
	}
	final := KeySet{Current: newID, Keys: map[uint32][]byte{newID: ks.Keys[newID]}}
	if err := s.keys.SaveKeys(s.stateID, final); err != nil {
		return fmt.Errorf("state: rotate-key: dropping the old key from %s: %w", s.keys, err)
	}
	return s.crypt.setKeys(final)
}

// resealer re-encrypts the records of one bucket. nested: records live in
// nested buckets (per kind or per job), whose names are passed to fn.
type resealer struct {
	name   []byte
	nested bool
	fn     func(parent, k, v []byte) ([]byte, error)
}

func (s *Store) resealers() []resealer {
	return []resealer{
		{bucketMappings, true, func(kind, k, v []byte) ([]byte, error) {
			r, err := decodeMappingRaw(v)
			if err != nil {
				return nil, err
			}
			if r.Sealed, err = s.reseal(aadSnapshot, r.Sealed); err != nil {
				return nil, err
			}
			return encodeMappingRaw(r), nil
		}},
		{bucketLedger, true, func(kind, k, v []byte) ([]byte, error) {
			r, err := decodeLedgerRaw(v)
			if err != nil {
				return nil, err
			}
			if r.Sealed, err = s.reseal(aadLedger, r.Sealed); err != nil {
				return nil, err
			}
			return encodeLedgerRaw(r), nil
		}},
		{bucketAudit, true, func(job, k, v []byte) ([]byte, error) {
			a, sealed, err := decodeAuditRaw(v)
			if err != nil {
				return nil, err
			}
			if sealed, err = s.reseal(aadAudit, sealed); err != nil {
				return nil, err
			}
			return encodeAudit(a, sealed), nil
		}},
		{bucketDecisions, false, func(_, k, v []byte) ([]byte, error) {
			d, err := s.decodeDecision(string(k), v)
			if err != nil {
				return nil, err
			}
			return s.encodeDecision(d)
		}},
		{bucketReview, false, func(_, k, v []byte) ([]byte, error) {
			r, err := s.decodeReview(string(k), v)
			if err != nil {
				return nil, err
			}
			return s.encodeReview(r)
		}},
	}
}

// reseal opens a sealed value and seals it again with the current key.
func (s *Store) reseal(aad string, sealed []byte) ([]byte, error) {
	pt, err := s.crypt.open(aad, sealed)
	if err != nil || pt == nil {
		return nil, err
	}
	return s.crypt.seal(aad, pt)
}

// resealBucket rewrites every record of a bucket, a chunk per transaction.
func (s *Store) resealBucket(r resealer) error {
	var parents [][]byte
	if r.nested {
		err := s.view(func(tx *bolt.Tx) error {
			b, err := bucket(tx, r.name)
			if err != nil {
				return err
			}
			return b.ForEachBucket(func(k []byte) error {
				parents = append(parents, append([]byte(nil), k...))
				return nil
			})
		})
		if err != nil {
			return err
		}
	} else {
		parents = [][]byte{nil}
	}
	for _, parent := range parents {
		var after []byte
		for {
			last, n, err := s.resealChunk(r, parent, after)
			if err != nil {
				return err
			}
			if n < rotateChunk {
				break
			}
			after = last
		}
	}
	return nil
}

// resealChunk rewrites up to rotateChunk records after key `after`.
func (s *Store) resealChunk(r resealer, parent, after []byte) (last []byte, n int, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, r.name)
		if err != nil {
			return err
		}
		if parent != nil {
			if b = b.Bucket(parent); b == nil {
				return nil
			}
		}
		type kv struct{ k, v []byte }
		var out []kv
		c := b.Cursor()
		for k, v := seekAfter(c, after); k != nil && len(out) < rotateChunk; k, v = c.Next() {
			if v == nil {
				continue // nested bucket
			}
			nv, err := r.fn(parent, k, v)
			if err != nil {
				return fmt.Errorf("%s/%x: %w", parent, k, err)
			}
			out = append(out, kv{append([]byte(nil), k...), nv})
		}
		for _, e := range out {
			if err := b.Put(e.k, e.v); err != nil {
				return err
			}
		}
		n = len(out)
		if n > 0 {
			last = out[n-1].k
		}
		return nil
	})
	return last, n, err
}
