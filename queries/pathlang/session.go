package pathlang

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/trace"
)

// Name is the language's name for query.NewSession and --lang.
const Name = "path"

func init() {
	query.RegisterLanguage(query.Language{
		Name:    Name,
		Session: func(qs cgraph.QuadStore) query.Session { return NewSession(qs) },
	})
	queries.RegisterDater(Name, DateOf)
}

// Session runs path expressions against one store. It implements
// query.Session.
type Session struct {
	qs cgraph.QuadStore
}

// NewSession returns a session on qs.
func NewSession(qs cgraph.QuadStore) *Session { return &Session{qs: qs} }

// Explain parses and compiles text and returns the Cayley shape it would run,
// without running it.
func (s *Session) Explain(ctx context.Context, text string) (string, error) {
	c, _, err := s.compile(ctx, text)
	if err != nil {
		return "", err
	}
	return describeShape(c.Path.Shape()), nil
}

// compile parses and compiles text, and returns the store it runs on (see
// storeFor).
func (s *Session) compile(ctx context.Context, text string) (*Compiled, cgraph.QuadStore, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSteps(text, q, queries.MaxSteps(ctx)); err != nil {
		return nil, nil, err
	}
	qs, err := s.storeFor(ctx, text, q)
	if err != nil {
		return nil, nil, err
	}
	c, err := Compile(ctx, qs, text, q)
	if err != nil || !queries.EvidenceWanted(ctx) || !endsInCount(q) {
		return c, qs, err
	}
	// The count's evidence is that of every row it counts, on every path to
	// it: the query without its count, compiled for evidence (so that a
	// unique before the count does not drop paths). Compiling is
	// deterministic, so its tags are those of c (the depth notes read them).
	rest := *q
	rest.Steps = q.Steps[:len(q.Steps)-1]
	u, err := Compile(ctx, qs, text, &rest)
	if err != nil {
		return nil, nil, err
	}
	c.Uncounted = u.Path
	return c, qs, nil
}

// endsInCount reports whether q's last step is count.
func endsInCount(q *Query) bool {
	return len(q.Steps) > 0 && isCount(q.Steps[len(q.Steps)-1])
}

// Execute runs a path expression. Rows are distinct on their visible columns.
// With query.Raw the results are *queries.TracedRow values; with JSON, maps
// from column to value.
//
// A row goes out as soon as it is first seen, unless queries.EvidenceWanted(ctx)
// asks for its evidence: then the session must run on a recording store
// (trace.Store), and the whole result is walked first, so that each row
// carries the quads of every path that yields it.
func (s *Session) Execute(ctx context.Context, text string, opt query.Options) (query.Iterator, error) {
	switch opt.Collation {
	case query.Raw, query.JSON, query.REPL:
	default:
		return nil, &query.ErrUnsupportedCollation{Collation: opt.Collation}
	}
	c, qs, err := s.compile(ctx, text)
	if err != nil {
		return nil, err
	}
	r := &results{qs: qs, c: c, src: text, col: opt.Collation, limit: opt.Limit, seen: map[string]*queries.TracedRow{}}
	var counted []quad.Quad // with evidence, the quads of what the count counts
	if c.Uncounted != nil {
		// What the count counts, walked once more for the depth notes and
		// the evidence.
		err := c.Uncounted.Iterate(ctx).Paths(true).TagEach(func(tags map[string]cgraph.Ref) error {
			if queries.EvidenceWanted(ctx) {
				quads, err := trace.Quads(qs, tags)
				if err != nil {
					return err
				}
				counted = append(counted, quads...)
			}
			return r.noteDepths(tags)
		})
		if err != nil {
			return nil, err
		}
	}
	if queries.EvidenceWanted(ctx) {
		if err := r.collect(ctx); err != nil {
			return nil, err
		}
		if c.Uncounted != nil {
			for _, row := range r.rows { // the count's one row
				row.Quads = append(row.Quads, counted...)
			}
		}
	} else {
		// As iterator.Iterate does: optimize the built iterator, then scan it.
		it, _ := c.Path.BuildIterator(ctx).Optimize(ctx)
		r.scan = it.Iterate()
	}
	return r, nil
}

// rowKey identifies a row by the values of its visible columns.
func rowKey(qs cgraph.QuadStore, cols []string, tags map[string]cgraph.Ref) (string, error) {
	var b strings.Builder
	for _, c := range cols {
		if ref, ok := tags[c]; ok {
			v, err := qs.NameOf(ref)
			if err != nil {
				return "", err
			}
			if v != nil {
				b.WriteString(v.String())
			}
		}
		b.WriteByte(0)
	}
	return b.String(), nil
}

// results yields the distinct rows of a compiled query: from a scan of
// Cayley's iterator (each row when first seen), or from rows collected with
// all their paths.
type results struct {
	qs    cgraph.QuadStore
	c     *Compiled
	src   string
	col   query.Collation
	limit int // distinct rows wanted (0: all)
	seen  map[string]*queries.TracedRow
	scan  iterator.Scanner // nil once collected or done

	rows []*queries.TracedRow // collected rows (AllPaths)
	pos  int
	cur  *queries.TracedRow
	err  error

	// For each recursive step: the nodes it reached, and those it reached
	// in exactly --max-depth steps, whose successors the bound left out.
	reached, frontier []map[quad.Value]bool
}

// collect walks the whole result, merging the paths of equal rows.
func (r *results) collect(ctx context.Context) error {
	errStop := errors.New("limit reached")
	err := r.c.Path.Iterate(ctx).Paths(true).TagEach(func(tags map[string]cgraph.Ref) error {
		row, fresh, err := r.add(tags)
		if err != nil || !fresh {
			return err
		}
		if r.limit > 0 && len(r.rows) >= r.limit {
			return errStop
		}
		r.rows = append(r.rows, row)
		return nil
	})
	if err != nil && err != errStop {
		return err
	}
	return ctx.Err()
}

