package loaders

import (
	"errors"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/turtle"
)

// readTurtle reads a whole Turtle (or, with trig, TriG) document; its first
// syntax error stops the read and says where it is.
func readTurtle(name string, r io.Reader, trig bool) ([]quad.Quad, error) {
	b, err := io.ReadAll(r)
	var perr *errs.Error
	if errors.As(err, &perr) {
		return nil, err // the guard's, positioned in the file
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	qs, err := turtle.Parse(string(b), turtle.Options{TriG: trig})
	if errors.As(err, &perr) {
		perr.File = name
	}
	return qs, err
}

// TurtlePrefixes are the prefixes Turtle output abbreviates with:
// factgraph's own (graph.Prefixes).
func TurtlePrefixes() []turtle.Prefix {
	out := make([]turtle.Prefix, len(graph.Prefixes))
	for i, p := range graph.Prefixes {
		out[i] = turtle.Prefix{Name: p.Name, IRI: p.IRI}
	}
	return out
}

// sliceReader hands out quads read beforehand, as a quad.ReadCloser.
type sliceReader struct {
	quads []quad.Quad
	err   error
}

func (s *sliceReader) ReadQuad() (quad.Quad, error) {
	if s.err != nil {
		return quad.Quad{}, s.err
	}
	if len(s.quads) == 0 {
		return quad.Quad{}, io.EOF
	}
	q := s.quads[0]
	s.quads = s.quads[1:]
	return q, nil
}

func (s *sliceReader) Close() error { return nil }

func init() {
	for _, f := range []struct {
		name, ext, mime string
		trig            bool
	}{{"turtle", ".ttl", "text/turtle", false}, {"trig", ".trig", "application/trig", true}} {
		trig := f.trig
		var writer func(io.Writer) quad.WriteCloser
		if !trig {
			writer = func(w io.Writer) quad.WriteCloser { return turtle.NewWriter(w, TurtlePrefixes()) }
		}
		quad.RegisterFormat(quad.Format{
			Name: f.name, Ext: []string{f.ext}, Mime: []string{f.mime}, Writer: writer,
			Reader: func(r io.Reader) quad.ReadCloser {
				qs, err := readTurtle("", r, trig)
				return &sliceReader{quads: qs, err: err}
			},
		})
	}
}
