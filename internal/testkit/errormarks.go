package testkit

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// ErrorMark is an error marked in a test file of bad queries: a comment line
// whose caret '^' stands under the column of the closest query line above
// it, followed by a regular expression the message must match.
type ErrorMark struct {
	Line, Column int
	Rx           *regexp.Regexp
}

var caretLine = regexp.MustCompile(`^#( *)\^ (.*)$`)

// ErrorMarks returns the errors marked in src, whose comments start with '#'
// (the path language and SPARQL alike).
func ErrorMarks(t testing.TB, src string) []ErrorMark {
	t.Helper()
	var out []ErrorMark
	queryLine := 0
	for i, line := range strings.Split(src, "\n") {
		m := caretLine.FindStringSubmatch(line)
		if m == nil {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") {
				queryLine = i + 1
			}
			continue
		}
		if queryLine == 0 {
			t.Fatalf("line %d: caret marker before any query line", i+1)
		}
		col := 1 + utf8.RuneCountInString(m[1]) + 1 // '#', spaces, then the caret's own column
		out = append(out, ErrorMark{Line: queryLine, Column: col, Rx: regexp.MustCompile(m[2])})
	}
	return out
}
