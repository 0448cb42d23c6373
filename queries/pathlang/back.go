package pathlang

import (
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

// scope is what back needs of the query or sub-query being compiled: the
// reverse of every step so far, in order (nil for steps that do not narrow
// the walk back).
//
// back NAME walks on from the node tagged NAME, among those nodes only the
// ones from which the steps after the tag lead on: the path as it was at the
// tag, joined with the later steps walked in reverse from any node. This is
// Cayley's Path.Back, built here because Cayley reverses a step by asking the
// step, and the recursive step is one of ours (see recursion).
type scope struct {
	steps []func(*path.Path) *path.Path
}

func (sc *scope) add(rev func(*path.Path) *path.Path) { sc.steps = append(sc.steps, rev) }

// savedPath is the path at a tagged node, for back.
type savedPath struct {
	sc     *scope
	p      *path.Path
	n      int          // steps compiled before the tag
	labels []quad.Value // the label set in force there
}

// save records the path at the node tagged tag.
func (c *compiler) save(sc *scope, tag string, p *path.Path) {
	c.saved[tag] = savedPath{sc: sc, p: p.Clone(), n: len(sc.steps), labels: c.labels}
}

func (c *compiler) back(sc *scope, p *path.Path, cur string, st *Back) (*path.Path, string) {
	sc.add(nil) // reversed, a back is a join with a path of its own: no bearing on the walk back
	hidden, ok := c.aliases[st.Name]
	if !ok {
		c.errorf(st.At, errs.Invalid, "back %s: no earlier 'as %s' in this query", st.Name, st.Name)
		return p, cur
	}
	at := c.saved[hidden]
	if at.sc != sc {
		c.errorf(st.At, errs.Invalid, "back %s: %s is tagged outside this sub-query", st.Name, st.Name)
		return p, cur
	}
	rev := path.StartPath(c.qs)
	for i := len(sc.steps) - 2; i >= at.n; i-- { // the last step is this back
		if f := sc.steps[i]; f != nil {
			rev = f(rev)
		}
	}
	c.labels = at.labels
	return withLabels(at.p.Clone(), at.labels).And(rev), hidden
}
