package pathlang

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
)

// expectedError is an error marked in a testdata file: a comment line whose
// caret '^' stands under the column of the closest query line above it,
// followed by a regular expression the message must match.
type expectedError struct {
	pos Position
	rx  *regexp.Regexp
}

var caretLine = regexp.MustCompile(`^#( *)\^ (.*)$`)

func expectedErrors(t *testing.T, src string) []expectedError {
	t.Helper()
	var out []expectedError
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
		out = append(out, expectedError{pos: Position{Line: queryLine, Column: col}, rx: regexp.MustCompile(m[2])})
	}
	return out
}

// TestErrorFiles parses every file in testdata/errors and checks that the
// errors it reports are exactly the ones marked in the file, at their positions.
func TestErrorFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.path")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			want := expectedErrors(t, src)
			if len(want) == 0 {
				t.Fatal("file marks no error")
			}
			_, perr := Parse(src)
			got := errs.All(perr)
			if len(got) == 0 {
				t.Fatalf("Parse returned %v, want errors", perr)
			}
			for i := 0; i < max(len(got), len(want)); i++ {
				switch {
				case i >= len(got):
					t.Errorf("missing error at %s matching %q", want[i].pos, want[i].rx)
				case i >= len(want):
					t.Errorf("unexpected error %s", got[i])
				case positionOf(got[i]) != want[i].pos || !want[i].rx.MatchString(got[i].Message):
					t.Errorf("got error %s, want one at %s matching %q", got[i], want[i].pos, want[i].rx)
				}
			}
		})
	}
}
