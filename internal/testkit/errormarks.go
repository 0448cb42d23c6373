package testkit

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
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

// CheckErrorFiles parses every file that pattern matches (testdata of bad
// queries) and checks that the errors parse reports are exactly the ones
// the file marks (see ErrorMarks), each at its line and column and with a
// message its expression matches.
func CheckErrorFiles(t *testing.T, pattern string, parse func(src string) error) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files match %s: %v", pattern, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			want := ErrorMarks(t, src)
			if len(want) == 0 {
				t.Fatal("file marks no error")
			}
			perr := parse(src)
			got := errs.All(perr)
			if len(got) == 0 {
				t.Fatalf("parse returned %v, want errors", perr)
			}
			for i := 0; i < max(len(got), len(want)); i++ {
				switch {
				case i >= len(got):
					t.Errorf("missing error at %d:%d matching %q", want[i].Line, want[i].Column, want[i].Rx)
				case i >= len(want):
					t.Errorf("unexpected error %s", got[i])
				case got[i].Line != want[i].Line || got[i].Column != want[i].Column || !want[i].Rx.MatchString(got[i].Message):
					t.Errorf("got error %s, want one at %d:%d matching %q", got[i], want[i].Line, want[i].Column, want[i].Rx)
				}
			}
		})
	}
}
