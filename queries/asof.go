package queries

import (
	"context"

	cgraph "github.com/cayleygraph/cayley/graph"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/timeline"
)

// atDate returns the store a request runs on: qs as the documents published
// up to req.AsOf state it, or, with no date, as all of them do, each
// happening at its latest status (see graph/timeline). A store without status
// history is returned as it is.
func atDate(ctx context.Context, qs cgraph.QuadStore, req Request) (cgraph.QuadStore, error) {
	date := req.AsOf
	if dateOf, ok := daters[req.Lang]; ok {
		if in := dateOf(req.Query); in != "" {
			if date != "" && date != in {
				return nil, errs.Errorf(errs.Invalid, "the request asks as of %s and the query as of %s; give one day", date, in)
			}
			date = in
		}
	}
	return timeline.Open(ctx, qs, date)
}

var daters = map[string]func(query string) string{}

// RegisterDater registers, for a language whose queries can name the day
// they are answered as of (the path language's "as of 2024-06-01"), the
// function that reads that day from a query ("" for none). The store is then
// opened as of that day before the query runs on it, as for Request.AsOf.
// Packages of such languages register it in init.
func RegisterDater(lang string, dateOf func(query string) string) { daters[lang] = dateOf }

// dateWarnings returns the warnings of the store a request ran on: the
// contradictory statuses its quads came from.
func dateWarnings(qs cgraph.QuadStore) []string {
	if v, ok := qs.(*timeline.View); ok {
		return v.Warnings()
	}
	return nil
}
