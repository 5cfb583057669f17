package state

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// engineStore is the surface the sync engine is written against (DESIGN §3–4);
// the assertion below keeps Store satisfying it.
type engineStore interface {
	CreateJob(*Job) error
	UpdateJob(string, func(*Job) error) error
	Job(string) (Job, error)
	Jobs(int) ([]Job, error)
	LastJob(string) (Job, error)
	Mapping(Kind, string) (Mapping, error)
	MappingsByKey(Kind, []string) (map[string]Mapping, error)
	MappingByHubSpot(string, string) (Mapping, error)
	ForEachMapping(Kind, func(Mapping) error) error
	CountMappings(Kind) (int, error)
	Ledger(Kind, string) (LedgerEntry, error)
	OpenLedger(Kind) ([]LedgerEntry, error)
	Audit(string, func(AuditEntry) error) error
	Cursor(Kind) (Cursor, error)
	SetCursor(Cursor) error
	PutDecision(Decision) error
	Decision(string) (Decision, error)
	Decisions() ([]Decision, error)
	DeleteDecision(string) error
	PutReviewItem(ReviewItem) error
	ReviewItems(string) ([]ReviewItem, error)
	ReviewItem(string) (ReviewItem, error)
	DeleteReviewItem(string) error
	Account() (Account, error)
	PutAccount(Account) error
	Config(string, any) error
	SetConfig(string, any) error
	FieldMappings() ([]byte, error)
	SetFieldMappings([]byte) error
	Commit(Batch) error
	KeyNote() string
	Close() error
}

var _ engineStore = (*Store)(nil)

func TestOpenCreatesPrivateFileWithEveryBucket(t *testing.T) {
	s, keys := testStore(t)
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("state file mode = %o, want 600", got)
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				t.Errorf("bucket %s missing", name)
			}
		}
		if v, ok := schemaVersionOf(tx); !ok || v != SchemaVersion {
			t.Errorf("schema version = %d (%v), want %d", v, ok, SchemaVersion)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.StateID() == "" {
		t.Error("no state id")
	}
	ks, err := keys.LoadKeys(s.StateID())
	if err != nil || len(ks.Keys[ks.Current]) != KeySize {
		t.Errorf("key not stored: %v %+v", err, ks)
	}
	// No temporary files are left behind by the atomic creation.
	ents, _ := os.ReadDir(filepath.Dir(s.Path()))
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only state.db", names)
	}
}

func TestDefaultPathFollowsXDGStateHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	p, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "b2h", "state.db"); p != want {
		t.Fatalf("DefaultPath = %s, want %s", p, want)
	}
	s, err := Open(Options{Keys: NewMemoryKeyStore(), NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != p {
		t.Errorf("Open with no path used %s, want %s", s.Path(), p)
	}
	if fi, err := os.Stat(filepath.Dir(p)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state dir: %v mode %v, want 0700", err, fi.Mode().Perm())
	}
}

func TestSecondOpenFailsWithLockedErrorWithinTimeout(t *testing.T) {
	s, keys := testStore(t)
	for _, ro := range []bool{false, true} {
		_, err := Open(Options{Path: s.Path(), Keys: keys, Timeout: 100 * time.Millisecond, ReadOnly: ro})
		var le *LockedError
		if !errors.As(err, &le) {
			t.Fatalf("readOnly=%v: second Open error = %v, want *LockedError", ro, err)
		}
		if le.Path != s.Path() || !strings.Contains(err.Error(), "another b2h is using "+s.Path()) {
			t.Errorf("message %q does not name the file", err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(Options{Path: s.Path(), Keys: keys, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	s2.Close()
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	if _, err := Open(Options{Path: path, ReadOnly: true, Keys: NewMemoryKeyStore()}); !errors.Is(err, ErrNoState) {
		t.Fatalf("read-only Open of a missing file = %v, want ErrNoState", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("read-only Open created the file")
	}
	keys := NewMemoryKeyStore()
	s, err := Open(Options{Path: path, Keys: keys, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	job := mustJob(t, s, ModeFull)
	if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(1)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Two readers at once share the lock.
	r1, err := Open(Options{Path: path, ReadOnly: true, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(Options{Path: path, ReadOnly: true, Keys: keys, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	if m, err := r2.Mapping(KindTenants, "100001"); err != nil || m.Snapshot["email"] != "jane.doe.1@example.com" {
		t.Errorf("read-only Mapping = %+v, %v", m, err)
	}
	writes := map[string]error{
		"Commit":     r1.Commit(Batch{}),
		"CreateJob":  r1.CreateJob(&Job{Mode: ModeFull}),
		"PutAccount": r1.PutAccount(Account{}),
		"RotateKey":  r1.RotateKey(),
	}
	for name, err := range writes {
		if !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only store = %v, want ErrReadOnly", name, err)
		}
	}
}

func TestOpenTightensFileMode(t *testing.T) {
	s, keys := testStore(t)
	s.Close()
	if err := os.Chmod(s.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	s2 := reopen(t, s, keys)
	if fi, _ := os.Stat(s2.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after reopen = %o, want 600", fi.Mode().Perm())
	}
}

func TestOpenRefusesForeignAndNewerFiles(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "other.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("sessions")); return err })
	db.Close()
	_, err = Open(Options{Path: foreign, Keys: NewMemoryKeyStore()})
	var se *SchemaError
	if !errors.As(err, &se) || se.Version != -1 || !strings.Contains(err.Error(), "not a b2h state file") {
		t.Errorf("foreign bbolt file: %v, want *SchemaError not-a-state", err)
	}

	s, keys := testStore(t)
	if err := s.putMeta(metaSchemaVersion, u32(SchemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(Options{Path: s.Path(), Keys: keys})
	if !errors.As(err, &se) || se.Version != SchemaVersion+1 || !strings.Contains(err.Error(), "upgrade b2h") {
		t.Errorf("newer schema: %v, want *SchemaError", err)
	}
}

func TestMissingKey(t *testing.T) {
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(7)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	other := NewMemoryKeyStore()
	_, err := Open(Options{Path: s.Path(), Keys: other})
	var ke *KeyError
	if !errors.As(err, &ke) || ke.KeyStore != other.String() || ke.SavedIn != keys.String() {
		t.Fatalf("Open without the key = %#v, want *KeyError naming both key stores", err)
	}
	fileKeys := NewFileKeyStore(filepath.Join(t.TempDir(), "k"))
	_, err = Open(Options{Path: s.Path(), Keys: fileKeys})
	if !errors.As(err, &ke) || !strings.Contains(err.Error(), "was saved in memory key store, but b2h is using key file") {
		t.Errorf("KeyError message = %v", err)
	}
	// Read-only still opens: counts work, sealed fields report the KeyError.
	ro, err := Open(Options{Path: s.Path(), Keys: other, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open without the key: %v", err)
	}
	defer ro.Close()
	if n, err := ro.CountMappings(KindTenants); err != nil || n != 1 {
		t.Errorf("CountMappings = %d, %v", n, err)
	}
	if _, err := ro.Mapping(KindTenants, "100007"); !errors.As(err, &ke) {
		t.Errorf("Mapping without the key = %v, want *KeyError", err)
	}
	ro.Close()

	// The right key still works.
	s2 := reopen(t, s, keys)
	if _, err := s2.Mapping(KindTenants, "100007"); err != nil {
		t.Error(err)
	}
}

func TestMissingKeyWithoutSealedDataGetsNewKey(t *testing.T) {
	s, _ := testStore(t)
	mustJob(t, s, ModeFull) // jobs hold no sealed values
	s.Close()
	other := NewMemoryKeyStore()
	s2, err := Open(Options{Path: s.Path(), Keys: other, NoSync: true})
	if err != nil {
		t.Fatalf("Open of a state without sealed data and no key: %v", err)
	}
	defer s2.Close()
	if _, err := other.LoadKeys(s2.StateID()); err != nil {
		t.Errorf("no new key saved: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	s, _ := testStore(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// TestLockedAcrossProcesses runs a second OS process that holds the state
// open, as a running `b2h sync` would, and checks this process gets a
// *LockedError within its timeout instead of hanging.
func TestLockedAcrossProcesses(t *testing.T) {
	if os.Getenv("B2H_STATE_HOLDER") != "" {
		return // the helper side runs in TestMain's holdState
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	keys := NewFileKeyStore(filepath.Join(dir, "keys"))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "B2H_STATE_HOLDER="+path, "B2H_STATE_KEYS="+keys.Path())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper said %q, %v", line, err)
	}

	_, err = Open(Options{Path: path, Keys: keys, Timeout: 300 * time.Millisecond})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("Open while another process holds the state = %v, want *LockedError", err)
	}
	if _, err := Restore(path, filepath.Join(dir, "copy.db"), RestoreOptions{Keys: keys, Timeout: 300 * time.Millisecond}); !errors.As(err, &le) {
		t.Errorf("Restore from a state held by another process = %v, want *LockedError", err)
	}

	_ = stdin.Close() // the helper closes the store and exits
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	s, err := Open(Options{Path: path, Keys: keys, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatalf("Open after the other process exited: %v", err)
	}
	s.Close()
}

// holdState is the helper process of TestLockedAcrossProcesses: it opens the
// state, says "ready", and keeps it open until its stdin closes.
func holdState() int {
	s, err := Open(Options{Path: os.Getenv("B2H_STATE_HOLDER"), Keys: NewFileKeyStore(os.Getenv("B2H_STATE_KEYS")), NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		return 1
	}
	return 0
}
