package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/adrg/xdg"
	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the newest state layout this build writes. Older files are
// migrated in order on Open (see migrate.go); newer ones are refused.
const SchemaVersion = 1

// DefaultTimeout is how long Open waits for another process's lock when
// Options.Timeout is zero.
const DefaultTimeout = time.Second

// Bucket names. Nested buckets: mappings/<kind>, ledger/<kind>, audit/<job id>.
var (
	bucketMeta          = []byte("meta")
	bucketJobs          = []byte("jobs")
	bucketMappings      = []byte("mappings")
	bucketMappingsRev   = []byte("mappings_by_hubspot")
	bucketLedger        = []byte("ledger")
	bucketAudit         = []byte("audit")
	bucketFieldMappings = []byte("field_mappings")
	bucketConfig        = []byte("config")
	bucketCursors       = []byte("cursors")
	bucketDecisions     = []byte("decisions")
	bucketReview        = []byte("review")
	bucketAccount       = []byte("account")
)

// allBuckets lists every top-level bucket of the current schema, in the order
// Inspect reports them.
var allBuckets = [][]byte{
	bucketMeta, bucketJobs, bucketMappings, bucketMappingsRev, bucketLedger, bucketAudit,
	bucketFieldMappings, bucketConfig, bucketCursors, bucketDecisions, bucketReview, bucketAccount,
}

// Keys in the meta bucket.
var (
	metaSchemaVersion = []byte("schema_version")
	metaStateID       = []byte("state_id")
	metaKeyID         = []byte("key_id")
	metaCreatedAt     = []byte("created_at")
	metaKeyStore      = []byte("key_store") // where the key was saved, for messages
	metaMigrations    = []byte("migrations")
)

// Kind names a Buildium entity (or the association stream) in mappings, the
// ledger, audit entries, counters and cursors.
type Kind string

// The kinds b2h syncs.
const (
	KindProperties        Kind = "properties"
	KindUnits             Kind = "units"
	KindTenants           Kind = "tenants"
	KindEmergencyContacts Kind = "emergency_contacts"
	KindLeases            Kind = "leases"
	KindAssociations      Kind = "associations"
)

// Kinds lists the kinds in sync order.
var Kinds = []Kind{KindProperties, KindUnits, KindTenants, KindEmergencyContacts, KindLeases, KindAssociations}

// Options configures Open.
type Options struct {
	// Path of the state file; "" means DefaultPath().
	Path string
	// Timeout is how long to wait for another process's lock; 0 means DefaultTimeout.
	// Open never waits forever.
	Timeout time.Duration
	// NoSync skips fsync on commit. Only for tests and benchmarks: a crash may
	// then lose or damage the state.
	NoSync bool
	// Keys holds the encryption keys; nil means DefaultKeyStore(path).
	Keys KeyStore
	// ReadOnly opens with a shared lock and never writes (inspect, report, backup).
	// A missing file is ErrNoState; a missing key makes sealed fields unreadable
	// (their readers return *KeyError) instead of failing Open.
	ReadOnly bool
}

// Store is an open state file. Its methods are safe for concurrent use; writes
// are serialised by bbolt, reads run concurrently with them.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	keys     KeyStore
	stateID  string
	crypt    *sealer

	// rotMu makes RotateKey exclusive with every write that seals values, so no
	// value is sealed with a key that a finishing rotation is about to drop.
	rotMu sync.RWMutex

	// commitHook, when set (tests only), runs between the stages of Commit and
	// can fail it, to prove a batch is all-or-nothing.
	commitHook func(stage string) error

	// The group-commit queue (group.go): batches waiting for the write in
	// progress, and whether one is in progress.
	groupMu      sync.Mutex
	groupQueue   []*commitReq
	groupLeading bool

	// residentCap: see residency.go.
	residentCap int64

	// lastRelease is when (Unix ns) releaseIfDue last dropped the file's
	// resident pages.
	lastRelease atomic.Int64

	// checkOnce runs the full check before the first write; damage is the
	// damage found in the file, after which nothing is written (damage.go).
	checkOnce sync.Once
	damage    atomic.Pointer[CorruptError]

	// clock supplies default timestamps; tests may pin it.
	clock func() time.Time

	closeOnce sync.Once
	closeErr  error
}

