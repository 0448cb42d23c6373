package results

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
)

type jsonTerm struct {
	Type     string `json:"type"`
	Value    string `json:"value"`
	Lang     string `json:"xml:lang,omitempty"`
	Datatype string `json:"datatype,omitempty"`
}

// JSONTerm renders one term as SPARQL JSON results do.
func jsonTermOf(v quad.Value) jsonTerm {
	switch x := v.(type) {
	case quad.IRI:
		return jsonTerm{Type: "uri", Value: string(x)}
	case quad.BNode:
		return jsonTerm{Type: "bnode", Value: string(x)}
	case quad.String:
		return jsonTerm{Type: "literal", Value: string(x)}
	case quad.LangString:
		return jsonTerm{Type: "literal", Value: string(x.Value), Lang: x.Lang}
	case quad.TypedString:
		return jsonTerm{Type: "literal", Value: string(x.Value), Datatype: string(x.Type)}
	}
	return jsonTerm{Type: "literal", Value: v.String()}
}

// JSONWriter streams SELECT results as SPARQL JSON.
type JSONWriter struct {
	w     io.Writer
	vars  []string
	first bool
	buf   []byte
	vals  []quad.Value // Write's row, in the order of the head
	err   error
}

// NewJSONWriter writes the head for vars.
func NewJSONWriter(w io.Writer, vars []string) *JSONWriter {
	jw := &JSONWriter{w: w, vars: vars, first: true}
	if vars == nil {
		vars = []string{}
	}
	head, _ := json.Marshal(vars)
	_, jw.err = fmt.Fprintf(w, "{\"head\":{\"vars\":%s},\"results\":{\"bindings\":[", head)
	return jw
}

// Write writes one solution, its variables in the order of the head.
func (jw *JSONWriter) Write(r Row) error {
	jw.vals = jw.vals[:0]
	for _, k := range jw.vars {
		jw.vals = append(jw.vals, r[k])
	}
	return jw.WriteValues(jw.vals)
}

// WriteValues writes one solution given as the values of the head's
// variables, in its order (nil: unbound), as a query streams them.
func (jw *JSONWriter) WriteValues(vals []quad.Value) error {
	if jw.err != nil {
		return jw.err
	}
	b := jw.buf[:0]
	if !jw.first {
		b = append(b, ",\n"...)
	}
	jw.first = false
	b = append(b, '{')
	n := 0
	for i, k := range jw.vars {
		v := vals[i]
		if v == nil {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		t := jsonTermOf(v)
		b = appendString(b, k)
		b = append(b, `:{"type":`...)
		b = appendString(b, t.Type)
		b = append(b, `,"value":`...)
		b = appendString(b, t.Value)
		if t.Lang != "" {
			b = append(b, `,"xml:lang":`...)
			b = appendString(b, t.Lang)
		}
		if t.Datatype != "" {
			b = append(b, `,"datatype":`...)
			b = appendString(b, t.Datatype)
		}
		b = append(b, '}')
	}
	b = append(b, '}')
	jw.buf = b
	_, jw.err = jw.w.Write(b)
	return jw.err
}

// appendString appends s as a JSON string, copying the runs of bytes that
// need no escape whole.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		start = i + 1
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Close ends the document.
func (jw *JSONWriter) Close() error {
	if jw.err != nil {
		return jw.err
	}
	_, err := io.WriteString(jw.w, "]}}\n")
	return err
}

// WriteJSONBoolean writes the answer of an ASK.
func WriteJSONBoolean(w io.Writer, b bool) error {
	_, err := fmt.Fprintf(w, "{\"head\":{},\"boolean\":%t}\n", b)
	return err
}

// ReadJSON reads SPARQL JSON results.
func ReadJSON(r io.Reader) (*Set, error) {
	var doc struct {
		Head struct {
			Vars []string `json:"vars"`
		} `json:"head"`
		Boolean *bool `json:"boolean"`
		Results struct {
			Bindings []map[string]jsonTerm `json:"bindings"`
		} `json:"results"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("sparql json results: %w", err)
	}
	s := &Set{Vars: doc.Head.Vars, Boolean: doc.Boolean}
	for _, b := range doc.Results.Bindings {
		row := Row{}
		for k, t := range b {
			v, err := t.value()
			if err != nil {
				return nil, err
			}
			row[k] = v
		}
		s.Rows = append(s.Rows, row)
	}
	return s, nil
}

func (t jsonTerm) value() (quad.Value, error) {
	switch t.Type {
	case "uri":
		return quad.IRI(t.Value), nil
	case "bnode":
		return quad.BNode(t.Value), nil
	case "literal", "typed-literal":
		return literal(t.Value, t.Lang, t.Datatype), nil
	}
	return nil, fmt.Errorf("sparql json results: unknown term type %q", t.Type)
}

func literal(s, lang, dt string) quad.Value {
	switch {
	case lang != "":
		return quad.LangString{Value: quad.String(s), Lang: lang}
	case dt != "" && dt != "http://www.w3.org/2001/XMLSchema#string":
		return quad.TypedString{Value: quad.String(s), Type: quad.IRI(dt)}
	}
	return quad.String(s)
}
