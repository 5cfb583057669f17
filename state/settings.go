package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Cursor is the incremental watermark of one kind: the next incremental run
// asks Buildium for records changed since Watermark (minus an overlap). The
// engine advances it only when every record of its window is committed or ledgered.
type Cursor struct {
	Kind      Kind      `json:"kind"`
	Watermark time.Time `json:"watermark"`
	UpdatedAt time.Time `json:"updated_at"`
	JobID     string    `json:"job_id,omitempty"`
}

// Cursor returns the watermark of kind, or ErrNotFound before the first run.
func (s *Store) Cursor(kind Kind) (Cursor, error) {
	var c Cursor
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketCursors)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(kind))
		if raw == nil {
			return fmt.Errorf("cursor %s: %w", kind, ErrNotFound)
		}
		if err := decodeJSON(raw, &c); err != nil {
			return fmt.Errorf("state: cursor %s: %w", kind, err)
		}
		return nil
	})
	return c, err
}

// Cursors returns every stored cursor in kind order.
func (s *Store) Cursors() ([]Cursor, error) {
	var out []Cursor
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketCursors)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var c Cursor
			if err := decodeJSON(v, &c); err != nil {
				return fmt.Errorf("state: cursor %s: %w", k, err)
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// SetCursor stores a cursor on its own. Inside a sync, prefer Batch.Cursors so
// the watermark moves in the same transaction as the records it covers.
func (s *Store) SetCursor(c Cursor) error {
	return s.Commit(Batch{Cursors: []Cursor{c}})
}

func putCursor(b *bolt.Bucket, c Cursor) error {
	if err := validKey("cursor kind", string(c.Kind)); err != nil {
		return err
	}
	raw, err := encodeJSON(c)
	if err != nil {
		return err
	}
	return b.Put([]byte(c.Kind), raw)
}

// Account is what the account check found on the HubSpot portal: capabilities,
// the unit mapping chosen, and the ids of schemas, properties and association
// labels b2h created or found (never hard-coded: they differ per account).
type Account struct {
	PortalID         string         `json:"portal_id"`
	Tier             string         `json:"tier,omitempty"`
	CustomObjects    bool           `json:"custom_objects"`
	ListingsEnabled  bool           `json:"listings_enabled"`
	Scopes           []string       `json:"scopes,omitempty"`
	UnitMode         string         `json:"unit_mode,omitempty"`        // "custom_object" | "listing"
	UnitObjectType   string         `json:"unit_object_type,omitempty"` // "2-123" or "0-420"
	AssociationTypes map[string]int `json:"association_types,omitempty"`
	// AssociationMode is "labelled" or "default" (no custom labels).
	AssociationMode string `json:"association_mode,omitempty"`
	// Learned holds capabilities a live run settled by trying (a refused
	// custom object or label), by name: "custom_objects", "labels" → "yes"|"no".
	Learned    map[string]string   `json:"learned,omitempty"`
	Properties map[string][]string `json:"properties,omitempty"` // object type → b2h-created property names
	CheckedAt  time.Time           `json:"checked_at"`
}

// Unit modes of Account.UnitMode.
const (
	UnitModeCustomObject = "custom_object"
	UnitModeListing      = "listing"
)

var accountKey = []byte("account")

// Account returns the stored account check, or ErrNotFound before the first check.
func (s *Store) Account() (Account, error) {
	var a Account
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAccount)
		if err != nil {
			return err
		}
		raw := b.Get(accountKey)
		if raw == nil {
			return fmt.Errorf("account: %w", ErrNotFound)
		}
		if err := decodeJSON(raw, &a); err != nil {
			return fmt.Errorf("state: account: %w", err)
		}
		return nil
	})
	return a, err
}

// PutAccount replaces the stored account check.
func (s *Store) PutAccount(a Account) error {
	raw, err := encodeJSON(a)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAccount)
		if err != nil {
			return err
		}
		return b.Put(accountKey, raw)
	})
}

// Config decodes the JSON value stored under key into v (a pointer), or
// returns ErrNotFound. The config bucket holds the sync settings in force
// (conflict strategy, per-field rules, alert thresholds, …), one key each.
func (s *Store) Config(key string, v any) error {
	return s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketConfig)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return fmt.Errorf("config %s: %w", key, ErrNotFound)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				err = badRecord(err) // not JSON at all: the record is damaged
			}
			return fmt.Errorf("state: config %s: %w", key, err)
		}
		return nil
	})
}

// SetConfig stores v as JSON under key; a nil v deletes the key.
func (s *Store) SetConfig(key string, v any) error {
	if err := validKey("config key", key); err != nil {
		return err
	}
	var raw []byte
	if v != nil {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return fmt.Errorf("state: config %s: %w", key, err)
		}
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketConfig)
		if err != nil {
			return err
		}
		if raw == nil {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), raw)
	})
}

// ConfigKeys returns the keys stored in the config bucket, sorted.
func (s *Store) ConfigKeys() ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketConfig)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, _ []byte) error { out = append(out, string(k)); return nil })
	})
	return out, err
}

// FieldMappingsKey is the key of the mapping overrides in force in the
// field_mappings bucket.
const FieldMappingsKey = "field_mappings"

// FieldMappings returns the stored mapping overrides (the mapping file's
// content as the sync package serialises it), or ErrNotFound.
func (s *Store) FieldMappings() ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketFieldMappings)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(FieldMappingsKey))
		if raw == nil {
			return fmt.Errorf("field mappings: %w", ErrNotFound)
		}
		out = append([]byte(nil), raw...)
		return nil
	})
	return out, err
}

// SetFieldMappings stores the mapping overrides in force; nil deletes them.
func (s *Store) SetFieldMappings(raw []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketFieldMappings)
		if err != nil {
			return err
		}
		if raw == nil {
			return b.Delete([]byte(FieldMappingsKey))
		}
		return b.Put([]byte(FieldMappingsKey), raw)
	})
}