// DefaultPath returns $XDG_STATE_HOME/b2h/state.db (on Linux ~/.local/state/b2h/state.db
// when XDG_STATE_HOME is unset; the platform's equivalent elsewhere).
func DefaultPath() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" || !filepath.IsAbs(base) { // the XDG spec ignores relative values
		base = xdg.StateHome
	}
	if base == "" {
		return "", errors.New("state: cannot determine the state directory: set XDG_STATE_HOME or pass --state")
	}
	return filepath.Join(base, "b2h", "state.db"), nil
}

// Path returns the state file's path.
func (s *Store) Path() string { return s.path }

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// StateID returns the random id given to this state when it was created.
func (s *Store) StateID() string { return s.stateID }

// KeyNote returns an informational note about where the encryption key is kept
// when b2h had to fall back from the OS keyring to a key file, "" otherwise.
func (s *Store) KeyNote() string {
	if n, ok := s.keys.(keyNoter); ok {
		return n.Note()
	}
	return ""
}

// KeyLocation says where the encryption key lives ("the OS keyring …", "key file …").
func (s *Store) KeyLocation() string { return s.keys.String() }

// Close releases the file and its lock. It is safe to call more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.db.Close() })
	return s.closeErr
}

// view runs fn in a read transaction, turning a panic or memory fault from a
// damaged file into a *CorruptError instead of crashing. At its end the
// file's resident pages are released when due (residency.go).
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return s.damaged(s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			err := fn(tx)
			s.releaseIfDue(tx)
			return err
		})
	}))
}

// update runs fn in a write transaction (one fsync on commit), with the same
// protection as view, and never on a damaged file: the first write of a Store
// runs the full check first, and known damage refuses every write (damage.go). The pages the transaction read (the paths to the keys
// it wrote, at random places for randomly keyed records) are released
// afterwards when due, in a read transaction of their own: inside a write
// transaction bbolt may remap the file on commit.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	if err := s.writeCheck(); err != nil {
		return err
	}
	err := s.damaged(s.guard(func() error { return s.db.Update(fn) }))
	if s.releaseDue() {
		_ = s.guard(func() error {
			return s.db.View(func(tx *bolt.Tx) error { s.releaseIfDue(tx); return nil })
		})
	}
	return err
}

func (s *Store) guard(fn func() error) error {
	return guard(fn, func(reason string, err error) error {
		return &CorruptError{Path: s.path, Reason: reason, LastBackup: LastBackup(s.path), Err: err}
	})
}

// guard runs fn with memory faults turned into panics (a truncated mmap raises
// SIGBUS) and every panic turned into the error built by onPanic.
func guard(fn func() error, onPanic func(reason string, err error) error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			err = onPanic(fmt.Sprintf("reading it failed: %v", r), fmt.Errorf("panic: %v", r))
		}
	}()
	return fn()
}

// bucket returns a top-level bucket or an error naming it (a read-only store on
// an older schema may lack buckets the current schema has).
func bucket(tx *bolt.Tx, name []byte) (*bolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("state: bucket %q is missing (schema migration pending?)", name)
	}
	return b, nil
}

// validKey checks an id used as (part of) a bbolt key.
func validKey(what, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("state: empty %s", what)
	case len(v) > 512:
		return fmt.Errorf("state: %s is %d bytes (max 512)", what, len(v))
	}
	for i := 0; i < len(v); i++ {
		if v[i] == 0 {
			return fmt.Errorf("state: %s %q contains a NUL byte", what, v)
		}
	}
	return nil
}

// now returns the store's current time in UTC.
func (s *Store) now() time.Time {
	if s.clock != nil {
		return s.clock().UTC()
	}
	return time.Now().UTC()
}
