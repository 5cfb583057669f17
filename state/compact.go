package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CompactOptions configures Compact.
type CompactOptions struct {
	// Timeout is how long to wait for the state's lock; 0 means DefaultTimeout.
	Timeout time.Duration
}

// CompactResult reports the file size before and after compaction.
type CompactResult struct {
	Before, After int64
}

// compactTxSize bounds the size of each transaction of bbolt.Compact.
const compactTxSize = 64 << 20

// Compact rewrites the state file at path without its free pages (bbolt never
// shrinks a file; pruning and deletions leave free space behind). It takes the
// state's lock (a *LockedError if another b2h is using it), checks the file,
// copies every bucket into a new file beside it, verifies the copy holds the
// same number of keys, and renames it into place.
func Compact(path string, opts CompactOptions) (CompactResult, error) {
	var res CompactResult
	path, err := resolvePath(path)
	if err != nil {
		return res, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	src, file, err := openBolt(path, false, false, timeout)
	if err != nil {
		return res, err
	}
	defer src.Close()
	if _, err := verifyDB(src, file); err != nil {
		return res, &CorruptError{Path: path, Reason: err.Error(), LastBackup: LastBackup(path), Err: err}
	}
	st, err := file.Stat()
	if err != nil {
		return res, err
	}
	res.Before = st.Size()

	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".compact-*")
	if err != nil {
		return res, fmt.Errorf("state: compact: %w", err)
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpPath) // no-op after the rename

	if err := compactInto(src, tmpPath); err != nil {
		return res, fmt.Errorf("state: compact %s: %w", path, err)
	}
	if _, err := verifyFile(tmpPath, timeout); err != nil {
		return res, fmt.Errorf("state: compact %s: the compacted copy does not verify: %w", path, err)
	}
	if err := sameKeyCounts(src, tmpPath); err != nil {
		return res, fmt.Errorf("state: compact %s: %w", path, err)
	}
	if err := os.Rename(tmpPath, path); err != nil {
		return res, fmt.Errorf("state: compact: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return res, fmt.Errorf("state: compact: %w", err)
	}
	if fi, err := os.Stat(path); err == nil {
		res.After = fi.Size()
	}
	return res, nil
}

// compactInto copies src into a new bbolt file at dst and syncs it once.
func compactInto(src *bolt.DB, dst string) error {
	ddb, err := bolt.Open(dst, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return err
	}
	err = guard(func() error { return bolt.Compact(ddb, src, compactTxSize) },
		func(reason string, _ error) error { return errors.New(reason) })
	var used int64
	if err == nil {
		err = ddb.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
	}
	if err == nil {
		err = ddb.Sync()
	}
	if cerr := ddb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// bbolt grows files ahead of use; the copy needs only its high-water mark
	// (bbolt grows it again before writing past it).
	f, err := os.OpenFile(dst, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Truncate(used)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sameKeyCounts compares the number of keys and buckets of two files.
func sameKeyCounts(src *bolt.DB, dstPath string) error {
	dst, _, err := openBolt(dstPath, true, false, time.Second)
	if err != nil {
		return err
	}
	defer dst.Close()
	a, err := countAll(src)
	if err != nil {
		return err
	}
	b, err := countAll(dst)
	if err != nil {
		return err
	}
	if a != b {
		return fmt.Errorf("the compacted copy has %d keys in %d buckets, the original %d in %d",
			b[0], b[1], a[0], a[1])
	}
	return nil
}

// countAll returns the total number of keys and of buckets in a file.
func countAll(db *bolt.DB) ([2]int, error) {
	var n [2]int
	err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			st := b.Stats()
			n[0] += st.KeyN
			n[1] += st.BucketN
			return nil
		})
	})
	return n, err
}
