package timeline

import (
	"context"

	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
)

// filtered passes on the results of an iterator that keep accepts.
type filtered struct {
	sub  iterator.Shape
	keep func(refs.Ref) (bool, error)
}

func (f *filtered) String() string                 { return "Timeline" }
func (f *filtered) SubIterators() []iterator.Shape { return []iterator.Shape{f.sub} }
func (f *filtered) Iterate() iterator.Scanner      { return &filterScan{sub: f.sub.Iterate(), keep: f.keep} }
func (f *filtered) Lookup() iterator.Index         { return &filterIndex{sub: f.sub.Lookup(), keep: f.keep} }

// Stats are the sub-iterator's, no longer exact: the filter may drop some.
func (f *filtered) Stats(ctx context.Context) (iterator.Costs, error) {
	st, err := f.sub.Stats(ctx)
	st.Size.Exact = false
	return st, err
}

func (f *filtered) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, changed := f.sub.Optimize(ctx)
	if changed {
		f.sub = sub
	}
	return f, changed
}

type filterScan struct {
	sub  iterator.Scanner
	keep func(refs.Ref) (bool, error)
	err  error
}

func (s *filterScan) Next(ctx context.Context) bool {
	for s.sub.Next(ctx) {
		ok, err := s.keep(s.sub.Result())
		if err != nil {
			s.err = err
			return false
		}
		if ok {
			return true
		}
	}
	return false
}

func (s *filterScan) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.sub.Err()
}

func (s *filterScan) Result() refs.Ref                   { return s.sub.Result() }
func (s *filterScan) NextPath(ctx context.Context) bool  { return s.sub.NextPath(ctx) }
func (s *filterScan) TagResults(dst map[string]refs.Ref) { s.sub.TagResults(dst) }
func (s *filterScan) Close() error                       { return s.sub.Close() }
func (s *filterScan) String() string                     { return "TimelineNext" }

type filterIndex struct {
	sub  iterator.Index
	keep func(refs.Ref) (bool, error)
	err  error
}

func (s *filterIndex) Contains(ctx context.Context, v refs.Ref) bool {
	if !s.sub.Contains(ctx, v) {
		return false
	}
	ok, err := s.keep(v)
	if err != nil {
		s.err = err
		return false
	}
	return ok
}

func (s *filterIndex) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.sub.Err()
}

func (s *filterIndex) Result() refs.Ref                   { return s.sub.Result() }
func (s *filterIndex) NextPath(ctx context.Context) bool  { return s.sub.NextPath(ctx) }
func (s *filterIndex) TagResults(dst map[string]refs.Ref) { s.sub.TagResults(dst) }
func (s *filterIndex) Close() error                       { return s.sub.Close() }
func (s *filterIndex) String() string                     { return "TimelineContains" }
