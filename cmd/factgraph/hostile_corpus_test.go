package main

// The hostile corpus: malformed and hostile input files (testdata/hostile,
// with their expected outcomes in its MANIFEST), each loaded through the CLI
// into a bolt store and through POST /api/v1/load into a server: each ends in
// its positioned error or its documented acceptance, a refused load leaves the
// store exactly as it was, and the memory of every load stays bounded.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/cmd/factgraph/cli"
	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/server"
)

const corpusDir = "testdata/hostile"

// corpusEntry is one line of the MANIFEST.
type corpusEntry struct {
	file      string
	accept    bool
	added     int // accept: quads added to a fresh store
	line, col int // error: 0 where the input has no lines
	code      string
	message   string
}

func readManifest(t *testing.T) []corpusEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "MANIFEST"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusEntry
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 6 {
			t.Fatalf("MANIFEST:%d: %d columns, want 6", n, len(col))
		}
		e := corpusEntry{file: col[0]}
		switch col[1] {
		case "accept":
			e.accept = true
			e.added, err = strconv.Atoi(col[2])
		case "error":
			e.code, e.message = col[3], col[4]
			if col[2] != "-" {
				_, err = fmt.Sscanf(col[2], "%d:%d", &e.line, &e.col)
			}
		default:
			err = fmt.Errorf("outcome %q", col[1])
		}
		if err != nil || col[5] == "" && (e.accept || e.line == 0) {
			t.Fatalf("MANIFEST:%d: %v (an acceptance, or an error without a position, needs a note)", n, err)
		}
		out = append(out, e)
	}
	return out
}

// generated are the corpus files made at run time, by name.
var generated = map[string]func(t *testing.T) []byte{
	"gen:nul-1GiB.csv.gz":    func(t *testing.T) []byte { return testkit.GzipBomb(t, 1<<30, "\x00") },
	"gen:nul-1GiB.nq.gz":     func(t *testing.T) []byte { return testkit.GzipBomb(t, 1<<30, "\x00") },
	"gen:nul-1GiB.jsonld.gz": func(t *testing.T) []byte { return testkit.GzipBomb(t, 1<<30, "\x00") },
	"gen:lines-1GiB.nq.gz":   func(t *testing.T) []byte { return testkit.GzipBomb(t, 1<<30, "<urn:a> <urn:p> <urn:o> .\n") },
	"gen:line-2MiB.nq":       func(*testing.T) []byte { return []byte("<urn:" + strings.Repeat("x", 2<<20) + "> <urn:p> <urn:o> .\n") },
	"gen:long-header.csv":    func(*testing.T) []byte { return []byte(strings.Repeat("column,", 64<<10/7) + "\n") },
	"gen:long-literal.nq": func(*testing.T) []byte {
		return []byte(`<urn:a> <urn:p> "` + strings.Repeat("long ", 40000) + "\" .\n")
	},
	"gen:bad-lines-1000.nq": func(*testing.T) []byte {
		return []byte(strings.Repeat("<urn:a> <urn:p> bad .\n", 1000))
	},
	"gen:pquads-bad-bnode.pq": func(t *testing.T) []byte {
		return pquads(t, quad.Quad{Subject: quad.BNode("a{b}"), Predicate: quad.IRI("urn:p"), Object: quad.String("x")})
	},
	"gen:pquads-truncated.pq": func(t *testing.T) []byte {
		b := pquads(t, quad.Quad{Subject: quad.IRI("urn:a"), Predicate: quad.IRI("urn:p"), Object: quad.String("a longer string value")})
		return b[:len(b)-8]
	},
	"gen:pquads-valid.pq": func(t *testing.T) []byte {
		return pquads(t, quad.Quad{Subject: quad.BNode("b0"), Predicate: quad.IRI("urn:p"), Object: quad.Int(5)},
			quad.Quad{Subject: quad.IRI("urn:a"), Predicate: quad.IRI("urn:p"), Object: quad.BNode("b0"), Label: quad.IRI("urn:g")})
	},
	"gen:deep-arrays.jsonld": func(*testing.T) []byte {
		return []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000))
	},
}

func pquads(t *testing.T, qs ...quad.Quad) []byte {
	var buf bytes.Buffer
	w := quad.FormatByName("pquads").Writer(&buf)
	if _, err := w.WriteQuads(qs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mediaTypes are the Content-Types a corpus file is posted with, by extension.
var mediaTypes = map[string]string{
	".nq": "application/n-quads", ".nt": "application/n-triples", ".csv": "text/csv",
	".tsv": "text/tab-separated-values", ".jsonld": "application/ld+json", ".pq": "application/x-protobuf",
}

// corpusMemory bounds the heap of one load: a refused load holds at most the
// 16 MiB of text --max-input allows and the quads read from it.
const corpusMemory = 384 << 20

func TestHostileCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gigabyte bombs")
	}
	entries := readManifest(t)
	listed := map[string]bool{}
	for _, e := range entries {
		listed[e.file] = true
		if _, ok := generated[e.file]; strings.HasPrefix(e.file, "gen:") && !ok {
			t.Errorf("MANIFEST names %s, which no generator makes", e.file)
		}
	}
	files, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name() != "MANIFEST" && !listed[f.Name()] {
			t.Errorf("%s is in the corpus but not in its MANIFEST", f.Name())
		}
	}
	if len(entries) < 100 {
		t.Errorf("the corpus has %d inputs, want at least 100", len(entries))
	}
	seed := seedStore(t)
	var maxPeak uint64
	for _, e := range entries {
		t.Run(e.file, func(t *testing.T) {
			path := filepath.Join(corpusDir, e.file)
			if gen, ok := generated[e.file]; ok {
				path = filepath.Join(t.TempDir(), strings.TrimPrefix(e.file, "gen:"))
				if err := os.WriteFile(path, gen(t), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			peak, _ := testkit.PeakHeap(t, func() { loadWithCLI(t, e, path, seed) })
			maxPeak = max(maxPeak, peak)
			if peak > corpusMemory {
				t.Errorf("CLI: peak heap %d MiB, over %d MiB", peak>>20, corpusMemory>>20)
			}
			peak, _ = testkit.PeakHeap(t, func() { loadOverHTTP(t, e, path) })
			maxPeak = max(maxPeak, peak)
			if peak > corpusMemory {
				t.Errorf("HTTP: peak heap %d MiB, over %d MiB", peak>>20, corpusMemory>>20)
			}
		})
	}
	t.Logf("%d inputs; the largest peak heap of a load was %.1f MiB", len(entries), float64(maxPeak)/(1<<20))
}

// seedStore makes a bolt store holding the article, whose file each CLI load
// starts from.
func seedStore(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "seed")
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"load", "-q", "--db", "bolt://" + dir, "../../data/kyodo-2024-05-02-japan-france-raa.nq"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("seed: %s", errOut.String())
	}
	return dir
}

