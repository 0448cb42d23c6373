// Package nqfast parses N-Quads and N-Triples fast: a line in the common strict
// forms is parsed from its bytes, and any other line is handed to Cayley's own
// parser (quad/nquads), so it gives exactly Cayley's quads and rejects exactly
// Cayley's lines. It needs only the quad module, so that both the compact store's
// bulk load and factgraph's loaders can use it.
package nqfast

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// The fast N-Quads path. Cayley's reader (quad/nquads) runs a relaxed grammar
// over runes and allocates per term; here a line in the common strict forms
// (<iri>, _:label, "text", "text"@lang, "text"^^<type>, without escapes) is
// parsed from its bytes, and any other line is handed to Cayley's own parser.
// Every byte class below is a subset of what Cayley's grammar accepts at that
// place and gives the same value, so the two readers give the same quads and
// reject the same lines (checked by the W3C suites and a differential fuzz
// test).

// Kind is the kind of a parsed term.
type Kind uint8

// Term kinds.
const (
	KindIRI Kind = iota + 1
	KindBNode
	KindString
	KindOther // any other literal: Val holds it
)

// Term is one parsed term. For the simple kinds B is the raw text, pointing
// into the line (valid until the next line is read); for KindOther Val holds
// the value.
type Term struct {
	Kind Kind
	B    []byte
	Val  quad.Value
}

const (
	clIRI   = 1 << iota // inside <...> of a subject/predicate/object/label
	clBNode             // after _:
	clStr               // inside "..."
	clType              // inside the <...> of a datatype
	clLang              // [a-zA-Z0-9] of a language tag
)

var class [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		var f uint8
		if c >= 0x21 && c <= 0x7e && c != '"' && c != '\\' && c != '<' && c != '>' || c >= 0x80 {
			f |= clIRI
			if c != '.' {
				f |= clBNode
			}
		}
		if c != '"' && c != '\\' && c != '\n' && c != '\r' {
			f |= clStr
		}
		if c == '!' || c >= '#' && c <= ';' || c == '=' || c >= '?' && c <= '[' || c == ']' || c == '_' ||
			c >= 'a' && c <= 'z' || c == '~' || c >= 0x80 {
			f |= clType
		}
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			f |= clLang
		}
		class[c] = f
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// ParseFast parses a trimmed, non-empty, non-comment line. It returns the
// number of terms (3 or 4) and true, or false if the line is not in the fast
// subset.
func ParseFast(line []byte, t *[4]Term) (int, bool) {
	for _, c := range line {
		if c >= 0x80 {
			if !utf8.Valid(line) {
				return 0, false
			}
			break
		}
	}
	i, n := 0, 0
	for {
		if n == 4 {
			return 0, false
		}
		var ok bool
		i, ok = parseTerm(line, i, &t[n])
		if !ok {
			return 0, false
		}
		n++
		// a term ends at whitespace, or at the final '.' after the object
		j := i
		for j < len(line) && isSpace(line[j]) {
			j++
		}
		if j < len(line) && line[j] == '.' && n >= 3 {
			j++
			for j < len(line) && isSpace(line[j]) {
				j++
			}
			if j == len(line) || line[j] == '#' {
				return n, true
			}
			return 0, false
		}
		if j == i || j == len(line) {
			return 0, false
		}
		i = j
	}
}

// parseTerm parses the term at line[i:] and returns the index after it.
func parseTerm(line []byte, i int, t *Term) (int, bool) {
	switch line[i] {
	case '<':
		j := i + 1
		for j < len(line) && class[line[j]]&clIRI != 0 {
			j++
		}
		if j == i+1 || j == len(line) || line[j] != '>' {
			return 0, false
		}
		*t = Term{Kind: KindIRI, B: line[i+1 : j]}
		return j + 1, true
	case '_':
		if i+2 >= len(line) || line[i+1] != ':' {
			return 0, false
		}
		j := i + 2
		for j < len(line) && class[line[j]]&clBNode != 0 {
			j++
		}
		if j == i+2 {
			return 0, false
		}
		*t = Term{Kind: KindBNode, B: line[i+2 : j]}
		return j, true
	case '"':
		j := i + 1
		for j < len(line) && class[line[j]]&clStr != 0 {
			j++
		}
		if j == len(line) || line[j] != '"' {
			return 0, false
		}
		text := line[i+1 : j]
		j++
		if j < len(line) && line[j] == '@' {
			// '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*
			k := j + 1
			for k < len(line) && class[line[k]]&clLang != 0 && line[k] > '9' {
				k++
			}
			if k == j+1 {
				return 0, false
			}
			for k < len(line) && line[k] == '-' {
				k++
				s := k
				for k < len(line) && class[line[k]]&clLang != 0 {
					k++
				}
				if k == s {
					return 0, false
				}
			}
			*t = Term{Kind: KindOther, Val: quad.LangString{Value: quad.String(text), Lang: string(line[j+1 : k])}}
			return k, true
		}
		if j+1 < len(line) && line[j] == '^' && line[j+1] == '^' {
			k := j + 2
			if k >= len(line) || line[k] != '<' {
				return 0, false
			}
			k++
			s := k
			for k < len(line) && class[line[k]]&clType != 0 {
				k++
			}
			if k == s || k == len(line) || line[k] != '>' {
				return 0, false
			}
			v := quad.TypedString{Value: quad.String(text), Type: quad.IRI(line[s:k])}
			*t = Term{Kind: KindOther, Val: v}
			if nquads.AutoConvertTypedString {
				if nv, err := v.ParseValue(); err == nil {
					t.Val = nv
				}
			}
			return k + 1, true
		}
		*t = Term{Kind: KindString, B: text}
		return j, true
	}
	return 0, false
}

