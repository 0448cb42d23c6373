package loaders

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
)

// Defaults of ReadOptions' limits.
const (
	// DefaultMaxInput bounds the bytes one source may hold once decompressed.
	DefaultMaxInput = 4 << 30 // 4 GiB
	// DefaultMaxLine bounds one line of a line-based format (N-Quads, CSV,
	// TSV), so that a file without line breaks cannot fill memory.
	DefaultMaxLine = 1 << 20 // 1 MiB
)

// guard checks a source as its reader reads it: that its text is valid UTF-8,
// that it holds at most maxInput bytes (counted after decompression), and
// that no line is longer than maxLine bytes. The first failure is an
// *errs.Error at its line and column; the bytes before it are delivered first,
// so that the format's reader reports any earlier malformed lines in order,
// and every later read returns the same error (see fatal).
type guard struct {
	r        io.Reader
	name     string
	maxInput int64 // 0: no bound
	maxLine  int64 // 0: no bound
	utf8     bool  // check UTF-8 (text formats)

	n       int64 // bytes delivered
	line    int   // 1-based line of the next byte
	col     int   // characters of the current line so far
	lineLen int64 // bytes of the current line so far
	held    []byte
	err     *errs.Error // the failure, returned once the bytes before it are out
	readErr error       // the underlying reader's error (io.EOF at the end)
}

var utf8BOM = []byte("\ufeff")

func newGuard(r io.Reader, name string, maxInput, maxLine int64, checkUTF8 bool) *guard {
	return &guard{r: r, name: name, maxInput: maxInput, maxLine: maxLine, utf8: checkUTF8, line: 1}
}

// cut returns the guard's failure when it stopped within the given line,
// whose text a reader then has only in part: the failure, not the rest of that
// line's syntax, is the error to report. It returns nil otherwise, also for a
// nil guard (a reader of some other source).
func (g *guard) cut(line int) error {
	if g == nil || g.err == nil || line < g.line {
		return nil
	}
	return g.err
}

// fatal reports whether err is the guard's failure, after which the source
// cannot be read on.
func (g *guard) fatal(err error) bool {
	return g != nil && g.err != nil && errors.Is(err, g.err)
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Bytes of a character cut by the last read come first.
	n := copy(p, g.held)
	g.held = g.held[:copy(g.held, g.held[n:])]
	if g.readErr == nil && n < len(p) {
		var m int
		m, g.readErr = g.r.Read(p[n:])
		n += m
	}
	if n == 0 {
		if damaged(g.readErr) {
			g.err = g.cutShort()
			return 0, g.err
		}
		return 0, g.readErr
	}
	if g.n == 0 && g.utf8 && bytes.HasPrefix(p[:n], utf8BOM) {
		// A byte order mark is no part of the text (CSV headers from
		// spreadsheets, N-Quads from Windows tools): dropped.
		n = copy(p, p[len(utf8BOM):n])
		g.n = int64(len(utf8BOM))
	}
	ok := g.check(p[:n])
	if g.err != nil {
		return ok, nil // the error comes with the next read
	}
	if ok < n {
		g.held = append(g.held, p[ok:n]...) // an incomplete character
		if g.readErr != nil {
			g.err = g.failure(errs.Invalid, "invalid UTF-8: the input ends inside a character")
			return ok, nil
		}
		if ok == 0 {
			return g.Read(p)
		}
		return ok, nil
	}
	if damaged(g.readErr) {
		g.err = g.cutShort() // where these bytes end
		return n, nil
	}
	if g.readErr != nil {
		return n, g.readErr
	}
	return n, nil
}

// cutShort is the error of data that breaks off at the current position.
func (g *guard) cutShort() *errs.Error {
	return g.failure(errs.Invalid, "the input is cut short or damaged here (%v); is the gzip file complete?", g.readErr)
}

// damaged reports a read error that says the data is broken, not the device.
func damaged(err error) bool {
	var corrupt flate.CorruptInputError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt)
}

// check scans b, keeping count of lines and characters, and returns how many
// of its bytes pass. It stops at the first failure (setting g.err) or before a
// character that b cuts short.
func (g *guard) check(b []byte) int {
	for i := 0; i < len(b); {
		if g.maxInput > 0 && g.n >= g.maxInput {
			g.err = g.failure(errs.TooLarge, "input is over the limit of %d bytes (decompressed; raise it with --max-input)", g.maxInput)
			return i
		}
		c := b[i]
		size := 1
		switch {
		case c == '\n':
			g.line++
			g.col, g.lineLen = 0, 0
			g.n++
			i++
			continue
		case c >= utf8.RuneSelf && g.utf8:
			if !utf8.FullRune(b[i:]) {
				return i // wait for the rest of the character
			}
			var r rune
			if r, size = utf8.DecodeRune(b[i:]); r == utf8.RuneError && size == 1 {
				g.err = g.failure(errs.Invalid, "invalid UTF-8: byte 0x%02x is not part of a valid character (the input must be UTF-8)", c)
				return i
			}
		}
		if g.maxLine > 0 && g.lineLen+int64(size) > g.maxLine {
			g.err = g.failure(errs.TooLarge, "line is longer than the limit of %d bytes (raise it with --max-line)", g.maxLine)
			return i
		}
		g.col++
		g.lineLen += int64(size)
		g.n += int64(size)
		i += size
	}
	return len(b)
}

// failure is an error at the next character.
func (g *guard) failure(code errs.Code, format string, args ...any) *errs.Error {
	return errs.At(code, g.name, g.line, g.col+1, format, args...)
}
