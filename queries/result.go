package queries

import (
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// Cell is one value of a row: a graph value (node or literal) with its display
// name, or, for results that are not graph values (GraphQL and MQL trees, Gizmo's
// Emit), a JSON-ready value.
type Cell struct {
	Value quad.Value // nil for JSON cells and for tags a row does not bind
	Name  string     // schema:name of a node, or the literal's text
	JSON  any        // set for JSON cells only
	ref   cgraph.Ref
}

// IsNode reports whether the cell holds an IRI or blank node.
func (c Cell) IsNode() bool { return graph.IsNode(c.Value) }

// Row is one result: cells aligned with Result.Columns, and the evidence behind
// it when evidence was asked for.
type Row struct {
	Cells    []Cell
	Evidence []Fact
	tags     map[string]cgraph.Ref // every tag the row bound, hidden ones included
}

// Result is the outcome of one query.
type Result struct {
	Lang      string
	Columns   []string // result columns; a node column c prints as c and c_iri
	Rows      []Row
	Limit     int  // the row cap in force (0: none)
	Truncated bool // more rows existed than Limit
	Elapsed   time.Duration
	Evidence  bool // rows carry evidence
	// Warnings tell of limits that cut the result in ways its rows cannot
	// show, such as a recursive step stopped by its depth bound.
	Warnings []string

	nodeCols []bool // which columns hold nodes (see nodeColumn)
}
