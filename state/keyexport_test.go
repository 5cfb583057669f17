package state

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportImportKeys: a state moved to another machine (a fresh key
// store) opens, with its sealed values readable, once its exported keys
// are imported; a wrong state, a damaged file or a conflicting key is
// refused with a message, and nothing stored is replaced.
func TestExportImportKeys(t *testing.T) {
	s, _ := testStore(t)
	m := Mapping{Kind: "tenants", SourceID: "7", HubSpotType: "contacts", HubSpotID: "70", SyncHash: "h",
		Snapshot: map[string]string{"email": "jane@example.com"}}
	if err := s.Commit(Batch{Mappings: []Mapping{m}}); err != nil {
		t.Fatal(err)
	}
	exported, err := s.ExportKeys()
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	elsewhere := NewMemoryKeyStore() // the other machine
	if s3, err := Open(Options{Path: path, Keys: elsewhere}); err == nil {
		_ = s3.Close()
		t.Fatal("the state opened for writing without its key")
	}
	if _, err := ImportKeys(path, exported, elsewhere); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(Options{Path: path, Keys: elsewhere, ReadOnly: true})
	if err != nil {
		t.Fatalf("open after import: %v", err)
	}
	got, err := s2.Mapping("tenants", "7")
	_ = s2.Close()
	if err != nil || got.Snapshot["email"] != "jane@example.com" {
		t.Fatalf("snapshot after import: %+v (%v)", got.Snapshot, err)
	}
	// Importing the same keys again is fine.
	if _, err := ImportKeys(path, exported, elsewhere); err != nil {
		t.Errorf("importing the same keys twice: %v", err)
	}

	other, _ := testStore(t)
	otherKeys, err := other.ExportKeys()
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		data []byte
		ks   KeyStore
		want string
	}{
		"another state's keys": {otherKeys, NewMemoryKeyStore(), "is state"},
		"not a key file":       {[]byte(`{"hello":1}`), NewMemoryKeyStore(), "not a key file"},
		"damaged keys":         {[]byte(strings.Replace(string(exported), `"current": "`, `"current": "zz`, 1)), NewMemoryKeyStore(), "damaged"},
	} {
		if _, err := ImportKeys(path, tc.data, tc.ks); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want one saying %q", name, err, tc.want)
		}
	}
	// A store already holding different keys for this state keeps them.
	conflicting := NewMemoryKeyStore()
	ks, _ := NewKeySet()
	sid := strings.Split(strings.Split(string(exported), `"state_id": "`)[1], `"`)[0]
	if err := conflicting.SaveKeys(sid, ks); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportKeys(path, exported, conflicting); err == nil || !strings.Contains(err.Error(), "nothing was replaced") {
		t.Errorf("conflicting keys: %v", err)
	}
	if kept, _ := conflicting.LoadKeys(sid); !sameKeySet(kept, ks) {
		t.Error("the conflicting keys were replaced")
	}
	if _, err := ImportKeys(filepath.Join(t.TempDir(), "missing.db"), exported, NewMemoryKeyStore()); err == nil {
		t.Error("import into a missing state file succeeded")
	}
	_ = os.Remove(path)
}
