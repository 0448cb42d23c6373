package server

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/disk"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

const (
	token = "s3cret-token"
	// franceRAA is a fact the article does not state (yet).
	franceRAA = "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/France> <https://example.org/later-news> .\n"
	// australiaRAA is a fact the article states.
	australiaRAA = "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/hasRAAWith> <https://w3id.org/factgraph/Australia> <https://w3id.org/factgraph/news/kyodo-2024-05-02-japan-france-raa#s2> .\n"
)

var bearer = []string{"Authorization", "Bearer " + token}

// quadCount returns the number of quads in the server's store.
func quadCount(t *testing.T, s *Server) int64 {
	t.Helper()
	st, err := s.store.Stats(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	return st.Quads.Value
}

// raaPartners returns the ids of Japan's RAA partners, as the CSV query gives them.
func raaPartners(t *testing.T, s *Server) string {
	t.Helper()
	rec := get(s, queryURL(japanRAA, "format", "csv"))
	wantStatus(t, rec, http.StatusOK)
	return rec.Body.String()
}

func TestWritesNeedToken(t *testing.T) {
	readOnly := newServer(t, Config{})
	writable := newServer(t, Config{WriteToken: token})
	for _, route := range []string{"/api/v1/load", "/api/v1/delete", "/api/v2/write", "/api/v2/delete"} {
		for _, tc := range []struct {
			name    string
			s       *Server
			header  []string
			message string
		}{
			{"read-only server", readOnly, bearer, "read-only"},
			{"no header", writable, nil, "Authorization: Bearer TOKEN"},
			{"wrong scheme", writable, []string{"Authorization", "Basic " + token}, "Authorization: Bearer TOKEN"},
			{"wrong token", writable, []string{"Authorization", "Bearer s3cret-tokeN"}, "wrong"},
			{"token prefix", writable, []string{"Authorization", "Bearer s3cret"}, "wrong"},
		} {
			t.Run(route+"/"+tc.name, func(t *testing.T) {
				before := quadCount(t, tc.s)
				rec := do(tc.s, http.MethodPost, route, franceRAA, append([]string{"Content-Type", "application/n-quads"}, tc.header...)...)
				wantStatus(t, rec, http.StatusUnauthorized)
				if got := rec.Header().Get("WWW-Authenticate"); route[5:7] == "v1" && !strings.HasPrefix(got, "Bearer") {
					t.Errorf("WWW-Authenticate %q, want Bearer", got)
				}
				var msg string
				if strings.HasPrefix(route, "/api/v2/") {
					var e struct{ Error string }
					decode(t, rec.Body.Bytes(), &e)
					msg = e.Error
				} else {
					e := apiError(t, rec.Body.Bytes())
					if e.Code != errs.Unauthorized {
						t.Errorf("code %s, want unauthorized", e.Code)
					}
					msg = e.Message
				}
				if !strings.Contains(msg, tc.message) {
					t.Errorf("message %q, want it to mention %q", msg, tc.message)
				}
				if after := quadCount(t, tc.s); after != before {
					t.Errorf("refused write changed the store: %d quads, was %d", after, before)
				}
			})
		}
	}
}

func TestLoad(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	body := franceRAA + australiaRAA + franceRAA
	rec := do(s, http.MethodPost, "/api/v1/load", body, append([]string{"Content-Type", "application/n-quads"}, bearer...)...)
	wantStatus(t, rec, http.StatusOK)
	var st map[string]int
	decode(t, rec.Body.Bytes(), &st)
	if want := map[string]int{"read": 3, "added": 1, "duplicates": 2}; !maps.Equal(st, want) {
		t.Errorf("stats %v, want %v", st, want)
	}
	if got := quadCount(t, s); got != before+1 {
		t.Errorf("%d quads, want %d", got, before+1)
	}
	if got := raaPartners(t, s); !strings.Contains(got, "fg:France") {
		t.Errorf("the loaded fact is not queryable:\n%s", got)
	}
}

func TestLoadJSONLD(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	doc := `[{"@id": "https://w3id.org/factgraph/Japan",
	          "https://w3id.org/factgraph/hasRAAWith": [{"@id": "https://w3id.org/factgraph/France"}]}]`
	rec := do(s, http.MethodPost, "/api/v1/load", doc, append([]string{"Content-Type", "application/ld+json"}, bearer...)...)
	wantStatus(t, rec, http.StatusOK)
	var st map[string]int
	decode(t, rec.Body.Bytes(), &st)
	if st["added"] != 1 {
		t.Errorf("stats %v, want 1 added", st)
	}
	if got := raaPartners(t, s); !strings.Contains(got, "fg:France") {
		t.Errorf("the loaded fact is not queryable:\n%s", got)
	}
}

// TestLoadIsAtomic checks that one bad line anywhere adds nothing, and that the
// error points at it.
func TestLoadIsAtomic(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	body := franceRAA + "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/met> .\n"
	rec := do(s, http.MethodPost, "/api/v1/load", body, bearer...)
	wantStatus(t, rec, http.StatusBadRequest)
	e := apiError(t, rec.Body.Bytes())
	if e.Code != errs.Invalid || e.Line != 2 || e.Column != 69 || !strings.HasPrefix(e.Message, "expected object") || !strings.Contains(e.Snippet, "\n                                                                    ^") {
		t.Errorf("error %+v, want invalid at 2:69", e)
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("a failed load changed the store: %d quads, was %d", got, before)
	}
	if len(e.Errors) != 0 {
		t.Errorf("one malformed line, but errors lists %+v", e.Errors)
	}
}

// TestLoadListsEveryMalformedLine checks that a body with several malformed
// lines gets all of them in "errors", each with its position.
func TestLoadListsEveryMalformedLine(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	body := "<urn:a> <urn:p> .\n" + franceRAA + "<urn:a> <urn:p>\n<urn:a>\n"
	rec := do(s, http.MethodPost, "/api/v1/load", body, bearer...)
	wantStatus(t, rec, http.StatusBadRequest)
	e := apiError(t, rec.Body.Bytes())
	var lines []int
	for _, le := range e.Errors {
		if le.Column == 0 || le.Message == "" || strings.Contains(le.Message, "request body") {
			t.Errorf("entry %+v: want a column and a message without the position", le)
		}
		lines = append(lines, le.Line)
	}
	if !slices.Equal(lines, []int{1, 3, 4}) || e.Line != 1 {
		t.Errorf("errors on lines %v (first %d), want 1, 3, 4:\n%s", lines, e.Line, rec.Body)
	}
}

func TestBodyTooLarge(t *testing.T) {
	s := newServer(t, Config{WriteToken: token, MaxBody: 100})
	before := quadCount(t, s)
	for _, route := range []string{"/api/v1/load", "/api/v2/write"} {
		rec := do(s, http.MethodPost, route, franceRAA+australiaRAA, bearer...)
		wantStatus(t, rec, http.StatusRequestEntityTooLarge)
		if !strings.Contains(rec.Body.String(), "over the limit of 100 bytes") {
			t.Errorf("%s: body %s", route, rec.Body)
		}
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("a refused load changed the store: %d quads, was %d", got, before)
	}
}

func TestDelete(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	rec := do(s, http.MethodPost, "/api/v1/delete", australiaRAA+franceRAA+australiaRAA, bearer...)
	wantStatus(t, rec, http.StatusOK)
	var st deleteStats
	decode(t, rec.Body.Bytes(), &st)
	if want := (deleteStats{Read: 3, Deleted: 1, Missing: 2}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if got := quadCount(t, s); got != before-1 {
		t.Errorf("%d quads, want %d", got, before-1)
	}
	// The query follows Japan's own quads, so Australia is gone from its answer.
	if got := raaPartners(t, s); strings.Contains(got, "fg:Australia") || !strings.Contains(got, "fg:UnitedKingdom") {
		t.Errorf("after the delete:\n%s", got)
	}
}

// TestConcurrentReadsAndWrites runs queries while loads and deletes change
// the store: the compact store, whose batches need no lock, and bolt, whose
// writes the server serialises to count them. With -race it checks both are
// safe, and that every write answers its own counts.
func TestConcurrentReadsAndWrites(t *testing.T) {
	bolt, err := graph.Open(context.Background(), "bolt://"+t.TempDir()+"/kg.db")
	if err != nil {
		t.Fatal(err)
	}
	defer bolt.Close()
	if _, err := loaders.Apply(context.Background(), bolt, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		store      *graph.Store
		concurrent bool
	}{
		{"compact", testkit.ArticleStore(t), true},
		{"bolt", bolt, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(tc.store, Config{WriteToken: token, Logger: newLogger(t.Output())})
			if s.concurrent != tc.concurrent {
				t.Fatalf("concurrent writes %v, want %v", s.concurrent, tc.concurrent)
			}
			done := make(chan struct{})
			errs := make(chan string, 64)
			for range 4 {
				go func() {
					defer func() { done <- struct{}{} }()
					for range 10 {
						if rec := get(s, queryURL(japanRAA)); rec.Code != http.StatusOK {
							errs <- rec.Body.String()
						}
						if rec := get(s, "/api/v1/quads?subject=fg:Japan"); rec.Code != http.StatusOK {
							errs <- rec.Body.String()
						}
					}
				}()
			}
			// Each writer loads and deletes a quad of its own, so its counts
			// are known whatever the others do. (Its quad is one the readers
			// do not read: on bolt, a read beside a delete can meet a quad
			// whose value the delete just removed.)
			for w := range 2 {
				go func() {
					defer func() { done <- struct{}{} }()
					q := fmt.Sprintf("<%sWriter%d> <%shasRAAWith> <%sJapan> .\n", fg, w, fg, fg)
					for range 10 {
						for _, tc := range []struct{ route, count string }{{"/api/v1/load", `"added": 1`}, {"/api/v1/delete", `"deleted": 1`}} {
							rec := do(s, http.MethodPost, tc.route, q, append([]string{"Content-Type", "application/n-quads"}, bearer...)...)
							if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), tc.count) {
								errs <- fmt.Sprintf("%s: %d, want %s: %s", tc.route, rec.Code, tc.count, rec.Body)
							}
						}
					}
				}()
			}
			for range 6 {
				<-done
			}
			close(errs)
			for e := range errs {
				t.Error(e)
			}
		})
	}
}

