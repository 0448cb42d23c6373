// Package pgha runs factgraph servers on a shared PostgreSQL and measures
// what such a set-up promises: how soon a write through one server shows
// through another, and that no write a server acknowledged is lost when the
// primary dies and its standby takes over. cmd/loadbench prints the figures;
// this package's tests check the promises against .ci/pgcluster.sh's
// three nodes (a primary, a synchronous standby, a read replica).
package pgha
