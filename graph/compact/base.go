package compact

import (
	"context"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
)

// leaf is the base of the store's iterators that read the store itself:
// they are named, tag nothing, have one path per result, never fail and hold
// nothing to release. An iterator embeds it and defines only what differs.
type leaf struct{ name string }

func (l leaf) String() string                  { return l.name }
func (leaf) TagResults(map[string]graph.Ref)   {}
func (leaf) NextPath(ctx context.Context) bool { return false }
func (leaf) Err() error                        { return nil }
func (leaf) Close() error                      { return nil }

// over is the base of the store's iterators that wrap another: tags, other
// paths, errors and closing are the source's.
type over[T iterator.Base] struct {
	name string
	sub  T
}

func (o over[T]) String() string                      { return o.name }
func (o over[T]) TagResults(dst map[string]graph.Ref) { o.sub.TagResults(dst) }
func (o over[T]) NextPath(ctx context.Context) bool   { return o.sub.NextPath(ctx) }
func (o over[T]) Err() error                          { return o.sub.Err() }
func (o over[T]) Close() error                        { return o.sub.Close() }
