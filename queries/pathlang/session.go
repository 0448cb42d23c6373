package pathlang

import (
	"context"
	"errors"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
)

// Name is the language's name for query.NewSession and --lang.
const Name = "path"

func init() {
	query.RegisterLanguage(query.Language{
		Name:    Name,
		Session: func(qs cgraph.QuadStore) query.Session { return NewSession(qs) },
	})
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
	c, err := s.compile(ctx, text)
	if err != nil {
		return "", err
	}
	return describeShape(c.Path.Shape()), nil
}

func (s *Session) compile(ctx context.Context, text string) (*Compiled, error) {
	q, err := Parse(text)
	if err != nil {
		return nil, asGraphError(err)
	}
	c, err := Compile(ctx, s.qs, text, q)
	if err != nil {
		return nil, asGraphError(err)
	}
	return c, nil
}

// asGraphError turns an ErrorList into one *graph.Error carrying the first
// position; the message lists every error.
func asGraphError(err error) error {
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return err
	}
	first := list[0]
	msg := first.Msg
	if len(list) > 1 {
		var rest []string
		for _, e := range list[1:] {
			rest = append(rest, e.Error())
		}
		msg += "; also " + strings.Join(rest, "; ")
	}
	code := graph.EINVALID
	if first.Code == codeNotFound {
		code = graph.ENOTFOUND
	}
	return &graph.Error{Code: code, Message: msg, Line: first.Pos.Line, Column: first.Pos.Column, Err: err}
}

// Execute runs a path expression. Rows are distinct on their visible columns;
// every path that yields a row is kept for its evidence. With query.Raw the
// results are *queries.TracedRow values; with JSON, maps from column to value.
func (s *Session) Execute(ctx context.Context, text string, opt query.Options) (query.Iterator, error) {
	switch opt.Collation {
	case query.Raw, query.JSON, query.REPL:
	default:
		return nil, &query.ErrUnsupportedCollation{Collation: opt.Collation}
	}
	c, err := s.compile(ctx, text)
	if err != nil {
		return nil, err
	}
	var (
		rows  []*queries.TracedRow
		index = map[string]*queries.TracedRow{}
	)
	errStop := errors.New("limit reached")
	err = c.Path.Iterate(ctx).Paths(true).TagEach(func(tags map[string]cgraph.Ref) error {
		key, err := s.rowKey(c.Columns, tags)
		if err != nil {
			return err
		}
		if r, ok := index[key]; ok {
			r.Paths = append(r.Paths, tags)
			return nil
		}
		if opt.Limit > 0 && len(rows) >= opt.Limit {
			return errStop
		}
		r := &queries.TracedRow{Tags: tags, Paths: []map[string]cgraph.Ref{tags}, Hops: c.Hops}
		index[key] = r
		rows = append(rows, r)
		return nil
	})
	if err != nil && err != errStop {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &results{qs: s.qs, rows: rows, cols: c.Columns, col: opt.Collation, pos: -1}, nil
}

// rowKey identifies a row by the values of its visible columns.
func (s *Session) rowKey(cols []string, tags map[string]cgraph.Ref) (string, error) {
	var b strings.Builder
	for _, c := range cols {
		if ref, ok := tags[c]; ok {
			v, err := s.qs.NameOf(ref)
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

// results iterates collected rows.
type results struct {
	qs   cgraph.QuadStore
	rows []*queries.TracedRow
	cols []string
	col  query.Collation
	pos  int
	err  error
}

func (r *results) Next(ctx context.Context) bool {
	if err := ctx.Err(); err != nil {
		r.err = err
		return false
	}
	r.pos++
	return r.pos < len(r.rows)
}

func (r *results) Result() any {
	row := r.rows[r.pos]
	if r.col == query.Raw {
		return row
	}
	m := make(map[string]any, len(r.cols))
	for _, c := range r.cols {
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
func (r *results) Columns() []string { return r.cols }

func (r *results) Err() error   { return r.err }
func (r *results) Close() error { return nil }
