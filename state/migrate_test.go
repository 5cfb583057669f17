package state

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// olderVersions builds a state file in the layout of each older schema
// version, with the same logical content: the two tenant mappings 100001 and
// 100002 and the emergency contact "ec-1", which shares contact 51000000001
// with tenant 100001. Adding schema version N+1 means adding version N here.
var olderVersions = map[int]func(t *testing.T, path string, keys KeyStore){
	0: buildV0,
}

// buildV0 writes schema 0: no schema_version record, no reverse index, no review queue.
func buildV0(t *testing.T, path string, keys KeyStore) {
	t.Helper()
	ks, err := NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	const stateID = "0123456789abcdef0123456789abcdef"
	if err := keys.SaveKeys(stateID, ks); err != nil {
		t.Fatal(err)
	}
	seal, _ := newSealer(ks)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"meta", "jobs", "mappings", "ledger", "audit", "field_mappings", "config", "cursors", "decisions", "account"} {
			if _, err := tx.CreateBucket([]byte(name)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		_ = meta.Put(metaStateID, []byte(stateID))
		_ = meta.Put(metaKeyID, u32(ks.Current))
		job := Job{ID: "20250101-000000-0001", Mode: ModeFull, Status: StatusDone, StartedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
		if err := putJob(tx.Bucket(bucketJobs), job); err != nil {
			return err
		}
		maps := tx.Bucket(bucketMappings)
		for _, m := range []Mapping{tenantMapping(1), tenantMapping(2),
			{Kind: KindEmergencyContacts, SourceID: "ec-1", HubSpotType: "0-1", HubSpotID: tenantMapping(1).HubSpotID}} {
			var sealed []byte
			if len(m.Snapshot) > 0 {
				if sealed, err = seal.seal(aadSnapshot, fieldMap(m.Snapshot)); err != nil {
					return err
				}
			}
			kb, err := maps.CreateBucketIfNotExists([]byte(m.Kind))
			if err != nil {
				return err
			}
			raw := encodeMappingRaw(mappingRaw{HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, SyncHash: m.SyncHash,
				LastSynced: job.StartedAt, JobID: job.ID, CreatedByJob: job.ID, Sealed: sealed})
			if err := kb.Put([]byte(m.SourceID), raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestEveryOlderSchemaVersionHasAMigrationAndAFixture(t *testing.T) {
	if len(migrations) != SchemaVersion {
		t.Fatalf("%d migrations for schema version %d", len(migrations), SchemaVersion)
	}
	for v := 0; v < SchemaVersion; v++ {
		if migrations[v].From != v || migrations[v].Apply == nil || migrations[v].Name == "" {
			t.Errorf("migrations[%d] = {From: %d, Name: %q}", v, migrations[v].From, migrations[v].Name)
		}
		if olderVersions[v] == nil {
			t.Errorf("no fixture for schema version %d: migrations from it are untested", v)
		}
	}
}

func TestMigrateFromEveryOlderVersion(t *testing.T) {
	for v := 0; v < SchemaVersion; v++ {
		t.Run(fmt.Sprintf("from v%d", v), func(t *testing.T) {
			keys := NewMemoryKeyStore()
			path := filepath.Join(t.TempDir(), "state.db")
			olderVersions[v](t, path, keys)

			// Read-only opens do not migrate (and change nothing).
			before, _ := os.ReadFile(path)
			ro, err := Open(Options{Path: path, Keys: keys, ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if info, err := ro.Inspect(context.Background()); err != nil || info.SchemaVersion != v {
				t.Errorf("read-only Inspect = version %d, %v; want %d", info.SchemaVersion, err, v)
			}
			ro.Close()
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("a read-only open changed the file")
			}

			s, err := Open(Options{Path: path, Keys: keys, NoSync: true})
			if err != nil {
				t.Fatalf("Open of a v%d state: %v", v, err)
			}
			defer s.Close()
			info, err := s.Inspect(context.Background())
			if err != nil || info.SchemaVersion != SchemaVersion {
				t.Fatalf("after migration: version %d, %v", info.SchemaVersion, err)
			}
			log, _ := s.Migrations()
			if len(log) != SchemaVersion-v || log[0].From != v || log[len(log)-1].To != SchemaVersion {
				t.Errorf("migration log = %+v", log)
			}

			// The content reads through the current API, reverse index included.
			m, err := s.Mapping(KindTenants, "100002")
			if err != nil || m.Snapshot["email"] != "jane.doe.2@example.com" || m.SyncHash != tenantMapping(2).SyncHash {
				t.Errorf("migrated mapping = %+v, %v", m, err)
			}
			shared, err := s.MappingsByHubSpot("0-1", tenantMapping(1).HubSpotID)
			if err != nil || len(shared) != 2 {
				t.Errorf("reverse index of the shared contact = %v, %v", shared, err)
			}
			if m, err := s.MappingByHubSpot("0-1", tenantMapping(2).HubSpotID); err != nil || m.SourceID != "100002" {
				t.Errorf("MappingByHubSpot after migration = %+v, %v", m, err)
			}
			if err := s.PutReviewItem(ReviewItem{ID: "r1", Type: ReviewConflict}); err != nil {
				t.Errorf("review queue after migration: %v", err)
			}
			if j, err := s.LastJob(ModeFull); err != nil || j.Status != StatusDone {
				t.Errorf("job after migration = %+v, %v", j, err)
			}

			// The pre-migration file was kept and is the last backup.
			bak := fmt.Sprintf("%s.v%d.bak", path, v)
			fi, err := verifyFile(bak, time.Second)
			if err != nil || fi.version != v {
				t.Errorf("pre-migration backup: version %d, %v", fi.version, err)
			}
			if lb := LastBackup(path); lb != bak {
				t.Errorf("LastBackup = %q, want %q", lb, bak)
			}

			// Opening again migrates nothing more.
			s = reopen(t, s, keys)
			if log2, _ := s.Migrations(); len(log2) != len(log) {
				t.Errorf("reopen ran migrations again: %+v", log2)
			}
		})
	}
}
