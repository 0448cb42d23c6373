// Package w3c runs the W3C SPARQL test suites (the data sets kept beside the
// repository, see testkit.Shared): it reads their Turtle manifests, loads
// each evaluation test's data into a memory store, runs its query and
// compares the answer as the suite says (solution multisets, blank nodes up
// to renaming, order where the query orders, graphs up to isomorphism), and
// parses every syntax test. Known failures, with their reasons, are in
// known.go; anything else that fails is a regression.
package w3c
