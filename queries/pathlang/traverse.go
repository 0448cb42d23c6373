package pathlang

import (
	"strconv"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
)

// traverse compiles a step along predicates (repeated or not) from the node
// tagged cur, and records its reverse: from the node it reaches, back along
// the same predicates in the other direction.
func (c *compiler) traverse(sc *scope, p *path.Path, cur string, t *Traverse) (*path.Path, string) {
	var preds []quad.Value
	if len(t.Preds) > 0 {
		var ok bool
		if preds, ok = c.predicates(t.Preds); !ok {
			return p, cur
		}
	}
	next := c.newTag()
	labels := c.labels
	if t.Repeat == 0 {
		sc.add(func(r *path.Path) *path.Path {
			return move(withLabels(r.Tag(next), labels), reverseOf(t.Dir), preds)
		})
		return move(p, t.Dir, preds).Tag(next), next
	}
	// The depth tag says how many steps reached each node, so that a result
	// can tell whether the depth bound cut the walk.
	rec := recursion{id: len(c.depths), dir: t.Dir, preds: preds, labels: labels, maxDepth: c.maxDepth,
		depthTag: "_depth" + strconv.Itoa(len(c.depths))}
	c.depths = append(c.depths, depthCheck{tag: rec.depthTag, node: next, at: t.At, dir: t.Dir, preds: preds})
	star := t.Repeat == STAR
	sc.add(func(r *path.Path) *path.Path {
		back := rec
		back.dir, back.depthTag = reverseOf(t.Dir), ""
		return repeat(r.Tag(next), back, star)
	})
	return repeat(p, rec, star).Tag(next), next
}

// repeat applies a recursion to p: its nodes reached in one or more steps,
// or, for star, in zero or more.
func repeat(p *path.Path, rec recursion, star bool) *path.Path {
	reached := p.Filters(rec)
	if star {
		return p.Or(reached)
	}
	return reached
}

// move applies one traversal in direction d along preds (nil: any predicate).
func move(p *path.Path, d Direction, preds []quad.Value) *path.Path {
	var via []any
	if preds != nil {
		via = []any{preds}
	}
	switch d {
	case In:
		return p.In(via...)
	case Both:
		return p.Both(via...)
	}
	return p.Out(via...)
}

func reverseOf(d Direction) Direction {
	switch d {
	case In:
		return Out
	case Out:
		return In
	}
	return d
}

// withLabels sets the label set of the steps that follow on p: labels, or
// every label for nil.
func withLabels(p *path.Path, labels []quad.Value) *path.Path {
	if labels == nil {
		return p.LabelContext()
	}
	return p.LabelContext(labels)
}
