package state

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Decision is a person's resolution of a duplicate group or a conflict, keyed
// by the group's or conflict's stable id so the next run applies it again.
type Decision struct {
	ID           string            // stable group/conflict id
	Type         string            // "duplicate" | "conflict"
	Resolution   string            // e.g. "adopt", "merge", "keep_separate", "skip", "buildium_wins", "hubspot_wins", "fields"
	Fields       map[string]string // per-field choices or edited values; encrypted at rest
	DecidedAt    time.Time
	DecidedBy    string
	AppliedByJob string
}

// Review item types and statuses.
const (
	ReviewDuplicate = "duplicate"
	ReviewConflict  = "conflict"

	ReviewOpen    = "open"
	ReviewDecided = "decided"
	ReviewApplied = "applied"
)

// ReviewItem is an entry of the review queue: a duplicate group or conflict
// waiting for (or carrying) a person's decision.
type ReviewItem struct {
	ID        string   // same id as the Decision that settles it
	Type      string   // ReviewDuplicate | ReviewConflict
	Kind      Kind     // kind of the records involved
	SourceIDs []string // Buildium ids involved
	Summary   string   // one line for lists; may name people, so encrypted at rest
	Payload   []byte   // JSON detail for the review screen; encrypted at rest
	JobID     string   // the job that opened it
	OpenedAt  time.Time
	Status    string // ReviewOpen | ReviewDecided | ReviewApplied
}

// decisionRecord is the stored form of a Decision.
type decisionRecord struct {
	Type         string    `json:"type"`
	Resolution   string    `json:"resolution"`
	Sealed       []byte    `json:"sealed,omitempty"` // Fields
	DecidedAt    time.Time `json:"decided_at"`
	DecidedBy    string    `json:"decided_by,omitempty"`
	AppliedByJob string    `json:"applied_by_job,omitempty"`
}

// reviewRecord is the stored form of a ReviewItem.
type reviewRecord struct {
	Type      string    `json:"type"`
	Kind      Kind      `json:"kind"`
	SourceIDs []string  `json:"source_ids,omitempty"`
	Sealed    []byte    `json:"sealed,omitempty"` // Summary + Payload
	JobID     string    `json:"job_id,omitempty"`
	OpenedAt  time.Time `json:"opened_at"`
	Status    string    `json:"status"`
}

// reviewContent is what a review record seals.
type reviewContent struct {
	Summary string          `json:"s,omitempty"`
	Payload json.RawMessage `json:"p,omitempty"`
}

func (s *Store) encodeDecision(d Decision) ([]byte, error) {
	if err := validKey("decision id", d.ID); err != nil {
		return nil, err
	}
	rec := decisionRecord{Type: d.Type, Resolution: d.Resolution, DecidedAt: d.DecidedAt,
		DecidedBy: d.DecidedBy, AppliedByJob: d.AppliedByJob}
	if len(d.Fields) > 0 {
		var err error
		if rec.Sealed, err = s.crypt.sealFieldMap(aadDecision, d.Fields); err != nil {
			return nil, err
		}
	}
	return encodeJSON(rec)
}

func (s *Store) decodeDecision(id string, raw []byte) (Decision, error) {
	var rec decisionRecord
	if err := decodeJSON(raw, &rec); err != nil {
		return Decision{}, fmt.Errorf("state: decision %s: %w", id, err)
	}
	d := Decision{ID: id, Type: rec.Type, Resolution: rec.Resolution, DecidedAt: rec.DecidedAt,
		DecidedBy: rec.DecidedBy, AppliedByJob: rec.AppliedByJob}
	if len(rec.Sealed) > 0 {
		pt, err := s.crypt.open(aadDecision, rec.Sealed)
		if err != nil {
			return Decision{}, fmt.Errorf("state: decision %s: %w", id, err)
		}
		if d.Fields, err = decodeFieldMap(pt); err != nil {
			return Decision{}, fmt.Errorf("state: decision %s: %w", id, err)
		}
	}
	return d, nil
}

