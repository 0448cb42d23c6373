package pathlang

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
)

// MainColumn is the result column of the node a query ends at, unless the query
// ends with "as NAME".
const MainColumn = "node"

// Compiled is a query turned into a Cayley path.
type Compiled struct {
	Path    *path.Path
	Columns []string // visible tags, in result order
	// Depths are the recursive steps, to tell whether --max-depth cut one.
	Depths   []depthCheck
	MaxDepth int
	// Uncounted is the path before a count, when recursive steps precede it
	// or evidence is wanted (see Session.compile): the count's one row
	// carries neither the tags that tell whether the depth bound cut a step
	// nor the quads counted, so they are read from this path.
	Uncounted *path.Path
}

type compiler struct {
	ctx      context.Context
	qs       cgraph.QuadStore
	names    cgraph.QuadStore // what names resolve against (see namesStore)
	src      string
	maxDepth int
	evidence bool // rows must carry every path (queries.EvidenceWanted)
	ntag     int
	aliases  map[string]string // user tag -> hidden tag of the node it names
	columns  []string
	preds    map[string]quad.Value
	depths   []depthCheck
	errlist  errs.List
	labels   []quad.Value // the label set in force (in source); nil for all

	uncounted *path.Path
	saved     map[string]savedPath // by hidden node tag, for back
}

// depthCheck is a recursive step: the tag of the node it reaches and of the
// number of steps that reached it.
type depthCheck struct {
	tag   string // depth tag
	node  string // tag of the node the step reaches
	at    Pos
	dir   Direction
	preds []quad.Value
}

// Compile resolves the names of q against qs and builds a fresh Cayley path for
// it. src is the query text, for error positions.
func Compile(ctx context.Context, qs cgraph.QuadStore, src string, q *Query) (*Compiled, error) {
	c := &compiler{ctx: ctx, qs: qs, names: namesStore(qs), src: src, maxDepth: queries.MaxDepth(ctx), evidence: queries.EvidenceWanted(ctx),
		aliases: map[string]string{}, preds: map[string]quad.Value{}, saved: map[string]savedPath{}}
	p, cur := c.query(q)
	if err := c.errlist.Err(); err != nil {
		return nil, err
	}
	last := len(q.Steps) - 1
	switch {
	case last >= 0 && isCount(q.Steps[last]):
		p = p.Tag("count")
		c.columns = []string{"count"}
	case last < 0 || !isAs(q.Steps[last]):
		p = p.Tag(MainColumn)
		c.columns = append([]string{MainColumn}, c.columns...)
		c.aliases[MainColumn] = cur
	}
	return &Compiled{Path: p, Columns: c.columns, Depths: c.depths, MaxDepth: c.maxDepth,
		Uncounted: c.uncounted}, nil
}

func isCount(s Step) bool {
	m, ok := s.(*Modifier)
	return ok && m.Name == "count"
}

func isAs(s Step) bool {
	_, ok := s.(*As)
	return ok
}

func (c *compiler) errorf(at Pos, code errs.Code, format string, args ...any) {
	if len(c.errlist) < MaxErrors {
		c.errlist.Add(errorAt(c.src, at, code, fmt.Sprintf(format, args...)))
	}
}

// fail records a name-resolution error from the graph package at a position.
func (c *compiler) fail(at Pos, err error) {
	var gerr *errs.Error
	if errors.As(err, &gerr) {
		c.errorf(at, gerr.Code, "%s", gerr.Message)
		return
	}
	c.errorf(at, errs.Invalid, "%v", err)
}

func (c *compiler) newTag() string {
	t := "_" + strconv.Itoa(c.ntag)
	c.ntag++
	return t
}

// query compiles a query or sub-query; it returns the path and the hidden tag
// of its current node.
func (c *compiler) query(q *Query) (*path.Path, string) {
	sc := &scope{}
	p := c.startPath(q.Start)
	cur := c.newTag()
	p = p.Tag(cur)
	c.save(sc, cur, p)
	for i, st := range q.Steps {
		p, cur = c.step(sc, p, cur, st, q.Steps[i+1:])
	}
	return p, cur
}

// step compiles one step from the node tagged cur and records its reverse in
// sc (for back); later are the steps that follow it.
func (c *compiler) step(sc *scope, p *path.Path, cur string, st Step, later []Step) (*path.Path, string) {
	switch st := st.(type) {
	case *Traverse:
		return c.traverse(sc, p, cur, st)
	case *Filter:
		labels := c.labels
		var conds []func(*path.Path) *path.Path
		for _, cond := range st.Conds {
			conds = append(conds, c.condition(cond))
		}
		for _, apply := range conds {
			p = apply(p)
		}
		sc.add(func(r *path.Path) *path.Path {
			r = withLabels(r, labels)
			for _, apply := range conds {
				r = apply(r)
			}
			return r
		})
	case *As:
		if _, dup := c.aliases[st.Name]; dup || st.Name == MainColumn || st.Name == "count" {
			c.errorf(st.At, errs.Invalid, "tag %q is already used; choose another name", st.Name)
			return p, cur
		}
		c.aliases[st.Name] = cur
		c.columns = append(c.columns, st.Name)
		c.save(sc, cur, p) // back NAME walks on from here
		sc.add(func(r *path.Path) *path.Path { return r.Tag(st.Name) })
		return p.Tag(st.Name), cur
	case *Back:
		return c.back(sc, p, cur, st)
	case *SetOp:
		sub, _ := c.query(st.Sub)
		op := func(r *path.Path) *path.Path {
			switch st.Op {
			case "and":
				return r.And(sub.Clone())
			case "or":
				return r.Or(sub.Clone())
			}
			return r.Except(sub.Clone())
		}
		sc.add(op)
		return op(p), cur
	case *Modifier:
		sc.add(nil) // no bearing on which nodes the walk back reaches
		switch st.Name {
		case "unique":
			if c.evidence && !slices.ContainsFunc(later, cuts) {
				// Rows are distinct anyway, and evidence needs every path
				// to a row, which Unique drops; only a cut after it (limit,
				// skip, count) needs the duplicates gone.
				return p, cur
			}
			return p.Unique(), cur
		case "order":
			return p.Order(), cur
		case "count":
			if len(c.depths) > 0 {
				c.uncounted = p.Clone() // Count appends to p in place; the clone keeps its own stack
			}
			return p.Count(), cur
		}
	case *Slice:
		sc.add(nil)
		if st.Name == "limit" {
			return p.Limit(st.N), cur
		}
		return p.Skip(st.N), cur
	case *InSource:
		sc.add(nil) // each reversed step sets its own label set
		v, ok := c.node(st.Source)
		if !ok {
			return p, cur
		}
		labels, err := graph.SourceLabels(c.ctx, c.names, v)
		if err != nil {
			c.fail(st.At, err)
			return p, cur
		}
		c.labels = labels
		return p.LabelContext(labels), cur
	}
	return p, cur
}

// cuts reports a step that counts or cuts the paths before it.
func cuts(s Step) bool {
	switch s := s.(type) {
	case *Slice:
		return true
	case *Modifier:
		return s.Name == "count"
	}
	return false
}