// add files one path under its row; fresh reports a row not seen before.
func (r *results) add(tags map[string]cgraph.Ref) (*queries.TracedRow, bool, error) {
	if err := r.noteDepths(tags); err != nil {
		return nil, false, err
	}
	key, err := rowKey(r.qs, r.c.Columns, tags)
	if err != nil {
		return nil, false, err
	}
	quads, err := trace.Quads(r.qs, tags)
	if err != nil {
		return nil, false, err
	}
	if row, ok := r.seen[key]; ok {
		row.Quads = append(row.Quads, quads...)
		return row, false, nil
	}
	row := &queries.TracedRow{Tags: tags, Quads: quads}
	r.seen[key] = row
	return row, true, nil
}

// noteDepths records, for each recursive step of a path, the node it reached
// and whether it took all --max-depth steps to.
func (r *results) noteDepths(tags map[string]cgraph.Ref) error {
	if r.reached == nil {
		r.reached = make([]map[quad.Value]bool, len(r.c.Depths))
		r.frontier = make([]map[quad.Value]bool, len(r.c.Depths))
		for i := range r.c.Depths {
			r.reached[i], r.frontier[i] = map[quad.Value]bool{}, map[quad.Value]bool{}
		}
	}
	for i, d := range r.c.Depths {
		ref, ok := tags[d.node]
		if !ok {
			continue
		}
		v, err := r.qs.NameOf(ref)
		if err != nil {
			return err
		}
		r.reached[i][v] = true
		if dref, ok := tags[d.tag]; ok {
			if n, err := r.qs.NameOf(dref); err == nil && n == quad.Int(r.c.MaxDepth) {
				r.frontier[i][v] = true
			}
		}
	}
	return nil
}

// Warnings implements queries.Warner: a recursive step that --max-depth cut,
// one whose deepest nodes lead on to nodes it did not reach.
func (r *results) Warnings() []string {
	var out []string
	for i, d := range r.c.Depths {
		if r.frontier == nil || !r.cut(i, d) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: the recursive step stopped at its depth bound of %d; more nodes lie beyond it (raise --max-depth, or max_depth on HTTP)",
			PositionOf(r.src, d.at), r.c.MaxDepth))
	}
	return out
}

// cut reports whether a node reached in --max-depth steps has a successor the
// step did not reach.
func (r *results) cut(i int, d depthCheck) bool {
	ctx := context.Background()
	dirs := []quad.Direction{quad.Subject}
	switch d.dir {
	case In:
		dirs = []quad.Direction{quad.Object}
	case Both:
		dirs = []quad.Direction{quad.Subject, quad.Object}
	}
	errFound := errors.New("found")
	for v := range r.frontier[i] {
		for _, dir := range dirs {
			err := graph.EachQuad(ctx, r.qs, dir, v, func(q quad.Quad) error {
				if d.preds != nil && !slices.Contains(d.preds, q.Predicate) {
					return nil
				}
				next := q.Object
				if dir == quad.Object {
					next = q.Subject
				}
				if !r.reached[i][next] {
					return errFound
				}
				return nil
			})
			if err == errFound {
				return true
			}
		}
	}
	return false
}

func (r *results) Next(ctx context.Context) bool {
	if err := ctx.Err(); err != nil {
		r.err = err
		return false
	}
	if r.scan == nil {
		if r.pos >= len(r.rows) {
			return false
		}
		r.cur = r.rows[r.pos]
		r.pos++
		return true
	}
	if r.limit > 0 && r.pos >= r.limit {
		return r.stop(nil)
	}
	for r.scan.Next(ctx) {
		if row, ok := r.fresh(r.scan); ok || r.err != nil {
			r.cur = row
			r.pos++
			return r.err == nil
		}
		for r.scan.NextPath(ctx) {
			if row, ok := r.fresh(r.scan); ok || r.err != nil {
				r.cur = row
				r.pos++
				return r.err == nil
			}
		}
	}
	return r.stop(r.scan.Err())
}

// fresh reads the current path of the scan and reports a row not seen before.
func (r *results) fresh(sc iterator.Scanner) (*queries.TracedRow, bool) {
	tags := map[string]cgraph.Ref{}
	sc.TagResults(tags)
	row, fresh, err := r.add(tags)
	if err != nil {
		r.err = err
	}
	return row, fresh
}

func (r *results) stop(err error) bool {
	if err != nil && r.err == nil {
		r.err = err
	}
	if r.scan != nil {
		r.scan.Close()
		r.scan = nil
		r.rows, r.pos = nil, 0
	}
	return false
}

func (r *results) Result() any {
	row := r.cur
	if r.col == query.Raw {
		return row
	}
	m := make(map[string]any, len(r.c.Columns))
	for _, c := range r.c.Columns {
		ref, ok := row.Tags[c]
		if !ok {
			continue
		}
		v, err := r.qs.NameOf(ref)
		if err != nil {
			r.err = err
			return nil
		}
		m[c] = jsonValue(v)
	}
	return m
}

// jsonValue renders a value as Cayley's JSON results do: IRIs in angle
// brackets, literals as native values.
func jsonValue(v quad.Value) any {
	switch v := v.(type) {
	case quad.IRI, quad.BNode:
		return v.String()
	case nil:
		return nil
	}
	return v.Native()
}

// Columns implements queries.ColumnLister.
func (r *results) Columns() []string { return r.c.Columns }

func (r *results) Err() error { return r.err }

func (r *results) Close() error {
	r.stop(nil)
	return nil
}
