//go:build !linux

package state

// dropResident does nothing where b2h does not know how to release a
// file mapping's pages safely.
func dropResident(addr uintptr, n int64) {}
