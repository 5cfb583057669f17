package state

import (
	"fmt"
	gosync "sync"
	"testing"
	"time"
)

// TestGroupCommit: batches that arrive while another is being written are
// committed together, and the result is that of committing them one by one:
// every good batch lands whole with its own audit sequence numbers and
// counters, and a batch that fails (an unknown job) fails alone, leaving
// nothing behind, whichever place it had in the group.
func TestGroupCommit(t *testing.T) {
	for _, badAt := range []int{-1, 0, 2, 4} {
		t.Run(fmt.Sprintf("bad_at_%d", badAt), func(t *testing.T) {
			s, _ := testStore(t)
			job := mustJob(t, s, ModeFull)
			const queued = 5
			var once gosync.Once
			release := make(chan struct{})
			s.commitHook = func(string) error {
				once.Do(func() { <-release }) // hold the first transaction open
				return nil
			}
			batch := func(g int) Batch {
				b := Batch{JobID: job, Counters: map[Kind]EntityCounters{KindTenants: {Created: 3}}}
				if g == badAt {
					b.JobID = "20990101-000000-0001"
				}
				for i := range 3 {
					m := tenantMapping(100*g + i)
					b.Mappings = append(b.Mappings, m)
					b.Audit = append(b.Audit, AuditEntry{Action: ActionCreate, Kind: m.Kind, SourceID: m.SourceID,
						HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID})
				}
				return b
			}
			errs := make([]error, queued+1)
			var wg gosync.WaitGroup
			wg.Go(func() { errs[queued] = s.Commit(batch(queued)) }) // the one held open
			waitFor(t, func() bool { s.groupMu.Lock(); defer s.groupMu.Unlock(); return s.groupLeading })
			for g := range queued {
				wg.Go(func() { errs[g] = s.Commit(batch(g)) })
			}
			waitFor(t, func() bool { s.groupMu.Lock(); defer s.groupMu.Unlock(); return len(s.groupQueue) == queued })
			close(release)
			wg.Wait()

			want := 0
			for g, err := range errs {
				switch {
				case g == badAt && err == nil:
					t.Errorf("batch %d (unknown job) committed", g)
				case g != badAt && err != nil:
					t.Errorf("batch %d: %v", g, err)
				case g != badAt:
					want += 3
				}
			}
			if n, _ := s.CountMappings(KindTenants); n != want {
				t.Errorf("mappings = %d, want %d", n, want)
			}
			if j, _ := s.Job(job); j.Entities[KindTenants].Created != int64(want) {
				t.Errorf("created counter = %d, want %d", j.Entities[KindTenants].Created, want)
			}
			seqs := map[uint64]bool{}
			if err := s.Audit(job, func(a AuditEntry) error {
				if seqs[a.Seq] {
					t.Errorf("audit seq %d twice", a.Seq)
				}
				seqs[a.Seq] = true
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(seqs) != want {
				t.Errorf("audit entries = %d, want %d", len(seqs), want)
			}
			s.groupMu.Lock()
			defer s.groupMu.Unlock()
			if s.groupLeading || len(s.groupQueue) > 0 {
				t.Errorf("group commit not idle after the commits: leading %v, queue %d", s.groupLeading, len(s.groupQueue))
			}
		})
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
	}
}
