package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

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

// wantDamaged checks that err is the one damaged-state error for path: a
// *CorruptError whose message names the file, says "is damaged", gives the
// fix, and is printable.
func wantDamaged(t *testing.T, what string, err error, path string) *CorruptError {
	t.Helper()
	var ce *CorruptError
	if !errors.As(err, &ce) || !IsDamaged(err) {
		t.Errorf("%s = %T %v, want *CorruptError", what, err, err)
		return nil
	}
	msg := err.Error()
	if ce.Path != path || !strings.HasPrefix(msg, "state file "+path+" is damaged (") ||
		!strings.HasSuffix(msg, "): "+ce.Fix()) || !strings.Contains(msg, "mv "+path+" "+path+".damaged") {
		t.Errorf("%s: message %q is not the damaged-state message for %s", what, msg, path)
	}
	if !utf8.ValidString(msg) || strings.ContainsRune(msg, utf8.RuneError) || len(ce.Reason) > 250 {
		t.Errorf("%s: message is not printable and bounded: %q", what, msg)
	}
	for _, r := range msg {
		if !unicode.IsPrint(r) {
			t.Errorf("%s: message holds %U: %q", what, r, msg)
			break
		}
	}
	return ce
}

// syncStyleWrites does what a sync's first steps write: a job, then a batch.
func syncStyleWrites(s *Store) []error {
	j := Job{Mode: ModeIncremental}
	err := s.CreateJob(&j)
	errs := []error{err}
	if err == nil {
		errs = append(errs, s.Commit(benchBatch(j.ID, 5000)))
	}
	return errs
}

func TestByteFlipsNeverGetACommitIntoADamagedState(t *testing.T) {
	path, keys, _ := populatedState(t)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(21, 64))
	check := filepath.Join(t.TempDir(), "check.db")
	damagedN, refusedAtOpen := 0, 0
	for i := 0; i < 96; i++ {
		off := 2*page + rng.IntN(len(good)-2*page-64)
		if i%8 == 0 { // some in the meta pages too
			off = rng.IntN(2*page - 64)
		}
		bad := append([]byte(nil), good...)
		for j := off; j < off+64; j++ {
			bad[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(check, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		_, verr := verifyFile(check, time.Second)
		damaged := verr != nil
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("64 bytes at %d (page %d)", off, off/page)
		s, err := Open(Options{Path: path, Keys: keys, Timeout: 200e6, NoSync: true})
		var errs []error
		if err != nil {
			errs = []error{err}
			if damaged {
				refusedAtOpen++
			}
		} else {
			errs = syncStyleWrites(s)
			_ = s.Close()
		}
		after, _ := os.ReadFile(path)
		if damaged {
			damagedN++
			if !bytes.Equal(after, bad) {
				t.Errorf("%s: the full check calls it damaged (%v), yet the file was written", name, verr)
			}
			wantDamaged(t, name, errs[len(errs)-1], path)
			continue
		}
		for _, e := range errs {
			if e != nil && !utf8.ValidString(e.Error()) {
				t.Errorf("%s: unprintable error %q", name, e)
			}
			var re *recordError
			if errors.As(e, &re) && !IsDamaged(e) {
				t.Errorf("%s: a decode error leaves the package raw: %v", name, e)
			}
		}
	}
	t.Logf("%d of 96 corruptions damaged by the full check, %d of them refused at Open", damagedN, refusedAtOpen)
	if damagedN < 10 || refusedAtOpen == damagedN {
		t.Fatalf("the corpus has %d damaged files, %d refused by Open: it does not exercise the write check", damagedN, refusedAtOpen)
	}
}

// putRaw writes key → val into mappings/tenants with bbolt directly.
func putRaw(t *testing.T, path string, key, val []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMappings).Bucket([]byte(KindTenants)).Put(key, val)
	}); err != nil {
		t.Fatal(err)
	}
}

