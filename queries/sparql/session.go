package sparql

import (
	"context"
	"errors"
	"sync"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
	"github.com/factgraph/factgraph/queries/sparql/eval"
)

// Name is the language's name for query.NewSession and --lang.
const Name = "sparql"

func init() {
	query.RegisterLanguage(query.Language{
		Name:    Name,
		Session: func(qs cgraph.QuadStore) query.Session { return NewSession(qs) },
	})
}

// Session runs SPARQL queries against one store. It implements
// query.Session and queries.Explainer.
type Session struct {
	qs cgraph.QuadStore
}

// NewSession returns a session on qs.
func NewSession(qs cgraph.QuadStore) *Session { return &Session{qs: qs} }

// Explain parses and plans a query and shows its algebra and its plan,
// without running it.
func (s *Session) Explain(ctx context.Context, text string) (string, error) {
	pl, err := Compile(ctx, s.qs, text, Options{})
	if err != nil {
		return "", err
	}
	return "algebra:\n" + algebra.Format(pl.Query()) + "\nplan:\n" + pl.Explain(), nil
}

// Columns of the rows of the query forms that have no variables of their
// own: ASK answers one row with AskColumn; CONSTRUCT and DESCRIBE a row per
// triple.
const (
	AskColumn = "ask"
)

// TripleColumns are the columns of CONSTRUCT and DESCRIBE rows.
var TripleColumns = []string{"subject", "predicate", "object"}

// Execute runs a query. With query.Raw the results are *queries.TracedRow
// values (Tags for values the store holds, Values for the others, and Quads,
// the evidence, when queries.EvidenceWanted(ctx)); with JSON, maps from
// column to value. Rows stream: the query runs as they are read.
func (s *Session) Execute(ctx context.Context, text string, opt query.Options) (query.Iterator, error) {
	switch opt.Collation {
	case query.Raw, query.JSON, query.REPL:
	default:
		return nil, &query.ErrUnsupportedCollation{Collation: opt.Collation}
	}
	it := &iterator{col: opt.Collation, rows: make(chan []item, 4)}
	pl, err := Compile(ctx, s.qs, text, Options{
		Evidence:     queries.EvidenceWanted(ctx),
		MaxPathDepth: queries.MaxDepth(ctx),
		Warn:         it.warn,
	})
	if err != nil {
		return nil, err
	}
	it.cols = pl.Vars()
	switch pl.Query().Form {
	case algebra.Ask:
		it.cols = []string{AskColumn}
	case algebra.Construct, algebra.Describe:
		it.cols = TripleColumns
	}
	ctx, it.cancel = context.WithCancel(ctx)
	go it.produce(ctx, pl, opt.Limit)
	return it, nil
}

// iterator hands out the rows a goroutine running the plan produces.
type iterator struct {
	col    query.Collation
	cols   []string
	rows   chan []item // batches of rows
	batch  []item      // the batch being read
	cancel context.CancelFunc
	cur    item

	mu       sync.Mutex // guards what the goroutine and the reader share
	err      error
	warnings []string
}

// item is one row: as a traced row, and its values by column.
type item struct {
	row  *queries.TracedRow
	vals map[string]quad.Value
}

func (it *iterator) setErr(err error) {
	it.mu.Lock()
	if it.err == nil {
		it.err = err
	}
	it.mu.Unlock()
}

func (it *iterator) warn(msg string) {
	it.mu.Lock()
	it.warnings = append(it.warnings, msg)
	it.mu.Unlock()
}

