// Package rdfxml reads the part of RDF/XML that test data and simple
// exports use: node elements (rdf:Description or typed), rdf:about,
// rdf:ID, rdf:nodeID, rdf:resource, property attributes, rdf:datatype,
// xml:lang, xml:base, rdf:parseType="Resource" and nested node elements.
// Other parse types (Literal, Collection) are errors.
package rdfxml

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/rdfsyntax"
)

const rdfNS = rdfsyntax.RDF

// Parse reads a document; base resolves relative IRIs, blankPrefix is put
// before every blank node label.
func Parse(r io.Reader, base, blankPrefix string) ([]quad.Quad, error) {
	p := &parser{dec: xml.NewDecoder(r), prefix: blankPrefix}
	var out []quad.Quad
	p.out = &out
	for {
		tok, err := p.dec.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			b := baseOf(se, base)
			if name(se.Name) == rdfNS+"RDF" {
				if err := p.nodes(b, langOf(se, "")); err != nil {
					return nil, err
				}
				continue
			}
			if _, err := p.node(se, b, langOf(se, "")); err != nil {
				return nil, err
			}
		}
	}
}

type parser struct {
	dec    *xml.Decoder
	prefix string
	out    *[]quad.Quad
	anon   int
}

func (p *parser) errorf(format string, args ...any) error {
	line, col := p.dec.InputPos()
	return errs.At(errs.Invalid, "", line, col, "%s", fmt.Sprintf(format, args...))
}

func name(n xml.Name) string { return n.Space + n.Local }

func attr(se xml.StartElement, space, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func baseOf(se xml.StartElement, base string) string {
	if b, ok := attr(se, "http://www.w3.org/XML/1998/namespace", "base"); ok {
		return rdfsyntax.ResolveIRI(base, b)
	}
	return base
}

func langOf(se xml.StartElement, lang string) string {
	if l, ok := attr(se, "http://www.w3.org/XML/1998/namespace", "lang"); ok {
		return l
	}
	return lang
}

func (p *parser) fresh() quad.Value {
	p.anon++
	return quad.BNode(p.prefix + "x" + strconv.Itoa(p.anon))
}

// nodes reads node elements up to the end of the enclosing element.
func (p *parser) nodes(base, lang string) error {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return p.errorf("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if _, err := p.node(t, baseOf(t, base), langOf(t, lang)); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// node reads one node element and returns its subject.
func (p *parser) node(se xml.StartElement, base, lang string) (quad.Value, error) {
	var s quad.Value
	if v, ok := attr(se, rdfNS, "about"); ok {
		s = quad.IRI(rdfsyntax.ResolveIRI(base, v))
	} else if v, ok := attr(se, rdfNS, "ID"); ok {
		s = quad.IRI(rdfsyntax.ResolveIRI(base, "#"+v))
	} else if v, ok := attr(se, rdfNS, "nodeID"); ok {
		s = quad.BNode(p.prefix + v)
	} else {
		s = p.fresh()
	}
	if n := name(se.Name); n != rdfNS+"Description" {
		p.emit(s, quad.IRI(rdfNS+"type"), quad.IRI(n))
	}
	p.propertyAttrs(se, s, lang)
	return s, p.properties(s, base, lang)
}

func (p *parser) emit(s, pr, o quad.Value) {
	*p.out = append(*p.out, quad.Quad{Subject: s, Predicate: pr, Object: o})
}

func (p *parser) propertyAttrs(se xml.StartElement, s quad.Value, lang string) {
	for _, a := range se.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" || a.Name.Space == "http://www.w3.org/XML/1998/namespace" {
			continue
		}
		if a.Name.Space == rdfNS {
			switch a.Name.Local {
			case "about", "ID", "nodeID", "resource", "datatype", "parseType":
				continue
			case "type":
				p.emit(s, quad.IRI(rdfNS+"type"), quad.IRI(a.Value))
				continue
			}
		}
		p.emit(s, quad.IRI(name(a.Name)), rdfsyntax.Literal(a.Value, lang, ""))
	}
}

// properties reads property elements up to the end of the node element.
func (p *parser) properties(s quad.Value, base, lang string) error {
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return p.errorf("%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := p.property(t, s, baseOf(t, base), langOf(t, lang)); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (p *parser) property(se xml.StartElement, s quad.Value, base, lang string) error {
	pred := quad.IRI(name(se.Name))
	if pt, ok := attr(se, rdfNS, "parseType"); ok {
		if pt != "Resource" {
			return p.errorf("rdf:parseType=%q is not supported", pt)
		}
		o := p.fresh()
		p.emit(s, pred, o)
		return p.properties(o, base, lang)
	}
	if r, ok := attr(se, rdfNS, "resource"); ok {
		o := quad.IRI(rdfsyntax.ResolveIRI(base, r))
		p.emit(s, pred, o)
		p.propertyAttrs(se, o, lang)
		return p.dec.Skip()
	}
	if id, ok := attr(se, rdfNS, "nodeID"); ok {
		o := quad.BNode(p.prefix + id)
		p.emit(s, pred, o)
		p.propertyAttrs(se, o, lang)
		return p.dec.Skip()
	}
	dt, _ := attr(se, rdfNS, "datatype")
	var text strings.Builder
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return p.errorf("%v", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.StartElement:
			o, err := p.node(t, baseOf(t, base), langOf(t, lang))
			if err != nil {
				return err
			}
			p.emit(s, pred, o)
			if err := p.dec.Skip(); err != nil {
				return p.errorf("%v", err)
			}
			return nil
		case xml.EndElement:
			if dt != "" {
				p.emit(s, pred, rdfsyntax.Literal(text.String(), "", dt))
			} else {
				p.emit(s, pred, rdfsyntax.Literal(text.String(), lang, ""))
			}
			return nil
		}
	}
}
