package eval

import (
	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// DefaultGraph says what a query's default graph is when it has no FROM.
type DefaultGraph int

const (
	// UnionGraph makes the default graph every quad of the store, labeled or
	// not: factgraph's facts all sit in their sentences' graphs.
	UnionGraph DefaultGraph = iota
	// UnlabeledGraph makes the default graph the quads without a label, as
	// the W3C test suites load their data.
	UnlabeledGraph
)

// Dataset is the RDF dataset a query runs on when the query itself names
// none; FROM and FROM NAMED in the query replace it.
type Dataset struct {
	Default DefaultGraph
	// From and FromNamed, when set, are the graphs of the default graph and
	// the named graphs (a protocol request's default-graph-uri and
	// named-graph-uri); they override the query's own.
	From, FromNamed []string
}

// graphSet is a set of graphs, resolved to the store's refs.
type graphSet struct {
	all       bool // every label (and, for a default graph, no label too)
	unlabeled bool // the quads without a label
	labels    map[any]bool
	list      []cgraph.Ref
}

// dataset is a resolved dataset.
type dataset struct {
	def   graphSet
	named graphSet
}

func resolveSet(x *exec, iris []string) graphSet {
	s := graphSet{labels: map[any]bool{}}
	for _, iri := range iris {
		if r := x.refOf(quad.IRI(iri)); r != nil && !s.labels[r.Key()] {
			s.labels[r.Key()] = true
			s.list = append(s.list, r)
		}
	}
	return s
}

// multi reports whether the set spans more than one graph, so that a
// triple may be found in several and must be counted once.
func (s graphSet) multi() bool { return s.all || len(s.list) > 1 || s.unlabeled && len(s.list) > 0 }

// hasLabel reports whether a quad's label ref is in the set; nil is the
// unlabeled graph.
func (s graphSet) hasLabel(x *exec, l cgraph.Ref, asDefault bool) bool {
	if l == nil || x.nameOf(l) == nil {
		return asDefault && (s.all || s.unlabeled)
	}
	return s.all || s.labels[l.Key()]
}
