// Package eval runs SPARQL algebra on any Cayley graph.QuadStore.
//
// A query is planned first (Prepare): variables get slots, each basic graph
// pattern orders its triple patterns by the sizes the store reports for their
// constants, and each join picks its strategy — an index nested-loop join
// that substitutes the left solution into the right side where the right
// side is a pattern of triples, paths and tables (substitution gives the same
// answer there), and a hash join on the shared variables elsewhere, which
// keeps the bottom-up semantics of OPTIONAL, MINUS and FILTER scopes exact.
// Plan.Run then pushes solutions through the plan; it stops at the context's
// deadline and at a row limit, and says so.
//
// The dataset: the default graph is either every graph merged (factgraph's
// data, whose facts are all labeled by their sentences), or only the unlabeled
// quads (as the W3C test suites load their data), or the graphs FROM names;
// the named graphs are every label, or those FROM NAMED names.
package eval
