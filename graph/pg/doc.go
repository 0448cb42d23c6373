// Package pg is factgraph's PostgreSQL backend: Cayley's SQL store, with its
// schema and its query compiler unchanged, opened through pgx so that a URL
// may name several hosts, plus what a store shared by many servers needs.
//
// # Reads
//
// Reads are Cayley's: its SQL backend, registered here as a flavour on pgx's
// database/sql driver, so that multi-host URLs with target_session_attrs find
// the primary after a failover (lib/pq, which Cayley's own postgres flavour
// uses, takes one host).
//
// # Writes
//
// Every write, from a load of millions of quads to the delete of one, is one
// transaction that copies its quads into staging tables with COPY and merges
// them with a few statements: quads already stored (or not stored, for a
// delete) are found by one join, node reference counts change by what was
// really added or removed, and the rows are exactly those Cayley's own writer
// makes. A large load into an empty store copies straight into the tables
// and builds their indexes afterwards. See [Store.LoadQuads].
//
// # Changes
//
// Each write also appends one row to the table factgraph_changes, in the same
// transaction, and writers take that table's lock first, so rows are numbered
// in commit order. A server with a memory replica ([Replica], URL parameter
// replica=memory) fills a compact store from one COPY at start, answers
// queries from it, and applies every change row after its snapshot in order;
// LISTEN/NOTIFY wakes it at once, and it polls as well (a standby takes no
// LISTEN). See docs/backends.md.
package pg
