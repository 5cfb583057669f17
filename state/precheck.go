package state

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// precheck reads a bbolt file's two meta pages and its freelist page header
// with plain reads, before bbolt maps the file, and reports damage bbolt would
// otherwise hit as a panic inside bolt.Open: a truncated file (pages past the
// end of the file, SIGBUS on access) or a destroyed freelist page. A panic
// there leaves the file mapped, and the mapping keeps the file lock, so the
// damaged state could not even be restored until the process exits.
//
// It follows bbolt's on-disk format version 2 (go.etcd.io/bbolt
// internal/common: page header, meta, freelist), which has not changed since
// 2014; a file with another magic or version is left to bbolt to reject.
// A nil result means "nothing found", not "verified": Verify does the full check.
func precheck(path string) (reason string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	size := st.Size()

	m0, ok0 := readMeta(f, 0)
	pageSize := int64(os.Getpagesize())
	if ok0 {
		pageSize = int64(m0.pageSize)
	}
	m1, ok1 := readMeta(f, pageSize)
	switch {
	case !ok0 && !ok1:
		return "", nil // not a valid bbolt meta: bbolt's own error says what is wrong
	case !ok0 || (ok1 && m1.txid > m0.txid):
		m0 = m1
	}
	if m0.pageSize < 512 || m0.pageSize > 1<<20 {
		return fmt.Sprintf("implausible page size %d", m0.pageSize), nil
	}
	ps := int64(m0.pageSize)
	if want := int64(m0.pgid) * ps; m0.pgid > 1<<40 || size < want {
		return fmt.Sprintf("truncated: %d bytes of %d", size, want), nil
	}
	if m0.root >= m0.pgid {
		return fmt.Sprintf("root page %d beyond the end %d", m0.root, m0.pgid), nil
	}
	if m0.freelist == noFreelist {
		return "", nil
	}
	if m0.freelist < 2 || m0.freelist >= m0.pgid {
		return fmt.Sprintf("freelist page %d out of range", m0.freelist), nil
	}
	var hdr [pageHeaderSize + 8]byte
	if _, err := f.ReadAt(hdr[:], int64(m0.freelist)*ps); err != nil {
		return fmt.Sprintf("freelist page unreadable: %v", err), nil
	}
	flags := binary.NativeEndian.Uint16(hdr[8:10])
	count := uint64(binary.NativeEndian.Uint16(hdr[10:12]))
	overflow := uint64(binary.NativeEndian.Uint32(hdr[12:16]))
	if flags&freelistPageFlag == 0 {
		return fmt.Sprintf("freelist page %d is damaged", m0.freelist), nil
	}
	if m0.freelist+overflow >= m0.pgid {
		return fmt.Sprintf("freelist page %d overflows the file", m0.freelist), nil
	}
	if count == 0xFFFF {
		count = binary.NativeEndian.Uint64(hdr[pageHeaderSize:]) + 1
	}
	if room := (overflow+1)*uint64(ps) - pageHeaderSize; count > room/8 {
		return fmt.Sprintf("freelist page %d claims %d entries", m0.freelist, count), nil
	}
	return "", nil
}

// bbolt format constants (internal/common).
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	metaChecksumOff  = 56 // bytes of meta covered by the checksum (magic … txid)
	freelistPageFlag = 0x10
	noFreelist       = ^uint64(0)
)

type boltMeta struct {
	pageSize                   uint32
	root, freelist, pgid, txid uint64
}

// readMeta reads and validates (magic, version, checksum) the meta page at off.
func readMeta(r io.ReaderAt, off int64) (boltMeta, bool) {
	var buf [pageHeaderSize + metaChecksumOff + 8]byte
	if _, err := r.ReadAt(buf[:], off); err != nil && !errors.Is(err, io.EOF) {
		return boltMeta{}, false
	}
	m := buf[pageHeaderSize:]
	ne := binary.NativeEndian
	if ne.Uint32(m[0:4]) != boltMagic || ne.Uint32(m[4:8]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:metaChecksumOff])
	if h.Sum64() != ne.Uint64(m[metaChecksumOff:]) {
		return boltMeta{}, false
	}
	return boltMeta{
		pageSize: ne.Uint32(m[8:12]),
		root:     ne.Uint64(m[16:24]),
		freelist: ne.Uint64(m[32:40]),
		pgid:     ne.Uint64(m[40:48]),
		txid:     ne.Uint64(m[48:56]),
	}, true
}
