package pathlang

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
)

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
			want := testkit.ErrorMarks(t, src)
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
					t.Errorf("missing error at %d:%d matching %q", want[i].Line, want[i].Column, want[i].Rx)
				case i >= len(want):
					t.Errorf("unexpected error %s", got[i])
				case positionOf(got[i]) != (Position{Line: want[i].Line, Column: want[i].Column}) || !want[i].Rx.MatchString(got[i].Message):
					t.Errorf("got error %s, want one at %d:%d matching %q", got[i], want[i].Line, want[i].Column, want[i].Rx)
				}
			}
		})
	}
}
