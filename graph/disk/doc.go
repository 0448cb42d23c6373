// Package disk is factgraph's persistent quad store: the compact store's
// layout (graph/compact) kept in files, registered with Cayley as "disk" and
// opened by factgraph as disk://DIR.
//
// # Files
//
// A store is a directory holding one immutable segment file, seg-N.fgs (the
// dictionary and the per-direction indexes, mapped into memory at open), the
// write-ahead log of the batches committed since it was written, wal-N.log,
// and a LOCK file. Opening reads the segment's header and replays the log;
// queries fault in only the pages they touch. A segment that a checkpoint
// replaced is unmapped, and its disk space returns, once no snapshot or
// iterator reads it any more.
//
// # Durability
//
// A batch is appended to the log as one record framed by its length and a
// CRC-32C checksum and synced to disk before ApplyDeltas returns; batches of
// concurrent writers that are appended while a sync runs share the next one
// (group commit), and each becomes visible only once it is synced. A batch
// too big for the in-memory delta, and the batch that takes the log past
// its limit, instead end in a checkpoint: a new segment holding everything,
// written beside the current one, synced, and made current by renaming it
// into place and syncing the directory. A torn record at the end of the log
// (a crash while appending) is never acknowledged and is dropped at open.
//
// # Processes
//
// One process writes: it holds the lock on the LOCK file. A store opened
// while another process holds the lock is read-only; it sees the segment and
// log as they were when it opened, and catches up with the writer (new log
// records, a new segment after a checkpoint) at most every RefreshInterval,
// when a query asks it for a value or for all nodes or quads.
//
// See docs/store.md for the file format and the guarantees.
package disk
