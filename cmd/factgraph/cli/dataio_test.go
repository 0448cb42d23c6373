package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// run runs the CLI in-process and returns stdout, stderr and the exit code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestInitCommand(t *testing.T) {
	db := "bolt://" + filepath.Join(t.TempDir(), "kg.db")
	if out, errOut, code := runCLI(t, "", "init", "--db", db); code != 0 || !strings.Contains(out, "created a store") {
		t.Fatalf("first init: %d %q %q", code, out, errOut)
	}
	if out, _, code := runCLI(t, "", "init", "--db", db); code != 0 || !strings.Contains(out, "already holds") {
		t.Errorf("second init: %d %q", code, out)
	}
	if _, errOut, code := runCLI(t, "", "init"); code == 0 || !strings.Contains(errOut, "needs no init") {
		t.Errorf("init of memory: %d %q", code, errOut)
	}
}

func TestLoadFormatsAndDumpFilters(t *testing.T) {
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "facts.csv")
	os.WriteFile(csvFile, []byte("Entity,Relation,Value\nfg:Japan,fg:hasRAAWith,fg:Canada\nfg:Canada,schema:name,Canada\n"), 0o644)
	db := "bolt://" + filepath.Join(dir, "kg.db")
	out, errOut, code := runCLI(t, "", "load", "--db", db, "--columns", "subject=Entity,predicate=Relation,object=Value", csvFile)
	if code != 0 || !strings.Contains(out, "2 added") {
		t.Fatalf("csv load: %d %q %q", code, out, errOut)
	}
	// Stdin, N-Quads.
	out, _, code = runCLI(t, "<https://w3id.org/factgraph/Canada> <https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/Japan> .\n", "load", "--db", db, "-")
	if code != 0 || !strings.Contains(out, "1 added") {
		t.Fatalf("stdin load: %d %q", code, out)
	}
	out, _, _ = runCLI(t, "", "query", "--db", db, "Canada <- hasRAAWith")
	if !strings.Contains(out, "fg:Japan") {
		t.Errorf("query after loads:\n%s", out)
	}
	out, _, code = runCLI(t, "", "dump", "--db", db, "--subject", "Japan", "--predicate", "hasRAAWith")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "<https://w3id.org/factgraph/Canada>") {
		t.Errorf("filtered dump:\n%s", out)
	}
	for format, marker := range map[string]string{"jsonld": `"@id"`, "dot": "digraph", "graphml": "<graphml"} {
		out, errOut, code := runCLI(t, "", "dump", "--db", db, "--format", format)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("dump --format %s: %d %q\n%s", format, code, errOut, out)
		}
	}
	if _, errOut, code := runCLI(t, "", "dump", "--format", "xml"); code == 0 || !strings.Contains(errOut, "unknown export format") {
		t.Errorf("dump --format xml: %d %q", code, errOut)
	}
}

// TestDumpRoundTripsBlankNodes: what `factgraph dump` writes of blank nodes
// loads back as the same graph, in every format that loads.
func TestDumpRoundTripsBlankNodes(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "blank.nq")
	os.WriteFile(src, []byte(testkit.BlankGraph), 0o644)
	want := testkit.Canonical(t, mustRead(t, src, ""))
	for format, ext := range map[string]string{"nquads": ".nq", "jsonld": ".jsonld", "pquads": ".pq"} {
		out, errOut, code := runCLI(t, "", "--empty", "--load", src, "-q", "dump", "--format", format)
		if code != 0 {
			t.Fatalf("dump --format %s: %s", format, errOut)
		}
		dump := filepath.Join(dir, "dump"+ext)
		os.WriteFile(dump, []byte(out), 0o644)
		// Through the CLI again: load the dump, dump it as N-Quads.
		again, errOut, code := runCLI(t, "", "--empty", "--load", dump, "-q", "dump")
		if code != 0 {
			t.Fatalf("%s dump does not load back: %s\n%s", format, errOut, out)
		}
		back := filepath.Join(dir, "back-"+format+".nq")
		os.WriteFile(back, []byte(again), 0o644)
		if got := testkit.Canonical(t, mustRead(t, back, "")); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s round trip:\n%s\nwant:\n%s", format, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

func mustRead(t *testing.T, path, format string) []quad.Quad {
	t.Helper()
	qs, err := loaders.ReadFile(path, loaders.ReadOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}
