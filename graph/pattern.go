package graph

import (
	"context"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

// Pattern selects quads by any of their four parts; nil parts match anything.
type Pattern struct {
	Subject, Predicate, Object, Label quad.Value
}

// Get returns the part of p in direction d.
func (p Pattern) Get(d quad.Direction) quad.Value {
	switch d {
	case quad.Subject:
		return p.Subject
	case quad.Predicate:
		return p.Predicate
	case quad.Object:
		return p.Object
	}
	return p.Label
}

// Match reports whether q has every part p fixes.
func (p Pattern) Match(q quad.Quad) bool {
	for _, d := range quad.Directions {
		if v := p.Get(d); v != nil && q.Get(d) != v {
			return false
		}
	}
	return true
}

// ResolvePattern builds a pattern from names as users type them (empty: any):
// subject and label by Resolve, predicate by ResolvePredicate, object by
// ResolveValue.
func ResolvePattern(ctx context.Context, qs cgraph.QuadStore, subject, predicate, object, label string) (Pattern, error) {
	var (
		p   Pattern
		err error
	)
	if subject != "" {
		if p.Subject, err = Resolve(ctx, qs, subject); err != nil {
			return p, err
		}
	}
	if predicate != "" {
		if p.Predicate, err = ResolvePredicate(ctx, qs, predicate); err != nil {
			return p, err
		}
	}
	if object != "" {
		if p.Object, err = ResolveValue(ctx, qs, object); err != nil {
			return p, err
		}
	}
	if label != "" {
		if p.Label, err = Resolve(ctx, qs, label); err != nil {
			return p, err
		}
	}
	return p, nil
}

// ResolveValue resolves a node name (see Resolve), or takes the text as a
// literal when no node has that name but the store holds that literal
// (fg:status "in-force"). Text in double quotes is always the literal within
// them ("\"Japan\"" is the string, not the country).
func ResolveValue(ctx context.Context, qs cgraph.QuadStore, text string) (quad.Value, error) {
	if len(text) >= 2 && strings.HasPrefix(text, `"`) && strings.HasSuffix(text, `"`) {
		return quad.String(text[1 : len(text)-1]), nil
	}
	v, err := Resolve(ctx, qs, text)
	if errs.CodeOf(err) == errs.NotFound {
		lit := quad.String(text)
		if ok, xerr := Exists(ctx, qs, lit); xerr == nil && ok {
			return lit, nil
		}
	}
	return v, err
}
