package algebra

import (
	"strings"

	"github.com/cayleygraph/quad"
)

// Term is a place in a triple pattern: a variable (Var set) or an RDF term.
// Blank nodes of a query are variables whose names begin with "_:", which no
// query can name, so SELECT * leaves them out.
type Term struct {
	Var   string
	Value quad.Value
}

// V returns the variable term ?name.
func V(name string) Term { return Term{Var: name} }

// C returns the constant term v.
func C(v quad.Value) Term { return Term{Value: v} }

// IsVar reports whether t is a variable.
func (t Term) IsVar() bool { return t.Var != "" }

// Hidden reports whether a variable name is one the query cannot name: a
// blank node of the query, or a variable the translation made up.
func Hidden(name string) bool { return strings.HasPrefix(name, "_:") || strings.HasPrefix(name, " ") }

func (t Term) String() string {
	if t.IsVar() {
		if strings.HasPrefix(t.Var, "_:") {
			return t.Var
		}
		return "?" + strings.TrimSpace(t.Var)
	}
	if t.Value == nil {
		return "UNDEF"
	}
	return t.Value.String()
}

// Triple is a triple pattern.
type Triple struct {
	S, P, O Term
}

func (t Triple) String() string { return t.S.String() + " " + t.P.String() + " " + t.O.String() }

// Vars returns the variables of the triple, in order, once each.
func (t Triple) Vars() []string {
	var out []string
	for _, x := range []Term{t.S, t.P, t.O} {
		if x.IsVar() && !Contains(out, x.Var) {
			out = append(out, x.Var)
		}
	}
	return out
}

// Contains reports whether the list of variables l holds s.
func Contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
