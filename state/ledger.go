package state

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// LedgerEntry is a record that failed to sync and is retried on the next run.
// Stored in ledger/<kind> under the source id: one entry per record, updated on
// every failure, marked resolved when the record finally syncs.
type LedgerEntry struct {
	Kind          Kind
	SourceID      string
	JobID         string // the job of the latest failure
	ErrorType     string // "validation", "hubspot", "conflict", "duplicate", …
	Message       string // for a person; may quote record values, so encrypted at rest
	Details       string // e.g. the HubSpot error body; encrypted at rest
	RetryCount    int    // failures after the first while the entry stayed open
	FirstSeen     time.Time
	LastSeen      time.Time
	Resolved      bool
	ResolvedAt    time.Time
	ResolvedByJob string
}

// LedgerKey identifies a ledger entry.
type LedgerKey struct {
	Kind     Kind
	SourceID string
}

const ledgerFormat = 1

// ledgerRaw is a ledger record as stored: message and details still sealed.
type ledgerRaw struct {
	JobID, ErrorType    string
	RetryCount          int
	FirstSeen, LastSeen time.Time
	Resolved            bool
	ResolvedAt          time.Time
	ResolvedByJob       string
	Sealed              []byte
}

func encodeLedgerRaw(r ledgerRaw) []byte {
	e := encoder{b: make([]byte, 0, 48+len(r.Sealed))}
	e.byte1(ledgerFormat)
	e.str(r.JobID)
	e.str(r.ErrorType)
	e.uvarint(uint64(r.RetryCount))
	e.time(r.FirstSeen)
	e.time(r.LastSeen)
	e.bool1(r.Resolved)
	e.time(r.ResolvedAt)
	e.str(r.ResolvedByJob)
	e.bytes(r.Sealed)
	return e.b
}

func decodeLedgerRaw(v []byte) (ledgerRaw, error) {
	d := decoder{b: v}
	d.version(ledgerFormat)
	r := ledgerRaw{
		JobID:         d.str(),
		ErrorType:     d.str(),
		RetryCount:    int(min(d.uvarint(), 1<<31-1)),
		FirstSeen:     d.time(),
		LastSeen:      d.time(),
		Resolved:      d.bool1(),
		ResolvedAt:    d.time(),
		ResolvedByJob: d.str(),
		Sealed:        d.bytes(),
	}
	return r, d.err
}

// sealLedgerText encrypts a ledger entry's message and details together.
func (s *Store) sealLedgerText(e LedgerEntry) ([]byte, error) {
	if e.Message == "" && e.Details == "" {
		return nil, nil
	}
	enc := encoder{}
	enc.str(e.Message)
	enc.str(e.Details)
	return s.crypt.seal(aadLedger, enc.b)
}

func (s *Store) decodeLedger(kind Kind, sourceID string, v []byte) (LedgerEntry, error) {
	r, err := decodeLedgerRaw(v)
	if err != nil {
		return LedgerEntry{}, fmt.Errorf("state: ledger %s/%s: %w", kind, sourceID, err)
	}
	e := LedgerEntry{Kind: kind, SourceID: sourceID, JobID: r.JobID, ErrorType: r.ErrorType,
		RetryCount: r.RetryCount, FirstSeen: r.FirstSeen, LastSeen: r.LastSeen, Resolved: r.Resolved,
		ResolvedAt: r.ResolvedAt, ResolvedByJob: r.ResolvedByJob}
	if len(r.Sealed) > 0 {
		pt, err := s.crypt.open(aadLedger, r.Sealed)
		if err != nil {
			return LedgerEntry{}, fmt.Errorf("state: ledger %s/%s: %w", kind, sourceID, err)
		}
		d := decoder{b: pt}
		e.Message, e.Details = d.str(), d.str()
		if d.err != nil {
			return LedgerEntry{}, fmt.Errorf("state: ledger %s/%s: %w", kind, sourceID, d.err)
		}
	}
	return e, nil
}

// Ledger returns the ledger entry of one record (open or resolved), or ErrNotFound.
func (s *Store) Ledger(kind Kind, sourceID string) (LedgerEntry, error) {
	var e LedgerEntry
	err := s.view(func(tx *bolt.Tx) error {
		lb, err := bucket(tx, bucketLedger)
		if err != nil {
			return err
		}
		var v []byte
		if kb := lb.Bucket([]byte(kind)); kb != nil {
			v = kb.Get([]byte(sourceID))
		}
		if v == nil {
			return fmt.Errorf("ledger %s/%s: %w", kind, sourceID, ErrNotFound)
		}
		e, err = s.decodeLedger(kind, sourceID, v)
		return err
	})
	return e, err
}

