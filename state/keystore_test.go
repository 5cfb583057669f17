package state

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestFileKeyStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "state.db.key")
	fs := NewFileKeyStore(path)
	if _, err := fs.LoadKeys("a"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("LoadKeys before any save = %v, want ErrNoKey", err)
	}
	ka, _ := NewKeySet()
	kb, _ := NewKeySet()
	if err := fs.SaveKeys("a", ka); err != nil {
		t.Fatal(err)
	}
	if err := fs.SaveKeys("b", kb); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	// A new store on the same file sees both states' keys.
	fs2 := NewFileKeyStore(path)
	for id, want := range map[string]KeySet{"a": ka, "b": kb} {
		got, err := fs2.LoadKeys(id)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("LoadKeys(%s) = %v, %v", id, got, err)
		}
	}
	if err := fs.SaveKeys("c", KeySet{}); err == nil {
		t.Error("an empty key set was saved")
	}
	if err := os.WriteFile(path, []byte("{garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.LoadKeys("a"); err == nil || errors.Is(err, ErrNoKey) {
		t.Errorf("corrupt key file: %v, want a parse error", err)
	}
}

func TestMemoryKeyStoreCopies(t *testing.T) {
	m := NewMemoryKeyStore()
	ks, _ := NewKeySet()
	if err := m.SaveKeys("s", ks); err != nil {
		t.Fatal(err)
	}
	ks.Keys[ks.Current][0] ^= 0xff // the caller's copy changes, the stored one must not
	got, _ := m.LoadKeys("s")
	if reflect.DeepEqual(got.Keys[got.Current], ks.Keys[ks.Current]) {
		t.Error("MemoryKeyStore shares memory with the caller")
	}
}

// DefaultKeyStore runs against go-keyring's mock provider only (TestMain
// disables the real one).
func TestDefaultKeyStore(t *testing.T) {
	defer keyring.MockInitWithError(errors.New("OS keyring disabled in tests"))
	dir := t.TempDir()
	state := filepath.Join(dir, "state.db")

	keyring.MockInit()
	if _, ok := DefaultKeyStore(state).(*KeyringKeyStore); !ok {
		t.Errorf("with a keyring: %T, want *KeyringKeyStore", DefaultKeyStore(state))
	}
	// The keyring store round-trips through the (mock) keyring.
	kr := NewKeyringKeyStore()
	ks, _ := NewKeySet()
	if err := kr.SaveKeys("st", ks); err != nil {
		t.Fatal(err)
	}
	if got, err := kr.LoadKeys("st"); err != nil || !reflect.DeepEqual(got, ks) {
		t.Errorf("keyring round trip = %v, %v", got, err)
	}
	if _, err := kr.LoadKeys("other"); !errors.Is(err, ErrNoKey) {
		t.Errorf("keyring LoadKeys(unknown) = %v, want ErrNoKey", err)
	}

	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
	ds := DefaultKeyStore(state)
	fs, ok := ds.(*FileKeyStore)
	if !ok || fs.Path() != state+".key" {
		t.Fatalf("without a keyring: %v, want the key file beside the state", ds)
	}
	if n := fs.Note(); !strings.Contains(n, state+".key") || !strings.Contains(n, "No OS keyring") {
		t.Errorf("fallback note = %q", n)
	}

	// Open with the default store falls back silently, with the note on the store.
	s, err := Open(Options{Path: state, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.KeyNote(), state+".key") {
		t.Errorf("KeyNote = %q", s.KeyNote())
	}
	if fi, err := os.Stat(state + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v", err)
	}
	s.Close()

	// Once a key file exists it is used even when a keyring appears.
	keyring.MockInit()
	if fs, ok := DefaultKeyStore(state).(*FileKeyStore); !ok || fs.Note() != "" {
		t.Errorf("existing key file not preferred: %v", DefaultKeyStore(state))
	}
	s, err = Open(Options{Path: state, NoSync: true})
	if err != nil {
		t.Fatalf("reopen with the key file: %v", err)
	}
	if s.KeyNote() != "" {
		t.Errorf("KeyNote without a fallback = %q", s.KeyNote())
	}
	s.Close()
}