// Value converts a term to a quad.Value.
func (t *Term) Value() quad.Value {
	switch t.Kind {
	case KindIRI:
		return quad.IRI(t.B)
	case KindBNode:
		return quad.BNode(t.B)
	case KindString:
		return quad.String(t.B)
	}
	return t.Val
}

// LineReader splits input into lines, trimmed the way Cayley's reader trims
// them, skipping blank and comment lines.
type LineReader struct {
	r    io.Reader
	buf  []byte
	i, n int
	eof  bool
	line int
}

// Line returns the 1-based number of the line Next returned last.
func (lr *LineReader) Line() int { return lr.line }

// NewLineReader returns a LineReader of r.
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{r: r, buf: make([]byte, 1<<20)}
}

// Next returns the next statement line, valid until the following call.
func (lr *LineReader) Next() ([]byte, error) {
	for {
		nl := bytes.IndexByte(lr.buf[lr.i:lr.n], '\n')
		var raw []byte
		if nl >= 0 {
			raw = lr.buf[lr.i : lr.i+nl]
			lr.i += nl + 1
		} else if lr.eof {
			if lr.i == lr.n {
				return nil, io.EOF
			}
			raw = lr.buf[lr.i:lr.n]
			lr.i = lr.n
		} else {
			if err := lr.fill(); err != nil {
				return nil, err
			}
			continue
		}
		lr.line++
		if line := bytes.TrimSpace(raw); len(line) != 0 && line[0] != '#' {
			return line, nil
		}
	}
}

func (lr *LineReader) fill() error {
	if lr.i > 0 {
		lr.n = copy(lr.buf, lr.buf[lr.i:lr.n])
		lr.i = 0
	}
	if lr.n == len(lr.buf) {
		lr.buf = append(lr.buf, make([]byte, len(lr.buf))...)
	}
	m, err := lr.r.Read(lr.buf[lr.n:])
	lr.n += m
	if err == io.EOF {
		lr.eof = true
		return nil
	}
	return err
}

// ParseLine parses one statement line into terms, or, off the fast path, into
// a quad with Cayley's parser. skip reports a line Cayley's reader skips
// (it parses to an invalid quad).
func ParseLine(line []byte, t *[4]Term) (n int, q quad.Quad, slow, skip bool, err error) {
	if n, ok := ParseFast(line, t); ok {
		return n, q, false, false, nil
	}
	q, err = nquads.Parse(string(line))
	if err != nil {
		return 0, q, true, false, err
	}
	return 0, q, true, !q.IsValid(), nil
}

var _ quad.Reader = (*NQuadsReader)(nil)

// NQuadsReader reads N-Quads and N-Triples. It gives exactly the quads, and
// rejects exactly the lines, of Cayley's nquads.NewReader(r, false), several
// times faster.
type NQuadsReader struct {
	lr *LineReader
	t  [4]Term
}

// NewNQuadsReader returns a reader of the N-Quads in r.
func NewNQuadsReader(r io.Reader) *NQuadsReader { return &NQuadsReader{lr: NewLineReader(r)} }

// ReadQuad implements quad.Reader.
func (r *NQuadsReader) ReadQuad() (quad.Quad, error) {
	for {
		line, err := r.lr.Next()
		if err != nil {
			return quad.Quad{}, err
		}
		n, q, slow, skip, err := ParseLine(line, &r.t)
		if err != nil {
			return quad.Quad{}, fmt.Errorf("line %d: %w", r.lr.line, err)
		}
		if skip {
			continue
		}
		if !slow {
			q = quad.Quad{Subject: r.t[0].Value(), Predicate: r.t[1].Value(), Object: r.t[2].Value()}
			if n == 4 {
				q.Label = r.t[3].Value()
			}
		}
		return q, nil
	}
}

// Close implements quad.Reader.
func (r *NQuadsReader) Close() error { return nil }
