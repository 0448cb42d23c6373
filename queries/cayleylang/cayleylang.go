// Package cayleylang runs Cayley's own query languages — Gizmo, GraphQL and
// MQL — as factgraph languages: it registers them (by importing Cayley's
// packages) and adapts their results to factgraph's rows, evidence included.
// Blank-import it where those languages should be available.
//
// Evidence is what the plan recorded (see queries/trace): Gizmo rows carry
// the quads of their path in their tags; GraphQL and Gizmo's Emit put them in
// their result trees, under the recording tags, which the adapter moves out
// of the tree; MQL turns every tag into part of its tree, so its quads are
// recorded beside the results and given to the row whose root they reached.
//
// Two limits of Cayley's languages show in their evidence: a repeated step
// (Gizmo's FollowRecursive) records only the last link of each chain, and
// GraphQL fields that list every predicate of a node (*) read the node's
// quads directly, outside the plan, so they record none.
package cayleylang

import (
	"fmt"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/gizmo"
	_ "github.com/cayleygraph/cayley/query/graphql" // registers the language
	_ "github.com/cayleygraph/cayley/query/mql"     // registers the language
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/trace"
)

func init() {
	queries.RegisterAdapter("gizmo", queries.Adapter{Adapt: gizmoRow})
	queries.RegisterAdapter("graphql", queries.Adapter{Adapt: treeRow})
	queries.RegisterAdapter("mql", queries.Adapter{Adapt: mqlRow, Record: trace.Aside})
}

// gizmoRow adapts a Gizmo result: tags (All, ForEach without Emit) or an
// emitted value.
func gizmoRow(qs cgraph.QuadStore, res any) (*queries.TracedRow, error) {
	r, ok := res.(*gizmo.Result)
	switch {
	case !ok:
		return treeRow(qs, res)
	case r.Meta:
		return nil, nil
	case r.Tags != nil:
		quads, err := trace.Quads(qs, r.Tags)
		return &queries.TracedRow{Tags: r.Tags, Quads: quads}, err
	}
	return treeRow(qs, r.Val)
}

// treeRow adapts a result tree, taking the recorded quads out of it.
func treeRow(_ cgraph.QuadStore, tree any) (*queries.TracedRow, error) {
	if tree == nil {
		return nil, nil
	}
	row := &queries.TracedRow{}
	row.JSON = strip(tree, &row.Quads)
	return row, nil
}

// strip returns tree without the entries of recording tags, whose quads it
// appends to quads.
func strip(tree any, quads *[]quad.Quad) any {
	switch t := tree.(type) {
	case map[string]any:
		for k, v := range t {
			if !trace.IsTag(k) {
				t[k] = strip(v, quads)
				continue
			}
			*quads = append(*quads, recorded(v)...)
			delete(t, k)
		}
	case []any:
		for i, v := range t {
			t[i] = strip(v, quads)
		}
	case []map[string]any:
		for _, v := range t {
			strip(v, quads)
		}
	}
	return tree
}

// recorded returns the recorded quads a tree holds under a recording tag:
// one, or a list of them where several paths bound the tag. GraphQL keeps
// the trace.Value; Gizmo hands JavaScript its Native form, the quad.
func recorded(v any) []quad.Quad {
	switch v := v.(type) {
	case trace.Value:
		return []quad.Quad{v.Quad}
	case quad.Quad:
		return []quad.Quad{v}
	case []quad.Value:
		var out []quad.Quad
		for _, e := range v {
			out = append(out, recorded(e)...)
		}
		return out
	case []any:
		var out []quad.Quad
		for _, e := range v {
			out = append(out, recorded(e)...)
		}
		return out
	}
	return nil
}

// mqlRoot is the tag MQL gives the root node of each result.
const mqlRoot = ""

// mqlRow adapts an MQL result: a tree whose "id" is its root node, which
// gets the quads of every result that reached that root.
func mqlRow(qs cgraph.QuadStore, res any) (*queries.TracedRow, error) {
	row, err := treeRow(qs, res)
	if row == nil || err != nil {
		return row, err
	}
	ts, ok := qs.(*trace.Store)
	if !ok {
		return row, nil
	}
	tree, _ := row.JSON.(map[string]any)
	id := fmt.Sprint(tree["id"])
	for _, rec := range ts.Aside() {
		root, err := qs.NameOf(rec.Tags[mqlRoot])
		if err != nil {
			return nil, err
		}
		if root == nil || quad.StringOf(root) != id && root.String() != id {
			continue
		}
		for _, r := range rec.Quads {
			q, err := ts.Quad(r)
			if err != nil {
				return nil, err
			}
			row.Quads = append(row.Quads, q)
		}
	}
	return row, nil
}
