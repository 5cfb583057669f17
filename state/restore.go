package state

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RestoreOptions configures Restore.
type RestoreOptions struct {
	// Timeout is how long to wait for the locks of src and dst; 0 means DefaultTimeout.
	Timeout time.Duration
	// Keys is where dst's encryption keys live; nil means DefaultKeyStore(dst).
	// Restore refuses a backup whose key is not there (it could not be read).
	Keys KeyStore
}

// RestoreResult reports what Restore did.
type RestoreResult struct {
	// Previous is where the state that was replaced was saved
	// ("<dst>.pre-restore.bak"), "" if dst did not exist.
	Previous string
	// SchemaVersion is the restored file's schema version (an older one is
	// migrated on the next Open).
	SchemaVersion int
}

// Restore replaces the state at dst with the backup at src. It verifies src
// fully first (bbolt consistency check, b2h meta, schema, key available) and
// refuses, changing nothing, if src is not usable or if another process is
// using dst (*LockedError). The state it replaces (even a damaged one) is kept
// as "<dst>.pre-restore.bak". The new file is written beside dst, synced and
// renamed into place, so a crash leaves the old state or the new one.
func Restore(src, dst string, opts RestoreOptions) (res RestoreResult, err error) {
	if src, err = filepath.Abs(src); err != nil {
		return res, err
	}
	if dst, err = resolvePath(dst); err != nil {
		return res, err
	}
	if src == dst || isSameFile(src, dst) {
		return res, fmt.Errorf("state: restore: %s is the state file itself", src)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if _, err := os.Stat(src); err != nil {
		return res, &InvalidBackupError{Path: src, Reason: "cannot read it", Err: err}
	}

	sdb, sfile, err := openBolt(src, true, false, timeout)
	if err != nil {
		var le *LockedError
		if errors.As(err, &le) {
			return res, err
		}
		return res, &InvalidBackupError{Path: src, Reason: errReason(err), Err: err}
	}
	defer sdb.Close()
	info, err := verifyDB(sdb, sfile)
	if err != nil {
		return res, &InvalidBackupError{Path: src, Reason: err.Error(), Err: err}
	}
	res.SchemaVersion = info.version

	keys := opts.Keys
	if keys == nil {
		keys = DefaultKeyStore(dst)
	}
	if info.sealed {
		ks, kerr := keys.LoadKeys(info.stateID)
		if kerr == nil {
			if _, ok := ks.Keys[info.keyID]; !ok {
				kerr = ErrNoKey
			}
		}
		if kerr != nil {
			return res, fmt.Errorf("state: restore refused, nothing was changed: %w",
				&KeyError{Path: src, KeyID: info.keyID, KeyStore: keys.String(), Err: kerr})
		}
	}

	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("state: restore: %w", err)
	}
	_, statErr := os.Stat(dst)
	existed := statErr == nil
	var unlock func()
	unlock, err = lockFile(dst, timeout)
	if err != nil {
		return res, err
	}
	defer unlock()
	if !existed {
		// lockFile created an empty placeholder: do not leave it behind on failure.
		defer func() {
			if fi, serr := os.Stat(dst); err != nil && serr == nil && fi.Size() == 0 {
				_ = os.Remove(dst)
			}
		}()
	}

	if existed {
		prev := dst + ".pre-restore.bak"
		if err = copyFileAtomic(dst, prev); err != nil {
			return res, fmt.Errorf("state: restore: saving the current state as %s: %w", prev, err)
		}
		res.Previous = prev
	}

	var tmp *os.File
	tmp, err = os.CreateTemp(dir, filepath.Base(dst)+".restore-*")
	if err != nil {
		return res, fmt.Errorf("state: restore: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	err = tmp.Chmod(0o600)
	if err == nil {
		err = guard(func() error {
			return sdb.View(func(tx *bolt.Tx) error {
				_, err := tx.WriteTo(tmp)
				return err
			})
		}, func(reason string, _ error) error { return errors.New(reason) })
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return res, fmt.Errorf("state: restore to %s: %w", dst, err)
	}
	return res, nil
}

// errReason is a short description of why a file could not be opened.
func errReason(err error) string {
	var ce *CorruptError
	var se *SchemaError
	switch {
	case errors.As(err, &ce):
		return ce.Reason
	case errors.As(err, &se):
		return se.Error()
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, ErrNoState):
		return "it does not exist"
	}
	return err.Error()
}

// copyFileAtomic copies src's bytes to dst (mode 0600) through a synced
// temporary file and a rename.
func copyFileAtomic(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = io.Copy(tmp, in)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err == nil {
		err = syncDir(dir)
	}
	return err
}
