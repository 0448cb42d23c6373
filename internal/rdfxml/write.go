package rdfxml

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
)

// Writer writes triples as RDF/XML, one rdf:Description per triple; each
// predicate gets the namespace of everything before its last '/', '#' or
// ':'. Labels are dropped.
type Writer struct {
	w       *bufio.Writer
	started bool
	err     error
}

// NewWriter returns a writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&quot;")
}

// WriteQuad writes one triple.
func (x *Writer) WriteQuad(q quad.Quad) error {
	if !x.started {
		x.started = true
		x.w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<rdf:RDF xmlns:rdf="` + rdfNS + `">` + "\n")
	}
	pred, ok := q.Predicate.(quad.IRI)
	if !ok {
		return fmt.Errorf("rdf/xml: predicate %v is no IRI", q.Predicate)
	}
	p := string(pred)
	i := strings.LastIndexAny(p, "/#:")
	if i < 0 || i == len(p)-1 {
		return fmt.Errorf("rdf/xml: cannot split predicate <%s> into namespace and name", p)
	}
	ns, local := p[:i+1], p[i+1:]
	var subj string
	switch s := q.Subject.(type) {
	case quad.IRI:
		subj = `rdf:about="` + esc(string(s)) + `"`
	case quad.BNode:
		subj = `rdf:nodeID="` + esc(string(s)) + `"`
	default:
		return fmt.Errorf("rdf/xml: subject %v is no IRI or blank node", q.Subject)
	}
	open := `  <rdf:Description ` + subj + `><p:` + local + ` xmlns:p="` + esc(ns) + `"`
	var body string
	switch o := q.Object.(type) {
	case quad.IRI:
		body = open + ` rdf:resource="` + esc(string(o)) + `"/>`
	case quad.BNode:
		body = open + ` rdf:nodeID="` + esc(string(o)) + `"/>`
	case quad.String:
		body = open + `>` + esc(string(o)) + `</p:` + local + `>`
	case quad.LangString:
		body = open + ` xml:lang="` + esc(o.Lang) + `">` + esc(string(o.Value)) + `</p:` + local + `>`
	case quad.TypedString:
		body = open + ` rdf:datatype="` + esc(string(o.Type)) + `">` + esc(string(o.Value)) + `</p:` + local + `>`
	case quad.TypedStringer:
		return x.WriteQuad(quad.Quad{Subject: q.Subject, Predicate: q.Predicate, Object: o.TypedString()})
	default:
		body = open + `>` + esc(q.Object.String()) + `</p:` + local + `>`
	}
	_, err := x.w.WriteString(body + "</rdf:Description>\n")
	return err
}

// WriteQuads implements quad.Writer.
func (x *Writer) WriteQuads(qs []quad.Quad) (int, error) {
	for i, q := range qs {
		if err := x.WriteQuad(q); err != nil {
			return i, err
		}
	}
	return len(qs), nil
}

// Close ends the document and flushes.
func (x *Writer) Close() error {
	if !x.started {
		x.w.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + `<rdf:RDF xmlns:rdf="` + rdfNS + `">` + "\n")
	}
	x.w.WriteString("</rdf:RDF>\n")
	return x.w.Flush()
}
