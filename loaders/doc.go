// Package loaders reads quads from bytes (N-Quads and N-Triples, Turtle and TriG, plain or gzip,
// and any other format registered with Cayley's quad.RegisterFormat) and applies
// them to a store atomically.
//
// Malformed input is reported as FILE:LINE:COL: expected X, found Y; several
// errors are collected, up to a bound, into an errs.List, as go/scanner does. A
// load either adds every quad of every source or, on any error, nothing.
package loaders
