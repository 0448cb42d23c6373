package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// raaQuery asks, in Gizmo, which countries have an RAA in force with Japan.
const raaQuery = `g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()`

// raaPartners are its answers, as compact IRIs.
var raaPartners = []string{"fg:Australia", "fg:UnitedKingdom"}

type outcome struct {
	code           int
	stdout, stderr string
}

// run runs the command line in-process.
func run(t *testing.T, stdin string, args ...string) outcome {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return outcome{code: code, stdout: out.String(), stderr: errOut.String()}
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) outcome {
	t.Helper()
	o := run(t, "", args...)
	if o.code != 0 {
		t.Fatalf("%q: expected exit 0, found %d; stderr: %s", args, o.code, o.stderr)
	}
	return o
}

func sortedSet(vs []string) []string {
	set := map[string]bool{}
	for _, v := range vs {
		set[v] = true
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// delimitedIRIs parses CSV or TSV output and returns its id_iri column.
func delimitedIRIs(t *testing.T, out string, comma rune) []string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(out))
	r.Comma = comma
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, out)
	}
	if len(recs) == 0 {
		return nil // an empty Gizmo result has no columns, hence no header
	}
	at := slices.Index(recs[0], "id_iri")
	if at < 0 {
		t.Fatalf("expected an id_iri column, found header %q", recs[0])
	}
	var iris []string
	for _, rec := range recs[1:] {
		iris = append(iris, rec[at])
	}
	return iris
}

func rowIRIs(t *testing.T, rows []map[string]any) []string {
	t.Helper()
	var iris []string
	for _, r := range rows {
		s, ok := r["id_iri"].(string)
		if !ok {
			t.Fatalf("expected a string id_iri, found %#v in %v", r["id_iri"], r)
		}
		iris = append(iris, s)
	}
	return iris
}

