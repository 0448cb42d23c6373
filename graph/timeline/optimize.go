package timeline

import (
	"context"

	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"
)

var _ shape.Optimizer = (*View)(nil)

// OptimizeShape implements shape.Optimizer. The wrapped store's optimizer
// turns scans into its own index scans, which a view cannot filter; a view of
// the latest statuses hides only status and shortcut quads, so it lets the
// wrapped store optimize the scans of any other fixed predicate (and Unique,
// which keeps its source). A view as of a date may hide any quad, and
// optimizes nothing.
func (v *View) OptimizeShape(ctx context.Context, sh shape.Shape) (shape.Shape, bool) {
	inner, ok := v.QuadStore.(shape.Optimizer)
	if !ok || v.later != nil {
		return sh, false
	}
	switch s := sh.(type) {
	case shape.QuadsAction:
		if p, ok := s.Filter[quad.Predicate]; !ok || v.affected[refs.ToKey(p)] {
			return sh, false
		}
	case shape.NodesFrom:
		if !v.fixedSafePredicate(s.Quads) {
			return sh, false
		}
	case shape.Unique:
	default:
		return sh, false
	}
	return inner.OptimizeShape(ctx, sh)
}

// fixedSafePredicate reports whether a quad scan has one fixed predicate, of
// which the view hides no quad.
func (v *View) fixedSafePredicate(s shape.Shape) bool {
	q, ok := s.(shape.Quads)
	if !ok {
		return false
	}
	for _, f := range q {
		if f.Dir != quad.Predicate {
			continue
		}
		p, ok := shape.One(f.Values)
		return ok && !v.affected[refs.ToKey(p)]
	}
	return false
}
