// Package algebra is the SPARQL 1.1 algebra (section 18 of the
// recommendation): the patterns, expressions and solution modifiers that the
// parser translates a query into and the evaluator runs. Format prints a
// pattern in the S-expression style of the specification's examples, which
// is what --explain shows.
package algebra
