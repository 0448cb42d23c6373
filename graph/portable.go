package graph

import (
	"io"

	"github.com/cayleygraph/quad"
)

// Portable returns q with typed values (Cayley's native ints, floats, booleans
// and times, and typed strings) written with full datatype IRIs, as N-Quads
// requires; Cayley's own writer abbreviates them (<xsd:integer>).
func Portable(q quad.Quad) quad.Quad {
	for _, d := range quad.Directions {
		q.Set(d, portableValue(q.Get(d)))
	}
	return q
}

func portableValue(v quad.Value) quad.Value {
	var ts quad.TypedString
	switch v := v.(type) {
	case quad.Int:
		ts = v.TypedString()
	case quad.Float:
		ts = v.TypedString()
	case quad.Bool:
		ts = v.TypedString()
	case quad.Time:
		ts = v.TypedString()
	case quad.TypedString:
		ts = v
	default:
		return v
	}
	ts.Type = ts.Type.Full()
	return ts
}

// PortableWriter returns a writer of format f to w that writes every quad as
// Portable does and, for JSON-LD, writes blank nodes so that they read back as
// blank nodes: Cayley's JSON-LD writer hands a blank node's label to the
// JSON-LD processor without the "_:" that marks it, and the processor then
// writes it as a relative IRI.
func PortableWriter(f *quad.Format, w io.Writer) quad.WriteCloser {
	return &portableWriter{WriteCloser: f.Writer(w), jsonld: f.Name == "jsonld"}
}

type portableWriter struct {
	quad.WriteCloser
	jsonld bool
	buf    []quad.Quad
}

func (w *portableWriter) WriteQuad(q quad.Quad) error {
	_, err := w.WriteQuads([]quad.Quad{q})
	return err
}

func (w *portableWriter) WriteQuads(qs []quad.Quad) (int, error) {
	w.buf = w.buf[:0]
	for _, q := range qs {
		q = Portable(q)
		if w.jsonld {
			for _, d := range []quad.Direction{quad.Subject, quad.Object} {
				if b, ok := q.Get(d).(quad.BNode); ok {
					q.Set(d, quad.BNode("_:"+string(b)))
				}
			}
		}
		w.buf = append(w.buf, q)
	}
	return w.WriteCloser.WriteQuads(w.buf)
}
