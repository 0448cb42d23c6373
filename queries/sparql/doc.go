// Package sparql is factgraph's SPARQL 1.1 query language, registered with
// Cayley as "sparql" (blank-import it): SELECT, ASK, CONSTRUCT and DESCRIBE
// on any store, with the sentences behind each solution as evidence.
//
// The default graph is the union of every graph in the store: each of
// factgraph's facts sits in the named graph of the sentence that states it
// (its quad label), so GRAPH ?g { ... } binds ?g to that sentence. FROM and
// FROM NAMED pick graphs by IRI. See docs/sparql.md.
//
// The work is split as in Oxigraph's design: package parser reads the text
// into the algebra of package algebra, package eval plans it against the
// store and runs it, and package results writes the result formats.
package sparql
