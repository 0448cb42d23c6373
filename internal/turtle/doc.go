// Package turtle reads Turtle and TriG documents into quads, on the lexer
// that SPARQL shares (internal/rdfsyntax). Triples of a Turtle document, and
// of TriG's default graph, have no label; TriG's named graphs label theirs.
// The first error stops the read and says where it is.
package turtle
