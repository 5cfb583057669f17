package state

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

// fullBatch touches every part of Commit.
func fullBatch(job string, n int) Batch {
	b := Batch{JobID: job,
		DeleteMappings: []MappingKey{{KindTenants, "100000"}},
		Resolve:        []LedgerKey{{KindTenants, "100001"}},
		Counters:       map[Kind]EntityCounters{KindTenants: {Read: int64(n), Created: int64(n)}},
		Metrics:        map[string]float64{"hubspot_requests": 1},
		Cursors:        []Cursor{{Kind: KindTenants}},
		Review:         []ReviewItem{{ID: "dup:1", Type: ReviewDuplicate, Kind: KindTenants, Summary: "x"}},
		Decisions:      []Decision{{ID: "dup:1", Type: ReviewDuplicate, Resolution: "skip"}},
	}
	for i := 0; i < n; i++ {
		m := tenantMapping(1000 + i)
		b.Mappings = append(b.Mappings, m)
		b.Audit = append(b.Audit, AuditEntry{Action: ActionCreate, Kind: m.Kind, SourceID: m.SourceID,
			HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, Changes: []FieldChange{{Field: "email", New: m.Snapshot["email"]}}})
		b.Ledger = append(b.Ledger, LedgerEntry{Kind: KindUnits, SourceID: fmt.Sprint(i), ErrorType: "hubspot", Message: "m"})
	}
	return b
}

// seedForBatch puts the records fullBatch deletes and resolves in place.
func seedForBatch(t *testing.T, s *Store, job string) {
	t.Helper()
	err := s.Commit(Batch{JobID: job, Mappings: []Mapping{tenantMapping(0)},
		Ledger: []LedgerEntry{{Kind: KindTenants, SourceID: "100001", ErrorType: "hubspot", Message: "earlier failure"}}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCommitIsAllOrNothing(t *testing.T) {
	injected := errors.New("injected failure")
	for _, stage := range commitStages {
		t.Run("fail after "+stage, func(t *testing.T) {
			s, keys := testStore(t)
			job := mustJob(t, s, ModeFull)
			seedForBatch(t, s, job)
			before := dump(t, s)

			s.commitHook = func(st string) error {
				if st == stage {
					return injected
				}
				return nil
			}
			b := fullBatch(job, 50)
			if err := s.Commit(b); !errors.Is(err, injected) {
				t.Fatalf("Commit = %v, want the injected failure", err)
			}
			if b.Audit[0].Seq != 0 {
				t.Error("audit Seq filled in for a failed commit")
			}
			s = reopen(t, s, keys)
			if d := diffDumps(before, dump(t, s)); d != "" {
				t.Fatalf("a failed commit left changes behind:\n%s", d)
			}

			// The same batch commits fully once nothing fails.
			if err := s.Commit(b); err != nil {
				t.Fatal(err)
			}
			if n, _ := s.CountMappings(KindTenants); n != 50 {
				t.Errorf("mappings after commit = %d, want 50 (one deleted, 50 added)", n)
			}
			if open, _ := s.OpenLedger(""); len(open) != 50 {
				t.Errorf("open ledger = %d, want 50", len(open))
			}
			if j, _ := s.Job(job); j.Entities[KindTenants].Created != 50 || j.Metrics["hubspot_requests"] != 1 {
				t.Errorf("job counters = %+v %v", j.Entities, j.Metrics)
			}
		})
	}
}

func TestCommitRejectsBadBatchesWithoutWriting(t *testing.T) {
	s, _ := testStore(t)
	job := mustJob(t, s, ModeFull)
	seedForBatch(t, s, job)
	before := dump(t, s)
	cases := map[string]Batch{
		"unknown job":          fullBatch("20990101-000000-0001", 3),
		"counters without job": {Counters: map[Kind]EntityCounters{KindUnits: {Read: 1}}},
		"empty source id":      {JobID: job, Mappings: []Mapping{{Kind: KindUnits, HubSpotType: "2-1", HubSpotID: "1"}}},
		"NUL in id":            {JobID: job, Mappings: []Mapping{{Kind: KindUnits, SourceID: "a\x00b", HubSpotType: "2-1", HubSpotID: "1"}}},
		"no HubSpot id":        {JobID: job, Mappings: []Mapping{{Kind: KindUnits, SourceID: "1", HubSpotType: "2-1"}}},
		"audit without action": {JobID: job, Audit: []AuditEntry{{Kind: KindUnits, SourceID: "1"}}},
		"audit without job":    {Audit: []AuditEntry{{Action: ActionCreate, Kind: KindUnits, SourceID: "1"}}},
		"ledger without kind":  {JobID: job, Ledger: []LedgerEntry{{SourceID: "1"}}},
		"review without id":    {JobID: job, Review: []ReviewItem{{Type: ReviewConflict}}},
		"decision without id":  {JobID: job, Decisions: []Decision{{Type: ReviewConflict}}},
		"cursor without kind":  {JobID: job, Cursors: []Cursor{{}}},
		"a good mapping then a bad one": {JobID: job, Mappings: []Mapping{tenantMapping(5),
			{Kind: KindUnits, SourceID: "1", HubSpotType: "2-1"}}},
	}
	for name, b := range cases {
		if err := s.Commit(b); err == nil {
			t.Errorf("%s: Commit succeeded", name)
		}
	}
	if d := diffDumps(before, dump(t, s)); d != "" {
		t.Fatalf("rejected batches left changes behind:\n%s", d)
	}
}

func TestCommitDoesNotChangeCallersBatch(t *testing.T) {
	s, _ := testStore(t)
	job := mustJob(t, s, ModeFull)
	b := Batch{JobID: job, Mappings: []Mapping{tenantMapping(1)}, Ledger: []LedgerEntry{{Kind: KindUnits, SourceID: "1"}}}
	if err := s.Commit(b); err != nil {
		t.Fatal(err)
	}
	if b.Mappings[0].JobID != "" || !b.Mappings[0].LastSynced.IsZero() || !b.Ledger[0].LastSeen.IsZero() {
		t.Errorf("defaults leaked into the caller's batch: %+v %+v", b.Mappings[0], b.Ledger[0])
	}
}

func TestConcurrentCommitsAndReads(t *testing.T) {
	s, _ := testStore(t)
	job := mustJob(t, s, ModeFull)
	const workers, batches = 4, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*2)
	for w := 0; w < workers; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < batches; i++ {
				m := tenantMapping(w*1000 + i)
				err := s.Commit(Batch{JobID: job, Mappings: []Mapping{m},
					Counters: map[Kind]EntityCounters{KindTenants: {Created: 1}}})
				if err != nil {
					errs <- err
					return
				}
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < batches; i++ {
				if _, err := s.MappingsByKey(KindTenants, []string{"100000", "101000"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if j, _ := s.Job(job); j.Entities[KindTenants].Created != workers*batches {
		t.Errorf("created counter = %d, want %d (lost update)", j.Entities[KindTenants].Created, workers*batches)
	}
}
