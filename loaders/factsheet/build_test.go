package factsheet_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/loaders/factsheet"
)

// sheet is a small valid sheet; tests replace parts of it.
const sheet = `document:
  id: test-2024-06-01-talks
  publisher: Test Wire
  date: 2024-06-01
  title: Test Wire, 1 June 2024
  language: en
text: |-
  Japan and Vanuatu agreed on Monday to start talks on a reciprocal access agreement. Kishida met the Vanuatu premier in Port Vila.

  The talks begin in July.
entities:
  - {name: Vanuatu, class: country}
  - {name: Port Vila, class: city}
facts:
  - happening: RAA-Japan-Vanuatu
    class: RAA
    name: Japan-Vanuatu reciprocal access agreement
    party: [Japan, Vanuatu]
    status: talks-agreed
    quote: Japan and Vanuatu agreed on Monday to start talks
  - entity: Port Vila
    locatedIn: Vanuatu
    sentence: 2
`

func fg(local string) quad.IRI { return quad.IRI(graph.NS + local) }

const testDoc = graph.NS + "news/test-2024-06-01-talks"

func read(t *testing.T, name, text string, f factsheet.Format) []*factsheet.Sheet {
	t.Helper()
	sheets, err := factsheet.Read(name, strings.NewReader(text), f)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return sheets
}

// build reads and builds a sheet against a store holding the article.
func build(t *testing.T, st *graph.Store, text string) []quad.Quad {
	t.Helper()
	res, err := factsheet.Build(context.Background(), st, read(t, "sheet.yaml", text, factsheet.YAML))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return res.Quads
}

func has(quads []quad.Quad, s quad.Value, p quad.IRI, o quad.Value, l quad.Value) bool {
	return slices.Contains(quads, quad.Quad{Subject: s, Predicate: p, Object: o, Label: l})
}

func TestBuild(t *testing.T) {
	quads := build(t, testkit.ArticleStore(t), sheet)
	s1, s2 := quad.IRI(testDoc+"#s1"), quad.IRI(testDoc+"#s2")
	checks := []struct {
		what string
		q    quad.Quad
	}{
		{"the document", quad.Quad{Subject: quad.IRI(testDoc), Predicate: graph.Type, Object: graph.NewsArticle, Label: quad.IRI(testDoc)}},
		{"its date", quad.Quad{Subject: quad.IRI(testDoc), Predicate: graph.DatePublished,
			Object: quad.TypedString{Value: "2024-06-01", Type: graph.XSDNS + "date"}, Label: quad.IRI(testDoc)}},
		{"sentence 3, after the paragraph break", quad.Quad{Subject: quad.IRI(testDoc + "#s3"), Predicate: graph.Text, Object: quad.String("The talks begin in July."), Label: quad.IRI(testDoc)}},
		{"a declared entity, curated", quad.Quad{Subject: fg("PortVila"), Predicate: graph.Name, Object: quad.String("Port Vila"), Label: graph.Curated}},
		{"a new happening's type, labeled with its sentence", quad.Quad{Subject: fg("RAA-Japan-Vanuatu"), Predicate: graph.Type, Object: fg("ReciprocalAccessAgreement"), Label: s1}},
		{"a party the store names", quad.Quad{Subject: fg("RAA-Japan-Vanuatu"), Predicate: graph.Party, Object: fg("Japan"), Label: s1}},
		{"the status", quad.Quad{Subject: fg("RAA-Japan-Vanuatu"), Predicate: graph.Status, Object: quad.String("talks-agreed"), Label: s1}},
		{"the shortcut", quad.Quad{Subject: fg("Japan"), Predicate: fg("negotiatingRAAWith"), Object: fg("Vanuatu"), Label: s1}},
		{"the shortcut back", quad.Quad{Subject: fg("Vanuatu"), Predicate: fg("negotiatingRAAWith"), Object: fg("Japan"), Label: s1}},
		{"a fact by sentence number", quad.Quad{Subject: fg("PortVila"), Predicate: fg("locatedIn"), Object: fg("Vanuatu"), Label: s2}},
	}
	for _, c := range checks {
		if !slices.Contains(quads, c.q) {
			t.Errorf("no quad for %s: %s", c.what, c.q)
		}
	}
	for _, q := range quads {
		if q.Label == nil {
			t.Errorf("unlabeled quad %s", q)
		}
	}
}

// TestBuildMovesAStoryOn states a later status of a happening the store
// holds: the shortcut comes from the store's parties.
func TestBuildMovesAStoryOn(t *testing.T) {
	text := strings.Replace(sheet, `  - happening: RAA-Japan-Vanuatu
    class: RAA
    name: Japan-Vanuatu reciprocal access agreement
    party: [Japan, Vanuatu]
    status: talks-agreed
    quote: Japan and Vanuatu agreed on Monday to start talks`, `  - happening: RAA-Japan-Philippines
    status: in-force
    quote: Japan and Vanuatu agreed on Monday to start talks`, 1)
	quads := build(t, testkit.ArticleStore(t), text)
	s1 := quad.IRI(testDoc + "#s1")
	if !has(quads, fg("RAA-Japan-Philippines"), graph.Status, quad.String("in-force"), s1) {
		t.Errorf("no in-force status")
	}
	for _, pair := range [][2]string{{"Japan", "Philippines"}, {"Philippines", "Japan"}} {
		if !has(quads, fg(pair[0]), fg("hasRAAWith"), fg(pair[1]), s1) {
			t.Errorf("no %s hasRAAWith %s from the stored parties", pair[0], pair[1])
		}
	}
}