// TestReadOnlyDiskStore serves a disk store that another opener holds for
// writing: reads work, and a write is refused with 403 and the read_only
// code, saying where writes should go.
func TestReadOnlyDiskStore(t *testing.T) {
	dir := t.TempDir()
	writer, err := disk.Open(dir, disk.DefaultCheckpointBytes)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if _, err := loaders.Apply(context.Background(), writer, testkit.ArticleQuads(t)); err != nil {
		t.Fatal(err)
	}
	st, err := graph.Open(context.Background(), "disk://"+dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := New(st, Config{WriteToken: token, Logger: newLogger(t.Output())})
	if got := raaPartners(t, s); !strings.Contains(got, "fg:Australia") {
		t.Fatalf("the read-only store does not answer:\n%s", got)
	}
	for _, route := range []string{"/api/v1/load", "/api/v1/delete"} {
		rec := do(s, http.MethodPost, route, franceRAA, append([]string{"Content-Type", "application/n-quads"}, bearer...)...)
		wantStatus(t, rec, http.StatusForbidden)
		e := apiError(t, rec.Body.Bytes())
		if e.Code != errs.ReadOnly || !strings.Contains(e.Message, "open for writing in another process") {
			t.Errorf("%s: %s %q, want read_only and why", route, e.Code, e.Message)
		}
	}
	rec := do(s, http.MethodPost, "/api/v2/write", franceRAA, append([]string{"Content-Type", "application/n-quads"}, bearer...)...)
	wantStatus(t, rec, http.StatusForbidden)
}

// TestLoadAndDeleteByNames: a CSV body of facts by plain names is loaded and
// deleted by the nodes the names mean; a name that means nothing is an
// invalid error at its cell, with the line and a caret.
func TestLoadAndDeleteByNames(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	csv := append([]string{"Content-Type", "text/csv"}, bearer...)
	rec := do(s, http.MethodPost, "/api/v1/load", "subject,predicate,object\nJapan,hasRAAWith,France\n", csv...)
	wantStatus(t, rec, http.StatusOK)
	if got := raaPartners(t, s); !strings.Contains(got, "fg:France") {
		t.Errorf("the loaded fact is not queryable:\n%s", got)
	}
	rec = do(s, http.MethodPost, "/api/v1/delete", "subject,predicate,object\nJapan,hasRAAWith,France\n", csv...)
	wantStatus(t, rec, http.StatusOK)
	if got := raaPartners(t, s); strings.Contains(got, "fg:France") {
		t.Errorf("the deleted fact is still there:\n%s", got)
	}
	rec = do(s, http.MethodPost, "/api/v1/load", "subject,predicate,object\nJapan,hasRAAWith,Frnace\n", csv...)
	wantStatus(t, rec, http.StatusBadRequest)
	for _, want := range []string{`"message": "object: no node is named \"Frnace\"; did you mean \"France\"?`, `"line": 2,`, `"column": 18,`, `"snippet": "Japan,hasRAAWith,Frnace\n`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("answer lacks %q:\n%s", want, rec.Body)
		}
	}
}
