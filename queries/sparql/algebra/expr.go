package algebra

import "github.com/cayleygraph/quad"

// Expr is an expression.
type Expr interface{ expr() }

// Const is an RDF term.
type Const struct{ Value quad.Value }

// VarRef is a variable.
type VarRef struct{ Name string }

// Call is an operator or function: Op is the operator ("&&", "+", "u-" for
// unary minus, "!"), the lower-case name of a built-in ("strlen"), or the
// IRI of a cast or extension function.
type Call struct {
	Op   string
	Args []Expr
}

// Exists is EXISTS or NOT EXISTS.
type Exists struct {
	Pattern Pattern
	Not     bool
}

// In is IN or NOT IN.
type In struct {
	Expr Expr
	List []Expr
	Not  bool
}

// Aggregate is an aggregate call; translation replaces it, outside Group, by
// the variable it is bound to.
type Aggregate struct {
	Name      string // count, sum, min, max, avg, sample, group_concat
	Distinct  bool
	Arg       Expr // nil for COUNT(*)
	Separator string
}

func (*Const) expr()     {}
func (*VarRef) expr()    {}
func (*Call) expr()      {}
func (*Exists) expr()    {}
func (*In) expr()        {}
func (*Aggregate) expr() {}
