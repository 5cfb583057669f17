package buildiumsim

import (
	"bytes"
	"encoding/json"
	"strconv"
	"sync"

	"b2h/clients/sim/fault"
	"b2h/clients/sim/gen"

	gojson "github.com/goccy/go-json"
)

// Injected list shapes (fault.Profile Short, ShortFor, Odd). Rules:
//   - Short pages: a list request served short gets its page's last N
//     records left out while X-Total-Count stays the whole result's size,
//     as a proxy cutting bodies or offsets shifting under edits would.
//     Every list request is served short until the count of short
//     requests runs out (none set: for ever).
//   - Odd records: each odd kind corrupts one record of every list, the
//     same one in the list and in its by-id GET. The records with the
//     lowest Ids get the kinds that apply to the kind of record, in
//     fault.Odd.Kinds order (the emergency kind applies to tenants only).
//     Odd records still count in X-Total-Count: they are records.

// listShape is the server's injected shape of list pages.
type listShape struct {
	mu    sync.Mutex
	short int
	left  int // short requests still to serve; -1: no end
	odd   fault.Odd
}

// set applies a fault profile's list shapes.
func (l *listShape) set(p fault.Profile) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.short, l.left, l.odd = p.Short, p.ShortFor, p.Odd
	if l.left == 0 {
		l.left = -1
	}
}

// SetShortPages serves every list page n records short (X-Total-Count
// stays true) until it is called again; 0 serves whole pages.
func (s *Server) SetShortPages(n int) { s.SetShortPagesFor(n, 0) }

// SetShortPagesFor serves the next requests list requests n records short,
// then whole pages again; requests 0 means every one until changed.
func (s *Server) SetShortPagesFor(n, requests int) {
	s.shape.mu.Lock()
	defer s.shape.mu.Unlock()
	s.shape.short, s.shape.left = n, requests
	if requests <= 0 {
		s.shape.left = -1
	}
}

// SetOddRecords serves the given odd record kinds (0: none); see OddRecords.
func (s *Server) SetOddRecords(o fault.Odd) {
	s.shape.mu.Lock()
	defer s.shape.mu.Unlock()
	s.shape.odd = o
}

// OddRecord is a record served in an odd shape.
type OddRecord struct {
	Kind gen.Kind
	ID   int32 // its real Id (what the odd shape hides or changes)
	Odd  fault.Odd
}

// OddRecords lists the records served odd now, by kind and Id.
func (s *Server) OddRecords() []OddRecord {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []OddRecord
	for _, k := range []struct {
		kind gen.Kind
		id   func(i int) int32
		n    int
	}{
		{gen.KindRental, func(i int) int32 { return s.p.Rentals[i].ID }, len(s.p.Rentals)},
		{gen.KindUnit, func(i int) int32 { return s.p.Units[i].ID }, len(s.p.Units)},
		{gen.KindTenant, func(i int) int32 { return s.p.Tenants[i].ID }, len(s.p.Tenants)},
		{gen.KindLease, func(i int) int32 { return s.p.Leases[i].ID }, len(s.p.Leases)},
	} {
		for i, o := range s.oddKinds(k.kind) {
			if i < k.n {
				out = append(out, OddRecord{Kind: k.kind, ID: k.id(i), Odd: o})
			}
		}
	}
	return out
}

// oddKinds are the odd kinds served for a kind of record, by storage
// index: the record stored at i (records are stored by Id) gets kinds[i].
func (s *Server) oddKinds(kind gen.Kind) []fault.Odd {
	s.shape.mu.Lock()
	o := s.shape.odd
	s.shape.mu.Unlock()
	if kind != gen.KindTenant {
		o &^= fault.OddEmergency
	}
	return o.Kinds()
}

// shorten returns the end of a page served short, hi itself when pages are
// whole; it counts the short request.
func (s *Server) shorten(lo, hi int) int {
	s.shape.mu.Lock()
	defer s.shape.mu.Unlock()
	if s.shape.short <= 0 || s.shape.left == 0 {
		return hi
	}
	if s.shape.left > 0 {
		s.shape.left--
	}
	s.stats.faults.Add(1)
	return max(lo, hi-s.shape.short)
}

// oddPage renders a list page whose records at storage indexes idx[j] <
// len(kinds) are served odd.
func oddPage[T any](kinds []fault.Odd, idx func(j int) int, out []T, total int) response {
	var b bytes.Buffer
	b.WriteByte('[')
	for j := range out {
		if j > 0 {
			b.WriteByte(',')
		}
		raw, err := gojson.Marshal(out[j])
		if err != nil {
			return okJSON(out, total) // the error answer
		}
		if i := idx(j); i < len(kinds) {
			raw = corrupt(raw, kinds[i])
		}
		b.Write(raw)
	}
	b.WriteByte(']')
	return response{status: 200, body: b.Bytes(), total: total}
}

// oddRecord serves a by-id answer odd if the record stored at i is.
func (s *Server) oddRecord(kind gen.Kind, i int, resp response) response {
	kinds := s.oddKinds(kind)
	if resp.status != 200 || i >= len(kinds) {
		return resp
	}
	resp.body = corrupt(resp.body, kinds[i])
	return resp
}

// corrupt rewrites one record's JSON in an odd shape.
func corrupt(raw []byte, o fault.Odd) []byte {
	if o == fault.OddNull {
		return []byte("null")
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return raw
	}
	switch o {
	case fault.OddZeroID:
		m["Id"] = json.RawMessage("0")
	case fault.OddNegative:
		m["Id"] = json.RawMessage("-5")
	case fault.OddStringID:
		m["Id"] = json.RawMessage(strconv.Quote(string(m["Id"])))
	case fault.OddBigID:
		m["Id"] = json.RawMessage("2147483648")
	case fault.OddEmergency:
		m["EmergencyContact"] = json.RawMessage("[]")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}
