// Package parser reads SPARQL 1.1 queries into the algebra of package
// algebra: prologue, the four query forms, datasets, every graph pattern,
// property paths, expressions, aggregates and solution modifiers. It reports
// the first syntax error at its line and column ("expected X, found Y"), and
// the errors the recommendation makes of well-formed text: a variable bound
// twice in scope, ungrouped variables in an aggregate query, a blank node
// label shared by two basic graph patterns.
//
// It needs only the standard library and the lexer it shares with Turtle
// (internal/rdfsyntax).
package parser
