//go:build !windows && !plan9 && !solaris && !aix && !android

package state

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// lockFile takes the same exclusive advisory lock bbolt takes on a state file
// (flock), without needing the file to be a valid bbolt file: Restore must lock
// a damaged state before replacing it. It waits up to timeout and returns a
// *LockedError if another process keeps the lock.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, &LockedError{Path: path}
		}
		time.Sleep(50 * time.Millisecond)
	}
}