func boltQuads(t *testing.T, dir string) int64 {
	t.Helper()
	st, err := graph.Open(context.Background(), "bolt://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := graph.QuadCount(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var (
	cliError = regexp.MustCompile(`^factgraph: (.+?)(?::(\d+):(\d+))?: (.*)$`)
	cliAdded = regexp.MustCompile(`^loaded \d+ quads? from 1 file: (\d+) added`)
)

func loadWithCLI(t *testing.T, e corpusEntry, path, seed string) {
	dir := filepath.Join(t.TempDir(), "db")
	if err := os.CopyFS(dir, os.DirFS(seed)); err != nil {
		t.Fatal(err)
	}
	before := boltQuads(t, dir)
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), []string{"load", "--db", "bolt://" + dir, "--max-input", "16MiB", path}, nil, &out, &errOut)
	after := boltQuads(t, dir)
	first, _, _ := strings.Cut(errOut.String(), "\n")
	if len(errOut.String()) > 8<<10 {
		t.Errorf("CLI: %d bytes of messages, want a few lines", errOut.Len())
	}
	if e.accept {
		m := cliAdded.FindStringSubmatch(out.String())
		if code != 0 || m == nil || m[1] != strconv.Itoa(e.added) || after != before+int64(e.added) {
			t.Errorf("CLI: exit %d, %q %s; want %d quads added (store %d -> %d)", code, out.String(), first, e.added, before, after)
		}
		return
	}
	if after != before {
		t.Errorf("CLI: the refused load changed the store: %d quads, was %d", after, before)
	}
	m := cliError.FindStringSubmatch(first)
	if code == 0 || m == nil || m[1] != path {
		t.Fatalf("CLI: exit %d, stderr %q; want an error of %s", code, first, path)
	}
	if where := m[2] + ":" + m[3]; e.line > 0 && where != fmt.Sprintf("%d:%d", e.line, e.col) || e.line == 0 && m[2] != "" {
		t.Errorf("CLI: error at %s, want %d:%d: %s", where, e.line, e.col, first)
	}
	if !strings.Contains(m[4], e.message) {
		t.Errorf("CLI: message %q, want it to hold %q", m[4], e.message)
	}
}

const corpusToken = "corpus-token"

func loadOverHTTP(t *testing.T, e corpusEntry, path string) {
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st := testkit.ArticleStore(t)
	srv := server.New(st, server.Config{WriteToken: corpusToken, MaxInput: 16 << 20,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	before, _ := graph.QuadCount(context.Background(), st)
	ext := filepath.Ext(strings.TrimSuffix(path, ".gz"))
	req := httptest.NewRequest(http.MethodPost, "/api/v1/load", bytes.NewReader(body))
	req.Header.Set("Content-Type", mediaTypes[ext])
	req.Header.Set("Authorization", "Bearer "+corpusToken)
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	after, _ := graph.QuadCount(context.Background(), st)
	if rec.Body.Len() > 8<<10 {
		t.Errorf("HTTP: a %d-byte answer, want a short one", rec.Body.Len())
	}
	if e.accept {
		var res struct{ Added int }
		json.Unmarshal(rec.Body.Bytes(), &res)
		if rec.Code != http.StatusOK || res.Added != e.added || after != before+int64(e.added) {
			t.Errorf("HTTP: status %d, %.300s; want %d quads added (store %d -> %d)", rec.Code, rec.Body, e.added, before, after)
		}
		return
	}
	if after != before {
		t.Errorf("HTTP: the refused load changed the store: %d quads, was %d", after, before)
	}
	var res struct {
		Error struct {
			Code         string
			Message      string
			Line, Column int
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code/100 != 4 {
		t.Fatalf("HTTP: status %d, %.300s; want a 4xx error", rec.Code, rec.Body)
	}
	got := res.Error
	if got.Code != e.code || got.Line != e.line || got.Column != e.col || !strings.Contains(got.Message, e.message) {
		t.Errorf("HTTP: %s at %d:%d %q; want %s at %d:%d holding %q", got.Code, got.Line, got.Column, got.Message, e.code, e.line, e.col, e.message)
	}
}
