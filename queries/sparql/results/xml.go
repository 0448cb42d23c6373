package results

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
)

// XMLWriter streams SELECT results as SPARQL XML.
type XMLWriter struct {
	w   io.Writer
	err error
}

const xmlNS = "http://www.w3.org/2005/sparql-results#"

// NewXMLWriter writes the head for vars.
func NewXMLWriter(w io.Writer, vars []string) *XMLWriter {
	xw := &XMLWriter{w: w}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<sparql xmlns=\"" + xmlNS + "\">\n<head>")
	for _, v := range vars {
		b.WriteString(`<variable name="` + esc(v) + `"/>`)
	}
	b.WriteString("</head>\n<results>\n")
	_, xw.err = io.WriteString(w, b.String())
	return xw
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

// Write writes one solution, its variables in the order given.
func (xw *XMLWriter) Write(r Row, vars []string) error {
	if xw.err != nil {
		return xw.err
	}
	var b strings.Builder
	b.WriteString("<result>")
	for _, k := range vars {
		v, ok := r[k]
		if !ok || v == nil {
			continue
		}
		b.WriteString(`<binding name="` + esc(k) + `">`)
		switch x := v.(type) {
		case quad.IRI:
			b.WriteString("<uri>" + esc(string(x)) + "</uri>")
		case quad.BNode:
			b.WriteString("<bnode>" + esc(string(x)) + "</bnode>")
		case quad.LangString:
			b.WriteString(`<literal xml:lang="` + esc(x.Lang) + `">` + esc(string(x.Value)) + "</literal>")
		case quad.TypedString:
			b.WriteString(`<literal datatype="` + esc(string(x.Type)) + `">` + esc(string(x.Value)) + "</literal>")
		case quad.String:
			b.WriteString("<literal>" + esc(string(x)) + "</literal>")
		default:
			b.WriteString("<literal>" + esc(v.String()) + "</literal>")
		}
		b.WriteString("</binding>")
	}
	b.WriteString("</result>\n")
	_, xw.err = io.WriteString(xw.w, b.String())
	return xw.err
}

// Close ends the document.
func (xw *XMLWriter) Close() error {
	if xw.err != nil {
		return xw.err
	}
	_, err := io.WriteString(xw.w, "</results>\n</sparql>\n")
	return err
}

// WriteXMLBoolean writes the answer of an ASK.
func WriteXMLBoolean(w io.Writer, b bool) error {
	_, err := fmt.Fprintf(w, "<?xml version=\"1.0\"?>\n<sparql xmlns=\"%s\">\n<head/>\n<boolean>%t</boolean>\n</sparql>\n", xmlNS, b)
	return err
}

// ReadXML reads SPARQL XML results.
func ReadXML(r io.Reader) (*Set, error) {
	var doc struct {
		Head struct {
			Vars []struct {
				Name string `xml:"name,attr"`
			} `xml:"variable"`
		} `xml:"head"`
		Boolean *string `xml:"boolean"`
		Results struct {
			Result []struct {
				Binding []struct {
					Name    string  `xml:"name,attr"`
					URI     *string `xml:"uri"`
					BNode   *string `xml:"bnode"`
					Literal *struct {
						Lang     string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
						Datatype string `xml:"datatype,attr"`
						Text     string `xml:",chardata"`
					} `xml:"literal"`
				} `xml:"binding"`
			} `xml:"result"`
		} `xml:"results"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("sparql xml results: %w", err)
	}
	s := &Set{}
	for _, v := range doc.Head.Vars {
		s.Vars = append(s.Vars, v.Name)
	}
	if doc.Boolean != nil {
		b := strings.TrimSpace(*doc.Boolean) == "true"
		s.Boolean = &b
	}
	for _, res := range doc.Results.Result {
		row := Row{}
		for _, b := range res.Binding {
			switch {
			case b.URI != nil:
				row[b.Name] = quad.IRI(strings.TrimSpace(*b.URI))
			case b.BNode != nil:
				row[b.Name] = quad.BNode(strings.TrimSpace(*b.BNode))
			case b.Literal != nil:
				row[b.Name] = literal(b.Literal.Text, b.Literal.Lang, b.Literal.Datatype)
			}
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}
