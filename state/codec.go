package state

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The compact binary record format used for the high-volume buckets (mappings,
// ledger, audit). Every record starts with a format version byte so a later
// build can still read what an earlier one wrote; fields are uvarint-length
// strings, uvarints and zig-zag times, in a fixed order per version.

// errShort is reported when a record ends before its last field.
var errShort = errors.New("record too short")

// encoder appends fields to a byte slice.
type encoder struct{ b []byte }

func (e *encoder) byte1(v byte)     { e.b = append(e.b, v) }
func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) bool1(v bool)     { e.byte1(boolByte(v)) }
func (e *encoder) bytes(v []byte)   { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) str(v string)     { e.uvarint(uint64(len(v))); e.b = append(e.b, v...) }

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// time writes 0 for the zero time, else 1 + zig-zag(UnixNano).
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.uvarint(0)
		return
	}
	n := t.UnixNano()
	e.uvarint((uint64(n<<1) ^ uint64(n>>63)) + 1)
}

// hexstr writes lower-case even-length hex (a typical sync hash) as its bytes,
// halving its size, and anything else as a plain string.
func (e *encoder) hexstr(s string) {
	if len(s) > 0 && len(s)%2 == 0 {
		// Decoded in place, after the tag and the length: no buffer.
		start := len(e.b)
		e.byte1(1)
		e.uvarint(uint64(len(s) / 2))
		var ok bool
		if e.b, ok = appendLowerHex(e.b, s); ok {
			return
		}
		e.b = e.b[:start]
	}
	e.byte1(0)
	e.str(s)
}

// appendLowerHex appends the bytes lower-case hex s spells; ok is false
// (and b's new bytes garbage) when s holds anything else.
func appendLowerHex(b []byte, s string) (_ []byte, ok bool) {
	for i := 0; i+1 < len(s); i += 2 {
		hi, ok1 := lowerHexDigit(s[i])
		lo, ok2 := lowerHexDigit(s[i+1])
		if !ok1 || !ok2 {
			return b, false
		}
		b = append(b, hi<<4|lo)
	}
	return b, true
}

func lowerHexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// kv writes a string map sorted by key, so equal maps encode to equal bytes.
func (e *encoder) kv(m map[string]string) {
	e.uvarint(uint64(len(m)))
	if len(m) == 0 {
		return
	}
	var stack [8]string // the usual few keys, without a heap allocation
	keys := stack[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

// decoder reads fields written by encoder. The first error sticks; every read
// after it returns a zero value, so callers check d.err once at the end.
// Strings and byte slices are copied: bbolt memory is valid only inside a tx.
type decoder struct {
	b   []byte
	err error
}

// fail records the first error, marked as a damaged record (see recordError).
func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = badRecord(err)
	}
}

func (d *decoder) byte1() byte {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 1 {
		d.fail(errShort)
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(errShort)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bool1() bool {
	switch d.byte1() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail(errors.New("bad boolean"))
	return false
}

// raw returns the next length-prefixed field without copying.
func (d *decoder) raw() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail(errShort)
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	v := d.raw()
	if len(v) == 0 {
		return nil
	}
	return append([]byte(nil), v...)
}

func (d *decoder) str() string { return string(d.raw()) }

// count reads an element count and rejects counts the remaining bytes cannot
// hold (each element takes at least one byte), so garbage never allocates much.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail(fmt.Errorf("count %d exceeds record", n))
		return 0
	}
	return int(n)
}

func (d *decoder) time() time.Time {
	v := d.uvarint()
	if v == 0 || d.err != nil {
		return time.Time{}
	}
	v--
	n := int64(v>>1) ^ -int64(v&1)
	return time.Unix(0, n).UTC()
}

func (d *decoder) hexstr() string {
	switch d.byte1() {
	case 0:
		return d.str()
	case 1:
		return hex.EncodeToString(d.raw())
	}
	d.fail(errors.New("bad string tag"))
	return ""
}

func (d *decoder) kv() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for i := 0; i < n && d.err == nil; i++ {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

// version reads the record format byte and checks it against the versions the
// caller can decode.
func (d *decoder) version(maxKnown byte) byte {
	v := d.byte1()
	if d.err == nil && (v == 0 || v > maxKnown) {
		d.fail(fmt.Errorf("unknown record format %d", v))
	}
	return v
}
