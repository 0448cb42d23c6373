package disk

import (
	"os"
	"syscall"
)

// syncData flushes a file's data to disk: fdatasync, which skips metadata
// that does not matter for reading it back (the log is extended ahead).
func syncData(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
