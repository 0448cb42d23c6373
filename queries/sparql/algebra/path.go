package algebra

import "github.com/cayleygraph/quad"

// Path is a property path.
type Path interface{ path() }

// Link is one predicate IRI.
type Link struct{ IRI quad.IRI }

// Inverse is ^path.
type Inverse struct{ Path Path }

// Sequence is a/b.
type Sequence struct{ Left, Right Path }

// Alternative is a|b.
type Alternative struct{ Left, Right Path }

// ZeroOrMore is path*.
type ZeroOrMore struct{ Path Path }

// OneOrMore is path+.
type OneOrMore struct{ Path Path }

// ZeroOrOne is path?.
type ZeroOrOne struct{ Path Path }

// NegatedSet is !(a|^b): any one predicate not in Forward, followed
// forwards, or not in Backward, followed backwards.
type NegatedSet struct {
	Forward, Backward []quad.IRI
	// HasForward and HasBackward say which directions the set names at all:
	// !(^a) matches no forward link.
	HasForward, HasBackward bool
}

func (*Link) path()        {}
func (*Inverse) path()     {}
func (*Sequence) path()    {}
func (*Alternative) path() {}
func (*ZeroOrMore) path()  {}
func (*OneOrMore) path()   {}
func (*ZeroOrOne) path()   {}
func (*NegatedSet) path()  {}
