package pathlang

import (
	"context"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/timeline"
	"github.com/factgraph/factgraph/queries/trace"
)

// AsOf ends a query with the day it is answered as of: "as of 2024-06-01"
// answers as the documents published up to that day state it, each
// happening at its latest status by then (see graph/timeline).
type AsOf struct {
	At   Pos    // of "as"
	Date string // YYYY-MM-DD
}

// Pos implements Step.
func (s *AsOf) Pos() Pos { return s.At }

// asOf parses "of DATE", after "as".
func (p *parser) asOf(at Pos) Step {
	p.advance() // of
	if p.tok.Kind != DATE {
		p.expected("a day (YYYY-MM-DD) after 'as of'")
		return nil
	}
	if _, err := time.Parse(time.DateOnly, p.tok.Text); err != nil || len(p.tok.Text) != len(time.DateOnly) {
		p.errorAt(p.tok.Pos, "expected a day (YYYY-MM-DD) after 'as of', found "+p.tok.Text)
		p.advance()
		return nil
	}
	s := &AsOf{At: at, Date: p.tok.Text}
	p.advance()
	return s
}

// placeAsOf puts an "as of" the steps of q parsed where it belongs: it ends
// the whole query, once.
func (p *parser) placeAsOf(q *Query, s *AsOf, end Kind) {
	switch {
	case end != EOF:
		p.errorAt(s.At, "as of applies to the whole query: write it at the end, outside the parentheses")
	case q.AsOf != nil:
		p.errorAt(s.At, "the query says as of twice")
	default:
		q.AsOf = s
	}
}

// checkAsOfLast reports steps after an "as of".
func (p *parser) checkAsOfLast(q *Query, after []Step) {
	if q.AsOf != nil && len(after) > 0 {
		p.errorAt(after[0].Pos(), "as of ends the query; write this step before it")
	}
}

// DateOf returns the day a query's "as of" names, or "" for a query without
// one (or one that does not parse, whose errors Execute reports). It is the
// language's queries.RegisterDater function.
func DateOf(text string) string {
	if !strings.Contains(text, "of") {
		return "" // most queries: no need to parse them twice
	}
	q, err := Parse(text)
	if err != nil || q.AsOf == nil {
		return ""
	}
	return q.AsOf.Date
}

// storeFor returns the store a query runs on: the session's, or for a query
// "as of" a day, the session's store as of that day, unless it is that
// already (queries.Run opens it so, under the recording store of evidence).
func (s *Session) storeFor(ctx context.Context, text string, q *Query) (cgraph.QuadStore, error) {
	if q.AsOf == nil {
		return s.qs, nil
	}
	inner := s.qs
	if ts, ok := inner.(*trace.Store); ok {
		inner = ts.QuadStore
	}
	if v, ok := inner.(*timeline.View); ok && v.AsOf() == q.AsOf.Date {
		return s.qs, nil
	}
	if _, ok := s.qs.(*trace.Store); ok {
		// Recording must stay outermost; queries.Run dates the store first.
		return nil, errorAt(text, q.AsOf.At, errs.Internal, "as of: the recording store was opened at another date")
	}
	return timeline.Open(ctx, s.qs, q.AsOf.Date)
}

// namesStore returns the store that the names of a query resolve against:
// for a store seen as of a day, the store it wraps, since names, aliases and
// predicates do not change with time ("Japan -> hasRAAWith as of 2000-01-01"
// is no typo, but a question with no answer).
func namesStore(qs cgraph.QuadStore) cgraph.QuadStore {
	if ts, ok := qs.(*trace.Store); ok {
		qs = ts.QuadStore
	}
	return timeline.Base(qs)
}
