package loaders

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/nqfast"
)

// NQuadsReader reads N-Quads or N-Triples line by line and reports malformed lines
// with their position. It implements quad.Reader.
//
// A line in the common strict forms (no escapes; subject an IRI or blank node,
// predicate an IRI, label an IRI or blank node) is decoded from its bytes by the
// fast parser (internal/nqfast), which gives exactly Cayley's values. Any other
// line is checked term by term here, so that an error can say what was expected
// and what was found, and is then decoded by Cayley's nquads.Parse.
type NQuadsReader struct {
	name  string
	r     *bufio.Reader
	g     *guard // the source's guard, if it has one
	line  int
	buf   []byte
	terms [4]nqfast.Term
	slow  bool // tests: check every line term by term
}

// NewNQuadsReader returns a reader of r; name is used in error messages.
func NewNQuadsReader(name string, r io.Reader) *NQuadsReader {
	g, _ := r.(*guard)
	return &NQuadsReader{name: name, r: bufio.NewReaderSize(r, 1<<16), g: g}
}

// ReadQuad returns the next quad, io.EOF at the end of the input, or an *errs.Error
// for a malformed line. After an *errs.Error the reader can go on with the next line.
func (d *NQuadsReader) ReadQuad() (quad.Quad, error) {
	for {
		raw, err := d.readLine()
		if err != nil {
			return quad.Quad{}, err
		}
		if err := d.g.cut(d.line); err != nil {
			return quad.Quad{}, err
		}
		if q, ok := d.fast(raw); ok && !d.slow {
			return q, nil
		}
		q, ok, perr := d.parseLine(string(raw))
		if perr != nil {
			return quad.Quad{}, perr
		}
		if ok {
			return q, nil
		}
	}
}

// Close implements quad.Reader; it does not close the underlying reader.
func (d *NQuadsReader) Close() error { return nil }

// fast decodes a line in the fast parser's subset whose terms stand where
// N-Quads allows them; anything else, blank and comment lines included, is
// left to parseLine.
func (d *NQuadsReader) fast(raw []byte) (quad.Quad, bool) {
	line := bytes.TrimSpace(raw)
	if len(line) == 0 || line[0] == '#' {
		return quad.Quad{}, false
	}
	n, ok := nqfast.ParseFast(line, &d.terms)
	if !ok {
		return quad.Quad{}, false
	}
	t := &d.terms
	node := func(k nqfast.Kind) bool { return k == nqfast.KindIRI || k == nqfast.KindBNode }
	if !node(t[0].Kind) || t[1].Kind != nqfast.KindIRI || (n == 4 && !node(t[3].Kind)) {
		return quad.Quad{}, false
	}
	for i := range n {
		if t[i].Kind == nqfast.KindBNode && !blankLabelBytesOK(t[i].B) {
			return quad.Quad{}, false // parseLine says where
		}
	}
	q := quad.Quad{Subject: t[0].Value(), Predicate: t[1].Value(), Object: t[2].Value()}
	if n == 4 {
		q.Label = t[3].Value()
	}
	return q, true
}

// readLine returns the next line, valid until the next call.
func (d *NQuadsReader) readLine() ([]byte, error) {
	d.buf = d.buf[:0]
	for {
		part, isPrefix, err := d.r.ReadLine()
		if err != nil {
			if err == io.EOF && len(d.buf) > 0 {
				break
			}
			return nil, err
		}
		d.buf = append(d.buf, part...)
		if !isPrefix {
			break
		}
	}
	d.line++
	return d.buf, nil
}

var parseErrAt = regexp.MustCompile(` at (\d+)$`)

