package hubspotsim

import (
	"maps"
	"sync"
)

// Stats counts what the simulator has served since New or ResetStats.
type Stats struct {
	// Requests is every request received, including those answered by an
	// injected fault, a 401 or a 429.
	Requests int64
	// Writes counts requests to record-mutating endpoints that passed
	// authentication and rate limits, whatever their outcome: batch
	// create/update/upsert/archive, single create/patch/delete, association
	// create/archive, and property, group, schema and label creation.
	Writes int64
	// RateLimited counts 429 responses (real limits and injected storms).
	RateLimited int64
	// ByKind counts requests per endpoint, e.g. "objects.batch.upsert",
	// "objects.batch.read", "associations.batch.create", "search",
	// "properties", "schemas".
	ByKind map[string]int64
	// Errors counts responses by HTTP status, for statuses ≥ 400.
	// Connection resets have no status and are counted under 0.
	Errors map[int]int64
}

// statsCollector accumulates Stats under its own lock.
type statsCollector struct {
	mu sync.Mutex
	s  Stats
}

// reset clears all counters.
func (c *statsCollector) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = Stats{ByKind: map[string]int64{}, Errors: map[int]int64{}}
}

// begin counts a request of kind.
func (c *statsCollector) begin(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Requests++
	c.s.ByKind[kind]++
}

// write counts a write call.
func (c *statsCollector) write() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Writes++
}

// reset1 counts a reset connection.
func (c *statsCollector) reset1() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Errors[0]++
}

// end counts a response status.
func (c *statsCollector) end(status int) {
	if status < 400 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Errors[status]++
	if status == 429 {
		c.s.RateLimited++
	}
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.stats.mu.Lock()
	defer s.stats.mu.Unlock()
	out := s.stats.s
	out.ByKind = maps.Clone(s.stats.s.ByKind)
	out.Errors = maps.Clone(s.stats.s.Errors)
	return out
}

// ResetStats clears the counters (records and limits are untouched).
func (s *Server) ResetStats() { s.stats.reset() }
