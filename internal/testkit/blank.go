package testkit

import (
	"sort"
	"testing"

	"github.com/cayleygraph/quad"
)

// BlankGraph is an N-Quads graph whose blank nodes stand as subject, object
// and label, each told apart by its urn:name, so that a test can compare two
// graphs up to the renaming of blank nodes (see Canonical): an export that
// reads back must give the same graph.
const BlankGraph = `_:alice <urn:name> "alice" .
_:bob <urn:name> "bob" .
_:alice <urn:knows> _:bob .
_:alice <urn:knows> _:bob <urn:g> .
<urn:doc> <urn:about> _:bob _:g1 .
_:g1 <urn:name> "g1" .
`

// Canonical renames the blank nodes of qs by their urn:name and returns the
// quads as sorted strings. A blank node without a name fails the test.
func Canonical(t testing.TB, qs []quad.Quad) []string {
	t.Helper()
	names := map[quad.BNode]string{}
	for _, q := range qs {
		if b, ok := q.Subject.(quad.BNode); ok && q.Predicate == quad.IRI("urn:name") {
			names[b] = quad.StringOf(q.Object)
		}
	}
	var out []string
	for _, q := range qs {
		for _, d := range quad.Directions {
			if b, ok := q.Get(d).(quad.BNode); ok {
				n, known := names[b]
				if !known {
					t.Fatalf("blank node %s has no name in %v", b, qs)
				}
				q.Set(d, quad.BNode(n))
			}
		}
		out = append(out, q.String())
	}
	sort.Strings(out)
	return out
}