func TestIngestTwiceChangesNothing(t *testing.T) {
	st := testkit.ArticleStore(t)
	ctx := context.Background()
	first, err := loaders.Apply(ctx, st, build(t, st, sheet))
	if err != nil || first.Added == 0 {
		t.Fatalf("first ingest: %+v, %v", first, err)
	}
	second, err := loaders.Apply(ctx, st, build(t, st, sheet))
	if err != nil || second.Added != 0 || second.Duplicates != second.Read {
		t.Errorf("second ingest: %+v, %v; want nothing added", second, err)
	}
}

// TestFormats reads the same sheet as YAML, JSON and JSON Lines.
func TestFormats(t *testing.T) {
	st := testkit.ArticleStore(t)
	want := build(t, st, sheet)
	j := `{"document": {"id": "test-2024-06-01-talks", "publisher": "Test Wire", "date": "2024-06-01", "title": "Test Wire, 1 June 2024", "language": "en"},
 "text": "Japan and Vanuatu agreed on Monday to start talks on a reciprocal access agreement. Kishida met the Vanuatu premier in Port Vila.\n\nThe talks begin in July.",
 "entities": [{"name": "Vanuatu", "class": "country"}, {"name": "Port Vila", "class": "city"}],
 "facts": [
  {"happening": "RAA-Japan-Vanuatu", "class": "RAA", "name": "Japan-Vanuatu reciprocal access agreement", "party": ["Japan", "Vanuatu"], "status": "talks-agreed", "quote": "Japan and Vanuatu agreed on Monday to start talks"},
  {"entity": "Port Vila", "locatedIn": "Vanuatu", "sentence": 2}]}`
	oneLine := strings.ReplaceAll(j, "\n", "")
	for _, tc := range []struct {
		name string
		text string
		f    factsheet.Format
		n    int
	}{
		{"sheet.json", j, factsheet.JSON, 1},
		{"sheets.jsonl", oneLine + "\n\n" + oneLine + "\n", factsheet.JSONLines, 2},
		{"two.yaml", sheet + "---\n" + sheet, factsheet.YAML, 2},
	} {
		sheets := read(t, tc.name, tc.text, tc.f)
		if len(sheets) != tc.n {
			t.Errorf("%s: %d sheets, want %d", tc.name, len(sheets), tc.n)
			continue
		}
		res, err := factsheet.Build(context.Background(), st, sheets)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.Equal(res.Quads, want) {
			t.Errorf("%s: built %d quads, want the YAML sheet's %d", tc.name, len(res.Quads), len(want))
		}
	}
}

