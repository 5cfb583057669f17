package state

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Open opens the state file, creating it (mode 0600, every bucket in one
// transaction) if it does not exist, and migrating an older schema in order.
//
// Errors a person can act on are typed: *LockedError (another b2h holds the
// file; Open waits at most Options.Timeout), *CorruptError (damaged or
// truncated file, with the last known backup), *SchemaError (newer schema or
// not a state file), *KeyError (the encryption key is not available),
// *KeyFileModeError (read-write, a key file other users may read) and
// ErrNoState (read-only open, no file yet). Open never panics.
//
// The path is followed through symbolic links to the file itself. Open does
// only cheap checks; a read-write Store runs the full check by itself before
// its first write and never writes to a file found damaged, so callers have
// nothing to do before writing. A read-write Open also removes the temporary
// copies a killed compact or restore left beside the file (StaleTemporaries).
func Open(opts Options) (*Store, error) {
	path := opts.Path
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	path, err := resolvePath(path)
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	keys := opts.Keys
	if keys == nil {
		keys = DefaultKeyStore(path)
	}

	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && opts.ReadOnly:
		return nil, fmt.Errorf("%w at %s: run a sync first", ErrNoState, path)
	case errors.Is(err, fs.ErrNotExist):
		if err := create(path, keys, timeout); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	case err != nil:
		return nil, fmt.Errorf("state: %w", err)
	case !fi.Mode().IsRegular():
		return nil, fmt.Errorf("state: %s is not a regular file", path)
	case fi.Size() == 0:
		return nil, &CorruptError{Path: path, Reason: "the file is empty (0 bytes)", LastBackup: LastBackup(path)}
	}

	db, file, err := openBolt(path, opts.ReadOnly, opts.NoSync, timeout)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly, keys: keys, residentCap: residentCap}
	if err := s.init(file); err != nil {
		closeBounded(db)
		return nil, err
	}
	if !opts.ReadOnly {
		tightenMode(path)
		removeStaleTemps(path) // this process holds the exclusive lock
	}
	return s, nil
}

// header is what Open reads from the meta bucket.
type header struct {
	empty    bool // a bbolt file with no buckets at all
	version  int
	stateID  string
	keyID    uint32
	keyStore string // where the key was saved
}

// init checks the file, creates or migrates the schema and loads the keys.
func (s *Store) init(file *os.File) error {
	h, err := s.readHeader(file)
	if err != nil {
		return err
	}
	if h.empty {
		// A bbolt file without buckets holds nothing to lose: make it a state.
		if s.readOnly {
			return fmt.Errorf("%w at %s: run a sync first", ErrNoState, s.path)
		}
		stateID, ks, err := newStateKeys(s.keys)
		if err != nil {
			return err
		}
		if err := s.update(func(tx *bolt.Tx) error { return initTx(tx, stateID, ks.Current, s.keys.String(), s.now()) }); err != nil {
			return err
		}
		h = header{version: SchemaVersion, stateID: stateID, keyID: ks.Current}
	}
	if h.version > SchemaVersion {
		return &SchemaError{Path: s.path, Version: h.version, Supported: SchemaVersion}
	}
	s.stateID = h.stateID
	if h.version < SchemaVersion && !s.readOnly {
		if err := s.migrate(h.version); err != nil {
			return err
		}
	}
	return s.loadKeys(h)
}

// readHeader verifies the file is whole and reads the meta bucket.
func (s *Store) readHeader(file *os.File) (header, error) {
	var h header
	err := s.view(func(tx *bolt.Tx) error {
		fi, err := file.Stat()
		if err != nil {
			return err
		}
		if fi.Size() < tx.Size() {
			return &CorruptError{Path: s.path, LastBackup: LastBackup(s.path),
				Reason: fmt.Sprintf("truncated: %d bytes of %d", fi.Size(), tx.Size())}
		}
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			c := tx.Cursor()
			if k, _ := c.First(); k != nil {
				return &SchemaError{Path: s.path, Version: -1, Supported: SchemaVersion}
			}
			h.empty = true
			return nil
		}
		switch v := meta.Get(metaSchemaVersion); len(v) {
		case 0:
			h.version = 0
		case 4:
			h.version = int(binary.BigEndian.Uint32(v))
		default:
			return &CorruptError{Path: s.path, LastBackup: LastBackup(s.path), Reason: "bad schema version record"}
		}
		h.stateID = string(meta.Get(metaStateID))
		h.keyStore = string(meta.Get(metaKeyStore))
		if v := meta.Get(metaKeyID); len(v) == 4 {
			h.keyID = binary.BigEndian.Uint32(v)
		}
		if h.stateID == "" {
			return &CorruptError{Path: s.path, LastBackup: LastBackup(s.path), Reason: "the state id is missing"}
		}
		return nil
	})
	return h, err
}

