package data_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/data"
	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/loaders/factsheet"
	"github.com/factgraph/factgraph/queries"
	_ "github.com/factgraph/factgraph/queries/pathlang"
)

var update = flag.Bool("update", false, "rewrite "+data.ArticleName+" from the fact sheet")

// header opens the generated N-Quads file.
const header = `# factgraph: the quads of the Kyodo article of 2 May 2024 (Japan and France agree to
# negotiate a reciprocal access agreement), exactly as ` + "`factgraph ingest`" + ` makes them from the
# fact sheet ` + data.SheetName + ` beside this file.
# Do not edit: edit the sheet and run ` + "`go test ./data -update`" + `.
`

// buildSheet builds the embedded fact sheet against an empty store, as
// `factgraph ingest --empty` does.
func buildSheet(t *testing.T) []quad.Quad {
	t.Helper()
	sheets, err := factsheet.Read(data.SheetName, bytes.NewReader(data.ArticleSheet()), factsheet.YAML)
	if err != nil {
		t.Fatalf("read the sheet: %v", err)
	}
	qs := compact.New()
	defer qs.Close()
	res, err := factsheet.Build(context.Background(), qs, sheets)
	if err != nil {
		t.Fatalf("build the sheet: %v", err)
	}
	return res.Quads
}

// TestArticleQuadsAreWhatTheSheetMakes checks that the embedded quads are
// byte for byte what the fact sheet builds, so that the sheet is the source.
func TestArticleQuadsAreWhatTheSheetMakes(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(header)
	if err := loaders.WriteNQuads(&b, buildSheet(t)); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(data.ArticleName, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(b.Bytes(), data.ArticleQuads()) {
		t.Errorf("%s is not what %s makes; run go test ./data -update", data.ArticleName, data.SheetName)
	}
}

const handwritten = "testdata/kyodo-2024-05-02-japan-france-raa.handwritten.nq"

// TestSheetMakesTheHandwrittenQuads checks that the fact sheet makes exactly
// the quads that were written by hand for the article before sheets existed
// (kept in testdata): the same facts, with the same sentences as labels.
func TestSheetMakesTheHandwrittenQuads(t *testing.T) {
	old, err := loaders.ReadFile(handwritten, loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	built := buildSheet(t)
	set := func(qs []quad.Quad) map[quad.Quad]bool {
		m := map[quad.Quad]bool{}
		for _, q := range qs {
			m[q] = true
		}
		return m
	}
	got, want := set(built), set(old)
	for q := range want {
		if !got[q] {
			t.Errorf("the sheet lacks %s", q)
		}
	}
	for q := range got {
		if !want[q] {
			t.Errorf("the sheet adds %s", q)
		}
	}
	if len(built) != len(got) {
		t.Errorf("the sheet makes %d quads, %d of them distinct", len(built), len(got))
	}
}

// TestSheetGraphAnswersAsHandwritten asks the article's questions — the
// contract queries of queries/pathlang's session tests, of
// queries/article_test.go and of the docs — of the graph the sheet makes and
// of the hand-written one, with evidence, and compares every row, fact and
// sentence.
func TestSheetGraphAnswersAsHandwritten(t *testing.T) {
	old, err := loaders.ReadFile(handwritten, loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sheetStore, oldStore := testkit.StoreWith(t, buildSheet(t)), testkit.StoreWith(t, old)
	fg := func(n string) string { return "<" + graph.NS + n + ">" }
	tests := []struct{ lang, query string }{
		{"path", `Japan -> hasRAAWith`},
		{"path", `Japan -> negotiatingRAAWith`},
		{"path", `Japan -> (hasRAAWith | negotiatingRAAWith)`},
		{"path", `Kishida -> met`},
		{"path", `Macron -> met`},
		{"path", `Macron -> leads`},
		{"path", `France <- leads`},
		{"path", `"Senkaku Islands" -> claimedBy`},
		{"path", `"Senkaku Islands" -> controlledBy`},
		{"path", `* [type = RAA] [status = in-force] -> party`},
		{"path", `* [type = RAA] [status = talks-agreed]`},
		{"path", `* [type = meeting] [status = held]`},
		{"path", `* [type = meeting] [status = planned] -> participant`},
		{"path", `Kishida -> met as m back m <- participant`},
		{"path", `KishidaMacronMeeting2024-05-02 -> participant [name = "Fumio Kishida"]`},
		{"path", `KishidaMacronMeeting2024-05-02 -> topic`},
		{"path", `ElyseePalace -> locatedIn+`},
		{"path", `NewCaledonia -> locatedIn`},
		{"path", `* [type = event] -> location`},
		{"path", `ACSA-Japan-France -> covers`},
		{"path", `RAA-Japan-France -> purpose`},
		{"path", `* [agreedOn = 2024-05-02] -> agreedAt`},
		{"path", `XiJinpingVisitFrance2024-05 -> reportedBy`},
		{"path", `SenkakuDispute -> party`},
		{"path", `JapanIndoPacificSecurityOutreach -> respondsTo -> actor`},
		{"path", `* [type = country] count`},
		{"path", `Japan <-> * unique`},
		{"gizmo", `g.V("` + fg("Japan") + `").Out("` + fg("hasRAAWith") + `").All()`},
		{"gizmo", `g.V().Has("<https://schema.org/name>", "France").In("` + fg("leads") + `").All()`},
		{"gizmo", `g.V("` + fg("Japan") + `").In("` + fg("party") + `").Has("<` + graph.RDFNS + `type>", "` + fg("ReciprocalAccessAgreement") + `").Has("` + fg("status") + `", "in-force").Out("` + fg("party") + `").All()`},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got, want := answer(t, sheetStore, tc.lang, tc.query), answer(t, oldStore, tc.lang, tc.query)
			if !slices.Equal(got, want) {
				t.Errorf("the sheet's graph answers\n%s\nthe hand-written graph\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(want) == 0 {
				t.Errorf("no answer on either graph: the question tests nothing")
			}
		})
	}
}

// answer runs a query with evidence and renders each row with its facts and
// their sentences, sorted.
func answer(t *testing.T, st *graph.Store, lang, q string) []string {
	t.Helper()
	res, err := queries.Run(context.Background(), st, queries.Request{Lang: lang, Query: q, Evidence: true})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	var out []string
	for _, r := range res.Rows {
		var line []string
		for _, c := range r.Cells {
			line = append(line, c.Name)
		}
		var ev []string
		for _, f := range r.Evidence {
			for _, s := range f.Statements {
				ev = append(ev, fmt.Sprintf("%s @ %d %q", f, s.Position, s.Sentence))
			}
		}
		slices.Sort(ev)
		out = append(out, strings.Join(line, " | ")+"\n  "+strings.Join(ev, "\n  "))
	}
	slices.Sort(out)
	return out
}
