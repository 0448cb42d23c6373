package factsheet

import (
	"bytes"
	"context"
	"testing"

	"github.com/factgraph/factgraph/data"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/graph/errs"
)

// FuzzSheet reads and builds arbitrary input: it never panics, every error
// is positioned in the file, and every sentence is a span of its text.
func FuzzSheet(f *testing.F) {
	f.Add(data.ArticleSheet())
	f.Add([]byte("document: {id: a, publisher: P, date: 2024-06-01, title: T, language: en}\ntext: Japan waited. Then it agreed.\nfacts:\n  - {entity: Japan, locatedIn: Japan, quote: Japan waited}\n"))
	f.Add([]byte("{\"document\": {}, \"facts\": [{\"happening\": \"x\", \"class\": \"RAA\"}]}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, format := range []Format{YAML, JSONLines} {
			sheets, err := Read("f.yaml", bytes.NewReader(b), format)
			if err == nil {
				for _, s := range sheets {
					for _, sp := range Split(s.Text.Value, nil) {
						if s.Text.Value[sp.Start:sp.End] != sp.Text || sp.Text == "" {
							t.Fatalf("bad span %+v", sp)
						}
					}
				}
				_, err = Build(context.Background(), compact.New(), sheets)
			}
			for _, e := range errs.All(err) {
				if e.File != "f.yaml" || e.Line < 0 || e.Column < 0 {
					t.Fatalf("error without a position in the file: %+v", e)
				}
			}
		}
	})
}
