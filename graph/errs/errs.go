// Package errs is factgraph's one error vocabulary: a positioned error with a
// code from a typed set, and a list of such errors. Every layer uses it — the
// loaders for bad input, the path language for bad queries, the stores and
// the commands — so that a caller can ask any error the same questions
// (errors.As for an *Error, CodeOf for its code, errors.Is for the sentinel
// it wraps) and every message has the same shape:
//
//	FILE:LINE:COL: message                       one error in a file
//	LINE:COL: message                            one error in a query
//	FILE:LINE:COL: message (and 2 more errors)   several
//
// The snippet of input with a caret under the column is not part of an
// error: the edges that know the input (the CLI, the HTTP API) add it.
//
// The package needs only the standard library, so that the path language's
// parser, which needs only the standard library, can use it too.
package errs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
)

// Code says what kind of failure an error is; the HTTP API maps each code to
// one status.
type Code string

// The codes. Any error without one is Internal.
const (
	// Invalid: the request or input is malformed (a bad query, file or flag).
	Invalid Code = "invalid"
	// NotFound: a name, IRI, node or resource does not exist.
	NotFound Code = "not_found"
	// Unauthorized: a write was attempted without a valid token.
	Unauthorized Code = "unauthorized"
	// ReadOnly: a write was sent to a store or server that only reads.
	ReadOnly Code = "read_only"
	// Conflict: the resource is busy, e.g. a store open in another process.
	Conflict Code = "conflict"
	// Timeout: the work ran past its deadline.
	Timeout Code = "timeout"
	// TooLarge: a body, input or result is over its configured limit.
	TooLarge Code = "too_large"
	// Unavailable: the server is overloaded or shutting down; retry later.
	Unavailable Code = "unavailable"
	// Internal: anything else; details are logged, not shown.
	Internal Code = "internal"
)

// Error is one failure: its code, where it happened (a file and a 1-based
// line and column counted in characters; 0 when unknown), a message for the
// user and the cause it wraps, if any.
type Error struct {
	Code    Code
	File    string // the input file ("-" for standard input); "" for queries
	Line    int
	Column  int
	Message string
	Err     error // wrapped cause
}

// Errorf returns an *Error with the code and a formatted message. A %w verb
// in format wraps its argument, as fmt.Errorf does.
func Errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Message: err.Error(), Err: errors.Unwrap(err)}
}

// At returns an *Error at a position of a file ("" for a query).
func At(code Code, file string, line, col int, format string, args ...any) *Error {
	e := Errorf(code, format, args...)
	e.File, e.Line, e.Column = file, line, col
	return e
}

// Position renders where the error happened: FILE:LINE:COL, LINE:COL,
// FILE:LINE, FILE, or "" when nothing is known.
func (e *Error) Position() string {
	pos := ""
	if e.Line > 0 {
		pos = strconv.Itoa(e.Line)
		if e.Column > 0 {
			pos += ":" + strconv.Itoa(e.Column)
		}
	}
	switch {
	case e.File != "" && pos != "":
		return e.File + ":" + pos
	case e.File != "":
		return e.File
	}
	return pos
}

func (e *Error) Error() string {
	if pos := e.Position(); pos != "" {
		return pos + ": " + e.Message
	}
	return e.Message
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// CodeOf returns the code of the first *Error in err's chain, Timeout for a
// deadline error, and Internal for anything else ("" for nil).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	return Internal
}

// List is several errors of one input, sorted by position when it becomes an
// error (Err). The zero value is an empty list ready to use. As an error it
// unwraps to its elements, so errors.As finds the first *Error, and its
// message is the first error's with a count of the rest.
type List []*Error

// Add appends e.
func (l *List) Add(e *Error) { *l = append(*l, e) }

// Sort orders the list by file, line and column, keeping the order of errors
// at the same position.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	case 2:
		return l[0].Error() + " (and 1 more error)"
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Unwrap returns the errors of the list, for errors.Is and errors.As.
func (l List) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err sorts the list and returns it as an error, or nil when it is empty. A
// list of one error returns that error.
func (l List) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	l.Sort()
	return l
}

// All returns the *Errors err holds: the elements of a List in its chain,
// or the first *Error, or none.
func All(err error) []*Error {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}

// MessageOf returns the message of err's first *Error, without position
// or code, or err's text when it holds none: for an error quoted inside
// another's message.
func MessageOf(err error) string {
	if all := All(err); len(all) > 0 {
		return all[0].Message
	}
	return err.Error()
}

// WithInput attaches to err the text it points into (a query, a request
// body), so that an edge that shows errors can print the offending line
// under the message. It returns nil for a nil err.
func WithInput(err error, text string) error {
	if err == nil {
		return nil
	}
	return &withInput{err: err, text: text}
}

// InputOf returns the text that WithInput attached to err.
func InputOf(err error) (string, bool) {
	var w *withInput
	if errors.As(err, &w) {
		return w.text, true
	}
	return "", false
}

type withInput struct {
	err  error
	text string
}

func (w *withInput) Error() string { return w.err.Error() }
func (w *withInput) Unwrap() error { return w.err }
