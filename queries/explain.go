package queries

import (
	"context"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"

	"github.com/factgraph/factgraph/graph/errs"
)

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
	qs, err := atDate(ctx, qs, req)
	if err != nil {
		return "", err
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
