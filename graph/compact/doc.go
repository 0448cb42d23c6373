// Package compact is an in-memory Cayley quad store built for size and speed:
// the default memory backend of factgraph, registered with Cayley as
// "compact" so every Cayley language and tool runs on it.
//
// # Layout
//
// Values are interned into a dictionary of dense uint32 ids, their text kept
// in a byte arena and found through an open-addressing hash table. A quad is
// four ids. The quads of a generation sit in a segment sorted by subject, with
// a CSR index per direction (offsets per id, then quad positions), so the
// quads of any (direction, value) are one slice of exact length. Quads added
// later go to a delta: a fixed array of records linked, per direction and
// value, in insertion order. Deletes stamp the record with the version that
// deleted it. When the delta fills up, or a batch is too big for it, the
// store rebuilds one segment from the live quads (the bulk path).
//
// # Concurrency
//
// Readers never lock. Every iterator works on the snapshot that was current
// when it started: the version, the generation and how much of its delta and
// dictionary existed. Everything a snapshot can see is either immutable or
// append-only, and what a writer changes later (hash slots, chain links,
// delete stamps) is written and read atomically, so one writer and any
// number of readers run together race-free. Writers are serialised.
// ApplyDeltas checks the whole batch before changing anything and publishes
// the result as one new snapshot, so a batch is atomic both on failure (the
// store, dictionary included, is left as it was) and to readers. A store
// with a Persister (graph/disk) publishes a batch only once the persister
// has made it durable, and waits for that after letting go of the writer
// lock, so that the waits of concurrent batches overlap (ApplyBatch).
//
// # Exactness
//
// Stats always reports exact node and quad counts: nodes are the distinct
// values of live quads. NodesAllIterator yields each of them once, and
// ValueOf answers nil for a value that is in no live quad any more.
// Iterators over one direction report exact sizes.
//
// # Queries
//
// The store implements shape.Optimizer: fixed-value quad filters (Has, and
// Out or In from fixed nodes) become one scan of the shortest index list;
// Out and In after any node set become a nested-loop index join; Unique
// dedups with a bitmap over ids.
//
// # Loading
//
// LoadNQuads reads N-Quads on a fast path that interns terms straight from
// the input bytes and builds the indexes in bulk. NQuadsReader is the same
// parser as a quad.Reader. Both give exactly the quads of Cayley's own
// nquads reader: lines outside the common strict forms are handed to it.
//
// See docs/store.md for the design and measurements.
package compact
