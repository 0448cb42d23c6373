// Package rdfsyntax is the lexer that Turtle, TriG and SPARQL share: IRIs,
// prefixed names, blank node labels, variables, literals, numbers, language
// tags and punctuation, with byte offsets that Position turns into 1-based
// lines and columns.
//
// Keywords are not tokens of their own: a bare word (SELECT, a, true) is a
// Word, and each grammar decides what its words mean. The lexer is written to
// the terminals of the SPARQL 1.1 and Turtle grammars, which agree on every
// token both have.
package rdfsyntax
