package queries

import "context"

// DefaultMaxSteps bounds the steps of a path expression when a request sets
// no bound. Each step is a level of Cayley's iterator tree, and the
// optimizer, which no deadline interrupts, asks every level for the cost of
// the levels below it: work that grows faster than the tree, which the bound
// keeps small (a person's query has a few dozen steps).
const DefaultMaxSteps = 256

type maxStepsKey struct{}

// WithMaxSteps returns a context that tells query languages the bound of a
// query's steps.
func WithMaxSteps(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, maxStepsKey{}, n)
}

// MaxSteps returns the bound of a query's steps set by WithMaxSteps, or
// DefaultMaxSteps.
func MaxSteps(ctx context.Context) int {
	if n, ok := ctx.Value(maxStepsKey{}).(int); ok && n > 0 {
		return n
	}
	return DefaultMaxSteps
}
