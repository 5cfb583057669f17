package state

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestSealerRoundTripAndTamper(t *testing.T) {
	ks, err := NewKeySet()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSealer(ks)
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("jane@example.com")
	blob, err := s.seal(aadSnapshot, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(blob) != len(pt)+sealOverhead || sealedKeyID(blob) != ks.Current {
		t.Errorf("sealed form: %d bytes, key %08x", len(blob), sealedKeyID(blob))
	}
	again, _ := s.seal(aadSnapshot, pt)
	if bytes.Equal(blob, again) {
		t.Error("two seals of the same value are equal: nonce reused")
	}
	if got, err := s.open(aadSnapshot, blob); err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open = %q, %v", got, err)
	}
	if got, err := s.seal(aadSnapshot, nil); got != nil || err != nil {
		t.Errorf("seal(empty) = %v, %v; want nil", got, err)
	}

	flipped := append([]byte(nil), blob...)
	flipped[len(flipped)-1] ^= 1
	other, _ := NewKeySet()
	so, _ := newSealer(other)
	bad := map[string]func() error{
		"tampered":      func() error { _, err := s.open(aadSnapshot, flipped); return err },
		"wrong purpose": func() error { _, err := s.open(aadLedger, blob); return err },
		"unknown key":   func() error { _, err := so.open(aadSnapshot, blob); return err },
		"too short":     func() error { _, err := s.open(aadSnapshot, blob[:10]); return err },
	}
	for name, f := range bad {
		if f() == nil {
			t.Errorf("%s: open succeeded", name)
		}
	}
}

// The PII a tenant brings, seeded into every place b2h stores record values.
const (
	piiEmail = "seeded.tenant.pii@example.org"
	piiPhone = "+1 415 555 0199"
	// clearMarker is stored in clear (a HubSpot id), to prove the scan sees written pages.
	clearMarker = "hs-clear-marker-5150"
)