// loadKeys fetches the state's key set from the key store. A read-write
// store refuses a key file other users may read (as ssh refuses such a
// private key); a read-only one opens, and CheckKeyFile reports it.
func (s *Store) loadKeys(h header) error {
	if err := s.CheckKeyFile(); err != nil && !s.readOnly {
		return err
	}
	ks, err := s.keys.LoadKeys(s.stateID)
	if err == nil {
		if _, ok := ks.Keys[h.keyID]; ok || h.keyID == 0 {
			s.crypt, err = newSealer(ks)
			return err
		}
		err = fmt.Errorf("%w: the key store has other keys", ErrNoKey)
	}
	if errors.Is(err, ErrNoKey) && !s.readOnly {
		// A state that has never sealed a value loses nothing by getting a new key.
		has, herr := s.hasSealedData()
		if herr != nil {
			return herr
		}
		if !has {
			ks, kerr := NewKeySet()
			if kerr != nil {
				return kerr
			}
			if kerr := s.keys.SaveKeys(s.stateID, ks); kerr != nil {
				return fmt.Errorf("state: saving the new encryption key to %s: %w", s.keys, kerr)
			}
			if kerr := s.putMeta(metaKeyID, u32(ks.Current)); kerr != nil {
				return kerr
			}
			if kerr := s.putMeta(metaKeyStore, []byte(s.keys.String())); kerr != nil {
				return kerr
			}
			s.crypt, err = newSealer(ks)
			return err
		}
	}
	kerr := &KeyError{Path: s.path, KeyID: h.keyID, KeyStore: s.keys.String(), SavedIn: h.keyStore, Err: err}
	if !s.readOnly {
		return kerr
	}
	// Read-only (inspect, backup): the store opens; sealed fields report the error.
	s.crypt = &sealer{missing: kerr}
	return nil
}

// hasSealedData reports whether any bucket that holds sealed values has a record.
func (s *Store) hasSealedData() (bool, error) {
	found := false
	err := s.view(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMappings, bucketLedger, bucketAudit, bucketDecisions, bucketReview} {
			if b := tx.Bucket(name); b != nil && !bucketEmpty(b) {
				found = true
			}
		}
		return nil
	})
	return found, err
}

// bucketEmpty reports whether b (and every nested bucket) has no key/value pair.
func bucketEmpty(b *bolt.Bucket) bool {
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		nb := b.Bucket(k)
		if nb == nil || !bucketEmpty(nb) {
			return false // a value, or a nested bucket with values
		}
	}
	return true
}

func (s *Store) putMeta(key, val []byte) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(key, val)
	})
}

func u32(v uint32) []byte {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return b[:]
}

// newStateKeys makes a state id and a key set and saves the keys first, so a
// state never exists whose key was not stored.
func newStateKeys(keys KeyStore) (string, KeySet, error) {
	var idb [16]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return "", KeySet{}, err
	}
	stateID := hex.EncodeToString(idb[:])
	ks, err := NewKeySet()
	if err != nil {
		return "", KeySet{}, err
	}
	if err := keys.SaveKeys(stateID, ks); err != nil {
		return "", KeySet{}, fmt.Errorf("state: saving the encryption key to %s: %w", keys, err)
	}
	return stateID, ks, nil
}

