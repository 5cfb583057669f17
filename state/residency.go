package state

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// releaseInterval is how often, at most, a store drops the state file's
// pages from the process's resident set (see releaseIfDue).
const releaseInterval = 100 * time.Millisecond

// releaseIfDue drops the state file's pages from this process's resident
// set when releaseInterval has passed since the last time. It runs inside a
// transaction (tx), which keeps bbolt from remapping the file meanwhile.
//
// Why: bbolt reads through a shared read-only mmap of the whole file, and
// every page a read touches stays resident (and counts in RSS) until the
// process exits. A sync of 100,000 tenants reads most of a 250 MB state
// file, so its peak RSS grew with the file, not with the work in hand.
// The pages are clean and stay in the OS page cache: a later read maps
// them again with a minor fault, and no data changes. On systems without
// dropResident it does nothing.
func (s *Store) releaseIfDue(tx *bolt.Tx) {
	now := time.Now().UnixNano()
	last := s.lastRelease.Load()
	if now-last < int64(releaseInterval) || !s.lastRelease.CompareAndSwap(last, now) {
		return
	}
	dropResident(s.db.Info().Data, tx.Size())
}