// TestExampleSheets builds the example articles of examples/sheets after the
// embedded one.
func TestExampleSheets(t *testing.T) {
	files := []string{"../../examples/sheets/example-2024-07-08-japan-philippines-raa-signed.yaml",
		"../../examples/sheets/example-2025-09-11-japan-philippines-raa-in-force.json"}
	sheets, err := factsheet.ReadFiles(files, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := factsheet.Build(context.Background(), testkit.ArticleStore(t), sheets)
	if err != nil {
		t.Fatal(err)
	}
	if res.Documents != 2 || res.Facts == 0 {
		t.Errorf("result %+v", res)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old with new in the valid sheet
		want     string // FILE:LINE:COL: and a part of the message
	}{
		{"quote not in the text", "quote: Japan and Vanuatu agreed on Monday to start talks", "quote: Japan and Vanuatu agreed on Tuesday to start talks",
			`sheet.yaml:20:12: quote not found in the text; closest sentence 1: "Japan and Vanuatu agreed on Monday`},
		{"quote across sentences", "quote: Japan and Vanuatu agreed on Monday to start talks", "quote: agreement. Kishida met",
			"sheet.yaml:20:12: the quote runs from sentence 1 into sentence 2"},
		{"no statement", "    sentence: 2\n", "",
			"sheet.yaml:21:5: a fact needs a statement in the text: quote"},
		{"sentence out of range", "sentence: 2", "sentence: 9",
			"sheet.yaml:23:15: sentence: expected a sentence number from 1 to 3"},
		{"unknown name", "locatedIn: Vanuatu", "locatedIn: Vanuatoo",
			`sheet.yaml:22:16: unknown name "Vanuatoo"; did you mean "Vanuatu"?`},
		{"unknown name of the store", "party: [Japan, Vanuatu]", "party: [Japn, Vanuatu]",
			`sheet.yaml:18:13: unknown name "Japn"; did you mean "Japan"?`},
		{"unknown key", "locatedIn: Vanuatu", "locatdIn: Vanuatu",
			`sheet.yaml:22:5: unknown key "locatdIn" in a fact; did you mean "locatedIn"?`},
		{"a shortcut written by hand", "locatedIn: Vanuatu", "hasRAAWith: Japan",
			"sheet.yaml:22:5: hasRAAWith is a shortcut"},
		{"bad status", "status: talks-agreed", "status: talks agreed",
			`sheet.yaml:19:13: status: a reciprocal access agreement is talks-agreed, negotiation-agreed, signed, in-force, not "talks agreed"; did you mean "talks-agreed"?`},
		{"unknown class", "class: RAA", "class: RAAs",
			`sheet.yaml:16:12: class: unknown class "RAAs"; did you mean "RAA"?`},
		{"an entity class for a happening", "class: RAA", "class: country",
			"sheet.yaml:16:12: class: country is a class of entities"},
		{"an entity property on a happening", "status: talks-agreed", "status: talks-agreed\n    leads: Japan",
			"sheet.yaml:20:5: leads is a property of entities, and RAA-Japan-Vanuatu is a happening"},
		{"bad date", "date: 2024-06-01", "date: 2024-13-01",
			`sheet.yaml:4:9: date: expected the day of publication as YYYY-MM-DD, found "2024-13-01"`},
		{"missing title", "  title: Test Wire, 1 June 2024\n", "",
			"sheet.yaml:1:1: the document needs its title"},
		{"a name the store gives another node", "{name: Port Vila, class: city}", "{name: Tokyo, class: city}",
			`sheet.yaml:13:12: "Tokyo" already names fg:Japan in the store`},
		{"an unknown happening", "  - happening: RAA-Japan-Vanuatu\n    class: RAA\n", "  - happening: RAA-Japan-Vanuatu\n",
			`sheet.yaml:15:16: unknown name "RAA-Japan-Vanuatu"`},
		{"a skip that is not in the text", "entities:", "skip: [(AP)]\nentities:",
			`sheet.yaml:11:8: skip: the passage "(AP)" is not in the text`},
		{"YAML syntax", "  language: en", "  language: [en",
			"sheet.yaml:7: "},
		{"the stored document with another date", "id: test-2024-06-01-talks", "id: kyodo-2024-05-02-japan-france-raa",
			"sheet.yaml:4:9: the store holds document fg:news/kyodo-2024-05-02-japan-france-raa dated 2024-05-02"},
		{"the stored document with another text", "id: test-2024-06-01-talks\n  publisher: Test Wire\n  date: 2024-06-01", "id: kyodo-2024-05-02-japan-france-raa\n  publisher: Test Wire\n  date: 2024-05-02",
			"sheet.yaml:7:7: the store holds document fg:news/kyodo-2024-05-02-japan-france-raa with another sentence 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(sheet, tc.old) {
				t.Fatalf("the sheet has no %q", tc.old)
			}
			text := strings.Replace(sheet, tc.old, tc.new, 1)
			st := testkit.ArticleStore(t)
			sheets, err := factsheet.Read("sheet.yaml", strings.NewReader(text), factsheet.YAML)
			if err == nil {
				_, err = factsheet.Build(context.Background(), st, sheets)
			}
			if err == nil {
				t.Fatalf("no error; want %s", tc.want)
			}
			var msgs []string
			for _, e := range errs.All(err) {
				msgs = append(msgs, e.Error())
			}
			if !slices.ContainsFunc(msgs, func(m string) bool { return strings.HasPrefix(m, tc.want) }) {
				t.Errorf("errors:\n%s\nwant one starting %s", strings.Join(msgs, "\n"), tc.want)
			}
		})
	}
}

// TestJSONLinesPositions checks that an error in the second line of a JSON
// Lines file is reported on that line.
func TestJSONLinesPositions(t *testing.T) {
	good := `{"document": {"id": "a", "publisher": "P", "date": "2024-06-01", "title": "T", "language": "en"}, "text": "Japan waited.", "facts": [{"entity": "Japan", "locatedIn": "Asia", "quote": "Japan waited"}]}`
	_, err := factsheet.Read("s.jsonl", strings.NewReader("{}\n"+good), factsheet.JSONLines)
	if err == nil || !strings.HasPrefix(err.Error(), "s.jsonl:1:1: a fact sheet needs a document") {
		t.Errorf("err = %v", err)
	}
	sheets := read(t, "s.jsonl", "\n"+good, factsheet.JSONLines)
	_, err = factsheet.Build(context.Background(), testkit.ArticleStore(t), sheets)
	if err == nil || !strings.HasPrefix(err.Error(), fmt.Sprintf("s.jsonl:2:%d: unknown name \"Asia\"", strings.Index(good, `"Asia"`)+1)) {
		t.Errorf("err = %v", err)
	}
}

// TestReadFilesMissing reports a missing file as the loaders do.
func TestReadFilesMissing(t *testing.T) {
	_, err := factsheet.ReadFiles([]string{"no-such-sheet.yaml"}, "", nil)
	if !os.IsNotExist(err) {
		t.Errorf("err = %v; want a not-exist error", err)
	}
}
