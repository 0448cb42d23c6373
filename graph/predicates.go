package graph

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
)

// IsPredicate reports whether v is the predicate of at least one quad.
func IsPredicate(ctx context.Context, qs cgraph.QuadStore, v quad.Value) (bool, error) {
	ref, err := valueOf(ctx, qs, v)
	if err != nil || ref == nil {
		return false, err
	}
	n, err := iterator.Iterate(ctx, qs.QuadIterator(quad.Predicate, ref)).Limit(1).Count()
	return n > 0, err
}

// maxPredicateScan bounds how many quads Predicates reads, so that a typo on a
// large store costs a bounded scan.
const maxPredicateScan = 1 << 20

// Predicates returns the distinct predicates of the first quads of the store
// (all of them in stores of up to about a million quads).
func Predicates(ctx context.Context, qs cgraph.QuadStore) ([]quad.Value, error) {
	seen := map[quad.Value]bool{}
	var out []quad.Value
	err := iterator.Iterate(ctx, qs.QuadsAllIterator()).Limit(maxPredicateScan).Each(func(r cgraph.Ref) error {
		q, err := qs.Quad(r)
		if err != nil {
			return err
		}
		if !seen[q.Predicate] {
			seen[q.Predicate] = true
			out = append(out, q.Predicate)
		}
		return nil
	})
	return out, err
}

// SourceLabels returns the labels that count as "from source v": v itself and,
// when v is a document, every node that is schema:isPartOf it (its sentences).
func SourceLabels(ctx context.Context, qs cgraph.QuadStore, v quad.Value) ([]quad.Value, error) {
	parts, err := path.StartPath(qs, v).In(IsPartOf).Iterate(ctx).AllValues(qs)
	if err != nil {
		return nil, err
	}
	return append([]quad.Value{v}, parts...), nil
}