func seedPII(t *testing.T, s *Store, job string) {
	t.Helper()
	snap := tenantSnapshot(1)
	snap["email"], snap["phone"] = piiEmail, piiPhone
	err := s.Commit(Batch{JobID: job,
		Mappings: []Mapping{{Kind: KindTenants, SourceID: "1", HubSpotType: "0-1", HubSpotID: clearMarker, Snapshot: snap}},
		Audit: []AuditEntry{{Action: ActionUpdate, Kind: KindTenants, SourceID: "1",
			Changes: []FieldChange{{Field: "email", Old: piiEmail, New: "x@example.org"}, {Field: "phone", Old: piiPhone}}}},
		Ledger: []LedgerEntry{{Kind: KindTenants, SourceID: "2", ErrorType: "validation",
			Message: "email " + piiEmail + " is not valid", Details: `{"phone":"` + piiPhone + `"}`}},
		Decisions: []Decision{{ID: "dup:1", Type: ReviewDuplicate, Fields: map[string]string{"email": piiEmail, "phone": piiPhone}}},
		Review: []ReviewItem{{ID: "dup:1", Type: ReviewDuplicate, Kind: KindTenants,
			Summary: piiEmail + " shared", Payload: []byte(`{"phone":"` + piiPhone + `"}`)}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// assertNoPII greps a file's bytes for the seeded email and phone.
func assertNoPII(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(clearMarker)) {
		t.Fatalf("%s: the clear marker is not in the file: the scan proves nothing", path)
	}
	for _, pii := range []string{piiEmail, piiPhone} {
		if bytes.Contains(raw, []byte(pii)) {
			t.Errorf("%s contains plaintext PII %q", path, pii)
		}
	}
}

func TestNoPlaintextPIIOnDisk(t *testing.T) {
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	seedPII(t, s, job)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s, keys)
	// Everything reads back in clear through the store.
	m, err := s.Mapping(KindTenants, "1")
	if err != nil || m.Snapshot["email"] != piiEmail {
		t.Fatalf("snapshot = %v, %v", m.Snapshot, err)
	}
	if e, _ := s.Ledger(KindTenants, "2"); e.Message != "email "+piiEmail+" is not valid" {
		t.Errorf("ledger message = %q", e.Message)
	}
	if d, _ := s.Decision("dup:1"); d.Fields["phone"] != piiPhone {
		t.Errorf("decision fields = %v", d.Fields)
	}
	if r, _ := s.ReviewItem("dup:1"); r.Summary != piiEmail+" shared" {
		t.Errorf("review summary = %q", r.Summary)
	}
	s.Close()
	assertNoPII(t, s.Path())
	assertNoPII(t, backup)
}

func TestRotateKeyReencryptsEverything(t *testing.T) {
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	seedPII(t, s, job)
	// Enough mappings for several rotation chunks.
	var ms []Mapping
	for i := 0; i < rotateChunk+10; i++ {
		ms = append(ms, tenantMapping(10+i))
	}
	if err := s.Commit(Batch{JobID: job, Mappings: ms}); err != nil {
		t.Fatal(err)
	}
	oldKeys, _ := keys.LoadKeys(s.StateID())
	before := dump(t, s)

	if err := s.RotateKey(); err != nil {
		t.Fatal(err)
	}
	newKeys, _ := keys.LoadKeys(s.StateID())
	if newKeys.Current == oldKeys.Current || len(newKeys.Keys) != 1 {
		t.Fatalf("after rotation the key set is %v (old current %08x)", newKeys.Keys, oldKeys.Current)
	}
	// Every sealed value now names the new key, and every record changed.
	after := dump(t, s)
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMappings).Bucket([]byte(KindTenants)).ForEach(func(k, v []byte) error {
			r, err := decodeMappingRaw(v)
			if err != nil {
				return err
			}
			if id := sealedKeyID(r.Sealed); id != newKeys.Current {
				t.Errorf("mapping %s still sealed with %08x", k, id)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"mappings/tenants/1", "ledger/tenants/2", "decisions/dup:1", "review/dup:1"} {
		if before[k] == after[k] {
			t.Errorf("%s not re-encrypted", k)
		}
	}

	s = reopen(t, s, keys)
	if m, err := s.Mapping(KindTenants, "1"); err != nil || m.Snapshot["phone"] != piiPhone {
		t.Errorf("after rotation: %v, %v", m.Snapshot, err)
	}
	var changes []FieldChange
	_ = s.Audit(job, func(a AuditEntry) error { changes = append(changes, a.Changes...); return nil })
	if len(changes) != 2 || changes[0].Old != piiEmail {
		t.Errorf("audit after rotation = %+v", changes)
	}
	s.Close()
	assertNoPII(t, s.Path())

	// The old key alone no longer opens the state.
	oldOnly := NewMemoryKeyStore()
	_ = oldOnly.SaveKeys(s.StateID(), oldKeys)
	var ke *KeyError
	if _, err := Open(Options{Path: s.Path(), Keys: oldOnly}); !errors.As(err, &ke) {
		t.Errorf("Open with the old key = %v, want *KeyError", err)
	}
}

// failingSaves fails SaveKeys after `ok` successful saves.
type failingSaves struct {
	*MemoryKeyStore
	ok int
}

func (f *failingSaves) SaveKeys(id string, ks KeySet) error {
	if f.ok == 0 {
		return errors.New("keyring went away")
	}
	f.ok--
	return f.MemoryKeyStore.SaveKeys(id, ks)
}

func TestRotateKeyInterruptedKeepsStateReadable(t *testing.T) {
	keys := &failingSaves{MemoryKeyStore: NewMemoryKeyStore(), ok: 1 << 30}
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "state.db"), Keys: keys, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	job := mustJob(t, s, ModeFull)
	seedPII(t, s, job)
	keys.ok = 1 // the new key is stored, dropping the old one fails
	if err := s.RotateKey(); err == nil {
		t.Fatal("RotateKey succeeded although the final save failed")
	}
	keys.ok = 1 << 30
	s = reopen(t, s, keys)
	if m, err := s.Mapping(KindTenants, "1"); err != nil || m.Snapshot["email"] != piiEmail {
		t.Errorf("after an interrupted rotation: %v, %v", m.Snapshot, err)
	}
	if err := s.RotateKey(); err != nil {
		t.Errorf("rotating again: %v", err)
	}
	if ks, _ := keys.LoadKeys(s.StateID()); len(ks.Keys) != 1 {
		t.Errorf("keys after a completed rotation: %d, want 1", len(ks.Keys))
	}
}