// initTx creates every bucket of the current schema and the meta records.
func initTx(tx *bolt.Tx, stateID string, keyID uint32, keyStore string, at time.Time) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bucketMeta)
	for k, v := range map[string][]byte{
		string(metaSchemaVersion): u32(SchemaVersion),
		string(metaStateID):       []byte(stateID),
		string(metaKeyID):         u32(keyID),
		string(metaCreatedAt):     []byte(at.Format(time.RFC3339Nano)),
		string(metaKeyStore):      []byte(keyStore),
	} {
		if err := meta.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// create builds a fully initialised state in a temporary file and links it into
// place, so the path holds either nothing or a whole state, and two processes
// creating it at once cannot clobber each other (the loser gets fs.ErrExist).
func create(path string, keys KeyStore, timeout time.Duration) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state: creating %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".new-*")
	if err != nil {
		return fmt.Errorf("state: %w", err)
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpPath)

	db, err := bolt.Open(tmpPath, 0o600, &bolt.Options{Timeout: timeout})
	if err != nil {
		return fmt.Errorf("state: creating %s: %w", path, err)
	}
	stateID, ks, err := newStateKeys(keys)
	if err == nil {
		err = db.Update(func(tx *bolt.Tx) error { return initTx(tx, stateID, ks.Current, keys.String(), time.Now().UTC()) })
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmpPath, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// No hard links on this filesystem: fall back to a rename if the path is still free.
		if _, serr := os.Stat(path); serr == nil {
			return fs.ErrExist
		}
		if rerr := os.Rename(tmpPath, path); rerr != nil {
			return fmt.Errorf("state: creating %s: %w", path, rerr)
		}
	}
	return syncDir(dir)
}

// openBolt opens path with bbolt and its lock, retrying when the file was
// replaced (by Restore or Compact) while this process waited for the lock, so
// it never ends up writing to an unlinked file.
func openBolt(path string, readOnly, noSync bool, timeout time.Duration) (*bolt.DB, *os.File, error) {
	deadline := time.Now().Add(timeout)
	for attempt := 0; ; attempt++ {
		if reason, err := precheck(path); err == nil && reason != "" {
			return nil, nil, &CorruptError{Path: path, Reason: reason, LastBackup: LastBackup(path)}
		}
		var file *os.File
		opts := &bolt.Options{
			Timeout:  max(time.Until(deadline), time.Millisecond),
			ReadOnly: readOnly,
			NoSync:   noSync,
			OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
				f, err := os.OpenFile(name, flag&^os.O_CREATE, perm) // never create here: see create
				if err == nil && file == nil {
					file = f
				}
				return f, err
			},
		}
		var db *bolt.DB
		err := guard(func() error {
			var err error
			db, err = bolt.Open(path, 0o600, opts)
			return err
		}, func(reason string, err error) error {
			if file != nil {
				_ = file.Close() // release the lock a half-opened bbolt still holds
			}
			return &CorruptError{Path: path, Reason: reason, LastBackup: LastBackup(path), Err: err}
		})
		if err != nil {
			return nil, nil, classifyOpenError(path, err)
		}
		cur, serr := os.Stat(path)
		fi, ferr := file.Stat()
		if serr == nil && ferr == nil && os.SameFile(cur, fi) {
			return db, file, nil
		}
		_ = db.Close()
		if attempt >= 4 || time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("state: %s was replaced while opening it; try again", path)
		}
	}
}

// classifyOpenError turns bbolt's open errors into the package's typed errors.
func classifyOpenError(path string, err error) error {
	var ce *CorruptError
	var pe *fs.PathError
	var errno syscall.Errno
	switch {
	case errors.As(err, &ce):
		return err
	case errors.Is(err, berrors.ErrTimeout):
		return &LockedError{Path: path}
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w at %s", ErrNoState, path)
	case errors.As(err, &pe), errors.As(err, &errno):
		return fmt.Errorf("state: opening %s: %w", path, err)
	}
	return &CorruptError{Path: path, Reason: err.Error(), LastBackup: LastBackup(path), Err: err}
}

// closeBounded closes a bbolt handle after a failed open. A panic deep in
// bbolt (a damaged file) can leave one of its internal locks held, and then
// Close would wait forever; give up after a moment instead (the handle, and
// the file lock its mapping holds, then last until the process exits).
func closeBounded(db *bolt.DB) {
	done := make(chan struct{})
	go func() {
		_ = db.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

// tightenMode makes an existing state file private to its owner (a copy may
// have arrived with a wider mode). Best effort.
func tightenMode(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(path, 0o600)
	}
}
