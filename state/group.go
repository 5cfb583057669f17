package state

import (
	bolt "go.etcd.io/bbolt"
)

// Group commit. Several loader workers finish HubSpot batches at once, and
// each used to wait for the bbolt write lock to commit its own transaction:
// one fsync, one rewrite of the pages on the path to every key, one
// freelist and meta page per batch. Now a commit that arrives while another
// is being written queues; when the one being written is done, everything
// queued meanwhile is committed together in the next transaction. Nothing
// waits for company (a lone commit is written at once), each batch is still
// all or nothing, and a group is written in arrival order, so the state
// after a group is the state after the same batches one by one. If the group's
// transaction fails, its batches are committed one by one again, so an
// error belongs to the batch that caused it and never costs another batch.

// commitReq is one batch waiting in the group-commit queue.
type commitReq struct {
	sb   *sealedBatch
	seqs []uint64
	done chan commitResult // buffered: the writer never waits for the waiter
}

type commitResult struct {
	err  error
	lead bool // not a result: the waiter is to write the queue itself
}

// commitGrouped writes sb, alone or with the batches queued beside it.
func (s *Store) commitGrouped(sb *sealedBatch, seqs []uint64) error {
	req := &commitReq{sb: sb, seqs: seqs, done: make(chan commitResult, 1)}
	s.groupMu.Lock()
	s.groupQueue = append(s.groupQueue, req)
	if s.groupLeading {
		s.groupMu.Unlock()
		r := <-req.done
		if !r.lead {
			return r.err
		}
		s.groupMu.Lock()
	}
	// Lead: write everything queued (req among it).
	s.groupLeading = true
	group := s.groupQueue
	s.groupQueue = nil
	s.groupMu.Unlock()

	own := s.writeGroup(group, req)

	// Hand the lead to the first batch that queued meanwhile, or give it up.
	s.groupMu.Lock()
	if len(s.groupQueue) > 0 {
		s.groupQueue[0].done <- commitResult{lead: true}
	} else {
		s.groupLeading = false
	}
	s.groupMu.Unlock()
	return own
}

// writeGroup commits the group's batches, in one transaction when it can,
// delivers every other batch's result and returns own's.
func (s *Store) writeGroup(group []*commitReq, own *commitReq) error {
	errs := make([]error, len(group))
	err := s.update(func(tx *bolt.Tx) error {
		for _, r := range group {
			if err := s.commitTx(tx, r.sb, r.seqs); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case err == nil:
	case len(group) == 1:
		errs[0] = err
	default: // find whose it is: one by one, each all or nothing
		for i, r := range group {
			clear(r.seqs)
			errs[i] = s.update(func(tx *bolt.Tx) error { return s.commitTx(tx, r.sb, r.seqs) })
		}
	}
	var ownErr error
	for i, r := range group {
		if r == own {
			ownErr = errs[i]
			continue
		}
		r.done <- commitResult{err: errs[i]}
	}
	return ownErr
}
