package turtle

import (
	"bufio"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
)

// Prefix binds a prefix name to a namespace for a Writer.
type Prefix struct{ Name, IRI string }

// Writer writes triples as Turtle: the prefixes first, then the triples of
// each subject together (subjects in the order they first come; a subject
// that comes back later starts a new block). Labels are dropped.
type Writer struct {
	w        *bufio.Writer
	prefixes []Prefix
	subject  quad.Value
	started  bool
}

// NewWriter returns a writer that abbreviates IRIs with prefixes.
func NewWriter(w io.Writer, prefixes []Prefix) *Writer {
	return &Writer{w: bufio.NewWriter(w), prefixes: prefixes}
}

// WriteQuad writes one triple.
func (t *Writer) WriteQuad(q quad.Quad) error {
	if !t.started {
		t.started = true
		for _, p := range t.prefixes {
			t.w.WriteString("@prefix " + p.Name + ": <" + p.IRI + "> .\n")
		}
		if len(t.prefixes) > 0 {
			t.w.WriteString("\n")
		}
	}
	if t.subject != nil && t.subject == q.Subject {
		t.w.WriteString(" ;\n    " + t.term(q.Predicate, true) + " " + t.term(q.Object, false))
		return nil
	}
	if t.subject != nil {
		t.w.WriteString(" .\n")
	}
	t.subject = q.Subject
	_, err := t.w.WriteString(t.term(q.Subject, false) + " " + t.term(q.Predicate, true) + " " + t.term(q.Object, false))
	return err
}

// WriteQuads implements quad.Writer.
func (t *Writer) WriteQuads(qs []quad.Quad) (int, error) {
	for i, q := range qs {
		if err := t.WriteQuad(q); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}

// Close ends the last statement and flushes.
func (t *Writer) Close() error {
	if t.subject != nil {
		t.w.WriteString(" .\n")
	}
	return t.w.Flush()
}

func (t *Writer) term(v quad.Value, predicate bool) string {
	switch x := v.(type) {
	case quad.IRI:
		if predicate && x == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" {
			return "a"
		}
		return t.iri(string(x))
	case quad.BNode:
		return "_:" + string(x)
	case quad.String:
		return quote(string(x))
	case quad.LangString:
		return quote(string(x.Value)) + "@" + x.Lang
	case quad.TypedString:
		return quote(string(x.Value)) + "^^" + t.iri(string(x.Type))
	case quad.TypedStringer:
		return t.term(x.TypedString(), predicate)
	}
	return quote(v.String())
}

func (t *Writer) iri(s string) string {
	for _, p := range t.prefixes {
		if local, ok := strings.CutPrefix(s, p.IRI); ok && plainLocal(local) {
			return p.Name + ":" + local
		}
	}
	return "<" + s + ">"
}

// plainLocal reports a local name that needs no escapes.
func plainLocal(s string) bool {
	if s == "" {
		return true
	}
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || i > 0 && r == '-'
		if !ok {
			return false
		}
	}
	return true
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