func (it *iterator) produce(ctx context.Context, pl *eval.Plan, limit int) {
	defer close(it.rows)
	n := 0
	// Rows go out in batches: at once when the reader waits, else once the
	// batch is full.
	var batch []item
	flush := func(block bool) bool {
		if len(batch) == 0 {
			return true
		}
		if !block {
			select {
			case it.rows <- batch:
				batch = nil
			default:
			}
			return true
		}
		select {
		case it.rows <- batch:
			batch = nil
			return true
		case <-ctx.Done():
			return false
		}
	}
	defer func() { flush(true) }()
	send := func(r *queries.TracedRow, vals map[string]quad.Value) bool {
		batch = append(batch, item{row: r, vals: vals})
		if !flush(len(batch) >= 256) {
			return false
		}
		n++
		return limit <= 0 || n < limit
	}
	var err error
	switch pl.Query().Form {
	case algebra.Ask:
		var ok bool
		if ok, err = pl.Ask(ctx); err == nil {
			vals := map[string]quad.Value{AskColumn: boolValue(ok)}
			send(&queries.TracedRow{Values: vals}, vals)
		}
	case algebra.Construct, algebra.Describe:
		err = pl.Graph(ctx, func(q quad.Quad) bool {
			r := &queries.TracedRow{Tags: map[string]cgraph.Ref{}, Values: map[string]quad.Value{}}
			vals := map[string]quad.Value{}
			for i, d := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object} {
				put(r, TripleColumns[i], q.Get(d), nil)
				vals[TripleColumns[i]] = q.Get(d)
			}
			return send(r, vals)
		})
	default:
		vars := pl.Vars()
		raw := it.col == query.Raw // the reader names the Tags itself
		err = pl.Select(ctx, func(s eval.Solution) bool {
			r := &queries.TracedRow{Tags: make(map[string]cgraph.Ref, len(vars)), Values: map[string]quad.Value{}}
			var vals map[string]quad.Value
			if !raw {
				vals = make(map[string]quad.Value, len(vars))
			}
			for i, v := range vars {
				if ref := s.Ref(i); ref != nil && raw {
					r.Tags[v] = ref
					continue
				}
				x := s.Value(i)
				put(r, v, x, s.Ref(i))
				if x != nil && !raw {
					vals[v] = x
				}
			}
			if queries.EvidenceWanted(ctx) {
				ev, e := s.Evidence()
				if e != nil {
					err = e
					return false
				}
				r.Quads = ev
			}
			return send(r, vals)
		})
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		it.setErr(err)
	}
}

// put files a cell under Tags when the store holds its value, else under
// Values.
func put(r *queries.TracedRow, col string, v quad.Value, ref cgraph.Ref) {
	switch {
	case v == nil:
	case ref != nil:
		r.Tags[col] = ref
	default:
		r.Values[col] = v
	}
}

func boolValue(b bool) quad.Value {
	s := "false"
	if b {
		s = "true"
	}
	return quad.TypedString{Value: quad.String(s), Type: "http://www.w3.org/2001/XMLSchema#boolean"}
}

func (it *iterator) Next(ctx context.Context) bool {
	if len(it.batch) == 0 {
		select {
		case b, ok := <-it.rows:
			if !ok {
				return false
			}
			it.batch = b
		case <-ctx.Done():
			it.setErr(ctx.Err())
			return false
		}
	}
	it.cur, it.batch = it.batch[0], it.batch[1:]
	return true
}

func (it *iterator) Result() any {
	if it.col == query.Raw {
		return it.cur.row
	}
	m := make(map[string]any, len(it.cur.vals))
	for k, v := range it.cur.vals {
		m[k] = jsonValue(v)
	}
	return m
}

func (it *iterator) Err() error {
	it.mu.Lock()
	defer it.mu.Unlock()
	return it.err
}

func (it *iterator) Close() error {
	it.cancel()
	for range it.rows { // let the producer finish
	}
	return nil
}

// Columns implements queries.ColumnLister: the projection.
func (it *iterator) Columns() []string { return it.cols }

// Warnings implements queries.Warner: limits that cut the answer (a path
// closure stopped at its depth bound).
func (it *iterator) Warnings() []string {
	it.mu.Lock()
	defer it.mu.Unlock()
	return append([]string(nil), it.warnings...)
}

func jsonValue(v quad.Value) any {
	switch v := v.(type) {
	case quad.IRI, quad.BNode:
		return v.String()
	case nil:
		return nil
	}
	return v.Native()
}
