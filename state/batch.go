package state

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Batch is the bookkeeping of one acknowledged HubSpot batch: everything b2h
// must remember about it, committed by Commit in one bbolt transaction so a
// crash leaves all of it or none of it.
type Batch struct {
	JobID          string                  // the job doing the work; default for every JobID below
	Mappings       []Mapping               // upserts (whole records; CreatedByJob is kept from the first write)
	DeleteMappings []MappingKey            // e.g. after undo archived the HubSpot record
	Audit          []AuditEntry            // appended to their job's audit; Seq is filled in on success
	Ledger         []LedgerEntry           // failures: upserts; RetryCount increments when an open entry exists
	Resolve        []LedgerKey             // records that synced: their open ledger entries are marked resolved
	Counters       map[Kind]EntityCounters // deltas added to the job's counters
	Metrics        map[string]float64      // deltas added to the job's metrics (e.g. hubspot_requests)
	Cursors        []Cursor                // watermarks to set (UpdatedAt defaults to now)
	Review         []ReviewItem            // review queue upserts
	DeleteReview   []string                // review items settled by this batch (ids)
	Decisions      []Decision              // decision upserts
}

// Commit stages of a batch, in order; the commit hook (tests) can fail any.
const (
	stageMappings  = "mappings"
	stageDeletes   = "delete_mappings"
	stageAudit     = "audit"
	stageLedger    = "ledger"
	stageResolve   = "resolve"
	stageCursors   = "cursors"
	stageReview    = "review"
	stageDecisions = "decisions"
	stageCounters  = "counters"
)

// commitStages lists the stages in the order Commit runs them.
var commitStages = []string{stageMappings, stageDeletes, stageAudit, stageLedger, stageResolve,
	stageCursors, stageReview, stageDecisions, stageCounters}

// sealedBatch is a validated batch with defaults filled and PII sealed, so the
// write transaction does no crypto and stays short.
type sealedBatch struct {
	Batch
	mapSealed    [][]byte
	auditSealed  [][]byte
	ledgerSealed [][]byte
	review       [][]byte
	decisions    [][]byte
}

// Commit writes a batch in one write transaction (one commit, synced to disk
// unless Options.NoSync; batches committed concurrently may share it, see
// group.go): mappings with their reverse index, audit entries,
// ledger upserts and resolutions, counters and metrics added to the job,
// cursors, review items and decisions. Any error, at any point, leaves the
// state exactly as it was. When JobID is set the job must exist.
func (s *Store) Commit(b Batch) error {
	if s.readOnly {
		return ErrReadOnly
	}
	s.rotMu.RLock()
	defer s.rotMu.RUnlock()
	sb, err := s.prepare(b)
	if err != nil {
		return err
	}
	seqs := make([]uint64, len(sb.Audit))
	if err := s.commitGrouped(sb, seqs); err != nil {
		return err
	}
	for i := range b.Audit {
		b.Audit[i].Seq = seqs[i]
	}
	return nil
}

// prepare validates the batch, fills defaults and seals PII.
func (s *Store) prepare(b Batch) (*sealedBatch, error) {
	now := s.now()
	sb := &sealedBatch{Batch: b}
	// Copy the slices we fill defaults into, so the caller's batch is not changed.
	sb.Mappings = append([]Mapping(nil), b.Mappings...)
	sb.Audit = append([]AuditEntry(nil), b.Audit...)
	sb.Ledger = append([]LedgerEntry(nil), b.Ledger...)
	sb.Cursors = append([]Cursor(nil), b.Cursors...)

	sb.mapSealed = make([][]byte, 0, len(sb.Mappings))
	sb.auditSealed = make([][]byte, 0, len(sb.Audit))
	sb.ledgerSealed = make([][]byte, 0, len(sb.Ledger))
	for i := range sb.Mappings {
		m := &sb.Mappings[i]
		if err := firstErr(validKey("mapping kind", string(m.Kind)), validKey("mapping source id", m.SourceID),
			validKey("mapping HubSpot type", m.HubSpotType), validKey("mapping HubSpot id", m.HubSpotID)); err != nil {
			return nil, err
		}
		m.JobID = orDefault(m.JobID, b.JobID)
		m.CreatedByJob = orDefault(m.CreatedByJob, m.JobID)
		if m.LastSynced.IsZero() {
			m.LastSynced = now
		}
		sealed, err := s.sealSnapshot(m.Snapshot)
		if err != nil {
			return nil, err
		}
		sb.mapSealed = append(sb.mapSealed, sealed)
	}
	for _, k := range b.DeleteMappings {
		if err := firstErr(validKey("mapping kind", string(k.Kind)), validKey("mapping source id", k.SourceID)); err != nil {
			return nil, err
		}
	}
	for i := range sb.Audit {
		a := &sb.Audit[i]
		a.JobID = orDefault(a.JobID, b.JobID)
		if err := validKey("audit job id", a.JobID); err != nil {
			return nil, err
		}
		if a.Action == "" {
			return nil, fmt.Errorf("state: audit entry for %s/%s has no action", a.Kind, a.SourceID)
		}
		if a.Time.IsZero() {
			a.Time = now
		}
		sealed, err := s.sealChanges(a.Changes)
		if err != nil {
			return nil, err
		}
		sb.auditSealed = append(sb.auditSealed, sealed)
	}
	for i := range sb.Ledger {
		e := &sb.Ledger[i]
		if err := firstErr(validKey("ledger kind", string(e.Kind)), validKey("ledger source id", e.SourceID)); err != nil {
			return nil, err
		}
		e.JobID = orDefault(e.JobID, b.JobID)
		if e.LastSeen.IsZero() {
			e.LastSeen = now
		}
		sealed, err := s.sealLedgerText(*e)
		if err != nil {
			return nil, err
		}
		sb.ledgerSealed = append(sb.ledgerSealed, sealed)
	}
	for _, k := range b.Resolve {
		if err := firstErr(validKey("ledger kind", string(k.Kind)), validKey("ledger source id", k.SourceID)); err != nil {
			return nil, err
		}
	}
	for i := range sb.Cursors {
		c := &sb.Cursors[i]
		c.JobID = orDefault(c.JobID, b.JobID)
		if c.UpdatedAt.IsZero() {
			c.UpdatedAt = now
		}
	}
	for _, r := range b.Review {
		r.JobID = orDefault(r.JobID, b.JobID)
		if r.OpenedAt.IsZero() {
			r.OpenedAt = now
		}
		raw, err := s.encodeReview(r)
		if err != nil {
			return nil, err
		}
		sb.review = append(sb.review, raw)
	}
	for _, d := range b.Decisions {
		if d.DecidedAt.IsZero() {
			d.DecidedAt = now
		}
		raw, err := s.encodeDecision(d)
		if err != nil {
			return nil, err
		}
		sb.decisions = append(sb.decisions, raw)
	}
	return sb, nil
}

