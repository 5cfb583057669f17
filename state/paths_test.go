package state

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestStaleTemporariesAreRemovedOnTheNextReadWriteOpen(t *testing.T) {
	path, keys, _ := populatedState(t)
	dir := filepath.Dir(path)
	old := time.Now().Add(-time.Hour)
	write := func(name string, aged bool) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, make([]byte, 8192), 0o600); err != nil {
			t.Fatal(err)
		}
		if aged {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	base := filepath.Base(path)
	stale := []string{
		write(base+".compact-2895730361", false), // a killed state compact
		write(base+".restore-118", false),        // a killed state restore
		write(base+".pre-restore.bak.tmp-4", false),
		write(base+".new-99", true), // a killed first open, an hour ago
		write(base+".key.tmp-5", true),
	}
	kept := []string{
		write(base+".new-98", false),            // maybe a b2h creating the state right now
		write(base+".compact-12a", true),        // not b2h's name
		write(base+".compact-1.keep", true),     // not b2h's name
		write(base+".pre-restore.bak", true),    // a real backup
		write(base+".1700000000.bak", true),     // a real backup
		write("other.db.compact-1", true),       // another state's
		write(base+"x.compact-1", true),         // another state's
		write("notes-"+base+".restore-1", true), // not beside-named
	}
	link := filepath.Join(dir, base+".restore-7")
	if err := os.Symlink(filepath.Join(dir, "other.db.compact-1"), link); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, link)

	slices.Sort(stale)
	listed := StaleTemporaries(path) // unlocked: only the aged ones are certain
	if want := []string{stale[2], stale[4]}; len(listed) != 2 || !slices.Contains(listed, filepath.Join(dir, base+".new-99")) ||
		!slices.Contains(listed, filepath.Join(dir, base+".key.tmp-5")) {
		t.Errorf("StaleTemporaries = %v, want the aged ones %v", listed, want)
	}

	ro, err := Open(Options{Path: path, Keys: keys, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	ro.Close()
	for _, p := range stale {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("a read-only open removed %s", p)
		}
	}
	s, err := Open(Options{Path: path, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range stale {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind after a read-write open (%v)", p, err)
		}
	}
	for _, p := range kept {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s, not a b2h temporary of this state, was removed", p)
		}
	}
}

func TestKeyFileReadableByOthersIsRefusedForWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.db")
	keys := NewFileKeyStore(path + ".key")
	s, err := Open(Options{Path: path, Keys: keys, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	job := mustJob(t, s, ModeFull)
	if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(1)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckKeyFile(); err != nil {
		t.Errorf("CheckKeyFile of a 0600 key file = %v", err)
	}
	s.Close()
	if err := os.Chmod(path+".key", 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	var me *KeyFileModeError
	s, err = Open(Options{Path: path, Keys: keys, NoSync: true})
	if !errors.As(err, &me) || me.Path != path+".key" || me.Fix() != "chmod 600 "+path+".key" {
		if err == nil {
			s.Close()
		}
		t.Fatalf("read-write Open with a 0644 key file = %v, want *KeyFileModeError", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the state was written")
	}
	ro, err := Open(Options{Path: path, Keys: keys, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open: %v", err)
	}
	defer ro.Close()
	if _, err := ro.Mapping(KindTenants, tenantMapping(1).SourceID); err != nil {
		t.Errorf("read-only read: %v", err)
	}
	if err := ro.CheckKeyFile(); !errors.As(err, &me) {
		t.Errorf("CheckKeyFile = %v, want *KeyFileModeError", err)
	}
}

func TestSymlinkedStateFindsItsKey(t *testing.T) {
	realDir, linkDir := t.TempDir(), t.TempDir()
	path := filepath.Join(realDir, "state.db")
	s, err := Open(Options{Path: path, NoSync: true}) // the default key store: a key file (no keyring in tests)
	if err != nil {
		t.Fatal(err)
	}
	job := mustJob(t, s, ModeFull)
	if err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(1)}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	link := filepath.Join(linkDir, "state.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		s, err := Open(Options{Path: link, NoSync: true, ReadOnly: ro})
		if err != nil {
			t.Fatalf("Open through a symlink (read-only %v): %v", ro, err)
		}
		if m, err := s.Mapping(KindTenants, tenantMapping(1).SourceID); err != nil || m.Snapshot["email"] == "" {
			t.Errorf("read-only %v: sealed snapshot through the link: %v", ro, err)
		}
		if s.Path() != path {
			t.Errorf("Path = %s, want the file itself, %s", s.Path(), path)
		}
		s.Close()
	}
	if _, err := Compact(link, CompactOptions{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("compacting through the link replaced the link (%v)", err)
	}
	entries, _ := os.ReadDir(linkDir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the link: %v, want only the link (no stray key file)", names)
	}
}
