package queries

import (
	"context"
	"slices"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/timeline"
)

// Why is the answer to "why does the graph say S P O?".
type Why struct {
	Fact Fact // Statements is empty when the graph does not state it
	// Related lists the facts the graph does state between S and O (either
	// direction), when it does not state the one asked about.
	Related []Fact
	// Superseded is set when the graph states the fact, but only in status
	// statements (or shortcuts of them) that later ones replaced: queries no
	// longer see it (see graph/timeline; factgraph history shows the story).
	Superseded bool
}

// Stated reports whether the graph states the fact at all.
func (w *Why) Stated() bool { return len(w.Fact.Statements) > 0 }

// WhyFact finds every statement of the fact subject predicate object, named as
// in path expressions (names, aliases, IRIs, prefixed names; predicates by short
// name), with the sentence and source of each.
func WhyFact(ctx context.Context, qs cgraph.QuadStore, subject, predicate, object string) (*Why, error) {
	s, err := graph.Resolve(ctx, qs, subject)
	if err != nil {
		return nil, err
	}
	p, err := graph.ResolvePredicate(ctx, qs, predicate)
	if err != nil {
		return nil, err
	}
	o, err := graph.ResolveValue(ctx, qs, object)
	if err != nil {
		return nil, err
	}
	ef := newEvidenceFinder(qs)
	w := &Why{Fact: Fact{Subject: s, Predicate: p, Object: o}}
	quads, err := links(ctx, qs, s, o, []quad.Value{p}, false)
	if err != nil {
		return nil, err
	}
	if _, isLiteral := o.(quad.String); len(quads) == 0 && !isLiteral {
		// "why Japan name Japan": the object named a node, but the fact may
		// hold the text itself.
		lit := quad.String(object)
		if quads, err = links(ctx, qs, s, lit, []quad.Value{p}, false); err != nil {
			return nil, err
		}
		if len(quads) > 0 {
			w.Fact.Object = lit
		}
	}
	facts, err := ef.resolve(ctx, quadFacts(quads))
	if err != nil {
		return nil, err
	}
	if len(facts) > 0 {
		w.Fact = facts[0]
		w.Superseded, err = superseded(ctx, qs, quads)
		return w, err
	}
	related, err := links(ctx, qs, s, o, nil, true)
	if err != nil {
		return nil, err
	}
	w.Related, err = ef.resolve(ctx, quadFacts(related))
	return w, err
}

// superseded reports whether no quad of a fact is seen at the latest
// statuses.
func superseded(ctx context.Context, qs cgraph.QuadStore, quads []quad.Quad) (bool, error) {
	view, err := timeline.Open(ctx, graph.Inner(qs), "")
	if err != nil || view == graph.Inner(qs) {
		return false, err
	}
	q := quads[0]
	seen, err := links(ctx, view, q.Subject, q.Object, []quad.Value{q.Predicate}, false)
	return len(seen) == 0, err
}

// links returns the quads a -p-> b for p in preds (any p if preds is nil),
// and also b -p-> a when both is set: the statements why looks up.
func links(ctx context.Context, qs cgraph.QuadStore, a, b quad.Value, preds []quad.Value, both bool) ([]quad.Quad, error) {
	var out []quad.Quad
	collect := func(s, o quad.Value) error {
		return graph.EachQuad(ctx, qs, quad.Subject, s, func(q quad.Quad) error {
			if q.Object == o && (preds == nil || slices.Contains(preds, q.Predicate)) {
				out = append(out, q)
			}
			return nil
		})
	}
	if err := collect(a, b); err != nil {
		return nil, err
	}
	if both && a != b {
		if err := collect(b, a); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WhyJSON is the JSON form of a Why: whether the graph states the fact, the
// fact with its statements, and what the graph states instead.
type WhyJSON struct {
	Stated     bool       `json:"stated"`
	Superseded bool       `json:"superseded,omitempty"`
	Fact       FactJSON   `json:"fact"`
	Related    []FactJSON `json:"related"`
}

// JSON returns the JSON form of w.
func (w *Why) JSON() WhyJSON {
	return WhyJSON{Stated: w.Stated(), Superseded: w.Superseded, Fact: FactsJSON([]Fact{w.Fact})[0], Related: FactsJSON(w.Related)}
}
