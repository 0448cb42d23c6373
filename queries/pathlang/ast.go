package pathlang

// Query is a start followed by steps. Sub-queries of and/or/except are Queries too.
type Query struct {
	Start Start
	Steps []Step
	AsOf  *AsOf // the day the query is answered as of; nil for now
}

// Start is where a query begins: named nodes, or every node.
type Start struct {
	At    Pos
	All   bool   // '*'
	Nodes []Node // one node, or the members of {a, b}
}

// Node names a graph node (or, in a filter, a value).
type Node struct {
	At   Pos
	Kind Kind   // IDENT, PNAME, IRI, STRING, NUMBER or DATE
	Text string // without quotes or angle brackets
}

// Step is one operation applied to the current nodes.
type Step interface {
	Pos() Pos
}

// Direction of a traversal or of a has-filter.
type Direction int

// Directions.
const (
	Out Direction = iota
	In
	Both
)

// Traverse moves along predicates: -> p, <- p, <-> p, with + or * repetition.
type Traverse struct {
	At     Pos
	Dir    Direction
	Preds  []Node // empty: any predicate ('*')
	Repeat Kind   // 0, PLUS (one or more) or STAR (zero or more)
}

// Filter keeps the current nodes that pass every condition: [c1, c2].
type Filter struct {
	At    Pos
	Conds []Cond
}

// Cond is one filter condition: "p op value", or "-> p" / "<- p" (has any).
type Cond struct {
	At    Pos
	Pred  Node
	Op    Kind // EQ, NEQ, LT, LTE, GT, GTE, MATCH; or OUT/IN for has-any
	Value Node // unset for has-any
}

// As tags the current nodes as a result column.
type As struct {
	At   Pos
	Name string
}

// Back returns to the nodes tagged Name.
type Back struct {
	At   Pos
	Name string
}

// SetOp intersects (and), unites (or) or subtracts (except) a sub-query.
type SetOp struct {
	At  Pos
	Op  string // "and", "or", "except"
	Sub *Query
}

// Modifier is unique, order or count.
type Modifier struct {
	At   Pos
	Name string
}

// Slice is limit N or skip N.
type Slice struct {
	At   Pos
	Name string // "limit" or "skip"
	N    int64
}

// InSource restricts the following traversals to quads labeled by Source (or, for
// a document, by any of its sentences).
type InSource struct {
	At     Pos
	Source Node
}

func (s *Traverse) Pos() Pos { return s.At }
func (s *Filter) Pos() Pos   { return s.At }
func (s *As) Pos() Pos       { return s.At }
func (s *Back) Pos() Pos     { return s.At }
func (s *SetOp) Pos() Pos    { return s.At }
func (s *Modifier) Pos() Pos { return s.At }
func (s *Slice) Pos() Pos    { return s.At }
func (s *InSource) Pos() Pos { return s.At }
