//go:build unix

package graph

import (
	"errors"
	"os"
	"syscall"
)

// checkUnlocked returns ErrStoreInUse if another process holds the lock of the
// bolt file at path. bbolt takes that lock on open and, as Cayley opens it,
// waits for it without end; checking first turns the wait into an error. A file
// that does not exist yet is not locked.
func checkUnlocked(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close() // closing releases a lock taken here
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return ErrStoreInUse
	}
	return err
}
