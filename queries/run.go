package queries

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// DefaultLang is the language used when a request names none.
const DefaultLang = "path"

// DefaultTimeout is the deadline of a query when a request sets none.
const DefaultTimeout = 30 * time.Second

// Request is one query to run.
type Request struct {
	Lang     string        // a registered Cayley language; DefaultLang if empty
	Query    string        // the query text
	Limit    int           // row cap; 0 means no cap
	Timeout  time.Duration // deadline; DefaultTimeout if 0, none if negative
	Evidence bool          // attach the evidence of every row
	MaxDepth int           // bound of recursive steps (path language); DefaultMaxDepth if 0
}

// DefaultMaxDepth bounds recursive steps (p+, p*) when a request sets no bound.
const DefaultMaxDepth = 10

type maxDepthKey struct{}

// WithMaxDepth returns a context that tells query languages the bound of
// recursive steps.
func WithMaxDepth(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, maxDepthKey{}, n)
}

// MaxDepth returns the bound of recursive steps set by WithMaxDepth, or
// DefaultMaxDepth.
func MaxDepth(ctx context.Context) int {
	if n, ok := ctx.Value(maxDepthKey{}).(int); ok && n > 0 {
		return n
	}
	return DefaultMaxDepth
}

// Run executes req against qs and collects its rows. Errors are *errs.Error
// values with codes (invalid, not_found, timeout, internal) where the cause is
// known.
func Run(ctx context.Context, qs cgraph.QuadStore, req Request) (*Result, error) {
	start := time.Now()
	ctx, req, cancel := prepare(ctx, req)
	defer cancel()
	res := &Result{Lang: req.Lang, Limit: req.Limit, Evidence: req.Evidence}
	rows, info, err := execute(ctx, qs, req)
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
// Path-expression rows with evidence must carry every path that yields them,
// so with Evidence a path query whose paths to a row can pass through
// different nodes finishes before its first row is emitted (see
// pathlang.Compiled.EvidencePerRow).
func Stream(ctx context.Context, qs cgraph.QuadStore, req Request, emit func(cols []string, row Row) error) (*Result, error) {
	start := time.Now()
	ctx, req, cancel := prepare(ctx, req)
	defer cancel()
	res := &Result{Lang: req.Lang, Limit: req.Limit, Evidence: req.Evidence}
	b := newRowBuilder(qs, req.Evidence)
	var declared []string
	n := 0
	info, err := executeEach(ctx, qs, req, func(cols []string) error {
		declared = cols
		return nil
	}, func(raw rawRow) error {
		if n++; req.Limit > 0 && n > req.Limit {
			res.Truncated = true
			return nil
		}
		cols := declared
		if cols == nil {
			cols = columnsOf([]rawRow{raw})
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
	res.Columns, res.Warnings = info.cols, info.warnings
	res.Elapsed = time.Since(start)
	return res, nil
}

// prepare fills in a request's defaults and puts its deadline and depth
// bound on the context.
func prepare(ctx context.Context, req Request) (context.Context, Request, context.CancelFunc) {
	if req.Lang == "" {
		req.Lang = DefaultLang
	}
	if req.Timeout == 0 {
		req.Timeout = DefaultTimeout
	}
	cancel := context.CancelFunc(func() {})
	if req.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
	}
	if req.MaxDepth > 0 {
		ctx = WithMaxDepth(ctx, req.MaxDepth)
	}
	return ctx, req, cancel
}

// rowBuilder turns raw rows into rows: display names, and evidence if asked.
type rowBuilder struct {
	names    *namer
	evidence *evidenceFinder // nil: no evidence
}

func newRowBuilder(qs cgraph.QuadStore, evidence bool) *rowBuilder {
	b := &rowBuilder{names: newNamer(qs)}
	if evidence {
		b.evidence = newEvidenceFinder(qs)
	}
	return b
}

func (b *rowBuilder) build(ctx context.Context, cols []string, raw rawRow) (Row, error) {
	row, err := buildRow(ctx, b.names, cols, raw)
	if err != nil || b.evidence == nil {
		return row, err
	}
	row.Evidence, err = b.evidence.rowEvidence(ctx, raw)
	return row, err
}

// rawRow is one result as a language returns it: tagged refs, or a JSON value
// under the key jsonKey.
type rawRow struct {
	tags   map[string]cgraph.Ref
	values map[string]quad.Value // cells computed by the language
	quads  []quad.Quad           // evidence recorded by the language
	paths  []map[string]cgraph.Ref
	hops   []Hop
	json   any
}

// isJSON reports a row that is one JSON value rather than tagged cells.
func (r rawRow) isJSON() bool { return r.tags == nil && r.values == nil }

const jsonColumn = "result"

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

// execute runs req and returns its raw rows (at most one more than req.Limit)
// and, when the language says so, its columns.
func execute(ctx context.Context, qs cgraph.QuadStore, req Request) ([]rawRow, execInfo, error) {
	var rows []rawRow
	info, err := executeEach(ctx, qs, req, nil, func(r rawRow) error {
		rows = append(rows, r)
		return nil
	})
	return rows, info, err
}

// execInfo is what a language tells of a query besides its rows.
type execInfo struct {
	cols     []string // the columns it declares, if any
	warnings []string // limits that cut the result (see Warner)
}

// executeEach runs req and calls each with every raw row as the language
// yields it, stopping after one more row than req.Limit. begin, if set, gets the
// columns the language knows before the first row (nil when it knows none).
func executeEach(ctx context.Context, qs cgraph.QuadStore, req Request, begin func(cols []string) error, each func(rawRow) error) (execInfo, error) {
	var info execInfo
	sess := query.NewSession(qs, req.Lang)
	if sess == nil {
		return info, errs.Errorf(errs.Invalid, "unknown query language %q (known: %s)", req.Lang, strings.Join(Languages(), ", "))
	}
	opt := query.Options{Collation: query.Raw}
	if req.Limit > 0 {
		opt.Limit = req.Limit + 1 // one more than asked, to know whether the cap cut
	}
	if req.Evidence {
		ctx = WithEvidence(ctx)
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
		var r rawRow
		switch res := it.Result().(type) {
		case nil:
			continue
		case *gizmo.Result:
			if res.Meta {
				continue
			}
			if res.Tags != nil {
				r = rawRow{tags: res.Tags}
			} else {
				r = rawRow{json: res.Val}
			}
		case *TracedRow:
			r = rawRow{tags: res.Tags, values: res.Values, quads: res.Quads, paths: res.Paths, hops: res.Hops}
		case map[string]cgraph.Ref:
			r = rawRow{tags: res}
		case cgraph.Ref:
			r = rawRow{tags: map[string]cgraph.Ref{"id": res}}
		default:
			r = rawRow{json: res}
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

// columnsOf orders the visible tags of all rows: the main tag ("node" for path
// expressions, "id" for Gizmo) first, then the others in first-seen order, then
// the JSON column if any row has one. Tags starting with "_" or "$" are hidden.
func columnsOf(rows []rawRow) []string {
	var cols []string
	seen := map[string]bool{}
	add := func(c string) {
		if !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	hasJSON := false
	for _, main := range []string{"node", "id"} {
		for _, r := range rows {
			_, tagged := r.tags[main]
			if _, computed := r.values[main]; tagged || computed {
				add(main)
				break
			}
		}
	}
	for _, r := range rows {
		if r.isJSON() {
			hasJSON = true
			continue
		}
		keys := make([]string, 0, len(r.tags)+len(r.values))
		for k := range r.tags {
			if !hidden(k) {
				keys = append(keys, k)
			}
		}
		for k := range r.values {
			if _, dup := r.tags[k]; !dup && !hidden(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			add(k)
		}
	}
	if hasJSON {
		add(jsonColumn)
	}
	return cols
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func hidden(tag string) bool { return strings.HasPrefix(tag, "_") || strings.HasPrefix(tag, "$") }

func buildRow(ctx context.Context, names *namer, cols []string, r rawRow) (Row, error) {
	row := Row{Cells: make([]Cell, len(cols)), tags: r.tags}
	for i, c := range cols {
		if r.isJSON() {
			if c == jsonColumn {
				row.Cells[i] = Cell{JSON: r.json}
			}
			continue
		}
		var (
			cell Cell
			err  error
		)
		if ref, ok := r.tags[c]; ok {
			cell, err = names.cell(ctx, ref)
		} else if v, ok := r.values[c]; ok {
			cell, err = names.valueCell(ctx, v)
		} else {
			continue
		}
		if err != nil {
			return Row{}, err
		}
		row.Cells[i] = cell
	}
	return row, nil
}

// namer turns refs into cells, caching display names.
type namer struct {
	qs    cgraph.QuadStore
	cache map[quad.Value]string
}

func newNamer(qs cgraph.QuadStore) *namer {
	return &namer{qs: qs, cache: map[quad.Value]string{}}
}

func (n *namer) cell(ctx context.Context, ref cgraph.Ref) (Cell, error) {
	v, err := n.qs.NameOf(ref)
	if err != nil {
		return Cell{}, err
	}
	cell, err := n.valueCell(ctx, v)
	cell.ref = ref
	return cell, err
}

// valueCell names a value that may not be held by the store (a computed
// cell): nodes by their name in the store, literals by their text.
func (n *namer) valueCell(ctx context.Context, v quad.Value) (Cell, error) {
	name, ok := n.cache[v]
	if !ok {
		var err error
		if name, err = graph.NameOf(ctx, n.qs, v); err != nil {
			return Cell{}, err
		}
		n.cache[v] = name
	}
	return Cell{Value: v, Name: name}, nil
}

func wrapErr(ctx context.Context, err error, timeout time.Duration) error {
	var gerr *errs.Error
	switch {
	case errors.As(err, &gerr):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &errs.Error{Code: errs.Timeout, Message: fmt.Sprintf("query stopped at its deadline of %s (raise it with --timeout)", timeout), Err: err}
	case errors.Is(err, context.Canceled):
		return err
	}
	// Errors from Cayley's languages (syntax errors, unknown functions) are the
	// user's to fix; keep the position when their message gives one.
	e := &errs.Error{Code: errs.Invalid, Message: err.Error(), Err: err}
	e.Line, e.Column = positionIn(e.Message)
	if e.Line > 0 {
		// GraphQL appends its own excerpt of the query after a blank line;
		// the error's Snippet shows that already.
		e.Message, _, _ = strings.Cut(e.Message, "\n\n")
	}
	return e
}

// languagePositions find a position in the error messages of Cayley's
// languages: Gizmo's JavaScript engine ("Line 1:5 Unexpected token",
// "at <eval>:1:10(4)") and GraphQL ("Syntax Error GraphQL (1:13)").
var languagePositions = []*regexp.Regexp{
	regexp.MustCompile(`Line (\d+):(\d+)`),
	regexp.MustCompile(`<eval>:(\d+):(\d+)`),
	regexp.MustCompile(`GraphQL \((\d+):(\d+)\)`),
}

func positionIn(msg string) (line, col int) {
	for _, rx := range languagePositions {
		if m := rx.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			col, _ = strconv.Atoi(m[2])
			return line, col
		}
	}
	return 0, 0
}

// Snippet returns the line of query that a positioned query error points at,
// with a caret under its column, or "" for an error with no position in the
// query. The CLI and the HTTP API show it under the message.
func Snippet(err error, query string) string {
	var e *errs.Error
	if !errors.As(err, &e) || e.Line == 0 || e.File != "" {
		return ""
	}
	return Caret(query, e.Line, e.Column)
}

// Caret returns the given 1-based line of text and, under it, a caret at the
// 1-based column (columns count characters; tabs are kept, and East Asian wide
// characters are matched by ideographic spaces, so that the caret lines up in a
// monospaced font), or "" when the line is not in text.
func Caret(text string, line, col int) string {
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	l := strings.TrimRight(lines[line-1], "\r")
	var pad strings.Builder
	for i, r := range []rune(l) {
		if i >= col-1 {
			break
		}
		switch k := width.LookupRune(r).Kind(); {
		case r == '\t':
			pad.WriteRune('\t')
		case k == width.EastAsianWide || k == width.EastAsianFullwidth:
			pad.WriteRune('\u3000') // as wide as the character in a monospaced font
		default:
			pad.WriteRune(' ')
		}
	}
	return l + "\n" + pad.String() + "^"
}

// Explainer is implemented by query sessions that can show the plan of a query
// without running it (factgraph's path expressions).
type Explainer interface {
	Explain(ctx context.Context, query string) (string, error)
}

// Explain returns the plan of req's query, for languages whose sessions
// implement Explainer.
func Explain(ctx context.Context, qs cgraph.QuadStore, req Request) (string, error) {
	if req.Lang == "" {
		req.Lang = DefaultLang
	}
	sess := query.NewSession(qs, req.Lang)
	if sess == nil {
		return "", errs.Errorf(errs.Invalid, "unknown query language %q (known: %s)", req.Lang, strings.Join(Languages(), ", "))
	}
	ex, ok := sess.(Explainer)
	if !ok {
		return "", errs.Errorf(errs.Invalid, "--explain is not available for %s queries", req.Lang)
	}
	plan, err := ex.Explain(ctx, req.Query)
	return plan, err
}
