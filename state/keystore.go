package state

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyStore keeps the encryption keys of state files, keyed by the state's id
// (a random id written into the state when it is created, so a state restored
// from a backup at the same place finds its key again).
//
// Trade-off, stated plainly: the OS keyring (macOS Keychain, Windows Credential
// Manager, Secret Service on Linux desktops) keeps the key apart from the state
// file, so a copied state file or backup alone reveals no PII. Where there is no
// keyring (servers, containers, CI: no D-Bus session), the key goes into a key
// file "<state>.key" (mode 0600) beside the state. That still keeps PII out of
// backups copied elsewhere and out of accidental shares of the state file, but
// anyone who can read both files as the same user can decrypt them: it protects
// against leaks of the state file, not against an attacker with the user's access.
type KeyStore interface {
	// LoadKeys returns the key set of the state with this id, or an error
	// matching ErrNoKey when the store holds none.
	LoadKeys(stateID string) (KeySet, error)
	// SaveKeys stores (replaces) the key set of the state with this id.
	SaveKeys(stateID string, ks KeySet) error
	// String says where the keys live, for messages ("OS keyring", "key file /x/state.db.key").
	String() string
}

// keyNoter is implemented by key stores that have something to tell the person
// (the fallback from the keyring to a key file).
type keyNoter interface{ Note() string }

// keyringService is the OS keyring service name b2h's state keys are stored under.
const keyringService = "b2h"

// keyringTimeout bounds every keyring call: a Secret Service waiting on an
// unlock prompt must not hang a headless run.
const keyringTimeout = 5 * time.Second

// keySetJSON is the stored form of a KeySet.
type keySetJSON struct {
	Current string            `json:"current"`
	Keys    map[string]string `json:"keys"` // hex id → base64 key
}

func marshalKeySet(ks KeySet) keySetJSON {
	out := keySetJSON{Current: fmt.Sprintf("%08x", ks.Current), Keys: map[string]string{}}
	for id, k := range ks.Keys {
		out.Keys[fmt.Sprintf("%08x", id)] = base64.StdEncoding.EncodeToString(k)
	}
	return out
}

func unmarshalKeySet(in keySetJSON) (KeySet, error) {
	cur, err := strconv.ParseUint(in.Current, 16, 32)
	if err != nil {
		return KeySet{}, fmt.Errorf("bad current key id %q", in.Current)
	}
	ks := KeySet{Current: uint32(cur), Keys: map[uint32][]byte{}}
	for sid, sk := range in.Keys {
		id, err := strconv.ParseUint(sid, 16, 32)
		if err != nil {
			return KeySet{}, fmt.Errorf("bad key id %q", sid)
		}
		k, err := base64.StdEncoding.DecodeString(sk)
		if err != nil {
			return KeySet{}, fmt.Errorf("key %s: %w", sid, err)
		}
		ks.Keys[uint32(id)] = k
	}
	return ks, ks.validate()
}

// MemoryKeyStore keeps keys in memory only; for tests and throw-away demo states.
type MemoryKeyStore struct {
	mu   sync.Mutex
	sets map[string]KeySet
}

// NewMemoryKeyStore returns an empty in-memory key store.
func NewMemoryKeyStore() *MemoryKeyStore { return &MemoryKeyStore{sets: map[string]KeySet{}} }

// LoadKeys implements KeyStore.
func (m *MemoryKeyStore) LoadKeys(stateID string) (KeySet, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ks, ok := m.sets[stateID]
	if !ok {
		return KeySet{}, ErrNoKey
	}
	return ks.clone(), nil
}

// SaveKeys implements KeyStore.
func (m *MemoryKeyStore) SaveKeys(stateID string, ks KeySet) error {
	if err := ks.validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sets[stateID] = ks.clone()
	return nil
}

// String implements KeyStore.
func (m *MemoryKeyStore) String() string { return "memory key store" }

// FileKeyStore keeps keys in a JSON file with mode 0600, one entry per state id.
type FileKeyStore struct {
	path string
	note string
	mu   sync.Mutex
}

// NewFileKeyStore returns a key store backed by the file at path (created on
// first save).
func NewFileKeyStore(path string) *FileKeyStore { return &FileKeyStore{path: path} }

// Path returns the key file's path.
func (f *FileKeyStore) Path() string { return f.path }

// Note returns the informational note set when DefaultKeyStore fell back to this
// file, "" otherwise.
func (f *FileKeyStore) Note() string { return f.note }

// String implements KeyStore.
func (f *FileKeyStore) String() string { return "key file " + f.path }

// CheckMode reports a key file that users other than its owner may read or
// write (*KeyFileModeError); nil when it is private or does not exist yet.
// Mode bits mean nothing on Windows: there it is always nil.
func (f *FileKeyStore) CheckMode() error {
	fi, err := os.Stat(f.path)
	if err != nil || runtime.GOOS == "windows" || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return &KeyFileModeError{Path: f.path, Mode: fi.Mode().Perm()}
}

