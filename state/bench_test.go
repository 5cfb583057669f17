package state

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// benchBatch is what the engine commits after one acknowledged HubSpot batch
// of 100 new tenants: 100 mappings with snapshots, 100 create audit entries
// with their field changes, and the job's counters.
func benchBatch(job string, first int) Batch {
	b := Batch{JobID: job, Counters: map[Kind]EntityCounters{KindTenants: {Read: 100, Created: 100}}}
	for i := first; i < first+100; i++ {
		m := tenantMapping(i)
		b.Mappings = append(b.Mappings, m)
		var ch []FieldChange
		for f, v := range m.Snapshot {
			ch = append(ch, FieldChange{Field: f, New: v})
		}
		b.Audit = append(b.Audit, AuditEntry{Action: ActionCreate, Kind: m.Kind, SourceID: m.SourceID,
			HubSpotType: m.HubSpotType, HubSpotID: m.HubSpotID, Changes: ch})
	}
	return b
}

func benchStore(b *testing.B, noSync bool) *Store {
	b.Helper()
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "state.db"), Keys: NewMemoryKeyStore(), NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return s
}

// BenchmarkCommitBatch100 measures Commit of a 100-record batch with the real
// fsync (one bbolt write transaction per batch), reported as records/s.
func BenchmarkCommitBatch100(b *testing.B) {
	benchCommit(b, false)
}

// BenchmarkCommitBatch100NoSync is the same without fsync: the CPU cost alone.
func BenchmarkCommitBatch100NoSync(b *testing.B) {
	benchCommit(b, true)
}

func benchCommit(b *testing.B, noSync bool) {
	s := benchStore(b, noSync)
	job := mustJob(b, s, ModeFull)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer() // building the batch is the engine's cost, not the store's
		batch := benchBatch(job, i*100)
		b.StartTimer()
		if err := s.Commit(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkMappingsByKey100 measures the lookup of a 100-record batch's
// mappings (one read transaction, snapshots decrypted) in a 10,000-record state.
func BenchmarkMappingsByKey100(b *testing.B) {
	s := benchStore(b, true)
	job := mustJob(b, s, ModeFull)
	for i := 0; i < 100; i++ {
		if err := s.Commit(Batch{JobID: job, Mappings: benchBatch(job, i*100).Mappings}); err != nil {
			b.Fatal(err)
		}
	}
	ids := make([][]string, 100)
	for i := range ids {
		for j := 0; j < 100; j++ {
			ids[i] = append(ids[i], tenantMapping(i*100+j).SourceID)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got, err := s.MappingsByKey(KindTenants, ids[i%100])
		if err != nil || len(got) != 100 {
			b.Fatalf("MappingsByKey = %d, %v", len(got), err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkFileSize100k reports the state file size after mapping 100,000
// tenants the way a first full sync does (1,000 commits of 100 records):
// mappings only, then with the job's create audit entries, and compacted.
func BenchmarkFileSize100k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		for _, withAudit := range []bool{false, true} {
			s := benchStore(b, true)
			job := mustJob(b, s, ModeFull)
			for n := 0; n < 100000; n += 100 {
				batch := benchBatch(job, n)
				if !withAudit {
					batch.Audit = nil
				}
				if err := s.Commit(batch); err != nil {
					b.Fatal(err)
				}
			}
			var data int64 // the high-water mark: bytes in use, without bbolt's growth slack
			_ = s.view(func(tx *bolt.Tx) error { data = tx.Size(); return nil })
			path := s.Path()
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			res, err := Compact(path, CompactOptions{})
			if err != nil {
				b.Fatal(err)
			}
			unit := "100k-mappings"
			if withAudit {
				unit = "100k-with-audit"
			}
			b.ReportMetric(float64(data), "data-bytes/"+unit)
			b.ReportMetric(float64(fi.Size()), "file-bytes/"+unit)
			b.ReportMetric(float64(res.After), "compacted-file-bytes/"+unit)
		}
	}
}

// BenchmarkFullCheck measures the check a read-write Store runs once before
// its first write (bbolt's tx.Check, a read of every key and value and a skim
// of every mapping, ledger and audit record), on a
// state after a first full sync of 20,000 and 100,000 tenants (mappings with
// snapshots and the job's create audit entries), reopened so the file is read
// as a new process reads it.
func BenchmarkFullCheck(b *testing.B) {
	for _, tenants := range []int{20000, 100000} {
		b.Run(fmt.Sprintf("tenants=%d", tenants), func(b *testing.B) {
			s := benchStore(b, true)
			job := mustJob(b, s, ModeFull)
			for n := 0; n < tenants; n += 100 {
				if err := s.Commit(benchBatch(job, n)); err != nil {
					b.Fatal(err)
				}
			}
			path, keys := s.Path(), s.keys
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			s, err = Open(Options{Path: path, Keys: keys, NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := s.db.View(checkTx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
		})
	}
}
