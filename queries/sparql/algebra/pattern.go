package algebra

import "github.com/cayleygraph/quad"

// Pattern is a graph pattern or solution modifier of the algebra.
type Pattern interface{ pattern() }

// BGP is a basic graph pattern: triple patterns that must all match.
type BGP struct{ Triples []Triple }

// PathPattern is a triple pattern whose predicate is a property path that is
// not a plain IRI.
type PathPattern struct {
	S    Term
	Path Path
	O    Term
}

// Join joins the solutions of two patterns.
type Join struct{ Left, Right Pattern }

// LeftJoin is OPTIONAL: every solution of Left, extended by compatible
// solutions of Right for which Expr (if any) is true.
type LeftJoin struct {
	Left, Right Pattern
	Expr        Expr // nil: true
}

// Filter keeps the solutions of Inner for which every expression is true.
type Filter struct {
	Exprs []Expr
	Inner Pattern
}

// Union is the solutions of both sides.
type Union struct{ Left, Right Pattern }

// Minus is the solutions of Left that are compatible with no solution of
// Right sharing a variable with them.
type Minus struct{ Left, Right Pattern }

// Graph matches Inner in the named graph Name (an IRI, or a variable that
// ranges over the named graphs).
type Graph struct {
	Name  Term
	Inner Pattern
}

// Extend is BIND: it adds Var, bound to Expr's value (left unbound when the
// expression is an error).
type Extend struct {
	Inner Pattern
	Var   string
	Expr  Expr
}

// Table is VALUES: fixed solutions. A nil value is UNDEF.
type Table struct {
	Vars []string
	Rows [][]quad.Value
}

// Group groups the solutions of Inner by Keys and computes Aggregates for
// each group, binding each to its Var.
type Group struct {
	Inner      Pattern
	Keys       []GroupKey
	Aggregates []AggregateBinding
}

// GroupKey is one GROUP BY term: an expression, bound to Var when it has
// one (GROUP BY (expr AS ?v), or a plain variable).
type GroupKey struct {
	Expr Expr
	Var  string
}

// AggregateBinding binds one aggregate of a group to a variable.
type AggregateBinding struct {
	Var string
	Agg *Aggregate
}

// OrderBy sorts the solutions of Inner.
type OrderBy struct {
	Inner Pattern
	Conds []OrderCond
}

// OrderCond is one ORDER BY key.
type OrderCond struct {
	Expr Expr
	Desc bool
}

// Project keeps the variables Vars of each solution.
type Project struct {
	Inner Pattern
	Vars  []string
}

// Distinct removes duplicate solutions.
type Distinct struct{ Inner Pattern }

// Reduced may remove duplicate solutions; factgraph removes those that
// follow each other.
type Reduced struct{ Inner Pattern }

// Slice is OFFSET and LIMIT; Limit < 0 means none.
type Slice struct {
	Inner         Pattern
	Offset, Limit int
}

// Service is SERVICE, which factgraph parses but does not run.
type Service struct {
	Name   Term
	Inner  Pattern
	Silent bool
}

func (*BGP) pattern()         {}
func (*PathPattern) pattern() {}
func (*Join) pattern()        {}
func (*LeftJoin) pattern()    {}
func (*Filter) pattern()      {}
func (*Union) pattern()       {}
func (*Minus) pattern()       {}
func (*Graph) pattern()       {}
func (*Extend) pattern()      {}
func (*Table) pattern()       {}
func (*Group) pattern()       {}
func (*OrderBy) pattern()     {}
func (*Project) pattern()     {}
func (*Distinct) pattern()    {}
func (*Reduced) pattern()     {}
func (*Slice) pattern()       {}
func (*Service) pattern()     {}
