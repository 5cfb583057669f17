package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Job modes.
const (
	ModeFull        = "full"
	ModeIncremental = "incremental"
	ModeUndo        = "undo"
)

// Job statuses.
const (
	StatusRunning        = "running"
	StatusDone           = "done"
	StatusDoneWithErrors = "done_with_errors"
	StatusFailed         = "failed"
	StatusPaused         = "paused"
	StatusCancelled      = "cancelled"
)

// EntityCounters counts what a job did with one kind of record.
type EntityCounters struct {
	Read       int64 `json:"read,omitempty"`
	Created    int64 `json:"created,omitempty"`
	Updated    int64 `json:"updated,omitempty"`
	Unchanged  int64 `json:"unchanged,omitempty"`
	Skipped    int64 `json:"skipped,omitempty"`
	Invalid    int64 `json:"invalid,omitempty"`
	Failed     int64 `json:"failed,omitempty"`
	Duplicates int64 `json:"duplicates,omitempty"`
	Conflicts  int64 `json:"conflicts,omitempty"`
}

// Add returns the field-wise sum of c and d.
func (c EntityCounters) Add(d EntityCounters) EntityCounters {
	return EntityCounters{
		Read: c.Read + d.Read, Created: c.Created + d.Created, Updated: c.Updated + d.Updated,
		Unchanged: c.Unchanged + d.Unchanged, Skipped: c.Skipped + d.Skipped, Invalid: c.Invalid + d.Invalid,
		Failed: c.Failed + d.Failed, Duplicates: c.Duplicates + d.Duplicates, Conflicts: c.Conflicts + d.Conflicts,
	}
}

// Scope limits a job to some kinds and properties (empty = everything).
type Scope struct {
	Only        []string `json:"only,omitempty"`
	PropertyIDs []int32  `json:"property_ids,omitempty"`
}

// Job is one run of b2h (sync, dry run, undo). Stored in jobs under its ID,
// which sorts by start time.
type Job struct {
	ID            string                  `json:"id"`
	Mode          string                  `json:"mode"`
	DryRun        bool                    `json:"dry_run,omitempty"`
	Status        string                  `json:"status"`
	StartedAt     time.Time               `json:"started_at"`
	FinishedAt    time.Time               `json:"finished_at,omitzero"`
	Scope         Scope                   `json:"scope,omitzero"`
	Entities      map[Kind]EntityCounters `json:"entities,omitempty"`
	Error         string                  `json:"error,omitempty"`   // job-level; stored in clear, so it must not quote record values
	Metrics       map[string]float64      `json:"metrics,omitempty"` // e.g. hubspot_requests
	Operator      string                  `json:"operator,omitempty"`
	BuildiumHost  string                  `json:"buildium_host,omitempty"`
	HubSpotPortal string                  `json:"hubspot_portal,omitempty"`
	UndoOf        string                  `json:"undo_of,omitempty"`
}

// jsonFormat prefixes the JSON-encoded records (jobs, cursors, decisions,
// review items, account) so their encoding can evolve like the binary ones.
const jsonFormat = 1

func encodeJSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte{jsonFormat}, b...), nil
}

func decodeJSON(raw []byte, v any) error {
	if len(raw) == 0 || raw[0] != jsonFormat {
		return badRecord(errors.New("unknown record format"))
	}
	return badRecord(json.Unmarshal(raw[1:], v))
}

// jobIDLayout is the time part of a job id; the suffix is the jobs bucket's
// sequence in hex, so ids made in the same second still sort in creation order.
const jobIDLayout = "20060102-150405"

// CreateJob stores a new job. It assigns j.ID if empty (e.g. "20261127-002153-002a"),
// StartedAt if zero and Status "running" if empty. An existing id is an error.
func (s *Store) CreateJob(j *Job) error {
	if j.StartedAt.IsZero() {
		j.StartedAt = s.now()
	}
	if j.Status == "" {
		j.Status = StatusRunning
	}
	return s.update(func(tx *bolt.Tx) error {
		jb, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		id := j.ID
		for id == "" || jb.Get([]byte(id)) != nil {
			if j.ID != "" {
				return fmt.Errorf("state: job %s already exists", j.ID)
			}
			seq, err := jb.NextSequence()
			if err != nil {
				return err
			}
			id = fmt.Sprintf("%s-%04x", j.StartedAt.UTC().Format(jobIDLayout), seq&0xffff)
		}
		if err := validKey("job id", id); err != nil {
			return err
		}
		rec := *j
		rec.ID = id
		raw, err := encodeJSON(rec)
		if err != nil {
			return err
		}
		if err := jb.Put([]byte(id), raw); err != nil {
			return err
		}
		j.ID = id
		return nil
	})
}

func getJob(jb *bolt.Bucket, id string) (Job, error) {
	raw := jb.Get([]byte(id))
	if raw == nil {
		return Job{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	var j Job
	if err := decodeJSON(raw, &j); err != nil {
		return Job{}, fmt.Errorf("state: job %s: %w", id, err)
	}
	return j, nil
}

func putJob(jb *bolt.Bucket, j Job) error {
	raw, err := encodeJSON(j)
	if err != nil {
		return err
	}
	return jb.Put([]byte(j.ID), raw)
}

// UpdateJob reads a job, lets fn change it and writes it back, in one write
// transaction; an error from fn leaves the job unchanged. fn must not change the ID.
func (s *Store) UpdateJob(id string, fn func(*Job) error) error {
	return s.update(func(tx *bolt.Tx) error {
		jb, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		j, err := getJob(jb, id)
		if err != nil {
			return err
		}
		if err := fn(&j); err != nil {
			return err
		}
		if j.ID != id {
			return fmt.Errorf("state: UpdateJob may not change the id (%s → %s)", id, j.ID)
		}
		return putJob(jb, j)
	})
}

// Job returns one job, or ErrNotFound.
func (s *Store) Job(id string) (Job, error) {
	var j Job
	err := s.view(func(tx *bolt.Tx) error {
		jb, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		j, err = getJob(jb, id)
		return err
	})
	return j, err
}

// Jobs returns up to limit jobs, newest first (limit <= 0: all).
func (s *Store) Jobs(limit int) ([]Job, error) {
	var out []Job
	err := s.eachJobNewestFirst(func(j Job) bool {
		out = append(out, j)
		return limit <= 0 || len(out) < limit
	})
	return out, err
}

// LastJob returns the newest job of a mode ("" = any mode), or ErrNotFound.
func (s *Store) LastJob(mode string) (Job, error) {
	return s.LastJobWhere(func(j Job) bool { return mode == "" || j.Mode == mode })
}

// LastJobWhere returns the newest job for which match is true, or ErrNotFound.
func (s *Store) LastJobWhere(match func(Job) bool) (Job, error) {
	var found Job
	ok := false
	err := s.eachJobNewestFirst(func(j Job) bool {
		if match(j) {
			found, ok = j, true
			return false
		}
		return true
	})
	if err == nil && !ok {
		err = fmt.Errorf("job: %w", ErrNotFound)
	}
	return found, err
}

// eachJobNewestFirst calls fn inside a read transaction until it returns false.
func (s *Store) eachJobNewestFirst(fn func(Job) bool) error {
	return s.view(func(tx *bolt.Tx) error {
		jb, err := bucket(tx, bucketJobs)
		if err != nil {
			return err
		}
		c := jb.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			var j Job
			if err := decodeJSON(v, &j); err != nil {
				return fmt.Errorf("state: job %s: %w", k, err)
			}
			if !fn(j) {
				return nil
			}
		}
		return nil
	})
}