func TestUndecodableRecordIsDamageAndStopsWrites(t *testing.T) {
	bad := encoder{}
	bad.byte1(mappingFormat)
	bad.str("0-1")
	bad.str("42")
	bad.byte1(7) // no such string tag
	garbageKey := []byte("\xff\xfe\x01\x02\x80garbage\x1b[31m" + strings.Repeat("\xc3", 40))
	for name, key := range map[string][]byte{"tenant 100007": []byte("100007"), "a garbage key": garbageKey} {
		t.Run(name, func(t *testing.T) {
			path, keys, backup := populatedState(t)
			putRaw(t, path, key, bad.b)
			before, _ := os.ReadFile(path)

			s, err := Open(Options{Path: path, Keys: keys, NoSync: true})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			var rerr error
			if string(key) == "100007" {
				_, rerr = s.Mapping(KindTenants, "100007")
			} else {
				rerr = s.ForEachMapping(KindTenants, func(Mapping) error { return nil })
			}
			if ce := wantDamaged(t, "reading the record", rerr, path); ce != nil {
				if !strings.Contains(ce.Reason, "bad string tag") || ce.LastBackup != backup {
					t.Errorf("reason %q, backup %q: want the codec cause and %s", ce.Reason, ce.LastBackup, backup)
				}
			}
			errs := syncStyleWrites(s)
			wantDamaged(t, "a write after it", errs[len(errs)-1], path)
			if errs[len(errs)-1] != nil && rerr != nil && errs[len(errs)-1].Error() != rerr.Error() {
				t.Errorf("two messages for one damage:\n%v\n%v", rerr, errs[len(errs)-1])
			}
			s.Close()
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("the damaged state was written")
			}
		})
	}
}

func TestBackupOfADamagedStateSaysSoAndKeepsTheLastGoodOne(t *testing.T) {
	path, keys, backup := populatedState(t)
	good, _ := os.ReadFile(path)
	used := usedPages(t, path)
	page := os.Getpagesize()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, p := range used {
		bad := append([]byte(nil), good...)
		off := p*page + 16 + rng.IntN(page-96)
		for j := off; j < off+64; j++ {
			bad[j] = byte(rng.Uint32())
		}
		check := filepath.Join(t.TempDir(), "check.db")
		_ = os.WriteFile(check, bad, 0o600)
		if _, err := verifyFile(check, time.Second); err == nil {
			continue
		}
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(Options{Path: path, Keys: keys, ReadOnly: true, Timeout: 200e6})
		if err != nil {
			continue // refused at Open: covered elsewhere
		}
		next := filepath.Join(t.TempDir(), "next.db")
		err = s.Backup(next)
		s.Close()
		if ce := wantDamaged(t, fmt.Sprintf("Backup of page %d damaged", p), err, path); ce != nil && ce.LastBackup != backup {
			t.Errorf("the damage names backup %q, want the last good one %s", ce.LastBackup, backup)
		}
		if _, serr := os.Stat(next); serr == nil {
			t.Error("a copy of the damaged state was kept as a backup")
		}
		if LastBackup(path) != backup {
			t.Errorf("LastBackup = %s after a refused backup, want %s", LastBackup(path), backup)
		}
		return
	}
	t.Fatal("no corruption the full check finds that Open lets through")
}

func TestUndecodableRecordRefusesTheFirstWrite(t *testing.T) {
	path, keys, _ := populatedState(t)
	putRaw(t, path, []byte("100250"), []byte{mappingFormat, 3, '0', '-', '1', 0x7f})
	before, _ := os.ReadFile(path)
	s, err := Open(Options{Path: path, Keys: keys, NoSync: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	errs := syncStyleWrites(s) // no read of the record first: the check before the write finds it
	if ce := wantDamaged(t, "the first write", errs[0], path); ce != nil && !strings.Contains(ce.Reason, "mappings/tenants/100250") {
		t.Errorf("reason %q does not name the record", ce.Reason)
	}
	s.Close()
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("the damaged state was written")
	}
}

func TestConfigThatIsNotJSONIsDamage(t *testing.T) {
	s, _ := testStore(t)
	if err := s.SetConfig("strategy", map[string]string{"conflicts": "manual_review"}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put([]byte("strategy"), []byte("{\x00\xff")) }); err != nil {
		t.Fatal(err)
	}
	var wrongType int // a value of another shape is the caller's business, not damage
	if err := s.Config("strategy", &map[string]string{}); !IsDamaged(err) {
		t.Errorf("Config of bytes that are not JSON = %v, want damage", err)
	}
	_ = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketConfig).Put([]byte("n"), []byte(`"text"`)) })
	if err := s.Config("n", &wrongType); err == nil || IsDamaged(err) {
		t.Errorf("Config into the wrong type = %v, want a plain error", err)
	}
}
