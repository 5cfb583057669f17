package state

import (
	"bufio"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// mappingRSS returns the resident kB of this process's mappings of path
// (the Rss lines of /proc/self/smaps).
func mappingRSS(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		ln := sc.Text()
		if f := strings.Fields(ln); len(f) >= 5 && strings.Contains(f[0], "-") && !strings.HasSuffix(f[0], ":") {
			in = len(f) >= 6 && f[5] == path
			continue
		}
		if v, ok := strings.CutPrefix(ln, "Rss:"); ok && in {
			var kb int
			if _, err := fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(v), " kB"), &kb); err == nil {
				total += kb
			}
		}
	}
	return total
}

// seedMappings commits n tenant mappings with snapshots, in batches.
func seedMappings(t *testing.T, s *Store, n int) []string {
	t.Helper()
	job := mustJob(t, s, "full")
	ids := make([]string, 0, n)
	for i := 0; i < n; i += 500 {
		var b Batch
		b.JobID = job
		for j := i; j < min(i+500, n); j++ {
			id := fmt.Sprint(100000 + j)
			ids = append(ids, id)
			b.Mappings = append(b.Mappings, Mapping{Kind: KindTenants, SourceID: id, HubSpotType: "0-1",
				HubSpotID: fmt.Sprint(900000 + j), SyncHash: fmt.Sprintf("%064x", j),
				Snapshot: map[string]string{"email": id + "@example.com", "firstname": "Jo", "lastname": strings.Repeat("x", 200)}})
		}
		if err := s.Commit(b); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// TestReadsReleaseResidentPages: after reading a large part of the file,
// the next read transaction due a release leaves few of the file's pages
// resident (Linux), one batch read of many keys never holds more than a
// few hundred lookups' pages, and the data read is unchanged throughout.
func TestReadsReleaseResidentPages(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("resident pages are released on Linux only")
	}
	s, _ := testStore(t)
	s.residentCap = 0 // release whenever due: the file is far smaller than the cap
	ids := seedMappings(t, s, 6000)
	const batch = releaseLookups / 2 // batches too small to release on their own
	read := func() map[string]Mapping {
		got := map[string]Mapping{}
		for i := 0; i < len(ids); i += batch {
			s.lastRelease.Store(1 << 62) // no release at the end of a transaction
			m, err := s.MappingsByKey(KindTenants, ids[i:min(i+batch, len(ids))])
			if err != nil {
				t.Fatal(err)
			}
			maps.Copy(got, m)
		}
		return got
	}
	before := read()
	touched := mappingRSS(t, s.Path())
	if touched < 1024 {
		t.Fatalf("reading 6,000 mappings left %d kB of the file resident; want ≥ 1 MB (is the test measuring the mapping?)", touched)
	}
	s.lastRelease.Store(0) // the next transaction is due
	if _, err := s.Jobs(1); err != nil {
		t.Fatal(err)
	}
	if after := mappingRSS(t, s.Path()); after > touched/4 {
		t.Errorf("after a release %d kB of the file stay resident (was %d kB); want at most a quarter", after, touched)
	}
	again := read()
	s.lastRelease.Store(1 << 62)
	if err := s.dropAll(); err != nil {
		t.Fatal(err)
	}
	whole, err := s.MappingsByKey(KindTenants, ids) // one transaction, 6,000 lookups
	if err != nil {
		t.Fatal(err)
	}
	if inOne := mappingRSS(t, s.Path()); inOne > touched/4 {
		t.Errorf("one read of 6,000 keys left %d kB resident (reading them all: %d kB); want at most a quarter", inOne, touched)
	}
	for _, got := range []map[string]Mapping{again, whole} {
		if len(got) != len(before) {
			t.Fatalf("read %d mappings after releases, %d before", len(got), len(before))
		}
		for id, m := range before {
			if a := got[id]; a.HubSpotID != m.HubSpotID || a.SyncHash != m.SyncHash || a.Snapshot["lastname"] != m.Snapshot["lastname"] {
				t.Fatalf("mapping %s changed across a release: %+v vs %+v", id, a, m)
			}
		}
	}
}

// dropAll releases the whole file's resident pages now (tests).
func (s *Store) dropAll() error {
	return s.db.View(func(tx *bolt.Tx) error {
		dropResident(s.db.Info().Data, tx.Size())
		return nil
	})
}

// TestMappingHeads: the same mappings as MappingsByKey, without snapshots.
func TestMappingHeads(t *testing.T) {
	s, _ := testStore(t)
	ids := seedMappings(t, s, 600)
	ask := append([]string{"404"}, ids[:250]...)
	full, err := s.MappingsByKey(KindTenants, ask)
	if err != nil {
		t.Fatal(err)
	}
	heads, err := s.MappingHeads(KindTenants, ask)
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 250 || len(full) != 250 {
		t.Fatalf("got %d heads and %d mappings; want 250 each (404 is absent)", len(heads), len(full))
	}
	for id, m := range full {
		h := heads[id]
		if h.Snapshot != nil {
			t.Fatalf("head %s has a snapshot", id)
		}
		m.Snapshot = nil
		if fmt.Sprint(h) != fmt.Sprint(m) {
			t.Fatalf("head %s = %+v; want %+v", id, h, m)
		}
	}
	// MappingRefs: the HubSpot type and id (and Extra) only.
	refs, err := s.MappingRefs(KindTenants, ask)
	if err != nil || len(refs) != 250 {
		t.Fatalf("got %d refs, %v; want 250", len(refs), err)
	}
	for id, m := range full {
		want := Mapping{Kind: m.Kind, SourceID: id, HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, Extra: m.Extra}
		if fmt.Sprint(refs[id]) != fmt.Sprint(want) {
			t.Fatalf("ref %s = %+v; want %+v", id, refs[id], want)
		}
	}
}

// TestReleaseOnlyOverTheCap: a due release leaves the file's pages resident
// while the process's resident file-backed pages are within the cap, and
// drops them once over it; residentShared counts the mapping's pages.
func TestReleaseOnlyOverTheCap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("resident pages are released on Linux only")
	}
	s, _ := testStore(t)
	ids := seedMappings(t, s, 6000)
	if err := s.dropAll(); err != nil {
		t.Fatal(err)
	}
	base, ok := residentShared()
	if !ok {
		t.Skip("no /proc/self/statm")
	}
	s.lastRelease.Store(1 << 62) // nothing due while reading
	if _, err := s.MappingsByKey(KindTenants, ids); err != nil {
		t.Fatal(err)
	}
	touched := mappingRSS(t, s.Path())
	if touched < 1024 {
		t.Fatalf("reading 6,000 mappings left %d kB resident; want ≥ 1 MB", touched)
	}
	if now, _ := residentShared(); now-base < int64(touched)*1024/2 {
		t.Errorf("residentShared grew by %d kB after %d kB of the file became resident", (now-base)/1024, touched)
	}
	due := func() {
		s.lastRelease.Store(0)
		if _, err := s.Jobs(1); err != nil {
			t.Fatal(err)
		}
	}
	s.residentCap = base + 256<<20
	due()
	if kept := mappingRSS(t, s.Path()); kept < touched*3/4 {
		t.Errorf("under the cap a release dropped pages: %d kB resident of %d kB", kept, touched)
	}
	s.residentCap = 1
	due()
	if left := mappingRSS(t, s.Path()); left > touched/4 {
		t.Errorf("over the cap %d kB stay resident of %d kB; want at most a quarter", left, touched)
	}
}

