package state

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// subBuckets caches, for one write transaction, the nested buckets of a
// parent (a kind's mappings, a job's audit, a kind's ledger) and a cursor
// over each. A commit looks them up once per record: bbolt's
// CreateBucketIfNotExists copies the name every time, Bucket seeks again
// for one that does not exist, and Get makes a new cursor with its own
// search stack; a cached cursor's stack is reused.
type subBuckets struct {
	parent *bolt.Bucket
	fill   float64 // FillPercent of the buckets; 0 leaves bbolt's default
	open   map[string]*subBucket
}

type subBucket struct {
	b *bolt.Bucket // nil: known not to exist
	c *bolt.Cursor
}

func newSubBuckets(parent *bolt.Bucket, fill float64) *subBuckets {
	return &subBuckets{parent: parent, fill: fill, open: map[string]*subBucket{}}
}

// lookup returns the nested bucket name, or nil when it does not exist.
func (s *subBuckets) lookup(name string) *subBucket {
	if sb, ok := s.open[name]; ok {
		return sb
	}
	sb := &subBucket{b: s.parent.Bucket([]byte(name))}
	if sb.b != nil {
		s.setup(sb)
	}
	s.open[name] = sb
	return sb
}

// create returns the nested bucket name, creating it if need be.
func (s *subBuckets) create(name string) (*subBucket, error) {
	sb := s.lookup(name)
	if sb.b == nil {
		b, err := s.parent.CreateBucket([]byte(name))
		if err != nil {
			return nil, err
		}
		sb.b = b
		s.setup(sb)
	}
	return sb, nil
}

func (s *subBuckets) setup(sb *subBucket) {
	if s.fill > 0 {
		sb.b.FillPercent = s.fill
	}
	sb.c = sb.b.Cursor()
}

// get is Bucket.Get through the cached cursor (repositioned by each Seek,
// so writes between two gets do not matter).
func (sb *subBucket) get(key []byte) []byte {
	if sb.b == nil {
		return nil
	}
	k, v := sb.c.Seek(key)
	if !bytes.Equal(k, key) {
		return nil
	}
	return v // nil for a nested bucket, as Get
}
