package state

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// Why the store releases resident pages: bbolt reads through a shared,
// read-only mmap of the whole file, and every page a read touches stays in
// the process's resident set (and counts in its RSS) until the process
// exits. Worse, the kernel maps the neighbours of a faulting page that are
// in the page cache too (fault-around: 64 KB on Linux, whole large folios
// on recent kernels), so random lookups (units, emergency contacts and
// associations are keyed in no useful order) soon make the whole file
// resident: a sync of 100,000 tenants had 150 MB of its 250 MB state file
// resident, more than its Go heap. The pages are clean and stay in the OS
// page cache, so dropping them from this process (MADV_DONTNEED) changes no
// data and costs only a minor fault when one is read again.

// releaseInterval is how often, at most, the end of a read transaction
// drops the state file's pages from the process's resident set.
const releaseInterval = 10 * time.Millisecond

// releaseLookups is how many keyed lookups a batch read (MappingHeads,
// MappingsByKey) or a commit's mapping writes make between two releases,
// however little time they take: with fault-around it bounds what random
// lookups make resident to a few megabytes (64 × 64 KB).
const releaseLookups = 64

// residentCap is how many bytes of file-backed pages the process may keep
// resident (all of them: b2h's own code is some 20 MB of it) before a due
// release drops the state file's: releasing costs a system call over the
// whole mapping and a fault for every page read again, so it is done only
// when there is something worth releasing. 0 releases whenever due (tests).
const residentCap = 36 << 20

// dropIfOverCap releases the file's resident pages when the process's
// resident file-backed pages exceed the store's cap (always, when it
// cannot tell). It runs inside tx, which keeps bbolt from remapping.
func (s *Store) dropIfOverCap(tx *bolt.Tx) {
	if s.residentCap > 0 {
		if n, ok := residentShared(); ok && n <= s.residentCap {
			return
		}
	}
	dropResident(s.db.Info().Data, tx.Size())
}

// releaseIfDue releases the file's resident pages when releaseInterval has
// passed since the last check and more than the cap is resident. It runs
// inside a transaction (tx), which keeps bbolt from remapping the file
// meanwhile.
func (s *Store) releaseIfDue(tx *bolt.Tx) {
	now := time.Now().UnixNano()
	last := s.lastRelease.Load()
	if !canDropResident || now-last < int64(releaseInterval) || !s.lastRelease.CompareAndSwap(last, now) {
		return // not due, or another transaction is releasing
	}
	s.dropIfOverCap(tx)
}

// releaseDue reports whether releaseInterval has passed since the last
// release (where releasing does something at all).
func (s *Store) releaseDue() bool {
	return canDropResident && time.Now().UnixNano()-s.lastRelease.Load() >= int64(releaseInterval)
}

// releaseBeforeLookup is called before the i-th lookup (from 0) of a batch
// read or write, inside its transaction (values already read are decoded):
// every releaseLookups lookups it releases the file's resident pages if
// they are over the cap. In a
// write transaction this is safe too: bbolt allocates pages, and may remap
// the file, only on commit, after the caller's function has returned.
func (s *Store) releaseBeforeLookup(tx *bolt.Tx, i int) {
	if !canDropResident || i == 0 || i%releaseLookups != 0 {
		return
	}
	s.lastRelease.Store(time.Now().UnixNano())
	s.dropIfOverCap(tx)
}