func TestQueryGizmoFormats(t *testing.T) {
	tests := []struct {
		format string
		parse  func(t *testing.T, out string) []string
	}{
		{"csv", func(t *testing.T, out string) []string { return delimitedIRIs(t, out, ',') }},
		{"tsv", func(t *testing.T, out string) []string { return delimitedIRIs(t, out, '\t') }},
		{"json", func(t *testing.T, out string) []string {
			var doc struct {
				Columns   []string         `json:"columns"`
				Rows      []map[string]any `json:"rows"`
				Truncated *bool            `json:"truncated"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("parse: %v\n%s", err, out)
			}
			if !slices.Equal(doc.Columns, []string{"id", "id_iri"}) {
				t.Errorf("expected columns [id id_iri], found %q", doc.Columns)
			}
			if doc.Truncated == nil || *doc.Truncated {
				t.Errorf("expected \"truncated\": false, found %v", doc.Truncated)
			}
			return rowIRIs(t, doc.Rows)
		}},
		{"ndjson", func(t *testing.T, out string) []string {
			var rows []map[string]any
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var r map[string]any
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("parse line %q: %v", sc.Text(), err)
				}
				rows = append(rows, r)
			}
			return rowIRIs(t, rows)
		}},
		{"table", func(t *testing.T, out string) []string {
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) == 0 || !slices.Equal(strings.Fields(lines[0]), []string{"id", "id_iri"}) {
				t.Fatalf("expected a header line \"id id_iri\", found %q", out)
			}
			var iris []string
			for _, l := range lines[1:] {
				f := strings.Fields(l)
				iris = append(iris, f[len(f)-1])
			}
			return iris
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			o := mustRun(t, "query", "--lang", "gizmo", "--format", tc.format, raaQuery)
			got := tc.parse(t, o.stdout)
			if len(got) != len(raaPartners) || !slices.Equal(sortedSet(got), raaPartners) {
				t.Errorf("expected rows %q, found %q", raaPartners, got)
			}
			if o.stderr != "" {
				t.Errorf("expected nothing on stderr, found %q", o.stderr)
			}
		})
	}
}

func TestQueryFromStdin(t *testing.T) {
	o := run(t, raaQuery, "query", "--lang", "gizmo", "--format", "csv", "-")
	if o.code != 0 {
		t.Fatalf("expected exit 0, found %d; stderr: %s", o.code, o.stderr)
	}
	if got := sortedSet(delimitedIRIs(t, o.stdout, ',')); !slices.Equal(got, raaPartners) {
		t.Errorf("expected %q, found %q", raaPartners, got)
	}
}

func TestQueryLimit(t *testing.T) {
	tests := []struct {
		limit  string
		rows   int
		warned bool
	}{
		{"0", 2, false},
		{"1", 1, true},
		{"2", 2, false},
	}
	for _, tc := range tests {
		t.Run("limit "+tc.limit, func(t *testing.T) {
			o := mustRun(t, "query", "--lang", "gizmo", "--format", "csv", "--limit", tc.limit, raaQuery)
			if got := delimitedIRIs(t, o.stdout, ','); len(got) != tc.rows {
				t.Errorf("expected %d rows, found %d: %q", tc.rows, len(got), got)
			}
			if warned := strings.Contains(o.stderr, "--limit"); warned != tc.warned {
				t.Errorf("expected a --limit message on stderr: %v, found stderr %q", tc.warned, o.stderr)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown format", []string{"query", "--lang", "gizmo", "--format", "xml", raaQuery}, `unknown output format "xml"`},
		{"unknown language", []string{"query", "--lang", "cypher", "x"}, `unknown query language "cypher"`},
		{"bad gizmo", []string{"query", "--lang", "gizmo", "g.V("}, "factgraph: "},
		{"no query", []string{"query"}, "expected a query, or - to read it from standard input"},
		{"unquoted query", []string{"query", "France", "<-", "leads"}, "expected one query, found 3 arguments; quote the query"},
		{"unquoted arrow", []string{"query", "Japan", "->", "hasRAAWith"}, "unknown shorthand flag: '>' in ->; quote the query"},
		{"depth bound below 1", []string{"query", "--max-depth", "0", raaQuery}, "--max-depth: expected a bound of at least 1, found 0"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"bad store URL", []string{"stats", "--db", "nosuch://x"}, `unknown scheme "nosuch"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := run(t, "", tc.args...)
			if o.code != 1 {
				t.Errorf("expected exit 1, found %d", o.code)
			}
			if !strings.Contains(o.stderr, tc.stderr) {
				t.Errorf("expected stderr to contain %q, found %q", tc.stderr, o.stderr)
			}
			if o.stdout != "" {
				t.Errorf("expected nothing on stdout, found %q", o.stdout)
			}
		})
	}
}

var quadsLine = regexp.MustCompile(`(?m)^quads\t(\d+)$`)

// statsQuads runs stats with args and returns the quad count it prints.
func statsQuads(t *testing.T, args ...string) int {
	t.Helper()
	o := mustRun(t, append([]string{"stats"}, args...)...)
	m := quadsLine.FindStringSubmatch(o.stdout)
	if m == nil {
		t.Fatalf("expected a \"quads\\tN\" line, found %q", o.stdout)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestDumpRoundTrip(t *testing.T) {
	o := mustRun(t, "dump")
	lines := strings.Split(strings.TrimRight(o.stdout, "\n"), "\n")
	for i, l := range lines {
		q, err := loaders.Read("dump", strings.NewReader(l), loaders.ReadOptions{})
		if err != nil || len(q) != 1 {
			t.Errorf("dump line %d: expected one quad, found %d (%v): %s", i+1, len(q), err, l)
			continue
		}
		if q[0].Label == nil {
			t.Errorf("dump line %d: expected a label (4 terms), found none: %s", i+1, l)
		}
	}
	dumped, err := loaders.Read("dump", strings.NewReader(o.stdout), loaders.ReadOptions{})
	if err != nil {
		t.Fatalf("parse dump: %v", err)
	}
	if n := statsQuads(t); len(dumped) != n {
		t.Errorf("expected the dump to hold the %d quads stats reports, found %d", n, len(dumped))
	}
	// The dump holds exactly the article's quads.
	want := map[quad.Quad]bool{}
	for _, q := range testkit.ArticleQuads(t) {
		want[q] = true
	}
	got := map[quad.Quad]bool{}
	for _, q := range dumped {
		got[q] = true
		if !want[q] {
			t.Errorf("expected only article quads in the dump, found %v", q)
		}
	}
	if len(got) != len(want) || len(dumped) != len(want) {
		t.Errorf("expected %d distinct quads dumped once each, found %d distinct of %d", len(want), len(got), len(dumped))
	}
}

func TestEmptyStore(t *testing.T) {
	if n := statsQuads(t, "--empty"); n != 0 {
		t.Errorf("expected 0 quads with --empty, found %d", n)
	}
	if n := statsQuads(t); n == 0 {
		t.Error("expected the article's quads without --empty, found 0")
	}
	o := mustRun(t, "query", "--empty", "--lang", "gizmo", "--format", "csv", raaQuery)
	if got := delimitedIRIs(t, o.stdout, ','); len(got) != 0 {
		t.Errorf("expected no rows with --empty, found %q", got)
	}
}

func TestVersion(t *testing.T) {
	o := mustRun(t, "version")
	if !strings.HasPrefix(o.stdout, "factgraph ") {
		t.Errorf("expected output starting \"factgraph \", found %q", o.stdout)
	}
}

func writeFile(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadBolt loads into a bolt store, reloads, and fails a load with a bad
// line, checking the count that stats prints after each step.
func TestLoadBolt(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a bolt store")
	}
	dir := t.TempDir()
	db := "bolt://" + dir + "/kg.db"
	good := writeFile(t, dir, "good.nq",
		"# two facts",
		"<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/s1> .",
		"",
		"<http://ex/a> <http://ex/p> \"b\" <http://ex/s1> .",
		"<http://ex/b> <http://ex/p> <http://ex/a> <http://ex/s2> .")
	bad := writeFile(t, dir, "bad.nq",
		"<http://ex/c> <http://ex/p> <http://ex/d> .",
		"<http://ex/d> <http://ex/p> <http://ex/c> .",
		"<http://ex/c> <http://ex/p> .",
		"<http://ex/e> <http://ex/p> <http://ex/c> .")

	o := mustRun(t, "load", "--db", db, good)
	if want := "3 added, 0 duplicates"; !strings.Contains(o.stdout, want) {
		t.Errorf("first load: expected %q in the summary, found %q", want, o.stdout)
	}
	if n := statsQuads(t, "--db", db); n != 3 {
		t.Errorf("after the first load: expected 3 quads, found %d", n)
	}

	o = mustRun(t, "load", "--db", db, good)
	if want := "0 added, 3 duplicates"; !strings.Contains(o.stdout, want) {
		t.Errorf("second load: expected %q in the summary, found %q", want, o.stdout)
	}

	o = run(t, "", "load", "--db", db, good, bad)
	if o.code != 1 {
		t.Errorf("bad load: expected exit 1, found %d", o.code)
	}
	if want := bad + ":3:"; !strings.Contains(o.stderr, want) {
		t.Errorf("bad load: expected %q on stderr, found %q", want, o.stderr)
	}
	if n := statsQuads(t, "--db", db); n != 3 {
		t.Errorf("after the bad load: expected 3 quads, found %d", n)
	}
	o = mustRun(t, "dump", "--db", db)
	if strings.Contains(o.stdout, "http://ex/c") {
		t.Errorf("after the bad load: expected no quad of the bad file, found dump %q", o.stdout)
	}
}

// TestLoadFlag adds a file to the memory store with the global --load flag.
func TestLoadFlag(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "extra.nq",
		"<http://ex/a> <http://ex/p> <http://ex/b> <http://ex/s1> .",
		"<http://ex/b> <http://ex/p> <http://ex/a> <http://ex/s1> .")
	article := statsQuads(t)
	if n := statsQuads(t, "--load", file); n != article+2 {
		t.Errorf("expected %d quads with --load, found %d", article+2, n)
	}
	if n := statsQuads(t, "--empty", "--load", file); n != 2 {
		t.Errorf("expected 2 quads with --empty --load, found %d", n)
	}
	o := run(t, "", "stats", "--load", writeFile(t, dir, "bad.nq", "<a> <b> <c> .", "<a> <b>"))
	if want := "bad.nq:2:8:"; o.code != 1 || !strings.Contains(o.stderr, want) {
		t.Errorf("expected exit 1 and %q on stderr, found %d and %q", want, o.code, o.stderr)
	}
}

// TestLoadReportsEveryMalformedLine checks that each malformed line, up to
// --max-errors, is printed with its position, one a line, and the first
// with the line itself and a caret under the column.
func TestLoadReportsEveryMalformedLine(t *testing.T) {
	bad := writeFile(t, t.TempDir(), "bad.nq", "<a> <b> .", "<a> <b> <c> .", "<a> <b>", "<a>", "<a> <b> <c> .")
	o := run(t, "", "load", bad)
	for _, want := range []string{bad + ":1:", bad + ":3:", bad + ":4:"} {
		if o.code != 1 || strings.Count(o.stderr, want) != 1 {
			t.Errorf("exit %d; expected %q once on stderr:\n%s", o.code, want, o.stderr)
		}
	}
	if lines := strings.Count(strings.TrimSpace(o.stderr), "\n") + 1; lines != 5 {
		t.Errorf("expected 5 lines on stderr, found %d:\n%s", lines, o.stderr)
	}
	if want := "\n    <a> <b> .\n            ^\n"; !strings.Contains(o.stderr, want) {
		t.Errorf("expected the first bad line with a caret under column 9:\n%s", o.stderr)
	}
	o = run(t, "", "load", "--max-errors", "2", bad)
	if strings.Contains(o.stderr, bad+":4:") || !strings.Contains(o.stderr, bad+":3:") {
		t.Errorf("--max-errors 2: expected lines 1 and 3 only:\n%s", o.stderr)
	}
}

// TestLoadShowsTheLineOfAGzipFile: the snippet of an error in a gzip file
// is its line of the decompressed text.
func TestLoadShowsTheLineOfAGzipFile(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> bad .\n"))
	zw.Close()
	path := filepath.Join(t.TempDir(), "bad.nq.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	o := run(t, "", "load", path)
	if want := path + ":2:17: expected object"; o.code != 1 || !strings.Contains(o.stderr, want) {
		t.Errorf("exit %d, stderr %q; want %q", o.code, o.stderr, want)
	}
	if want := "\n    <urn:a> <urn:b> bad .\n                    ^"; !strings.Contains(o.stderr, want) {
		t.Errorf("no decompressed line with its caret:\n%s", o.stderr)
	}
}

// TestLoadSummary checks the summary of a load: a directory counts as the
// files it holds, and a load into the memory store says that it does not last.
func TestLoadSummary(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.nq", "<http://ex/a> <http://ex/p> <http://ex/b> .")
	writeFile(t, dir, "b.nq", "<http://ex/b> <http://ex/p> <http://ex/c> .")
	o := mustRun(t, "load", "--empty", dir)
	if want := "loaded 2 quads from 2 files: 2 added"; !strings.Contains(o.stdout, want) {
		t.Errorf("expected %q, found %q", want, o.stdout)
	}
	if want := "the memory store ends with this command"; !strings.Contains(o.stderr, want) {
		t.Errorf("expected the note %q on stderr, found %q", want, o.stderr)
	}
	o = mustRun(t, "load", "--db", "bolt://"+filepath.Join(dir, "kg.db"), filepath.Join(dir, "a.nq"))
	if want := "from 1 file: 1 added"; !strings.Contains(o.stdout, want) || o.stderr != "" {
		t.Errorf("expected %q and nothing on stderr, found %q and %q", want, o.stdout, o.stderr)
	}
}
