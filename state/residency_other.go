//go:build !linux

package state

// canDropResident: dropResident does nothing here.
const canDropResident = false

// dropResident does nothing where b2h does not know how to release a
// file mapping's pages safely.
func dropResident(addr uintptr, n int64) {}

// residentShared cannot tell here.
func residentShared() (int64, bool) { return 0, false }
