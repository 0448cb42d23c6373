//go:build !unix

package graph

// checkUnlocked is a no-op where file locks are not checked; bbolt's own open
// then waits for the lock.
func checkUnlocked(string) error { return nil }
