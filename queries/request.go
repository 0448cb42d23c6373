package queries

import (
	"context"
	"time"
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
	MaxSteps int           // bound of a query's steps (path language); DefaultMaxSteps if 0
	// AsOf answers as the documents published up to that day (YYYY-MM-DD)
	// state it; empty answers as all of them do. Either way each happening
	// is at its latest status (see graph/timeline).
	AsOf string
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
	if req.MaxSteps > 0 {
		ctx = WithMaxSteps(ctx, req.MaxSteps)
	}
	return ctx, req, cancel
}
