package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	bolt "go.etcd.io/bbolt"
)

// TestMain makes sure no test can reach the real OS keyring: any accidental
// DefaultKeyStore falls back to a key file under the test's temp dir.
func TestMain(m *testing.M) {
	keyring.MockInitWithError(errors.New("OS keyring disabled in tests"))
	if os.Getenv("B2H_STATE_HOLDER") != "" {
		os.Exit(holdState())
	}
	os.Exit(m.Run())
}

// testStore opens a fresh state in a temp dir with an in-memory key store.
func testStore(t testing.TB) (*Store, *MemoryKeyStore) {
	t.Helper()
	keys := NewMemoryKeyStore()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "state.db"), Keys: keys, NoSync: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, keys
}

// reopen closes s and opens its file again with the same keys.
func reopen(t testing.TB, s *Store, keys KeyStore) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s2, err := Open(Options{Path: s.Path(), Keys: keys, NoSync: true})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	return s2
}

// mustJob creates a job and returns its id.
func mustJob(t testing.TB, s *Store, mode string) string {
	t.Helper()
	j := Job{Mode: mode}
	if err := s.CreateJob(&j); err != nil {
		t.Fatalf("CreateJob: %v", err)
	}
	return j.ID
}

// tenantSnapshot is a realistic contact snapshot for tenant i.
func tenantSnapshot(i int) map[string]string {
	return map[string]string{
		"buildium_tenant_id":  fmt.Sprint(100000 + i),
		"firstname":           "Jane",
		"lastname":            fmt.Sprintf("Doe-%d", i),
		"email":               fmt.Sprintf("jane.doe.%d@example.com", i),
		"phone":               fmt.Sprintf("+1415555%04d", i%10000),
		"mobilephone":         fmt.Sprintf("+1415556%04d", i%10000),
		"address":             fmt.Sprintf("%d Market Street, Apt %d", 100+i%900, i%50),
		"city":                "San Francisco",
		"state":               "CA",
		"zip":                 "94103",
		"country":             "US",
		"date_of_birth":       "1988-04-12",
		"buildium_created_at": "2021-03-04T10:11:12Z",
	}
}

// tenantMapping is a realistic tenant mapping for index i.
func tenantMapping(i int) Mapping {
	return Mapping{
		Kind:        KindTenants,
		SourceID:    fmt.Sprint(100000 + i),
		HubSpotType: "0-1",
		HubSpotID:   fmt.Sprint(51000000000 + i),
		SyncHash:    fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15),
		Snapshot:    tenantSnapshot(i),
	}
}

// dump returns every key/value of the file, nested buckets flattened to
// "bucket/sub/key" → value, for comparing whole contents.
func dump(t testing.TB, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			dumpBucket(b, string(name), out)
			return nil
		})
	})
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	return out
}

func dumpBucket(b *bolt.Bucket, prefix string, out map[string]string) {
	out[prefix+"/#seq"] = fmt.Sprint(b.Sequence())
	_ = b.ForEach(func(k, v []byte) error {
		if nb := b.Bucket(k); nb != nil {
			dumpBucket(nb, prefix+"/"+string(k), out)
			return nil
		}
		out[prefix+"/"+string(k)] = string(v)
		return nil
	})
}

// diffDumps describes the differences between two dumps ("" if equal).
func diffDumps(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "only before: "+k)
		} else if v != w {
			d = append(d, "changed: "+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "only after: "+k)
		}
	}
	if len(d) > 10 {
		d = append(d[:10], fmt.Sprintf("… %d more", len(d)-10))
	}
	return strings.Join(d, "\n")
}

// fixedClock returns a clock pinned at t that tests can move.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }
