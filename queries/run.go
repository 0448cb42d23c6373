package queries

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries/trace"
)

// Run executes req against qs and collects its rows. Errors are *errs.Error
// values with codes (invalid, not_found, timeout, internal) where the cause is
// known.
func Run(ctx context.Context, qs cgraph.QuadStore, req Request) (*Result, error) {
	start := time.Now()
	ctx, req, cancel := prepare(ctx, req)
	defer cancel()
	qs, err := atDate(ctx, graph.Inner(qs), req)
	if err != nil {
		return nil, wrapErr(ctx, err, req.Timeout)
	}
	res := &Result{Lang: req.Lang, Limit: req.Limit, Evidence: req.Evidence}
	var rows []*TracedRow
	info, err := executeEach(ctx, qs, req, nil, func(r *TracedRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, wrapErr(ctx, err, req.Timeout)
	}
	if req.Limit > 0 && len(rows) > req.Limit {
		rows, res.Truncated = rows[:req.Limit], true
	}
	res.Columns, res.Warnings = info.cols, info.warnings
	if res.Columns == nil {
		res.Columns = columnsOf(rows)
	}
	res.Rows = make([]Row, len(rows))
	b := newRowBuilder(qs, req.Evidence)
	for i, raw := range rows {
		row, err := b.build(ctx, res.Columns, raw)
		if err != nil {
			return nil, wrapErr(ctx, err, req.Timeout)
		}
		res.Rows[i] = row
	}
	res.Warnings = append(res.Warnings, dateWarnings(qs)...)
	res.Elapsed = time.Since(start)
	return res, nil
}

// Stream runs req like Run but hands each row to emit as soon as the language
// yields it, instead of collecting the rows: memory stays flat however large
// the result, and a client sees the first rows before the last are found. cols
// are the columns the language declares (path expressions), or else the row's
// own visible tags. The returned Result has no Rows; its Truncated says
// whether the limit cut.
//
// A row with evidence carries the quads of every path that yields it, which
// only the end of the walk tells, so with Evidence a path query walks its whole
// result before its first row is emitted; its rows are then those of Run.
func Stream(ctx context.Context, qs cgraph.QuadStore, req Request, emit func(cols []string, row Row) error) (*Result, error) {
	start := time.Now()
	ctx, req, cancel := prepare(ctx, req)
	defer cancel()
	qs, err := atDate(ctx, graph.Inner(qs), req)
	if err != nil {
		return nil, wrapErr(ctx, err, req.Timeout)
	}
	res := &Result{Lang: req.Lang, Limit: req.Limit, Evidence: req.Evidence}
	b := newRowBuilder(qs, req.Evidence)
	var declared []string
	n := 0
	info, err := executeEach(ctx, qs, req, func(cols []string) error {
		declared = cols
		return nil
	}, func(raw *TracedRow) error {
		if n++; req.Limit > 0 && n > req.Limit {
			res.Truncated = true
			return nil
		}
		cols := declared
		if cols == nil {
			cols = columnsOf([]*TracedRow{raw})
		}
		row, err := b.build(ctx, cols, raw)
		if err != nil {
			return err
		}
		return emit(cols, row)
	})
	if err != nil {
		return nil, wrapErr(ctx, err, req.Timeout)
	}
	res.Columns, res.Warnings = info.cols, append(info.warnings, dateWarnings(qs)...)
	res.Elapsed = time.Since(start)
	return res, nil
}

// Warner is implemented by query iterators that can tell, once done, of limits
// that cut the result in ways rows cannot show (a recursive step stopped by its
// depth bound).
type Warner interface {
	Warnings() []string
}

// ColumnLister is implemented by query iterators that know their result columns
// before any row comes (factgraph's path expressions), so that empty results
// still have a header.
type ColumnLister interface {
	Columns() []string
}

// execInfo is what a language tells of a query besides its rows.
type execInfo struct {
	cols     []string // the columns it declares, if any
	warnings []string // limits that cut the result (see Warner)
}

// executeEach runs req and calls each with every row as the language yields
// it, stopping after one more row than req.Limit. begin, if set, gets the
// columns the language knows before the first row (nil when it knows none).
// With evidence, the query runs on a recording store (see queries/trace).
func executeEach(ctx context.Context, qs cgraph.QuadStore, req Request, begin func(cols []string) error, each func(*TracedRow) error) (execInfo, error) {
	var info execInfo
	if req.Evidence {
		ctx = WithEvidence(ctx)
		qs = trace.New(qs, adapters[req.Lang].Record)
	}
	sess := query.NewSession(qs, req.Lang)
	if sess == nil {
		return info, errs.Errorf(errs.Invalid, "unknown query language %q (known: %s)", req.Lang, strings.Join(Languages(), ", "))
	}
	opt := query.Options{Collation: query.Raw}
	if req.Limit > 0 {
		opt.Limit = req.Limit + 1 // one more than asked, to know whether the cap cut
	}
	it, err := sess.Execute(ctx, req.Query, opt)
	var unsupported *query.ErrUnsupportedCollation
	if errors.As(err, &unsupported) {
		opt.Collation = query.JSON
		it, err = sess.Execute(ctx, req.Query, opt)
	}
	if err != nil {
		return info, err
	}
	defer it.Close()
	if cl, ok := it.(ColumnLister); ok {
		info.cols = cl.Columns()
	}
	if begin != nil {
		if err := begin(info.cols); err != nil {
			return info, err
		}
	}
	n := 0
	for it.Next(ctx) {
		r, err := toRow(qs, req.Lang, it.Result())
		if err != nil {
			return info, err
		}
		if r == nil {
			continue
		}
		if err := each(r); err != nil {
			return info, err
		}
		if n++; req.Limit > 0 && n > req.Limit {
			break
		}
	}
	if err := it.Err(); err != nil {
		return info, err
	}
	if err := ctx.Err(); err != nil {
		return info, err
	}
	if w, ok := it.(Warner); ok {
		info.warnings = w.Warnings()
	}
	return info, nil
}

// Languages lists the registered query languages, sorted.
func Languages() []string {
	l := query.Languages()
	sort.Strings(l)
	return l
}
