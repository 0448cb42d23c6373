package eval_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries/sparql/eval"
	"github.com/factgraph/factgraph/queries/sparql/parser"
)

const prefixes = "PREFIX fg: <https://w3id.org/factgraph/>\nPREFIX schema: <https://schema.org/>\n"

// rows runs a SELECT on the article graph and renders each solution as
// "a b" (values' N-Quads forms, unbound as -), sorted. It runs the query
// both on the store's ids and through Cayley's iterators, and fails the
// test when the two differ.
func rows(t *testing.T, opt eval.Options, src string) []string {
	t.Helper()
	byIDs := selectOn(t, testkit.ArticleStore(t), opt, prefixes+src)
	opt.Iterators = true
	if it := selectOn(t, testkit.ArticleStore(t), opt, prefixes+src); strings.Join(it, "\n") != strings.Join(byIDs, "\n") {
		t.Errorf("read in ids: %v; through iterators: %v", byIDs, it)
	}
	return byIDs
}

func TestGraphIsProvenance(t *testing.T) {
	got := rows(t, eval.Options{}, `SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } }`)
	want := []string{
		"Australia> news/kyodo-2024-05-02-japan-france-raa#s2>",
		"UnitedKingdom> news/kyodo-2024-05-02-japan-france-raa#s2>",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDefaultGraph(t *testing.T) {
	q := `SELECT ?x WHERE { fg:Japan fg:hasRAAWith ?x }`
	// The union of all graphs holds the facts; the unlabeled quads none.
	if got := rows(t, eval.Options{}, q); len(got) != 2 {
		t.Errorf("union default graph: got %v, want Australia and the UK", got)
	}
	if got := rows(t, eval.Options{Dataset: eval.Dataset{Default: eval.UnlabeledGraph}}, q); len(got) != 0 {
		t.Errorf("unlabeled default graph: got %v, want nothing", got)
	}
	// FROM the sentence's graph.
	from := `SELECT ?x FROM <https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s2> WHERE { fg:Japan fg:hasRAAWith ?x }`
	if got := rows(t, eval.Options{}, from); len(got) != 2 {
		t.Errorf("FROM s2: got %v", got)
	}
	other := `SELECT ?x FROM <https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s1> WHERE { fg:Japan fg:hasRAAWith ?x }`
	if got := rows(t, eval.Options{}, other); len(got) != 0 {
		t.Errorf("FROM s1: got %v, want nothing", got)
	}
	// A fact stated in two graphs is one triple of the merged default graph.
	n := rows(t, eval.Options{}, `SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }`)
	m := rows(t, eval.Options{}, `SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }`)
	if n[0] != m[0] {
		t.Errorf("default graph has %s triples, the distinct triples of all graphs are %s", n[0], m[0])
	}
}

func TestOperators(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{`SELECT (1 + 2 * 3 AS ?v) {}`, `"7"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{`SELECT (1 / 2 AS ?v) {}`, `"0.5"^^<http://www.w3.org/2001/XMLSchema#decimal>`},
		{`SELECT (STRLEN("日本") AS ?v) {}`, `"2"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{`SELECT (CONCAT("a"@en, "b"@en) AS ?v) {}`, `"ab"@en`},
		{`SELECT (UCASE(STR(fg:Japan)) AS ?v) {}`, `"HTTPS://W3ID.ORG/FACTGRAPH/JAPAN"`},
		{`SELECT (REPLACE("abcab", "b", "[$0]") AS ?v) {}`, `"a[b]ca[b]"`},
		{`SELECT (MD5("abc") AS ?v) {}`, `"900150983cd24fb0d6963f7d28e17f72"`},
		{`SELECT (YEAR("2024-05-02T10:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>) AS ?v) {}`, `"2024"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{`SELECT (IF(1 < 2, "y", "n") AS ?v) {}`, `"y"`},
		{`SELECT (COALESCE(1/0, "fallback") AS ?v) {}`, `"fallback"`},
		{`SELECT (<http://www.w3.org/2001/XMLSchema#integer>("12") AS ?v) {}`, `"12"^^<http://www.w3.org/2001/XMLSchema#integer>`},
		{`SELECT ?v { BIND(1/0 AS ?v) }`, `-`},
	} {
		got := rows(t, eval.Options{}, tc.q)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s: got %v, want %s", tc.q, got, tc.want)
		}
	}
}

func TestPathsAndAggregates(t *testing.T) {
	got := rows(t, eval.Options{}, `SELECT ?name WHERE { fg:Japan (fg:hasRAAWith|fg:negotiatingRAAWith) ?x . ?x schema:name ?name }`)
	if len(got) != 4 {
		t.Errorf("alternative path: got %v, want four countries", got)
	}
	got = rows(t, eval.Options{}, `SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { fg:Japan (fg:hasRAAWith|fg:negotiatingRAAWith)+ ?x }`)
	if len(got) != 1 || !strings.HasPrefix(got[0], `"`) {
		t.Errorf("count over a closure: got %v", got)
	}
}

func TestEvidence(t *testing.T) {
	for _, iterators := range []bool{false, true} {
		testEvidence(t, iterators)
	}
}

func testEvidence(t *testing.T, iterators bool) {
	st := testkit.ArticleStore(t)
	q, err := parser.Parse(prefixes+`SELECT ?x WHERE { fg:Japan fg:hasRAAWith ?x }`, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := eval.Prepare(context.Background(), st, q, eval.Options{Evidence: true, Iterators: iterators})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = pl.Select(context.Background(), func(s eval.Solution) bool {
		n++
		ev, err := s.Evidence()
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) != 1 || ev[0].Object != s.Value(0) || ev[0].Label != quad.IRI("https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s2") {
			t.Errorf("evidence of %v = %v, want the quad of sentence 2", s.Value(0), ev)
		}
		return true
	})
	if err != nil || n != 2 {
		t.Errorf("got %d solutions, err %v", n, err)
	}
}

// TestPathEvidence: a solution of a property path carries the quads of the
// walk that reached its end, in the order walked: every link of a sequence,
// the shortest walk of a closure, none for a zero-length path.
func TestPathEvidence(t *testing.T) {
	st := testkit.StoreWith(t, chain(5))
	link := func(i int) string { return fmt.Sprintf("n%d-n%d", i, i+1) }
	for _, tc := range []struct {
		query string
		want  map[string]string // end -> the walk, as links
	}{
		{`SELECT ?x WHERE { <n0> <p>/<p> ?x }`, map[string]string{"n2": link(0) + " " + link(1)}},
		{`SELECT ?x WHERE { <n1> <p>+ ?x }`, map[string]string{"n2": link(1), "n3": link(1) + " " + link(2), "n4": link(1) + " " + link(2) + " " + link(3), "n5": link(1) + " " + link(2) + " " + link(3) + " " + link(4)}},
		{`SELECT ?x WHERE { <n3> ^<p>* ?x }`, map[string]string{"n3": "", "n2": link(2), "n1": link(2) + " " + link(1), "n0": link(2) + " " + link(1) + " " + link(0)}},
		{`SELECT ?x WHERE { ?x <p>|^<p> <n2> }`, map[string]string{"n1": link(1), "n3": link(2)}},
		{`SELECT ?x WHERE { <n4> !<q> ?x }`, map[string]string{"n5": link(4)}},
	} {
		q, err := parser.Parse(tc.query, parser.Options{Base: "http://e/"})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := eval.Prepare(context.Background(), st, q, eval.Options{Evidence: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		err = pl.Select(context.Background(), func(s eval.Solution) bool {
			ev, err := s.Evidence()
			if err != nil {
				t.Fatal(err)
			}
			var walk []string
			for _, q := range ev {
				walk = append(walk, strings.TrimPrefix(string(q.Subject.(quad.IRI)), "http://e/")+"-"+strings.TrimPrefix(string(q.Object.(quad.IRI)), "http://e/"))
			}
			got[strings.TrimPrefix(string(s.Value(0).(quad.IRI)), "http://e/")] = strings.Join(walk, " ")
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %v\nwant %v", tc.query, got, tc.want)
		}
	}
}

func TestDeadline(t *testing.T) {
	st := testkit.StoreWith(t, chain(2000))
	q, err := parser.Parse(`SELECT * WHERE { ?a <p>* ?b . ?c <p>* ?d }`, parser.Options{Base: "http://e/"})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := eval.Prepare(context.Background(), st, q, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = pl.Select(ctx, func(eval.Solution) bool { return true })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the deadline's error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %v", d)
	}
}

func chain(n int) []quad.Quad {
	var qs []quad.Quad
	for i := 0; i < n; i++ {
		qs = append(qs, quad.Make(quad.IRI("http://e/n"+itoa(i)), quad.IRI("http://e/p"), quad.IRI("http://e/n"+itoa(i+1)), nil))
	}
	return qs
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestPathDepthBound(t *testing.T) {
	st := testkit.StoreWith(t, chain(30))
	q, err := parser.Parse(`SELECT ?b WHERE { <n0> <p>+ ?b }`, parser.Options{Base: "http://e/"})
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	pl, err := eval.Prepare(context.Background(), st, q, eval.Options{MaxPathDepth: 5, Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := pl.Select(context.Background(), func(eval.Solution) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	if n != 5 || len(warnings) != 1 || !strings.Contains(warnings[0], "depth bound of 5") {
		t.Errorf("got %d nodes and warnings %q, want 5 and one warning", n, warnings)
	}
	pl, _ = eval.Prepare(context.Background(), st, q, eval.Options{})
	n = 0
	pl.Select(context.Background(), func(eval.Solution) bool { n++; return true })
	if n != 30 {
		t.Errorf("unbounded: got %d nodes, want 30", n)
	}
}

// TestDistinctTerms checks the distinct terms of a union of all-variable
// triple patterns, and their count, against the iterators' plan: on the
// article graph (labeled: the count marks ids) and on unlabeled triples
// (the store's node count), in the union and the unlabeled default graph.
func TestDistinctTerms(t *testing.T) {
	unions := []string{
		`{ ?x ?p ?o } UNION { ?s ?x ?o } UNION { ?s ?p ?x }`,
		`{ ?x ?p ?o } UNION { ?s ?p ?x }`,
		`{ ?s ?x ?o }`,
	}
	unlabeled := []quad.Quad{
		quad.MakeIRI("a", "p", "b", ""),
		quad.MakeIRI("b", "q", "c", ""),
		quad.MakeIRI("c", "p", "a", ""),
		quad.Make(quad.IRI("a"), quad.IRI("name"), quad.String("A"), nil),
	}
	stores := map[string]func() *graph.Store{
		"article":   func() *graph.Store { return testkit.ArticleStore(t) },
		"unlabeled": func() *graph.Store { return testkit.StoreWith(t, unlabeled) },
		"article on disk": func() *graph.Store {
			d, err := disk.Open(t.TempDir(), disk.DefaultCheckpointBytes)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			var in []cgraph.Delta
			for _, q := range testkit.ArticleQuads(t) {
				in = append(in, cgraph.Delta{Quad: q, Action: cgraph.Add})
			}
			if err := d.ApplyDeltas(in, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
				t.Fatal(err)
			}
			return &graph.Store{QuadStore: d, Backend: graph.BackendDisk}
		},
	}
	for name, store := range stores {
		for _, def := range []eval.DefaultGraph{eval.UnionGraph, eval.UnlabeledGraph} {
			for _, u := range unions {
				for _, src := range []string{
					`SELECT DISTINCT ?x WHERE { ` + u + ` }`,
					`SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x WHERE { ` + u + ` } }`,
				} {
					var got [2][]string
					for i, iterators := range []bool{false, true} {
						got[i] = selectOn(t, store(), eval.Options{Dataset: eval.Dataset{Default: def}, Iterators: iterators}, src)
					}
					empty := name != "unlabeled" && def == eval.UnlabeledGraph // every quad of the article has a label
					none := len(got[0]) == 0 || strings.HasPrefix(got[0][0], `"0"`)
					if none != empty || strings.Join(got[0], "\n") != strings.Join(got[1], "\n") {
						t.Errorf("%s, default graph %d, %s:\nids %v\niterators %v", name, def, src, got[0], got[1])
					}
				}
			}
		}
	}
}

// selectOn runs a SELECT on st and renders each solution as "a b" (values'
// N-Quads forms, unbound as -), sorted.
func selectOn(t *testing.T, st *graph.Store, opt eval.Options, src string) []string {
	t.Helper()
	q, err := parser.Parse(src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := eval.Prepare(context.Background(), st, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	err = pl.Select(context.Background(), func(s eval.Solution) bool {
		var cells []string
		for i := range pl.Vars() {
			if v := s.Value(i); v != nil {
				cells = append(cells, strings.TrimPrefix(v.String(), "<https://w3id.org/factgraph/"))
			} else {
				cells = append(cells, "-")
			}
		}
		out = append(out, strings.Join(cells, " "))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}
