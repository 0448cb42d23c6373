package loaders

import (
	"context"
	"io"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/quad"
	_ "github.com/cayleygraph/quad/dot"     // registers "graphviz"
	_ "github.com/cayleygraph/quad/graphml" // registers "graphml"
	_ "github.com/cayleygraph/quad/jsonld"  // registers "jsonld"
	_ "github.com/cayleygraph/quad/pquads"  // registers "pquads", Cayley's binary format

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
)

// ExportFormats lists the names Export accepts: the export formats of the
// format table.
func ExportFormats() []string { return format.Names(format.Export) }

// ExportFormat returns the export format named name (or an alias) and
// Cayley's writer of it.
func ExportFormat(name string) (*format.Format, *quad.Format, error) {
	f, ok := format.Lookup(name, format.Export)
	if !ok {
		return nil, nil, errs.Errorf(errs.Invalid, "unknown export format %q (known: %s)", name, strings.Join(ExportFormats(), ", "))
	}
	return f, quad.FormatByName(f.Cayley), nil
}

// Export writes the quads of qs that match f to w in the named format and
// returns how many it wrote. Typed values are written with full datatype IRIs
// (Cayley's own writer abbreviates xsd:integer), so other tools can read the
// output.
func Export(ctx context.Context, qs cgraph.QuadStore, w io.Writer, name string, f graph.Pattern) (int, error) {
	_, ff, err := ExportFormat(name)
	if err != nil {
		return 0, err
	}
	it, err := filterIterator(qs, f)
	if err != nil || it == nil {
		// A filter value the store does not hold matches nothing; the writer
		// still writes its header and footer.
		qw := graph.PortableWriter(ff, w)
		return 0, firstErr(err, qw.Close())
	}
	qw := graph.PortableWriter(ff, w)
	n := 0
	err = iterator.Iterate(ctx, it).Each(func(r cgraph.Ref) error {
		q, err := qs.Quad(r)
		if err != nil {
			return err
		}
		if !f.Match(q) {
			return nil
		}
		n++
		err = qw.WriteQuad(q)
		return err
	})
	return n, firstErr(err, qw.Close())
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// filterIterator scans the index of the first fixed part of f, or all quads.
// It returns nil when a fixed part is not in the store.
func filterIterator(qs cgraph.QuadStore, f graph.Pattern) (iterator.Shape, error) {
	for _, d := range quad.Directions {
		if v := f.Get(d); v != nil {
			ref, err := qs.ValueOf(v)
			if err != nil || ref == nil {
				return nil, err
			}
			return qs.QuadIterator(d, ref), nil
		}
	}
	return qs.QuadsAllIterator(), nil
}

// WriteNQuads writes quads to w as N-Quads, one a line, with full datatype
// IRIs as Export writes them.
func WriteNQuads(w io.Writer, quads []quad.Quad) error {
	qw := quad.FormatByName("nquads").Writer(w)
	for _, q := range quads {
		if _, err := qw.WriteQuads([]quad.Quad{graph.Portable(q)}); err != nil {
			return err
		}
	}
	return qw.Close()
}