func (s *Store) encodeReview(r ReviewItem) ([]byte, error) {
	if err := validKey("review item id", r.ID); err != nil {
		return nil, err
	}
	if r.Payload != nil && !json.Valid(r.Payload) {
		return nil, fmt.Errorf("state: review item %s: payload is not JSON", r.ID)
	}
	rec := reviewRecord{Type: r.Type, Kind: r.Kind, SourceIDs: r.SourceIDs, JobID: r.JobID,
		OpenedAt: r.OpenedAt, Status: r.Status}
	if rec.Status == "" {
		rec.Status = ReviewOpen
	}
	if r.Summary != "" || len(r.Payload) > 0 {
		pt, err := json.Marshal(reviewContent{Summary: r.Summary, Payload: r.Payload})
		if err != nil {
			return nil, err
		}
		if rec.Sealed, err = s.crypt.seal(aadReview, pt); err != nil {
			return nil, err
		}
	}
	return encodeJSON(rec)
}

func (s *Store) decodeReview(id string, raw []byte) (ReviewItem, error) {
	var rec reviewRecord
	if err := decodeJSON(raw, &rec); err != nil {
		return ReviewItem{}, fmt.Errorf("state: review item %s: %w", id, err)
	}
	r := ReviewItem{ID: id, Type: rec.Type, Kind: rec.Kind, SourceIDs: rec.SourceIDs, JobID: rec.JobID,
		OpenedAt: rec.OpenedAt, Status: rec.Status}
	if len(rec.Sealed) > 0 {
		pt, err := s.crypt.open(aadReview, rec.Sealed)
		if err != nil {
			return ReviewItem{}, fmt.Errorf("state: review item %s: %w", id, err)
		}
		var c reviewContent
		if err := json.Unmarshal(pt, &c); err != nil {
			return ReviewItem{}, fmt.Errorf("state: review item %s: %w", id, err)
		}
		r.Summary, r.Payload = c.Summary, []byte(c.Payload)
	}
	return r, nil
}

// PutDecision stores (replaces) a decision. DecidedAt defaults to now.
func (s *Store) PutDecision(d Decision) error {
	return s.Commit(Batch{Decisions: []Decision{d}})
}

// Decision returns one decision, or ErrNotFound.
func (s *Store) Decision(id string) (Decision, error) {
	var d Decision
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketDecisions)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(id))
		if raw == nil {
			return fmt.Errorf("decision %s: %w", id, ErrNotFound)
		}
		d, err = s.decodeDecision(id, raw)
		return err
	})
	return d, err
}

// Decisions returns every stored decision in id order.
func (s *Store) Decisions() ([]Decision, error) {
	var out []Decision
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketDecisions)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			d, err := s.decodeDecision(string(k), v)
			if err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// DeleteDecision removes a decision; a missing one is not an error.
func (s *Store) DeleteDecision(id string) error {
	return s.deleteKey(bucketDecisions, id)
}

// PutReviewItem stores (replaces) a review item. Status defaults to "open".
func (s *Store) PutReviewItem(r ReviewItem) error {
	return s.Commit(Batch{Review: []ReviewItem{r}})
}

// ReviewItem returns one review item, or ErrNotFound.
func (s *Store) ReviewItem(id string) (ReviewItem, error) {
	var r ReviewItem
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketReview)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(id))
		if raw == nil {
			return fmt.Errorf("review item %s: %w", id, ErrNotFound)
		}
		r, err = s.decodeReview(id, raw)
		return err
	})
	return r, err
}

// ReviewItems returns the review items with a status ("" = all), in id order.
func (s *Store) ReviewItems(status string) ([]ReviewItem, error) {
	var out []ReviewItem
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketReview)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var head reviewRecord // cheap status filter before decrypting
			if err := decodeJSON(v, &head); err != nil {
				return fmt.Errorf("state: review item %s: %w", k, err)
			}
			if status != "" && head.Status != status {
				return nil
			}
			r, err := s.decodeReview(string(k), v)
			if err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// DeleteReviewItem removes a review item; a missing one is not an error.
func (s *Store) DeleteReviewItem(id string) error {
	return s.deleteKey(bucketReview, id)
}

func (s *Store) deleteKey(name []byte, key string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
}