// CheckKeyFile reports (*KeyFileModeError) when the state's key is kept in a
// key file that users other than its owner may read; nil otherwise. A
// read-write Open refuses such a file; a read-only one opens, and `b2h
// doctor` fails on it.
func (s *Store) CheckKeyFile() error {
	if f, ok := s.keys.(*FileKeyStore); ok {
		return f.CheckMode()
	}
	return nil
}

type keyFileJSON struct {
	Version int                   `json:"version"`
	States  map[string]keySetJSON `json:"states"`
}

func (f *FileKeyStore) read() (keyFileJSON, error) {
	var kf keyFileJSON
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return keyFileJSON{Version: 1, States: map[string]keySetJSON{}}, nil
	}
	if err != nil {
		return kf, err
	}
	if err := json.Unmarshal(b, &kf); err != nil {
		return kf, fmt.Errorf("key file %s is not valid: %w", f.path, err)
	}
	if kf.States == nil {
		kf.States = map[string]keySetJSON{}
	}
	return kf, nil
}

// LoadKeys implements KeyStore.
func (f *FileKeyStore) LoadKeys(stateID string) (KeySet, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	kf, err := f.read()
	if err != nil {
		return KeySet{}, err
	}
	in, ok := kf.States[stateID]
	if !ok {
		return KeySet{}, ErrNoKey
	}
	return unmarshalKeySet(in)
}

// SaveKeys implements KeyStore. The file is replaced atomically with mode 0600;
// other states' keys in it are kept.
func (f *FileKeyStore) SaveKeys(stateID string, ks KeySet) error {
	if err := ks.validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	kf, err := f.read()
	if err != nil {
		return err
	}
	kf.Version = 1
	kf.States[stateID] = marshalKeySet(ks)
	b, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(f.path, b)
}

// KeyringKeyStore keeps keys in the OS keyring (service "b2h", one secret per
// state id). Every call is bounded by a timeout so a locked keyring cannot hang b2h.
type KeyringKeyStore struct{}

// NewKeyringKeyStore returns a key store backed by the OS keyring.
func NewKeyringKeyStore() *KeyringKeyStore { return &KeyringKeyStore{} }

// String implements KeyStore.
func (KeyringKeyStore) String() string { return "the OS keyring (service " + keyringService + ")" }

func keyringUser(stateID string) string { return "state:" + stateID }

// LoadKeys implements KeyStore.
func (KeyringKeyStore) LoadKeys(stateID string) (KeySet, error) {
	secret, err := keyringGet(keyringUser(stateID))
	if errors.Is(err, keyring.ErrNotFound) {
		return KeySet{}, ErrNoKey
	}
	if err != nil {
		return KeySet{}, err
	}
	var in keySetJSON
	if err := json.Unmarshal([]byte(secret), &in); err != nil {
		return KeySet{}, fmt.Errorf("keyring entry for state %s is not valid: %w", stateID, err)
	}
	return unmarshalKeySet(in)
}

// SaveKeys implements KeyStore.
func (KeyringKeyStore) SaveKeys(stateID string, ks KeySet) error {
	if err := ks.validate(); err != nil {
		return err
	}
	b, err := json.Marshal(marshalKeySet(ks))
	if err != nil {
		return err
	}
	return withTimeout(func() error { return keyring.Set(keyringService, keyringUser(stateID), string(b)) })
}

func keyringGet(user string) (string, error) {
	var secret string
	err := withTimeout(func() error {
		var err error
		secret, err = keyring.Get(keyringService, user)
		return err
	})
	return secret, err
}

// withTimeout runs fn, giving up after keyringTimeout (fn keeps running in the
// background; the keyring libraries offer no cancellation).
func withTimeout(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(keyringTimeout):
		return fmt.Errorf("the OS keyring did not answer within %s", keyringTimeout)
	}
}

// DefaultKeyStore picks where the keys of the state at statePath live:
//   - the key file "<statePath>.key" if it already exists (a state started
//     without a keyring keeps using its file, even once a keyring appears);
//   - else the OS keyring, if it answers;
//   - else the key file, with a Note explaining the fallback (see KeyStore for
//     what that protects and what it does not).
func DefaultKeyStore(statePath string) KeyStore {
	keyPath := statePath + ".key"
	if _, err := os.Stat(keyPath); err == nil {
		return NewFileKeyStore(keyPath)
	}
	_, err := keyringGet("probe")
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return NewKeyringKeyStore()
	}
	fs := NewFileKeyStore(keyPath)
	fs.note = fmt.Sprintf("No OS keyring is available (%v), so the key that encrypts PII in the "+
		"state is kept in %s (mode 0600) beside it. Backups of the state alone stay unreadable; "+
		"anyone with your account's access to both files can read them.", err, keyPath)
	return fs
}

// writeFileAtomic writes data to path with mode 0600 via a synced temporary
// file and a rename, so a crash leaves the old or the new content, never half.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable (best effort where directories cannot be synced).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && runtime.GOOS != "windows" {
		return err // Windows cannot sync a directory; its renames are durable through the journal
	}
	return nil
}
