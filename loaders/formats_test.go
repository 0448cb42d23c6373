package loaders_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

func TestCSV(t *testing.T) {
	const in = "subject,predicate,object,label\n" +
		"fg:Japan,fg:hasRAAWith,fg:Australia,<urn:s1>\n" +
		"<urn:x>,schema:name,\"Tokyo, Japan\",\n" +
		"_:b1,<urn:p>,\"\"\"5\"\"^^<http://www.w3.org/2001/XMLSchema#integer>\",\n" +
		"\n" +
		"https://example.org/a,urn:p,https://example.org/b,_:g\n"
	got, err := loaders.Read("t.csv", strings.NewReader(in), loaders.ReadOptions{Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	want := []quad.Quad{
		{Subject: quad.IRI(graph.NS + "Japan"), Predicate: quad.IRI(graph.NS + "hasRAAWith"), Object: quad.IRI(graph.NS + "Australia"), Label: quad.IRI("urn:s1")},
		{Subject: quad.IRI("urn:x"), Predicate: graph.Name, Object: quad.String("Tokyo, Japan")},
		{Subject: quad.BNode("b1"), Predicate: quad.IRI("urn:p"), Object: quad.Int(5)},
		{Subject: quad.IRI("https://example.org/a"), Predicate: quad.IRI("urn:p"), Object: quad.IRI("https://example.org/b"), Label: quad.BNode("g")},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d quads, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("quad %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestCSVColumnsAndTSV(t *testing.T) {
	const in = "Entity\tRelation\tValue\tSentence\n<urn:a>\t<urn:p>\tplain text\t<urn:s>\n"
	cols, err := loaders.ParseCSVColumns("subject=Entity,predicate=Relation,object=Value,label=Sentence")
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaders.Read("t.tsv", strings.NewReader(in), loaders.ReadOptions{Format: "tsv", Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Object != quad.String("plain text") || got[0].Label != quad.IRI("urn:s") {
		t.Errorf("got %v", got)
	}
	// Synonyms work without a mapping.
	got, err = loaders.Read("t.csv", strings.NewReader("from,relation,to\n<urn:a>,<urn:p>,<urn:b>\n"), loaders.ReadOptions{Format: "csv"})
	if err != nil || len(got) != 1 {
		t.Errorf("synonym header: %v, %v", got, err)
	}
	if _, err := loaders.ParseCSVColumns("subject=A,verb=B"); err == nil || !strings.Contains(err.Error(), `found "verb"`) {
		t.Errorf("bad mapping error = %v", err)
	}
}

func TestCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"", "t.csv:1:1: expected a header row"},
		{"a,b,c\n", "t.csv:1:1: expected the subject column"},
		{"subject,predicate,object\n<urn:a>,<urn:p>,x\n<urn:b,<urn:p>,x\n", `t.csv:3:1: subject: expected IRI`},
		{"subject,predicate,object\n<urn:a>,has|name,x\n", `t.csv:2:9: predicate: expected IRI`},
		{"subject,predicate,object\n<urn:a>,<urn:p>\n", "t.csv:2:"},
		{"subject,predicate,object,note\n<urn:a>,<urn:p>,x,kept nowhere\n", `t.csv:1:26: header column 4 "note" is none of subject, predicate, object and label`},
		{"subject,subject,predicate,object\n<urn:a>,<urn:b>,<urn:p>,x\n", `t.csv:1:9: header column 2 "subject" is none of`},
		{"subject,predicate,object\n<urn:a>,<urn:p>,\"unclosed\n", "t.csv:2:"},
	} {
		_, err := loaders.Read("t.csv", strings.NewReader(tc.in), loaders.ReadOptions{Format: "csv"})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: error = %v, want prefix %q", tc.in, err, tc.want)
		}
	}
}

func TestJSONLD(t *testing.T) {
	const doc = `{"@context": {"name": "https://schema.org/name"}, "@id": "https://w3id.org/factgraph/Japan", "name": "Japan"}`
	got, err := loaders.Read("t.jsonld", strings.NewReader(doc), loaders.ReadOptions{Format: "jsonld"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Subject != quad.IRI(graph.NS+"Japan") || got[0].Object != quad.String("Japan") {
		t.Errorf("got %v", got)
	}
	_, err = loaders.Read("t.jsonld", strings.NewReader("{\n  \"@id\": \"x\",\n  \"name\": ]\n}"), loaders.ReadOptions{Format: "jsonld"})
	var perr *errs.Error
	if !errors.As(err, &perr) || perr.Line != 3 || perr.Column != 11 {
		t.Errorf("syntax error = %v, want one at 3:11", err)
	}
}

func TestReadDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.nq", "<urn:a> <urn:p> <urn:b> .\n")
	write("sub/b.csv", "subject,predicate,object\n<urn:b>,<urn:p>,<urn:c>\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<urn:c> <urn:p> <urn:d> .\n"))
	zw.Close()
	write("c.nt.gz", gz.String())
	write("README.txt", "not data")
	got, err := loaders.ReadFile(dir, loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("got %d quads from the directory, want 3: %v", len(got), got)
	}
	empty := t.TempDir()
	if _, err := loaders.ReadFile(empty, loaders.ReadOptions{}); err == nil || !strings.Contains(err.Error(), "no data files") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestExportRoundTrip(t *testing.T) {
	st := testkit.ArticleStore(t)
	ctx := context.Background()
	var out bytes.Buffer
	n, err := loaders.Export(ctx, st, &out, "nquads", graph.Pattern{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "<xsd:") {
		t.Errorf("export abbreviates a datatype IRI:\n%s", out.String())
	}
	back, err := loaders.Read("dump.nq", &out, loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != n || n != len(testkit.ArticleQuads(t)) {
		t.Errorf("exported %d quads, read back %d, article has %d", n, len(back), len(testkit.ArticleQuads(t)))
	}
	for _, format := range []string{"jsonld", "dot", "graphml"} {
		out.Reset()
		if _, err := loaders.Export(ctx, st, &out, format, graph.Pattern{Subject: quad.IRI(graph.NS + "Japan")}); err != nil || out.Len() == 0 {
			t.Errorf("%s: %v (%d bytes)", format, err, out.Len())
		}
	}
	out.Reset()
	jsonN, err := loaders.Export(ctx, st, &out, "jsonld", graph.Pattern{})
	if err != nil {
		t.Fatal(err)
	}
	back, err = loaders.Read("dump.jsonld", &out, loaders.ReadOptions{Format: "jsonld"})
	if err != nil || len(back) != jsonN {
		t.Errorf("JSON-LD round trip: wrote %d, read %d (%v)", jsonN, len(back), err)
	}
	out.Reset()
	if _, err := loaders.Export(ctx, st, &out, "graphml", graph.Pattern{}); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&out)
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("GraphML export is not well-formed XML: %v", err)
		}
	}
	out.Reset()
	pqN, err := loaders.Export(ctx, st, &out, "pquads", graph.Pattern{})
	if err != nil {
		t.Fatal(err)
	}
	back, err = loaders.Read("dump.pq", &out, loaders.ReadOptions{Format: "pquads"})
	if err != nil || len(back) != pqN {
		t.Errorf("pquads round trip: wrote %d, read %d (%v)", pqN, len(back), err)
	}
	out.Reset()
	n, err = loaders.Export(ctx, st, &out, "nquads", graph.Pattern{Predicate: quad.IRI(graph.NS + "hasRAAWith")})
	if err != nil || n != 4 {
		t.Errorf("filtered export wrote %d quads (%v), want the 4 hasRAAWith quads", n, err)
	}
	n, err = loaders.Export(ctx, st, &out, "nquads", graph.Pattern{Subject: quad.IRI("urn:nothing")})
	if err != nil || n != 0 {
		t.Errorf("export of an absent subject: %d, %v", n, err)
	}
	if _, err := loaders.Export(ctx, st, &out, "xml", graph.Pattern{}); err == nil {
		t.Error("unknown format accepted")
	}
}

// FuzzCSVReader checks that the CSV reader never panics and that every error
// it reports has a position.
func FuzzCSVReader(f *testing.F) {
	f.Add("subject,predicate,object\n<urn:a>,<urn:p>,x\n")
	f.Add("s,p,o,label\n_:a,fg:p,\"\"\"x\"\"@en\",<urn:l>\n")
	f.Add("subject,predicate,object\n<urn:a>,<urn:p>,\"x\n")
	f.Fuzz(func(t *testing.T, in string) {
		var err error
		testkit.Linear(t, len(in), 1024, 256<<10, func() {
			_, err = loaders.Read("f.csv", strings.NewReader(in), loaders.ReadOptions{Format: "csv", MaxErrors: 3})
		})
		var list errs.List
		if errors.As(err, &list) {
			for _, e := range list {
				if e.Line < 1 || e.Column < 1 {
					t.Fatalf("error without position: %v", e)
				}
			}
		}
	})
}

// FuzzJSONLD checks that the JSON-LD reader never panics and that JSON syntax
// errors have a position.
func FuzzJSONLD(f *testing.F) {
	f.Add(`{"@id": "urn:a", "urn:p": "x"}`)
	f.Add(`[{"@id": "urn:a", "urn:p": [{"@id": "urn:b"}]}]`)
	f.Add(`{"@id": "urn:a", "urn:p": }`)
	f.Fuzz(func(t *testing.T, in string) {
		var err error
		testkit.Linear(t, len(in), 4096, 2<<20, func() {
			_, err = loaders.Read("f.jsonld", strings.NewReader(in), loaders.ReadOptions{Format: "jsonld"})
		})
		var perr *errs.Error
		if errors.As(err, &perr) && strings.Contains(perr.Message, "invalid JSON:") && strings.Contains(perr.Message, "syntax") && perr.Line < 1 {
			t.Fatalf("JSON syntax error without position: %v", perr)
		}
	})
}

func TestQuadsProgress(t *testing.T) {
	var in strings.Builder
	for i := range 2*loaders.QuadsEvery + 5 {
		fmt.Fprintf(&in, "<urn:s%d> <urn:p> <urn:o> .\n", i)
	}
	var seen []int
	_, err := loaders.Read("p.nq", strings.NewReader(in.String()), loaders.ReadOptions{Quads: func(n int) { seen = append(seen, n) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{loaders.QuadsEvery, 2 * loaders.QuadsEvery, 2*loaders.QuadsEvery + 5}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("progress %v, want %v", seen, want)
	}
}

func TestTurtle(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "facts.ttl")
	doc := "@prefix fg: <https://w3id.org/factgraph/> .\nfg:Japan fg:hasRAAWith fg:Australia, fg:UnitedKingdom .\n"
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := loaders.ReadFile(p, loaders.ReadOptions{}) // picked by its extension
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Object != quad.IRI(graph.NS+"UnitedKingdom") || got[0].Label != nil {
		t.Errorf("got %v", got)
	}
	trig, err := loaders.Read("t.trig", strings.NewReader("<https://e/g> { <https://e/a> <https://e/b> 1 }"), loaders.ReadOptions{Format: "trig"})
	if err != nil || len(trig) != 1 || trig[0].Label != quad.IRI("https://e/g") {
		t.Errorf("trig: got %v, %v", trig, err)
	}
	_, err = loaders.Read("bad.ttl", strings.NewReader("@prefix fg: <https://w3id.org/factgraph/> .\nfg:Japan fg:p ;\n"), loaders.ReadOptions{Format: "turtle"})
	if err == nil || !strings.HasPrefix(err.Error(), "bad.ttl:2:15: expected object") {
		t.Errorf("syntax error = %v, want bad.ttl:2:15: expected object", err)
	}
}