// OpenLedger returns the unresolved entries of kind ("" = every kind), in
// (kind, source id) order: the records the next run must retry.
func (s *Store) OpenLedger(kind Kind) ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := s.ForEachLedger(kind, func(e LedgerEntry) error {
		if !e.Resolved {
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ForEachLedger calls fn for every ledger entry of kind ("" = every kind),
// resolved ones included, in (kind, source id) order. fn runs outside the read
// transaction.
func (s *Store) ForEachLedger(kind Kind, fn func(LedgerEntry) error) error {
	var all []LedgerEntry
	err := s.view(func(tx *bolt.Tx) error {
		lb, err := bucket(tx, bucketLedger)
		if err != nil {
			return err
		}
		return lb.ForEachBucket(func(k []byte) error {
			if kind != "" && string(k) != string(kind) {
				return nil
			}
			return lb.Bucket(k).ForEach(func(id, v []byte) error {
				e, err := s.decodeLedger(Kind(k), string(id), v)
				if err != nil {
					return err
				}
				all = append(all, e)
				return nil
			})
		})
	})
	if err != nil {
		return err
	}
	for _, e := range all {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// upsertLedger records a failure inside a write transaction. An open entry
// keeps its FirstSeen and counts one more retry; a resolved or missing one
// (re)opens with RetryCount 0.
func upsertLedger(kinds *subBuckets, e LedgerEntry, sealed []byte) error {
	kb, err := kinds.create(string(e.Kind))
	if err != nil {
		return err
	}
	key := []byte(e.SourceID)
	r := ledgerRaw{JobID: e.JobID, ErrorType: e.ErrorType, FirstSeen: e.FirstSeen, LastSeen: e.LastSeen, Sealed: sealed}
	if r.FirstSeen.IsZero() {
		r.FirstSeen = e.LastSeen
	}
	if old := kb.get(key); old != nil {
		or, err := decodeLedgerRaw(old)
		if err != nil {
			return fmt.Errorf("ledger %s/%s: %w", e.Kind, e.SourceID, err)
		}
		if !or.Resolved {
			r.RetryCount = or.RetryCount + 1
			if !or.FirstSeen.IsZero() {
				r.FirstSeen = or.FirstSeen
			}
		}
	}
	return kb.b.Put(key, encodeLedgerRaw(r))
}

// resolveLedger marks an entry resolved; a missing or already resolved entry is left alone.
func resolveLedger(kinds *subBuckets, k LedgerKey, jobID string, at time.Time) error {
	kb := kinds.lookup(string(k.Kind))
	old := kb.get([]byte(k.SourceID))
	if old == nil {
		return nil
	}
	r, err := decodeLedgerRaw(old)
	if err != nil {
		return fmt.Errorf("ledger %s/%s: %w", k.Kind, k.SourceID, err)
	}
	if r.Resolved {
		return nil
	}
	r.Resolved, r.ResolvedAt, r.ResolvedByJob = true, at, jobID
	return kb.b.Put([]byte(k.SourceID), encodeLedgerRaw(r))
}

// PruneLedger deletes resolved entries resolved more than olderThan ago and
// returns how many were deleted. Open entries are never pruned.
func (s *Store) PruneLedger(olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		return 0, errors.New("state: prune age must be positive")
	}
	cutoff := s.now().Add(-olderThan)
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		lb, err := bucket(tx, bucketLedger)
		if err != nil {
			return err
		}
		return lb.ForEachBucket(func(kind []byte) error {
			kb := lb.Bucket(kind)
			var del [][]byte
			err := kb.ForEach(func(k, v []byte) error {
				r, err := decodeLedgerRaw(v)
				if err != nil {
					return err
				}
				if r.Resolved && r.ResolvedAt.Before(cutoff) {
					del = append(del, append([]byte(nil), k...))
				}
				return nil
			})
			if err != nil {
				return err
			}
			for _, k := range del {
				if err := kb.Delete(k); err != nil {
					return err
				}
			}
			n += len(del)
			return nil
		})
	})
	return n, err
}
