package graph

import (
	"context"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

// IsPredicate reports whether v is the predicate of at least one quad.
func IsPredicate(ctx context.Context, qs cgraph.QuadStore, v quad.Value) (bool, error) {
	return occursAs(ctx, qs, quad.Predicate, v)
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

// ResolvePredicate returns the predicate a user means by name: a full IRI in
// angle brackets, a prefixed name, or a short name that is, in order, fg:NAME, a
// built-in short name (type, name, alias, text, date), schema:NAME, rdf:NAME,
// rdfs:NAME or the bare IRI <NAME> — the first that the store uses as a
// predicate. An unknown name is a not-found error with a suggestion when one
// is close.
func ResolvePredicate(ctx context.Context, qs cgraph.QuadStore, name string) (quad.Value, error) {
	if strings.HasPrefix(name, "<") && strings.HasSuffix(name, ">") {
		return quad.IRI(name[1 : len(name)-1]), nil
	}
	if full, ok := Expand(name); ok {
		return quad.IRI(full), nil
	}
	candidates := []quad.Value{quad.IRI(NS + name)}
	if short, ok := ShortName(name); ok {
		candidates = append(candidates, short)
	}
	candidates = append(candidates, quad.IRI(SchemaNS+name), quad.IRI(RDFNS+name), quad.IRI(RDFSNS+name), quad.IRI(name))
	for _, c := range candidates {
		ok, err := IsPredicate(ctx, qs, c)
		if err != nil {
			return nil, err
		}
		if ok {
			return c, nil
		}
	}
	err := errs.Errorf(errs.NotFound, "unknown predicate %q", name)
	names := ShortNames()
	preds, _ := Predicates(ctx, qs)
	for _, p := range preds {
		names = append(names, LocalName(Plain(p)))
	}
	if near := Closest(name, names); near != "" {
		err.Message += fmt.Sprintf("; did you mean %q?", near)
	}
	return nil, err
}
