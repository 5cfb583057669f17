package state

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The decoders read bytes from a file on disk that may be damaged: whatever
// they get, they must return an error or a value, never panic or allocate
// without bound; and whatever they accept must encode back to the same bytes.

func FuzzDecodeMapping(f *testing.F) {
	f.Add(encodeMappingRaw(mappingRaw{HubSpotType: "0-1", HubSpotID: "9", SyncHash: "abcd", LastSynced: time.Unix(5, 6),
		JobID: "j", CreatedByJob: "j", Sealed: []byte{1, 2, 3}, Extra: map[string]string{"a": "b"}}))
	f.Add(encodeMappingRaw(mappingRaw{SyncHash: "XYZ"}))
	f.Add([]byte{1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeMappingRaw(b)
		hsType, hsID, extra, rerr := decodeMappingRefExtra(b)
		if err != nil {
			return
		}
		// What the association pass reads of a mapping agrees with the whole.
		if rerr != nil || hsType != r.HubSpotType || hsID != r.HubSpotID || !reflect.DeepEqual(extra, r.Extra) {
			t.Fatalf("refs %q %q %v (%v); want %q %q %v", hsType, hsID, extra, rerr, r.HubSpotType, r.HubSpotID, r.Extra)
		}
		again, err := decodeMappingRaw(encodeMappingRaw(r))
		if err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("re-encoding changed the record: %+v → %+v (%v)", r, again, err)
		}
	})
}

func FuzzDecodeLedger(f *testing.F) {
	f.Add(encodeLedgerRaw(ledgerRaw{JobID: "j", ErrorType: "hubspot", RetryCount: 3, FirstSeen: time.Unix(1, 0),
		LastSeen: time.Unix(2, 0), Resolved: true, ResolvedAt: time.Unix(3, 0), ResolvedByJob: "k", Sealed: []byte{9}}))
	f.Add([]byte{1, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeLedgerRaw(b)
		if err != nil {
			return
		}
		if again, err := decodeLedgerRaw(encodeLedgerRaw(r)); err != nil || !reflect.DeepEqual(again, r) {
			t.Fatalf("re-encoding changed the record: %+v → %+v (%v)", r, again, err)
		}
	})
}

func FuzzDecodeAudit(f *testing.F) {
	f.Add(encodeAudit(AuditEntry{Time: time.Unix(7, 8), Action: ActionCreate, Kind: KindUnits, SourceID: "1",
		HubSpotType: "2-1", HubSpotID: "3"}, []byte{4, 5}))
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		a, sealed, err := decodeAuditRaw(b)
		if err != nil {
			return
		}
		a2, sealed2, err := decodeAuditRaw(encodeAudit(a, sealed))
		if err != nil || !reflect.DeepEqual(a2, a) || !bytes.Equal(sealed, sealed2) {
			t.Fatalf("re-encoding changed the record: %+v → %+v (%v)", a, a2, err)
		}
	})
}

// FuzzOpenSealed checks that garbage handed to the sealer is rejected, not panicked on.
func FuzzOpenSealed(f *testing.F) {
	ks, _ := NewKeySet()
	s, _ := newSealer(ks)
	good, _ := s.seal(aadSnapshot, []byte("x"))
	f.Add(good)
	f.Add([]byte{1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		pt, err := s.open(aadSnapshot, b)
		if err == nil && len(b) > 0 && !bytes.Equal(b, good) && pt != nil && string(pt) == "x" {
			t.Fatalf("forged value accepted")
		}
	})
}

func TestCodecTimes(t *testing.T) {
	cases := []time.Time{{}, time.Unix(0, 0).UTC(), time.Unix(0, 1).UTC(), time.Unix(-5, 0).UTC(),
		time.Date(2026, 11, 27, 0, 21, 53, 123456789, time.UTC), time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)}
	for _, want := range cases {
		e := encoder{}
		e.time(want)
		d := decoder{b: e.b}
		if got := d.time(); !got.Equal(want) || d.err != nil || len(d.b) != 0 {
			t.Errorf("time %v round trip = %v, %v", want, got, d.err)
		}
	}
}

// FuzzHexStr: hexstr writes what it always wrote (lower-case even-length hex
// as its bytes, tag 1; anything else as a string, tag 0), and reads back.
func FuzzHexStr(f *testing.F) {
	for _, s := range []string{"", "00", "abcdef0123456789", "ABCD", "abc", "0g", strings.Repeat("f", 64), "é1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e encoder
		e.hexstr(s)
		var want encoder
		if raw, err := hex.DecodeString(s); err == nil && s != "" && hex.EncodeToString(raw) == s {
			want.byte1(1)
			want.bytes(raw)
		} else {
			want.byte1(0)
			want.str(s)
		}
		if !bytes.Equal(e.b, want.b) {
			t.Fatalf("hexstr(%q) = %x; want %x", s, e.b, want.b)
		}
		d := decoder{b: e.b}
		if got := d.hexstr(); got != s || d.err != nil || len(d.b) != 0 {
			t.Fatalf("hexstr(%q) reads back as %q, %v", s, got, d.err)
		}
	})
}
