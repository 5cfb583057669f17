//go:build linux

package state

import "syscall"

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
