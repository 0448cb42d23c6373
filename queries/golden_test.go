package queries_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

var update = flag.Bool("update", false, "rewrite the golden files of the output formats")

// TestOutputFormatsGolden writes a few results in every result format and
// compares them with the files in testdata/golden (go test -update rewrites
// them; review the diff before committing it).
func TestOutputFormatsGolden(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range []struct {
		name string
		req  queries.Request
	}{
		{"raa", queries.Request{Query: `Japan -> hasRAAWith`}},
		{"raa-evidence", queries.Request{Query: `Japan -> hasRAAWith`, Evidence: true}},
		{"columns-literals", queries.Request{Query: `* [type = meeting] as m -> startDate`, Evidence: true}},
		{"empty", queries.Request{Query: `Japan -> hasRAAWith [name = Atlantis]`}},
		{"truncated", queries.Request{Query: `Japan -> (hasRAAWith | negotiatingRAAWith) order`, Limit: 2}},
		{"gizmo-emit", queries.Request{Lang: "gizmo", Query: `g.Emit({"n": 1, "list": ["a", "b"]})`}},
	} {
		res, err := queries.Run(context.Background(), st, tc.req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		res.Elapsed = 0 // the one field that changes from run to run
		for _, format := range queries.Formats() {
			if queries.NeedsEvidence(format) && !tc.req.Evidence {
				continue
			}
			enc, _ := queries.EncoderFor(format)
			var b bytes.Buffer
			if err := enc(&b, res); err != nil {
				t.Fatalf("%s.%s: %v", tc.name, format, err)
			}
			file := filepath.Join("testdata", "golden", tc.name+"."+format)
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", format, file, b.String(), want)
			}
		}
	}
}
