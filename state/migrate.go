package state

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A migration moves a state file from schema version From to From+1 inside one
// write transaction, which also records the new version: a crash leaves the
// file at From or at From+1, never in between.
//
// To add schema version N+1: bump SchemaVersion, append a migration with
// From: N, and add a fixture builder for version N to migrate_test.go (the test
// fails until every older version has one).
type migration struct {
	From  int
	Name  string
	Apply func(tx *bolt.Tx) error
}

// migrations are applied in order; migrations[i].From == i.
var migrations = []migration{
	{From: 0, Name: "index mappings by HubSpot id; add the review queue", Apply: migrateV0toV1},
}

// migrationRecord is one entry of the meta "migrations" log.
type migrationRecord struct {
	From int       `json:"from"`
	To   int       `json:"to"`
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// migrate backs the file up as "<path>.v<from>.bak" and applies every migration
// from version `from` to SchemaVersion in order.
func (s *Store) migrate(from int) error {
	backup := fmt.Sprintf("%s.v%d.bak", s.path, from)
	if err := s.Backup(backup); err != nil {
		return fmt.Errorf("state: backing up before migrating from schema %d: %w", from, err)
	}
	for v := from; v < SchemaVersion; v++ {
		if v >= len(migrations) || migrations[v].From != v {
			return fmt.Errorf("state: no migration from schema version %d", v)
		}
		m := migrations[v]
		err := s.update(func(tx *bolt.Tx) error {
			if err := m.Apply(tx); err != nil {
				return err
			}
			meta, err := bucket(tx, bucketMeta)
			if err != nil {
				return err
			}
			var log []migrationRecord
			if raw := meta.Get(metaMigrations); raw != nil {
				if err := json.Unmarshal(raw, &log); err != nil {
					return fmt.Errorf("migration log: %w", err)
				}
			}
			log = append(log, migrationRecord{From: v, To: v + 1, Name: m.Name, At: s.now()})
			raw, err := json.Marshal(log)
			if err != nil {
				return err
			}
			if err := meta.Put(metaMigrations, raw); err != nil {
				return err
			}
			return meta.Put(metaSchemaVersion, u32(uint32(v+1)))
		})
		if err != nil {
			return fmt.Errorf("state: migrating %s from schema %d to %d (%s): %w; the file before "+
				"migrating is saved as %s", s.path, v, v+1, m.Name, err, backup)
		}
	}
	return nil
}

// Migrations returns the log of migrations applied to this state, oldest first.
func (s *Store) Migrations() ([]MigrationInfo, error) {
	var out []MigrationInfo
	err := s.view(func(tx *bolt.Tx) error {
		meta, err := bucket(tx, bucketMeta)
		if err != nil {
			return err
		}
		raw := meta.Get(metaMigrations)
		if raw == nil {
			return nil
		}
		var log []migrationRecord
		if err := json.Unmarshal(raw, &log); err != nil {
			return err
		}
		for _, r := range log {
			out = append(out, MigrationInfo(r))
		}
		return nil
	})
	return out, err
}

// MigrationInfo describes one applied schema migration.
type MigrationInfo struct {
	From int       // schema version before
	To   int       // schema version after
	Name string    // what it did
	At   time.Time // when
}

// migrateV0toV1: schema 0 had no reverse index and no review queue. Build the
// index from every mapping and create the missing buckets.
func migrateV0toV1(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	maps := tx.Bucket(bucketMappings)
	rev := tx.Bucket(bucketMappingsRev)
	return maps.ForEachBucket(func(kind []byte) error {
		kb := maps.Bucket(kind)
		return kb.ForEach(func(k, v []byte) error {
			hsType, hsID, err := decodeMappingRef(v)
			if err != nil {
				return fmt.Errorf("mapping %s/%s: %w", kind, k, err)
			}
			return rev.Put(revKey(hsType, hsID, Kind(kind), string(k)), revValue)
		})
	})
}

// schemaVersionOf reads the schema version in a read transaction of any state file.
func schemaVersionOf(tx *bolt.Tx) (int, bool) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, false
	}
	v := meta.Get(metaSchemaVersion)
	if len(v) != 4 {
		return 0, len(v) == 0
	}
	return int(binary.BigEndian.Uint32(v)), true
}