// parseLine checks and decodes one line; ok is false for blank and comment lines.
func (d *NQuadsReader) parseLine(line string) (q quad.Quad, ok bool, err error) {
	s := &lineScanner{rs: line}
	s.skipSpace()
	if s.eol() || s.peek() == '#' {
		return quad.Quad{}, false, nil
	}
	start := s.pos
	// fail reports an error at a byte position p+1 (positions below are
	// 0-based byte offsets, plus one); the column counts characters.
	fail := func(p int, format string, args ...any) (quad.Quad, bool, error) {
		return quad.Quad{}, false, &errs.Error{Code: errs.Invalid, File: d.name, Line: d.line, Column: s.column(p), Message: fmt.Sprintf(format, args...)}
	}
	steps := []struct {
		what  string
		kinds string // i: IRI, b: blank node, l: literal
	}{
		{"subject (IRI or blank node)", "ib"},
		{"predicate (IRI)", "i"},
		{"object (IRI, blank node or literal)", "ibl"},
	}
	for _, st := range steps {
		s.skipSpace()
		if col, msg := s.term(st.what, st.kinds); msg != "" {
			return fail(col, "%s", msg)
		}
	}
	s.skipSpace()
	if !s.eol() && s.peek() != '.' {
		if col, msg := s.term("graph label (IRI or blank node) or '.'", "ib"); msg != "" {
			return fail(col, "%s", msg)
		}
		s.skipSpace()
	}
	if s.eol() || s.peek() != '.' {
		return fail(s.pos+1, "expected '.' to end the statement, found %s", s.found())
	}
	s.pos++
	s.skipSpace()
	if !s.eol() && s.peek() != '#' {
		return fail(s.pos+1, "expected end of line after '.', found %s", s.found())
	}
	stmt := line[start:s.pos]
	q, perr := parseStatement(stmt)
	if perr != nil {
		col := s.column(start + 1)
		msg := strings.TrimPrefix(perr.Error(), quad.ErrInvalid.Error()+": ")
		if m := parseErrAt.FindStringSubmatchIndex(msg); m != nil {
			// Cayley's offset is 0-based within the statement; the column says
			// where it is, so the message does not repeat it.
			n, _ := strconv.Atoi(msg[m[2]:m[3]]) // a character offset
			col += n
			msg = msg[:m[0]]
		}
		return quad.Quad{}, false, &errs.Error{Code: errs.Invalid, File: d.name, Line: d.line, Column: col, Message: "invalid N-Quads statement: " + msg}
	}
	if !q.IsValid() {
		return fail(start+1, "invalid N-Quads statement: it lacks a subject, predicate or object")
	}
	return q, true, nil
}

// lineScanner walks the bytes of one line; positions are 0-based byte
// offsets. The structure of N-Quads is ASCII, so bytes suffice to find it;
// column converts a position to characters for messages.
type lineScanner struct {
	rs  string
	pos int
}

func (s *lineScanner) eol() bool  { return s.pos >= len(s.rs) }
func (s *lineScanner) peek() byte { return s.rs[s.pos] }

// column converts p, a byte offset plus one, into a 1-based character column.
func (s *lineScanner) column(p int) int {
	p = min(max(p-1, 0), len(s.rs))
	return utf8.RuneCountInString(s.rs[:p]) + 1
}

// runeAt decodes the character at byte offset i.
func (s *lineScanner) runeAt(i int) rune {
	r, _ := utf8.DecodeRuneInString(s.rs[i:])
	return r
}

func (s *lineScanner) skipSpace() {
	for !s.eol() && (s.peek() == ' ' || s.peek() == '\t' || s.peek() == '\r') {
		s.pos++
	}
}

// found describes what stands at the current position, for "found X" messages.
func (s *lineScanner) found() string {
	if s.eol() {
		return "end of line"
	}
	switch s.peek() {
	case '<':
		return "IRI"
	case '"':
		return "literal"
	case '.':
		return "'.'"
	}
	if r := s.runeAt(s.pos); unicode.IsSpace(r) {
		return fmt.Sprintf("%q", r)
	}
	if strings.HasPrefix(s.rs[s.pos:], "_:") {
		return "blank node"
	}
	end, n := s.pos, 0
	for end < len(s.rs) && n < 20 {
		r, size := utf8.DecodeRuneInString(s.rs[end:])
		if unicode.IsSpace(r) {
			break
		}
		end += size
		n++
	}
	return strconv.Quote(s.rs[s.pos:end])
}

