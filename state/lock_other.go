//go:build windows || plan9 || solaris || aix || android

package state

import (
	"errors"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// lockFile takes the state file's lock through bbolt itself on platforms where
// bbolt does not use flock. A file bbolt cannot open (damaged) is treated as
// unlocked: nothing else can be using it either.
func lockFile(path string, timeout time.Duration) (unlock func(), err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, &LockedError{Path: path}
	}
	if err != nil {
		return func() {}, nil
	}
	return func() { _ = db.Close() }, nil
}
