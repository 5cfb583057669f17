package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// lastBackupSuffix names the small sidecar file beside the state that records
// the newest backup's path, so a damaged state can still point at it.
const lastBackupSuffix = ".last-backup"

// Backup writes a consistent copy of the live state to path (bbolt's
// Tx.WriteTo inside a read transaction, so syncs may keep running), verifies
// the copy, then moves it into place atomically with mode 0600 and records it
// as the last backup. Sealed values stay encrypted: the copy is usable only
// where the state's key is (see KeyStore).
func (s *Store) Backup(path string) error {
	dst, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("state: backup: %w", err)
	}
	if dst == s.path || isSameFile(dst, s.path) {
		return fmt.Errorf("state: backup: %s is the state file itself", dst)
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("state: backup: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("state: backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	err = tmp.Chmod(0o600)
	if err == nil {
		err = s.view(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(tmp)
			return err
		})
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("state: backup to %s: %w", dst, err)
	}
	if _, err := verifyFile(tmp.Name(), DefaultTimeout); err != nil {
		if verr := s.Verify(); verr != nil {
			return verr // the state itself is damaged: the one message, naming the last good backup
		}
		return fmt.Errorf("state: backup to %s: the copy does not verify: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("state: backup: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("state: backup: %w", err)
	}
	if err := writeFileAtomic(s.path+lastBackupSuffix, []byte(dst+"\n")); err != nil {
		return fmt.Errorf("state: backup written to %s, but recording it failed: %w", dst, err)
	}
	return nil
}

// LastBackup returns the newest known backup of the state at statePath: the one
// recorded by the last Backup if it still exists, else the newest
// "<statePath>.*.bak" (made before migrations and restores); "" if none.
func LastBackup(statePath string) string {
	if raw, err := os.ReadFile(statePath + lastBackupSuffix); err == nil {
		p := strings.TrimSpace(string(raw))
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	matches, _ := filepath.Glob(globEscape(statePath) + ".*.bak")
	type cand struct {
		path string
		mod  time.Time
	}
	var cs []cand
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			cs = append(cs, cand{m, fi.ModTime()})
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].mod.After(cs[j].mod) })
	return cs[0].path
}

// globEscape escapes glob metacharacters in a literal path.
func globEscape(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`)
	if filepath.Separator == '\\' {
		r = strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`)
	}
	return r.Replace(p)
}

func isSameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// fileInfo is what verifyFile learns about a state file.
type fileInfo struct {
	version int
	stateID string
	keyID   uint32
	sealed  bool // holds sealed values
}

// verifyFile opens a state file read-only and checks it thoroughly (see verifyDB).
func verifyFile(path string, timeout time.Duration) (fileInfo, error) {
	db, file, err := openBolt(path, true, false, timeout)
	if err != nil {
		return fileInfo{}, err
	}
	defer db.Close()
	return verifyDB(db, file)
}

// verifyDB checks an open state file thoroughly: whole (not truncated), bbolt's
// consistency check, a b2h meta bucket with a schema this build can read.
// Errors are plain descriptions (callers type them).
func verifyDB(db *bolt.DB, file *os.File) (fileInfo, error) {
	var fi fileInfo
	err := guard(func() error {
		return db.View(func(tx *bolt.Tx) error {
			st, err := file.Stat()
			if err != nil {
				return err
			}
			if st.Size() < tx.Size() {
				return fmt.Errorf("truncated: %d bytes of %d", st.Size(), tx.Size())
			}
			if err := checkTx(tx); err != nil {
				return err
			}
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				return errors.New("not a b2h state file (no meta bucket)")
			}
			v, ok := schemaVersionOf(tx)
			if !ok {
				return errors.New("bad schema version record")
			}
			if v > SchemaVersion {
				return fmt.Errorf("schema version %d is newer than this b2h (%d)", v, SchemaVersion)
			}
			fi.version = v
			fi.stateID = string(meta.Get(metaStateID))
			if k := meta.Get(metaKeyID); len(k) == 4 {
				fi.keyID = binary.BigEndian.Uint32(k)
			}
			if fi.stateID == "" {
				return errors.New("the state id is missing")
			}
			for _, name := range [][]byte{bucketMappings, bucketLedger, bucketAudit, bucketDecisions, bucketReview} {
				if b := tx.Bucket(name); b != nil && !bucketEmpty(b) {
					fi.sealed = true
				}
			}
			return nil
		})
	}, func(reason string, err error) error { return errors.New(reason) })
	return fi, err
}

// checkTx runs bbolt's full consistency check, after reading every key and
// value and decoding every high-volume record, and reports the first problems.
func checkTx(tx *bolt.Tx) error {
	// Touch every key and value first, in this goroutine, where a wild page
	// reference becomes a recoverable panic (see guard); tx.Check runs in a
	// goroutine of its own, where a memory fault would end the process.
	if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) }); err != nil {
		return err
	}
	if err := checkRecords(tx); err != nil {
		return err
	}
	var errs []string
	for err := range tx.Check() {
		if len(errs) < 5 {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("consistency check failed: %s", strings.Join(errs, "; "))
	}
	return nil
}

// walkBucket reads every key and value of b and its nested buckets.
func walkBucket(b *bolt.Bucket) error {
	n := 0
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return walkBucket(nb)
			}
		}
		for _, c := range k {
			n += int(c)
		}
		for _, c := range v {
			n += int(c)
		}
		return nil
	})
}

// Verify runs bbolt's full consistency check over the whole file (slower than
// the checks Open does; for `b2h doctor` and `b2h state inspect`; a Store
// opened read-write runs it by itself before its first write). A problem is
// a *CorruptError, and the Store writes nothing after it.
func (s *Store) Verify() error {
	err := s.view(func(tx *bolt.Tx) error { return checkTx(tx) })
	if err == nil {
		return nil
	}
	ce := s.asDamage(err, true)
	s.noteDamage(ce)
	return ce
}
