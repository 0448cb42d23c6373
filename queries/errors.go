package queries

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/factgraph/factgraph/graph/errs"
)

func wrapErr(ctx context.Context, err error, timeout time.Duration) error {
	var gerr *errs.Error
	switch {
	case errors.As(err, &gerr):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &errs.Error{Code: errs.Timeout, Message: fmt.Sprintf("query stopped at its deadline of %s (raise it with --timeout)", timeout), Err: err}
	case errors.Is(err, context.Canceled):
		return err
	}
	// Errors from Cayley's languages (syntax errors, unknown functions) are the
	// user's to fix; keep the position when their message gives one.
	e := &errs.Error{Code: errs.Invalid, Message: err.Error(), Err: err}
	e.Line, e.Column = positionIn(e.Message)
	if e.Line > 0 {
		// GraphQL appends its own excerpt of the query after a blank line;
		// the error's Snippet shows that already.
		e.Message, _, _ = strings.Cut(e.Message, "\n\n")
	}
	return e
}

// languagePositions find a position in the error messages of Cayley's
// languages: Gizmo's JavaScript engine ("Line 1:5 Unexpected token",
// "at <eval>:1:10(4)") and GraphQL ("Syntax Error GraphQL (1:13)").
var languagePositions = []*regexp.Regexp{
	regexp.MustCompile(`Line (\d+):(\d+)`),
	regexp.MustCompile(`<eval>:(\d+):(\d+)`),
	regexp.MustCompile(`GraphQL \((\d+):(\d+)\)`),
}

func positionIn(msg string) (line, col int) {
	for _, rx := range languagePositions {
		if m := rx.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			col, _ = strconv.Atoi(m[2])
			return line, col
		}
	}
	return 0, 0
}

// Snippet returns the line of query that a positioned query error points at,
// with a caret under its column, or "" for an error with no position in the
// query. The CLI and the HTTP API show it under the message.
func Snippet(err error, query string) string {
	var e *errs.Error
	if !errors.As(err, &e) || e.Line == 0 || e.File != "" {
		return ""
	}
	return Caret(query, e.Line, e.Column)
}

// Caret returns the given 1-based line of text and, under it, a caret at the
// 1-based column (columns count characters; tabs are kept, and East Asian wide
// characters are matched by ideographic spaces, so that the caret lines up in a
// monospaced font), or "" when the line is not in text. Of a line longer than
// caretWidth characters only a window around the column is shown, "..."
// marking what is cut, so that a snippet stays short however long the line.
func Caret(text string, line, col int) string {
	if line < 1 {
		return ""
	}
	for i := 1; i < line; i++ {
		nl := strings.IndexByte(text, '\n')
		if nl < 0 {
			return ""
		}
		text = text[nl+1:]
	}
	if nl := strings.IndexByte(text, '\n'); nl >= 0 {
		text = text[:nl]
	}
	l := []rune(strings.TrimRight(text, "\r"))
	var head, tail string
	if len(l) > caretWidth {
		start := min(max(0, col-1-caretWidth/2), len(l)-caretWidth)
		if start > 0 {
			head, col = "...", col-start+3
		}
		if start+caretWidth < len(l) {
			tail = "..."
		}
		l = l[start : start+caretWidth]
	}
	var pad strings.Builder
	for i, r := range []rune(head + string(l)) {
		if i >= col-1 {
			break
		}
		switch k := width.LookupRune(r).Kind(); {
		case r == '\t':
			pad.WriteRune('\t')
		case k == width.EastAsianWide || k == width.EastAsianFullwidth:
			pad.WriteRune('\u3000') // as wide as the character in a monospaced font
		default:
			pad.WriteRune(' ')
		}
	}
	return head + string(l) + tail + "\n" + pad.String() + "^"
}

// caretWidth is the most characters of a line that Caret shows.
const caretWidth = 100
