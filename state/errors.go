package state

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// ErrNotFound is returned (possibly wrapped) by accessors when the record asked for
// does not exist. Match it with errors.Is.
var ErrNotFound = errors.New("state: not found")

// ErrNoState is returned by Open in read-only mode when there is no state file at
// the path yet (nothing has been synced).
var ErrNoState = errors.New("state: no state file yet")

// ErrNoKey is returned by a KeyStore when it holds no encryption key for a state.
var ErrNoKey = errors.New("state: no encryption key stored")

// ErrReadOnly is returned by write methods of a Store opened with Options.ReadOnly.
var ErrReadOnly = errors.New("state: opened read-only")

// LockedError reports that another process holds the state file. Open waits up to
// Options.Timeout for the lock and then returns this error; it never hangs.
type LockedError struct {
	Path string // the state file
}

// Error implements error.
func (e *LockedError) Error() string {
	return fmt.Sprintf("another b2h is using %s: wait for it to finish or stop it", e.Path)
}

// CorruptError reports a state file that is damaged: truncated, overwritten,
// failing bbolt's consistency checks, or holding a record that cannot be
// decoded. It is the one error for a damaged state, everywhere (Open, reads,
// writes, Verify, doctor), and its message says what to do. It never comes
// with a panic. Match it with errors.As or IsDamaged.
type CorruptError struct {
	Path       string // the damaged file
	Reason     string // what was found, in a few words (printable, bounded)
	LastBackup string // the newest known backup of this state, "" if none is known
	Err        error  // the underlying error, if any
}

// Error implements error.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("state file %s is damaged (%s): %s", e.Path, e.Reason, e.Fix())
}

// Fix says how to recover: restore the last backup, or move the file aside
// and rebuild the state with a full sync.
func (e *CorruptError) Fix() string {
	p, flag := shellWord(e.Path), ""
	if def, err := DefaultPath(); err != nil || !samePath(def, e.Path) {
		flag = " --state " + p // the commands must name this file, not the default one
	}
	aside := fmt.Sprintf("move it aside (`mv %s %s`) and run a full sync (`b2h sync --full%s`) to rebuild it", p, shellWord(e.Path+".damaged"), flag)
	if e.LastBackup != "" {
		return fmt.Sprintf("restore it with `b2h state restore %s%s` or %s", shellWord(e.LastBackup), flag, aside)
	}
	return "no backup of it is known; " + aside + " (upserts on the Buildium id keys create no duplicates, " +
		"but stored snapshots, decisions and the retry ledger are lost)"
}

// Unwrap returns the underlying error.
func (e *CorruptError) Unwrap() error { return e.Err }

// shellWord quotes s for a POSIX shell when it holds anything but the usual
// path characters, so a command in a message can be pasted as it is.
func shellWord(s string) string {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+:@%,=", c)) {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}

// samePath reports whether two state paths name the same file (after
// following links).
func samePath(a, b string) bool {
	ra, err1 := resolvePath(a)
	rb, err2 := resolvePath(b)
	return err1 == nil && err2 == nil && ra == rb
}

// IsDamaged reports whether err says a state file is damaged (a *CorruptError
// anywhere in its chain).
func IsDamaged(err error) bool {
	var ce *CorruptError
	return errors.As(err, &ce)
}

// recordError marks a stored record (or key) that cannot be decoded: the
// Store turns it into a *CorruptError before it leaves the package.
type recordError struct{ err error }

func (e *recordError) Error() string { return e.err.Error() }
func (e *recordError) Unwrap() error { return e.err }

// badRecord wraps err as a recordError (nil stays nil).
func badRecord(err error) error {
	if err == nil {
		return nil
	}
	var re *recordError
	if errors.As(err, &re) {
		return err
	}
	return &recordError{err: err}
}

// SchemaError reports a state file whose schema this build cannot use: written by a
// newer b2h, or not a b2h state file at all (Version < 0).
type SchemaError struct {
	Path      string
	Version   int // the file's schema version; -1 when the file is not a b2h state
	Supported int // the newest schema version this build knows
}

// Error implements error.
func (e *SchemaError) Error() string {
	if e.Version < 0 {
		return fmt.Sprintf("%s is a bbolt file but not a b2h state file: check the --state path", e.Path)
	}
	return fmt.Sprintf("state file %s has schema version %d but this b2h knows only up to %d: "+
		"upgrade b2h (an older b2h must not write to it)", e.Path, e.Version, e.Supported)
}

// KeyError reports that the encryption key a state file needs is not available,
// so its snapshots, ledger details, audit values and decisions cannot be read.
type KeyError struct {
	Path     string // the state file
	KeyID    uint32 // the key the data was written with (0 if unknown)
	KeyStore string // where the key was looked for
	SavedIn  string // where the key was saved when the state got it ("" if unknown)
	Err      error  // the key store's error, if any
}

// Error implements error.
func (e *KeyError) Error() string {
	msg := fmt.Sprintf("the encryption key %08x for state %s is not available from %s", e.KeyID, e.Path, e.KeyStore)
	if e.SavedIn != "" && e.SavedIn != e.KeyStore {
		msg = fmt.Sprintf("the encryption key %08x for state %s was saved in %s, but b2h is using %s now "+
			"(is the keyring reachable from this session?)", e.KeyID, e.Path, e.SavedIn, e.KeyStore)
	}
	if e.Err != nil && !errors.Is(e.Err, ErrNoKey) {
		msg += fmt.Sprintf(" (%v)", e.Err)
	}
	return msg + ": run b2h where that key is reachable (the OS keyring of the machine that wrote the " +
		"state, or its key file beside the state file); without the key, move the state aside and run " +
		"a full sync to rebuild it"
}

// Unwrap returns the key store's error.
func (e *KeyError) Unwrap() error { return e.Err }

// KeyFileModeError reports a key file that users other than its owner may
// read or write: anyone who can read it can decrypt the state's PII.
type KeyFileModeError struct {
	Path string      // the key file
	Mode fs.FileMode // its permission bits
}

// Error implements error.
func (e *KeyFileModeError) Error() string {
	return fmt.Sprintf("the key file %s can be read by other users (mode %04o), so they can decrypt the PII "+
		"in the state: make it private with `chmod 600 %s` (b2h does not write with such a key)", e.Path, e.Mode, shellWord(e.Path))
}

// Fix is the command that makes the key file private.
func (e *KeyFileModeError) Fix() string { return "chmod 600 " + shellWord(e.Path) }

// InvalidBackupError reports that a file given to Restore is not a usable b2h
// state: it is damaged, not a state file, or from a newer schema.
type InvalidBackupError struct {
	Path   string
	Reason string
	Err    error
}

// Error implements error.
func (e *InvalidBackupError) Error() string {
	return fmt.Sprintf("%s is not a usable b2h state backup (%s): nothing was restored", e.Path, e.Reason)
}

// Unwrap returns the underlying error.
func (e *InvalidBackupError) Unwrap() error { return e.Err }