// commitTx applies a prepared batch inside the write transaction.
func (s *Store) commitTx(tx *bolt.Tx, sb *sealedBatch, seqs []uint64) error {
	bk := map[string]*bolt.Bucket{}
	for _, name := range [][]byte{bucketMappings, bucketMappingsRev, bucketAudit, bucketLedger,
		bucketCursors, bucketReview, bucketDecisions, bucketJobs} {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		bk[string(name)] = b
	}
	kinds, rev := newSubBuckets(bk[string(bucketMappings)], mappingFill), bk[string(bucketMappingsRev)]
	rev.FillPercent = mappingFill
	ledger := newSubBuckets(bk[string(bucketLedger)], 0)
	jobs := newSubBuckets(bk[string(bucketAudit)], 1) // append-only

	// Look the job up first: a batch for a job that does not exist is a caller bug.
	var job Job
	if sb.JobID != "" {
		var err error
		if job, err = getJob(bk[string(bucketJobs)], sb.JobID); err != nil {
			return fmt.Errorf("state: commit for job %s: %w", sb.JobID, err)
		}
	} else if len(sb.Counters) > 0 || len(sb.Metrics) > 0 {
		return fmt.Errorf("state: batch has counters but no job id")
	}

	steps := []func() error{
		func() error { // stageMappings
			for i, m := range sb.Mappings {
				s.releaseBeforeLookup(tx, i)
				if err := putMapping(kinds, rev, m, sb.mapSealed[i]); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageDeletes
			for i, k := range sb.DeleteMappings {
				s.releaseBeforeLookup(tx, i)
				if err := deleteMapping(kinds, rev, k); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageAudit
			for i, a := range sb.Audit {
				seq, err := putAudit(jobs, a, sb.auditSealed[i])
				if err != nil {
					return err
				}
				seqs[i] = seq
			}
			return nil
		},
		func() error { // stageLedger
			for i, e := range sb.Ledger {
				if err := upsertLedger(ledger, e, sb.ledgerSealed[i]); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageResolve
			for _, k := range sb.Resolve {
				if err := resolveLedger(ledger, k, sb.JobID, s.now()); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageCursors
			for _, c := range sb.Cursors {
				if err := putCursor(bk[string(bucketCursors)], c); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageReview
			for i, r := range sb.Review {
				if err := bk[string(bucketReview)].Put([]byte(r.ID), sb.review[i]); err != nil {
					return err
				}
			}
			for _, id := range sb.DeleteReview {
				if err := bk[string(bucketReview)].Delete([]byte(id)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageDecisions
			for i, d := range sb.Decisions {
				if err := bk[string(bucketDecisions)].Put([]byte(d.ID), sb.decisions[i]); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { // stageCounters
			if len(sb.Counters) == 0 && len(sb.Metrics) == 0 {
				return nil
			}
			if job.Entities == nil {
				job.Entities = map[Kind]EntityCounters{}
			}
			for k, d := range sb.Counters {
				job.Entities[k] = job.Entities[k].Add(d)
			}
			if len(sb.Metrics) > 0 && job.Metrics == nil {
				job.Metrics = map[string]float64{}
			}
			for k, d := range sb.Metrics {
				job.Metrics[k] += d
			}
			return putJob(bk[string(bucketJobs)], job)
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("state: commit (%s): %w", commitStages[i], err)
		}
		if s.commitHook != nil {
			if err := s.commitHook(commitStages[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
