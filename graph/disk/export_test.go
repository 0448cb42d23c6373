package disk

import "os"

// SetSyncFile makes the logs of every store sync with fn until restore is
// called.
func SetSyncFile(fn func(*os.File) error) (restore func()) {
	old := syncFile
	syncFile = fn
	return func() { syncFile = old }
}

// SyncData is the sync the logs use.
var SyncData = syncData

// MappedSegments returns how many segment files s has mapped.
func MappedSegments(s *Store) int {
	s.maps.mu.Lock()
	defer s.maps.mu.Unlock()
	return len(s.maps.live)
}
