// Package testkit builds the stores that tests across factgraph share.
package testkit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/loaders/factsheet"
)

// ArticleQuads returns the embedded article's quads, parsed.
func ArticleQuads(t testing.TB) []quad.Quad {
	t.Helper()
	qs, err := loaders.ReadArticle()
	if err != nil {
		t.Fatalf("parse embedded article: %v", err)
	}
	return qs
}

// ArticleStore returns a fresh memory store holding the embedded article.
func ArticleStore(t testing.TB) *graph.Store {
	t.Helper()
	return StoreWith(t, ArticleQuads(t))
}

// StoreWith returns a fresh memory store holding quads.
func StoreWith(t testing.TB, quads []quad.Quad) *graph.Store {
	t.Helper()
	qs := compact.New()
	if _, err := loaders.Apply(context.Background(), qs, quads); err != nil {
		t.Fatalf("load: %v", err)
	}
	t.Cleanup(func() { qs.Close() })
	return &graph.Store{QuadStore: qs, URL: "memory", Backend: graph.BackendMemory}
}

// ExampleSheets are the example fact sheets of examples/sheets, which move
// the stories of the embedded article on: the Japan-Philippines RAA signed
// (8 July 2024) and in force (11 September 2025). They are test and docs
// data, not part of the embedded graph.
var ExampleSheets = []string{
	"example-2024-07-08-japan-philippines-raa-signed.yaml",
	"example-2025-09-11-japan-philippines-raa-in-force.json",
}

// ExampleSheet returns the path of an example sheet, wherever the test runs.
func ExampleSheet(t testing.TB, name string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testkit: cannot find its own source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "examples", "sheets", name)
}

// StoryStore returns a fresh memory store holding the embedded article and
// the example sheets ingested after it.
func StoryStore(t testing.TB) *graph.Store {
	t.Helper()
	st := ArticleStore(t)
	IngestSheets(t, st, ExampleSheets...)
	return st
}

// IngestSheets ingests example sheets (by name) into st.
func IngestSheets(t testing.TB, st *graph.Store, names ...string) {
	t.Helper()
	var paths []string
	for _, n := range names {
		paths = append(paths, ExampleSheet(t, n))
	}
	sheets, err := factsheet.ReadFiles(paths, "", nil)
	if err != nil {
		t.Fatalf("read example sheets: %v", err)
	}
	ingest(t, st, sheets)
}

// ContradictingSheet is a sheet of the same day as the example that says the
// Japan-Philippines RAA entered into force, which says it is only signed:
// the latest statements of its status disagree.
const ContradictingSheet = `document: {id: other-2025-09-11, publisher: Other Wire, date: 2025-09-11, title: Other, language: en}
text: Japan and the Philippines have signed their access agreement, which is not yet in force.
facts:
  - {happening: RAA-Japan-Philippines, status: signed, quote: have signed their access agreement}
`

// IngestText ingests the sheets of a YAML text into st.
func IngestText(t testing.TB, st *graph.Store, yaml string) {
	t.Helper()
	sheets, err := factsheet.Read("sheet.yaml", strings.NewReader(yaml), factsheet.YAML)
	if err != nil {
		t.Fatalf("read sheet: %v", err)
	}
	ingest(t, st, sheets)
}

func ingest(t testing.TB, st *graph.Store, sheets []*factsheet.Sheet) {
	t.Helper()
	res, err := factsheet.Build(context.Background(), st, sheets)
	if err != nil {
		t.Fatalf("build sheets: %v", err)
	}
	if _, err := loaders.Apply(context.Background(), st, res.Quads); err != nil {
		t.Fatalf("ingest sheets: %v", err)
	}
}

// Movies returns the path of the 30k-movie set, which ships in Cayley's
// module (see datasets.Movies). It is a failure, not a skip, when the set
// cannot be found: every machine that builds factgraph has the module.
func Movies(t testing.TB) string {
	t.Helper()
	p, err := datasets.Movies()
	if err != nil {
		t.Fatalf("30k-movie set: %v", err)
	}
	return p
}

// Shared returns the path of sub in the folder of optional data sets
// (datasets.Shared). Without it the test skips and says so, unless
// FACTGRAPH_REQUIRE_SHARED is set, as .ci/run sets it: then it fails.
func Shared(t testing.TB, sub string) string {
	t.Helper()
	dir, ok := datasets.Shared()
	p := filepath.Join(dir, sub)
	if ok {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	why := fmt.Sprintf("optional data set %s not found (set FACTGRAPH_SHARED to the folder that holds %s)", p, sub)
	if os.Getenv("FACTGRAPH_REQUIRE_SHARED") != "" {
		t.Fatalf("%s; FACTGRAPH_REQUIRE_SHARED is set", why)
	}
	t.Skip(why)
	return ""
}
