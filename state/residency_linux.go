//go:build linux

package state

import (
	"bytes"
	"os"
	"strconv"
	gosync "sync"
	"syscall"
)

// canDropResident: dropResident works here.
const canDropResident = true

// dropResident advises the kernel that the n bytes of the shared file
// mapping at addr are not needed (MADV_DONTNEED): their pages leave this
// process's resident set; for a shared file mapping the next access maps
// the file's current contents again (madvise(2)). Errors are ignored: the
// advice is an optimisation.
func dropResident(addr uintptr, n int64) {
	if addr == 0 || n <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, addr, uintptr(n), syscall.MADV_DONTNEED)
}

var statm struct {
	once gosync.Once
	f    *os.File // nil when it cannot be opened
}

// residentShared returns the bytes of this process's resident shared pages
// (file-backed, mostly: the state file's mapping and b2h's own code), from
// /proc/self/statm: one read of a small file kept open, a few microseconds.
func residentShared() (int64, bool) {
	statm.once.Do(func() { statm.f, _ = os.Open("/proc/self/statm") })
	if statm.f == nil {
		return 0, false
	}
	var buf [128]byte
	n, _ := statm.f.ReadAt(buf[:], 0) // io.EOF with the whole (short) file
	if n <= 0 {
		return 0, false
	}
	// size resident shared text lib data dt, in pages
	f := bytes.Fields(buf[:n])
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}
