package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/loaders"
)

// The article's sheet and the example sheets that move its stories on.
var (
	kyodoSheet  = filepath.Join("..", "..", "..", "data", "kyodo-2024-05-02-japan-france-raa.yaml")
	signedSheet = filepath.Join("..", "..", "..", "examples", "sheets", "example-2024-07-08-japan-philippines-raa-signed.yaml")
	inForceFile = filepath.Join("..", "..", "..", "examples", "sheets", "example-2025-09-11-japan-philippines-raa-in-force.json")
)

// TestIngestStores ingests the article and the examples into a disk and a
// bolt store, twice, and a bad sheet, which leaves the store as it was.
func TestIngestStores(t *testing.T) {
	if testing.Short() {
		t.Skip("writes stores")
	}
	for _, scheme := range []string{"disk", "bolt"} {
		t.Run(scheme, func(t *testing.T) {
			dir := t.TempDir()
			ingestInto(t, dir, scheme+"://"+filepath.Join(dir, "kg"))
		})
	}
}

func ingestInto(t *testing.T, dir, db string) {
	o := mustRun(t, "ingest", "--db", db, kyodoSheet, signedSheet, inForceFile)
	if want := "ingested 3 sheets (3 documents, "; !strings.HasPrefix(o.stdout, want) || !strings.Contains(o.stdout, " 0 duplicates skipped") {
		t.Errorf("first ingest: expected %q and no duplicates, found %q", want, o.stdout)
	}
	n := statsQuads(t, "--db", db)
	o = mustRun(t, "ingest", "--db", db, kyodoSheet, signedSheet, inForceFile)
	if want := ": 0 added, "; !strings.Contains(o.stdout, want) {
		t.Errorf("second ingest: expected %q, found %q", want, o.stdout)
	}
	if m := statsQuads(t, "--db", db); m != n {
		t.Errorf("the second ingest changed the quad count from %d to %d", n, m)
	}

	text, err := os.ReadFile(signedSheet)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(text), "quote: Japanese Foreign Minister Yoko Kamikawa", "quote: Japanese Foreign Minister Yoko Kawakami", 1)
	bad = strings.Replace(bad, "id: example-2024-07-08-japan-philippines-raa-signed", "id: example-2024-07-08-bad", 1)
	badFile := writeFile(t, dir, "bad.yaml", bad)
	o = run(t, "", "ingest", "--db", db, badFile)
	if o.code != 1 {
		t.Errorf("bad sheet: expected exit 1, found %d", o.code)
	}
	line := strings.Count(bad[:strings.Index(bad, "Yoko Kawakami")], "\n") + 1
	want := badFile + ":" + strconv.Itoa(line) + ":12: quote not found in the text; closest sentence 2: \"Japanese Foreign Minister Yoko Kamikawa"
	if !strings.HasPrefix(o.stderr, "factgraph: "+want) {
		t.Errorf("bad sheet: expected %q on stderr, found %q", want, o.stderr)
	}
	if caret := "\n        quote: Japanese Foreign Minister Yoko Kawakami\n    " + strings.Repeat(" ", 11) + "^"; !strings.Contains(o.stderr, caret) {
		t.Errorf("bad sheet: expected the line with a caret under the quote:\n%s", o.stderr)
	}
	if m := statsQuads(t, "--db", db); m != n {
		t.Errorf("the bad sheet changed the quad count from %d to %d", n, m)
	}
}

// TestIngestDryRun prints the quads of a sheet and adds none.
func TestIngestDryRun(t *testing.T) {
	o := mustRun(t, "ingest", "--dry-run", signedSheet)
	quads, err := loaders.Read("stdout", strings.NewReader(o.stdout), loaders.ReadOptions{})
	if err != nil {
		t.Fatalf("the dry run's output does not read back: %v", err)
	}
	if len(quads) == 0 || !strings.Contains(o.stdout, `<https://w3id.org/factgraph/RAA-Japan-Philippines> <https://w3id.org/factgraph/status> "signed"`) {
		t.Errorf("dry run: %d quads, without the signed status:\n%s", len(quads), o.stdout)
	}
	// The memory store starts with the article, whose sheet then adds nothing new.
	o = mustRun(t, "ingest", kyodoSheet)
	if !strings.Contains(o.stdout, ": 0 added, 232 duplicates skipped") {
		t.Errorf("the article's sheet over the embedded article: %q", o.stdout)
	}
}

// TestIngestFromStdin reads a JSON sheet from standard input.
func TestIngestFromStdin(t *testing.T) {
	text, err := os.ReadFile(inForceFile)
	if err != nil {
		t.Fatal(err)
	}
	o := run(t, string(text), "ingest", "--format", "json", "-")
	if o.code != 0 || !strings.HasPrefix(o.stdout, "ingested 1 sheet (1 document, 2 sentences, 3 facts)") {
		t.Errorf("exit %d, stdout %q, stderr %q", o.code, o.stdout, o.stderr)
	}
	if o := run(t, string(text), "ingest", "-q", "--format", "json", "-"); o.code != 0 || o.stdout != "" || o.stderr != "" {
		t.Errorf("-q: exit %d, stdout %q, stderr %q; want nothing", o.code, o.stdout, o.stderr)
	}
	o = run(t, "", "ingest", "--format", "xml", "-")
	if o.code != 1 || !strings.Contains(o.stderr, `unknown fact sheet format "xml"`) {
		t.Errorf("exit %d, stderr %q", o.code, o.stderr)
	}
}
