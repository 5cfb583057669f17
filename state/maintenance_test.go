package state

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fillState puts something in every bucket.
func fillState(t *testing.T, s *Store) string {
	t.Helper()
	job := mustJob(t, s, ModeFull)
	seedForBatch(t, s, job)
	if err := s.Commit(fullBatch(job, 40)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAccount(Account{PortalID: "1", UnitMode: UnitModeListing}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetConfig("strategy", "manual_review"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFieldMappings([]byte("x: y")); err != nil {
		t.Fatal(err)
	}
	return job
}

func TestBackupRestoreGivesIdenticalContents(t *testing.T) {
	s, keys := testStore(t)
	job := fillState(t, s)
	backup := filepath.Join(t.TempDir(), "backups", "b1.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	atBackup := dump(t, s)
	if fi, err := os.Stat(backup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v", err)
	}
	if LastBackup(s.Path()) != backup {
		t.Errorf("LastBackup = %q, want %q", LastBackup(s.Path()), backup)
	}
	// The state moves on after the backup.
	if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(9999)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	res, err := Restore(backup, s.Path(), RestoreOptions{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	if res.SchemaVersion != SchemaVersion || res.Previous != s.Path()+".pre-restore.bak" {
		t.Errorf("RestoreResult = %+v", res)
	}
	s2, err := Open(Options{Path: s.Path(), Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if d := diffDumps(atBackup, dump(t, s2)); d != "" {
		t.Fatalf("restored state differs from the backup:\n%s", d)
	}
	if m, err := s2.Mapping(KindTenants, "101000"); err != nil || m.Snapshot["email"] != "jane.doe.1000@example.com" {
		t.Errorf("restored snapshot = %v, %v", m.Snapshot, err)
	}
	// The replaced state was kept.
	prev, err := Open(Options{Path: res.Previous, Keys: keys, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer prev.Close()
	if _, err := prev.Mapping(KindTenants, "109999"); err != nil {
		t.Errorf("pre-restore copy lacks the later mapping: %v", err)
	}
}

func TestBackupWhileCommitting(t *testing.T) {
	s, _ := testStore(t)
	job := mustJob(t, s, ModeFull)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 30; i++ {
			if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(i)}}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		if err := s.Backup(filepath.Join(dir, fmt.Sprintf("b%d.db", i))); err != nil {
			t.Errorf("backup %d while committing: %v", i, err)
		}
	}
	wg.Wait()
}

func TestBackupRefusesTheStateFile(t *testing.T) {
	s, _ := testStore(t)
	if err := s.Backup(s.Path()); err == nil {
		t.Fatal("Backup over the state file itself succeeded")
	}
	if err := s.Verify(); err != nil {
		t.Errorf("state damaged by the refused backup: %v", err)
	}
}

func TestRestoreRefusals(t *testing.T) {
	s, keys := testStore(t)
	fillState(t, s)
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	live, _ := os.ReadFile(s.Path())

	// The state is open (in use): refuse, change nothing.
	_, err := Restore(backup, s.Path(), RestoreOptions{Keys: keys, Timeout: 100 * time.Millisecond})
	var le *LockedError
	if !errors.As(err, &le) {
		t.Errorf("Restore over a state in use = %v, want *LockedError", err)
	}
	s.Close()

	junk := filepath.Join(t.TempDir(), "junk.db")
	_ = os.WriteFile(junk, bytes.Repeat([]byte("not a database "), 1000), 0o600)
	truncated := filepath.Join(t.TempDir(), "trunc.db")
	raw, _ := os.ReadFile(backup)
	_ = os.WriteFile(truncated, raw[:len(raw)/2], 0o600)
	cases := map[string]struct {
		src  string
		keys KeyStore
		want func(error) bool
	}{
		"missing file":  {filepath.Join(t.TempDir(), "nope.db"), keys, isInvalidBackup},
		"random bytes":  {junk, keys, isInvalidBackup},
		"truncated":     {truncated, keys, isInvalidBackup},
		"key not there": {backup, NewMemoryKeyStore(), func(err error) bool { var ke *KeyError; return errors.As(err, &ke) }},
	}
	for name, c := range cases {
		_, err := Restore(c.src, s.Path(), RestoreOptions{Keys: c.keys})
		if !c.want(err) {
			t.Errorf("%s: Restore = %v", name, err)
		}
	}
	if now, _ := os.ReadFile(s.Path()); !bytes.Equal(now, live) {
		t.Error("a refused restore changed the state file")
	}
	if _, err := os.Stat(s.Path() + ".pre-restore.bak"); !errors.Is(err, os.ErrNotExist) {
		t.Error("a refused restore wrote a pre-restore copy")
	}
}

func isInvalidBackup(err error) bool {
	var ib *InvalidBackupError
	return errors.As(err, &ib) && strings.Contains(err.Error(), "nothing was restored")
}

func TestRestoreToAFreshPath(t *testing.T) {
	s, keys := testStore(t)
	fillState(t, s)
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := s.Backup(backup); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	dst := filepath.Join(t.TempDir(), "new", "state.db")
	res, err := Restore(backup, dst, RestoreOptions{Keys: keys})
	if err != nil || res.Previous != "" {
		t.Fatalf("Restore to a new path = %+v, %v", res, err)
	}
	s2, err := Open(Options{Path: dst, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if d := diffDumps(want, dump(t, s2)); d != "" {
		t.Errorf("restored copy differs:\n%s", d)
	}
	// A failed restore to a fresh path leaves no empty placeholder behind.
	dst2 := filepath.Join(t.TempDir(), "state.db")
	if _, err := Restore(backup, dst2, RestoreOptions{Keys: NewMemoryKeyStore()}); err == nil {
		t.Fatal("restore without the key succeeded")
	}
	if _, err := os.Stat(dst2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("failed restore left %s behind", dst2)
	}
}

func TestCompactShrinksAndKeepsContents(t *testing.T) {
	s, keys := testStore(t)
	job := mustJob(t, s, ModeFull)
	var ms []Mapping
	var del []MappingKey
	for i := 0; i < 3000; i++ {
		ms = append(ms, tenantMapping(i))
		if i%10 != 0 {
			del = append(del, MappingKey{KindTenants, tenantMapping(i).SourceID})
		}
	}
	if err := s.Commit(Batch{JobID: job, Mappings: ms}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(Batch{JobID: job, DeleteMappings: del}); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)

	if _, err := Compact(s.Path(), CompactOptions{Timeout: 100 * time.Millisecond}); !isLocked(err) {
		t.Errorf("Compact of a state in use = %v, want *LockedError", err)
	}
	s.Close()
	res, err := Compact(s.Path(), CompactOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.After >= res.Before {
		t.Errorf("Compact: %d → %d bytes, want smaller", res.Before, res.After)
	}
	s2 := reopen(t, s, keys)
	if d := diffDumps(want, dump(t, s2)); d != "" {
		t.Errorf("compacted contents differ:\n%s", d)
	}
	if fi, _ := os.Stat(s2.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("compacted file mode %o", fi.Mode().Perm())
	}
}

func isLocked(err error) bool { var le *LockedError; return errors.As(err, &le) }

func TestInspect(t *testing.T) {
	s, _ := testStore(t)
	job := fillState(t, s)
	if err := s.UpdateJob(job, func(j *Job) error { j.Status = StatusDone; return nil }); err != nil {
		t.Fatal(err)
	}
	info, err := s.Inspect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, b := range info.Buckets {
		counts[b.Name] = b.Keys
	}
	wantCounts := map[string]int{"jobs": 1, "mappings": 40, "mappings_by_hubspot": 40, "audit": 40,
		"ledger": 41, "decisions": 1, "review": 1, "cursors": 1, "account": 1, "config": 1, "field_mappings": 1}
	for name, n := range wantCounts {
		if counts[name] != n {
			t.Errorf("bucket %s: %d keys, want %d", name, counts[name], n)
		}
	}
	if info.Mappings[KindTenants] != 40 || info.LedgerOpen[KindUnits] != 40 || info.LedgerOpen[KindTenants] != 0 ||
		info.LedgerTotal != 41 || info.AuditEntries != 40 || info.AuditJobs != 1 || info.ReviewOpen != 1 {
		t.Errorf("Info = %+v", info)
	}
	if info.SchemaVersion != SchemaVersion || len(info.LastJobs) != 1 || info.LastJobs[0].Status != StatusDone {
		t.Errorf("Info header = %+v", info)
	}
	var buf bytes.Buffer
	if err := info.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{s.Path(), "Schema version:", "mappings_by_hubspot", "tenants", job, "done", "Last backup:"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspect text lacks %q:\n%s", want, out)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Inspect(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Inspect with a cancelled context = %v", err)
	}
}
