package state

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// populatedState writes a state with enough data to span many pages, backs it
// up, closes it and returns its path, keys and the backup path.
func populatedState(t *testing.T) (string, *MemoryKeyStore, string) {
	t.Helper()
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	b := fullBatch(job, 300)
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "good.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s.Path(), keys, backup
}

func TestDamagedFilesGiveCorruptErrorNamingTheBackup(t *testing.T) {
	path, keys, backup := populatedState(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(1, 2))
	randomBytes := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	cases := map[string][]byte{
		"truncated to half":         good[:len(good)/2],
		"truncated after the metas": good[:2*page+100],
		"truncated to 100 bytes":    good[:100],
		"empty":                     {},
		"random bytes, same size":   randomBytes(len(good)),
		"random bytes, small":       randomBytes(3 * page),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(Options{Path: path, Keys: keys, Timeout: 200e6})
			if err == nil {
				s.Close()
				t.Fatal("Open of a damaged file succeeded")
			}
			var ce *CorruptError
			if !errors.As(err, &ce) {
				t.Fatalf("Open = %T %v, want *CorruptError", err, err)
			}
			if ce.Path != path || ce.LastBackup != backup {
				t.Errorf("CorruptError{Path: %s, LastBackup: %s}, want %s and %s", ce.Path, ce.LastBackup, path, backup)
			}
			msg := err.Error()
			for _, want := range []string{"state file " + path + " is damaged", "b2h state restore " + backup} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			// The failed Open released the file: restoring the backup over it works.
			res, err := Restore(backup, path, RestoreOptions{Keys: keys, Timeout: 200e6})
			if err != nil {
				t.Fatalf("Restore over the damaged file: %v", err)
			}
			if res.Previous != path+".pre-restore.bak" {
				t.Errorf("damaged file kept as %q", res.Previous)
			}
			s, err = Open(Options{Path: path, Keys: keys})
			if err != nil {
				t.Fatalf("Open after restore: %v", err)
			}
			defer s.Close()
			if n, _ := s.CountMappings(KindTenants); n != 300 {
				t.Errorf("restored mappings = %d, want 300", n)
			}
		})
	}
}

// usedPages returns the ids of the leaf and branch pages in use in a file.
func usedPages(t *testing.T, path string) []int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []int
	_ = db.Update(func(tx *bolt.Tx) error { // Page needs the freelist: a write tx has it
		for id := 2; ; id++ {
			info, err := tx.Page(id)
			if err != nil || info == nil {
				return err
			}
			if info.Type == "leaf" || info.Type == "branch" {
				ids = append(ids, id)
			}
			id += info.OverflowCount
		}
	})
	if len(ids) < 4 {
		t.Fatalf("only %d pages in use", len(ids))
	}
	return ids
}

func TestDamagedPagesInUseAreReportedNeverPanic(t *testing.T) {
	path, keys, backup := populatedState(t)
	good, _ := os.ReadFile(path)
	used := usedPages(t, path)
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(3, 4))
	for seed := 0; seed < 8; seed++ {
		bad := append([]byte(nil), good...)
		p := used[rng.IntN(len(used))]
		for j := p * page; j < (p+1)*page; j++ {
			bad[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Options{Path: path, Keys: keys, ReadOnly: seed%2 == 0, Timeout: 200e6})
		var ce *CorruptError
		if err != nil {
			if !errors.As(err, &ce) {
				t.Errorf("seed %d (page %d): Open = %v, want *CorruptError", seed, p, err)
			}
			continue
		}
		// Whatever reads fail, they fail with errors; Verify names the damage.
		_ = s.ForEachMapping(KindTenants, func(Mapping) error { return nil })
		_, _ = s.OpenLedger("")
		_, _ = s.Inspect(context.Background())
		if err := s.Verify(); !errors.As(err, &ce) || ce.LastBackup != backup {
			t.Errorf("seed %d (page %d): Verify = %v, want *CorruptError with the backup", seed, p, err)
		}
		s.Close()
	}
}

func TestCorruptErrorWithoutBackup(t *testing.T) {
	s, keys := testStore(t)
	s.Close()
	if err := os.Truncate(s.Path(), 100); err != nil {
		t.Fatal(err)
	}
	_, err := Open(Options{Path: s.Path(), Keys: keys})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.LastBackup != "" || !strings.Contains(err.Error(), "no backup of it is known") {
		t.Errorf("Open = %v, want *CorruptError without a backup", err)
	}
}