// TestBatchLookupsStepAndSeek: a batch lookup finds exactly the ids stored,
// whatever the gaps between the ids asked (stepped over or sought), their
// order, repeats, and ids past either end of the bucket.
func TestBatchLookupsStepAndSeek(t *testing.T) {
	s, _ := testStore(t)
	ids := seedMappings(t, s, 1200) // "100000" … "101199"
	stored := map[string]bool{}
	for _, id := range ids {
		stored[id] = true
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var ask []string
		for range rng.IntN(60) {
			switch n := rng.IntN(10); {
			case n == 0:
				ask = append(ask, fmt.Sprint(99000+rng.IntN(2000))) // before the first, some "1000xx" in between
			case n == 1:
				ask = append(ask, fmt.Sprint(101190+rng.IntN(30))) // around the last
			case n == 2 && len(ask) > 0:
				ask = append(ask, ask[rng.IntN(len(ask))]) // a repeat
			default:
				// Neighbours and gaps of every size, stepped over or sought.
				gap := []int{1, 2, 7, 8, 9, 40, 500}[rng.IntN(7)]
				ask = append(ask, fmt.Sprint(100000+(round*13+len(ask)*gap)%1250))
			}
		}
		if rng.IntN(2) == 0 {
			slices.Sort(ask)
		}
		got, err := s.MappingHeads(KindTenants, ask)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, id := range ask {
			if stored[id] {
				want[id] = true
			}
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d found; want %d (asked %q)", round, len(got), len(want), ask)
		}
		for id := range want {
			if m, ok := got[id]; !ok || m.SourceID != id || m.HubSpotID == "" {
				t.Fatalf("round %d: %s = %+v, %v", round, id, m, ok)
			}
		}
	}
}
