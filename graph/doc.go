// Package graph opens factgraph's quad stores and defines what every layer above
// shares: the vocabulary (namespaces, prefixes and well-known IRIs) and name
// resolution from what users type to graph nodes. The errors every layer
// returns are those of graph/errs.
//
// # Stores
//
// A store is opened from a URL (see [Open]): "memory" (the default), "bolt://PATH"
// and "postgres://...". The backends themselves are Cayley quad stores registered with graph.RegisterQuadStore; this package only maps URLs onto
// them, so a binary must blank-import the backends it wants (cmd/factgraph does).
//
// # Provenance
//
// Every fact quad carries as its label the IRI of the sentence that states it.
// Sentence nodes have a schema:text, a schema:position and a schema:isPartOf link to
// their document. See docs/evidence.md and docs/vocabulary.md.
package graph