// term consumes one term of the allowed kinds. On failure it returns the
// 1-based column and the message.
func (s *lineScanner) term(what, kinds string) (int, string) {
	expected := func() (int, string) {
		return s.pos + 1, fmt.Sprintf("expected %s, found %s", what, s.found())
	}
	if s.eol() {
		return expected()
	}
	switch c := s.peek(); {
	case c == '<' && strings.ContainsRune(kinds, 'i'):
		return s.iri()
	case c == '_' && strings.ContainsRune(kinds, 'b') && strings.HasPrefix(s.rs[s.pos:], "_:"):
		s.pos += 2
		start := s.pos
		for !s.eol() && !unicode.IsSpace(s.runeAt(s.pos)) && !(s.peek() == '.' && (s.pos+1 >= len(s.rs) || unicode.IsSpace(s.runeAt(s.pos+1)))) {
			_, size := utf8.DecodeRuneInString(s.rs[s.pos:])
			s.pos += size
		}
		if s.pos == start {
			return s.pos + 1, "expected blank node label after '_:', found " + s.found()
		}
		if bad := badBlankLabel(s.rs[start:s.pos]); bad >= 0 {
			at := start + bad
			allowed := "a letter, digit, '_', '-', '.' or ':'"
			if bad == 0 {
				allowed = "a letter, digit, '_' or ':'"
			}
			if at == s.pos-1 && s.rs[at] == '.' {
				allowed = "a letter, digit, '_', '-' or ':' (a label does not end in '.')"
			}
			return at + 1, fmt.Sprintf("invalid blank node label: expected %s, found %q", allowed, s.runeAt(at))
		}
		return 0, ""
	case c == '"' && strings.ContainsRune(kinds, 'l'):
		return s.literal()
	}
	return expected()
}

func (s *lineScanner) iri() (int, string) {
	s.pos++ // '<'
	if !s.eol() && s.peek() == '>' {
		return s.pos, "expected an IRI, found empty <>"
	}
	for !s.eol() {
		switch c := s.peek(); {
		case c == '>':
			s.pos++
			return 0, ""
		case c == ' ' || c == '\t' || c == '<' || c == '"':
			return s.pos + 1, fmt.Sprintf("expected '>' to close IRI, found %q", rune(c))
		case c < 0x20 || c == 0x7f:
			return s.pos + 1, fmt.Sprintf("expected an IRI character, found control character %q", rune(c))
		}
		s.pos++
	}
	return s.pos + 1, "expected '>' to close IRI, found end of line"
}

func (s *lineScanner) literal() (int, string) {
	s.pos++ // opening quote
	for {
		if s.eol() {
			return s.pos + 1, "expected '\"' to close literal, found end of line"
		}
		c := s.peek()
		s.pos++
		if c == '\\' {
			if s.eol() {
				return s.pos + 1, "expected escape sequence after '\\', found end of line"
			}
			if col, msg := s.unicodeEscape(); msg != "" {
				return col, msg
			}
			_, size := utf8.DecodeRuneInString(s.rs[s.pos:])
			s.pos += size
			continue
		}
		if c == '"' {
			break
		}
	}
	if s.eol() {
		return 0, ""
	}
	switch s.peek() {
	case '@':
		s.pos++
		n := 0
		for !s.eol() && (unicode.IsLetter(s.runeAt(s.pos)) || unicode.IsDigit(s.runeAt(s.pos)) || s.peek() == '-') {
			_, size := utf8.DecodeRuneInString(s.rs[s.pos:])
			s.pos += size
			n++
		}
		if n == 0 {
			return s.pos + 1, "expected language tag after '@', found " + s.found()
		}
	case '^':
		if s.pos+1 >= len(s.rs) || s.rs[s.pos+1] != '^' {
			return s.pos + 2, "expected '^^' before datatype IRI"
		}
		s.pos += 2
		if s.eol() || s.peek() != '<' {
			return s.pos + 1, "expected datatype IRI after '^^', found " + s.found()
		}
		return s.iri()
	}
	return 0, ""
}

// unicodeEscape checks the \\u or \\U escape whose letter is at the current
// position: it must name a Unicode character (Cayley's parser would put
// U+FFFD in place of one that does not). Other escapes are Cayley's to check.
func (s *lineScanner) unicodeEscape() (int, string) {
	n := 4
	switch s.peek() {
	case 'u':
	case 'U':
		n = 8
	default:
		return 0, ""
	}
	if s.pos+1+n > len(s.rs) {
		return 0, ""
	}
	hex := s.rs[s.pos+1 : s.pos+1+n]
	v, err := strconv.ParseUint(hex, 16, 32)
	why := ""
	switch {
	case err != nil:
		return 0, "" // not hex: Cayley's parser says so
	case v > utf8.MaxRune:
		why = "beyond U+10FFFF"
	case v >= 0xD800 && v <= 0xDFFF:
		why = "a surrogate half"
	default:
		return 0, ""
	}
	return s.pos, fmt.Sprintf("escape \\%c%s names no Unicode character (%s)", s.peek(), hex, why)
}

// parseStatement runs Cayley's parser on one checked statement. Its unescaping
// panics on some inputs that its grammar lets through; such a panic is a
// malformed line like any other, not a crash.
func parseStatement(stmt string) (q quad.Quad, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return nquads.Parse(stmt)
}
