package queries

import (
	"context"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// rowBuilder turns raw rows into rows: display names, and evidence if asked.
type rowBuilder struct {
	names    *namer
	evidence *evidenceFinder // nil: no evidence
}

func newRowBuilder(qs cgraph.QuadStore, evidence bool) *rowBuilder {
	b := &rowBuilder{names: newNamer(qs)}
	if evidence {
		b.evidence = newEvidenceFinder(qs)
	}
	return b
}

func (b *rowBuilder) build(ctx context.Context, cols []string, raw *TracedRow) (Row, error) {
	row, err := buildRow(ctx, b.names, cols, raw)
	if err != nil || b.evidence == nil {
		return row, err
	}
	row.Evidence, err = b.evidence.rowEvidence(ctx, raw.Quads)
	return row, err
}

// jsonColumn is the one column of rows that are JSON values.
const jsonColumn = "result"

// columnsOf orders the visible tags of all rows: the main tag ("node" for path
// expressions, "id" for Gizmo) first, then the others in first-seen order, then
// the JSON column if any row has one. Tags starting with "_" or "$" are hidden.
func columnsOf(rows []*TracedRow) []string {
	var cols []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	hasJSON := false
	for _, main := range []string{"node", "id"} {
		for _, r := range rows {
			_, tagged := r.Tags[main]
			if _, computed := r.Values[main]; tagged || computed {
				add(main)
				break
			}
		}
	}
	for _, r := range rows {
		if r.isJSON() {
			hasJSON = true
			continue
		}
		keys := make([]string, 0, len(r.Tags)+len(r.Values))
		for k := range r.Tags {
			if !hidden(k) {
				keys = append(keys, k)
			}
		}
		for k := range r.Values {
			if _, dup := r.Tags[k]; !dup && !hidden(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(k)
		}
	}
	if hasJSON {
		add(jsonColumn)
	}
	return cols
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func hidden(tag string) bool { return strings.HasPrefix(tag, "_") || strings.HasPrefix(tag, "$") }

func buildRow(ctx context.Context, names *namer, cols []string, r *TracedRow) (Row, error) {
	row := Row{Cells: make([]Cell, len(cols)), tags: r.Tags}
	for i, c := range cols {
		if r.isJSON() {
			if c == jsonColumn {
				row.Cells[i] = Cell{JSON: r.JSON}
			}
			continue
		}
		var (
			cell Cell
			err  error
		)
		if ref, ok := r.Tags[c]; ok {
			cell, err = names.cell(ctx, ref)
		} else if v, ok := r.Values[c]; ok {
			cell, err = names.valueCell(ctx, v)
		} else {
			continue
		}
		if err != nil {
			return Row{}, err
		}
		row.Cells[i] = cell
	}
	return row, nil
}

// namer turns refs into cells, caching display names.
type namer struct {
	qs    cgraph.QuadStore
	cache map[quad.Value]string
}

func newNamer(qs cgraph.QuadStore) *namer {
	return &namer{qs: qs, cache: map[quad.Value]string{}}
}

func (n *namer) cell(ctx context.Context, ref cgraph.Ref) (Cell, error) {
	v, err := n.qs.NameOf(ref)
	if err != nil {
		return Cell{}, err
	}
	cell, err := n.valueCell(ctx, v)
	cell.ref = ref
	return cell, err
}

// valueCell names a value that may not be held by the store (a computed
// cell): nodes by their name in the store, literals by their text.
func (n *namer) valueCell(ctx context.Context, v quad.Value) (Cell, error) {
	name, ok := n.cache[v]
	if !ok {
		var err error
		if name, err = graph.NameOf(ctx, n.qs, v); err != nil {
			return Cell{}, err
		}
		n.cache[v] = name
	}
	return Cell{Value: v, Name: name}, nil
}
