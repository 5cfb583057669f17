package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Audit actions.
const (
	ActionCreate      = "create"
	ActionUpdate      = "update"
	ActionDelete      = "delete"
	ActionSkip        = "skip"
	ActionAssociate   = "associate"
	ActionUnassociate = "unassociate"
	ActionAdopt       = "adopt"
	ActionRestore     = "restore"
)

// FieldChange is one field's change in an audit entry.
type FieldChange struct {
	Field string
	Old   string // value before (encrypted at rest)
	New   string // value after (encrypted at rest)
}

// AuditEntry records one thing a job did to one record; undo and the job
// report read them. Stored in audit/<job id> under an 8-byte big-endian Seq.
type AuditEntry struct {
	JobID       string
	Seq         uint64 // assigned by Commit, increasing within a job
	Time        time.Time
	Action      string // one of the Action constants
	Kind        Kind
	SourceID    string
	HubSpotType string
	HubSpotID   string
	Changes     []FieldChange // field names and values are encrypted together at rest
}

const auditFormat = 1

func (s *Store) sealChanges(ch []FieldChange) ([]byte, error) {
	if len(ch) == 0 {
		return nil, nil
	}
	size := 2
	for _, c := range ch {
		size += len(c.Field) + len(c.Old) + len(c.New) + 6
	}
	e := encoder{b: make([]byte, 0, size)}
	e.byte1(sealedFormat)
	e.uvarint(uint64(len(ch)))
	for _, c := range ch {
		e.fieldName(c.Field)
		e.str(c.Old)
		e.str(c.New)
	}
	return s.crypt.seal(aadAudit, e.b)
}

func encodeAudit(a AuditEntry, sealed []byte) []byte {
	// Sized for all of it (each length prefix takes at most 10 bytes):
	// growing the buffer was a copy of every record.
	e := encoder{b: make([]byte, 0, 1+10+6*10+len(a.Action)+len(a.Kind)+len(a.SourceID)+len(a.HubSpotType)+len(a.HubSpotID)+len(sealed))}
	e.byte1(auditFormat)
	e.time(a.Time)
	e.str(a.Action)
	e.str(string(a.Kind))
	e.str(a.SourceID)
	e.str(a.HubSpotType)
	e.str(a.HubSpotID)
	e.bytes(sealed)
	return e.b
}

// decodeAuditRaw decodes an audit record, leaving the changes sealed.
func decodeAuditRaw(v []byte) (AuditEntry, []byte, error) {
	d := decoder{b: v}
	d.version(auditFormat)
	a := AuditEntry{Time: d.time(), Action: d.str(), Kind: Kind(d.str()), SourceID: d.str(),
		HubSpotType: d.str(), HubSpotID: d.str()}
	sealed := d.bytes()
	return a, sealed, d.err
}

// auditTime reads only the time of an audit record.
func auditTime(v []byte) (time.Time, error) {
	d := decoder{b: v}
	d.version(auditFormat)
	t := d.time()
	return t, d.err
}

func (s *Store) decodeAudit(jobID string, k, v []byte) (AuditEntry, error) {
	a, sealed, err := decodeAuditRaw(v)
	if err != nil || len(k) != 8 {
		return AuditEntry{}, fmt.Errorf("state: audit %s/%x: malformed (%v)", jobID, k, err)
	}
	a.JobID, a.Seq = jobID, binary.BigEndian.Uint64(k)
	if len(sealed) > 0 {
		pt, err := s.crypt.open(aadAudit, sealed)
		if err != nil {
			return AuditEntry{}, fmt.Errorf("state: audit %s/%d: %w", jobID, a.Seq, err)
		}
		d := decoder{b: pt}
		d.version(sealedFormat)
		n := d.count()
		a.Changes = make([]FieldChange, 0, n)
		for i := 0; i < n && d.err == nil; i++ {
			a.Changes = append(a.Changes, FieldChange{Field: d.fieldName(), Old: d.str(), New: d.str()})
		}
		if d.err != nil {
			return AuditEntry{}, fmt.Errorf("state: audit %s/%d: %w", jobID, a.Seq, d.err)
		}
	}
	return a, nil
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// putAudit appends an entry to its job's audit bucket, assigning Seq.
// jobs are the audit bucket's job buckets, filled append-only
// (FillPercent 1).
func putAudit(jobs *subBuckets, a AuditEntry, sealed []byte) (uint64, error) {
	jb, err := jobs.create(a.JobID)
	if err != nil {
		return 0, err
	}
	seq, err := jb.b.NextSequence()
	if err != nil {
		return 0, err
	}
	return seq, jb.b.Put(seqKey(seq), encodeAudit(a, sealed))
}

// Audit calls fn for every audit entry of a job in Seq order, reading in short
// read transactions (fn may write to the store). A job without entries calls fn
// never and returns nil.
func (s *Store) Audit(jobID string, fn func(AuditEntry) error) error {
	var after []byte
	for {
		var chunk []AuditEntry
		err := s.view(func(tx *bolt.Tx) error {
			ab, err := bucket(tx, bucketAudit)
			if err != nil {
				return err
			}
			jb := ab.Bucket([]byte(jobID))
			if jb == nil {
				return nil
			}
			c := jb.Cursor()
			for k, v := seekAfter(c, after); k != nil && len(chunk) < forEachChunk; k, v = c.Next() {
				a, err := s.decodeAudit(jobID, k, v)
				if err != nil {
					return err
				}
				chunk = append(chunk, a)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range chunk {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(chunk) < forEachChunk {
			return nil
		}
		after = seqKey(chunk[len(chunk)-1].Seq)
	}
}

// pruneChunk bounds the deletions per write transaction, so pruning a large
// history neither holds the writer long nor builds a huge transaction.
const pruneChunk = 10000

// PruneAudit deletes audit entries older than olderThan and returns how many
// were deleted; a job whose entries are all gone loses its audit bucket (and
// with it the possibility to undo it). olderThan must be positive.
func (s *Store) PruneAudit(olderThan time.Duration) (int, error) {
	if olderThan <= 0 {
		return 0, errors.New("state: prune age must be positive")
	}
	cutoff := s.now().Add(-olderThan)
	var jobs [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		ab, err := bucket(tx, bucketAudit)
		if err != nil {
			return err
		}
		return ab.ForEachBucket(func(k []byte) error {
			jobs = append(jobs, append([]byte(nil), k...))
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, job := range jobs {
		for {
			n, more, err := s.pruneJobAudit(job, cutoff)
			total += n
			if err != nil {
				return total, err
			}
			if !more {
				break
			}
		}
	}
	return total, nil
}

// pruneJobAudit deletes up to pruneChunk old entries of one job in one
// transaction; more reports whether another pass is needed.
func (s *Store) pruneJobAudit(job []byte, cutoff time.Time) (n int, more bool, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		ab, err := bucket(tx, bucketAudit)
		if err != nil {
			return err
		}
		jb := ab.Bucket(job)
		if jb == nil {
			return nil
		}
		var del [][]byte
		c := jb.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			t, err := auditTime(v)
			if err != nil {
				return fmt.Errorf("audit %s/%x: %w", job, k, err)
			}
			if t.Before(cutoff) {
				if len(del) == pruneChunk {
					more = true
					break
				}
				del = append(del, append([]byte(nil), k...))
			}
		}
		for _, k := range del {
			if err := jb.Delete(k); err != nil {
				return err
			}
		}
		n = len(del)
		if !more {
			if k, _ := jb.Cursor().First(); k == nil {
				return ab.DeleteBucket(job)
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return n, more, nil
}
