package cli

import (
	"fmt"
	"strings"

	"github.com/factgraph/factgraph/graph"
)

// queryError is a positioned query error together with the query it refers to,
// so that the terminal can show the line and a caret under the column.
type queryError struct {
	query string
	err   *graph.Error
}

func (e *queryError) Error() string { return e.err.Error() }
func (e *queryError) Unwrap() error { return e.err }

// render prints "factgraph: LINE:COL: message", the query line, and a caret.
func (e *queryError) render() string {
	return "factgraph: " + e.err.Error() + "\n" + Caret(e.query, e.err.Line, e.err.Column)
}

// Caret returns the given 1-based line of text and, under it, a caret at the
// 1-based column (columns count characters; tabs are kept so the caret lines up).
func Caret(text string, line, col int) string {
	lines := strings.Split(text, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	l := lines[line-1]
	var pad strings.Builder
	for i, r := range []rune(l) {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			pad.WriteRune('\t')
		} else {
			pad.WriteRune(' ')
		}
	}
	return fmt.Sprintf("    %s\n    %s^", l, pad.String())
}
