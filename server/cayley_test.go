package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/cayleygraph/cayley/client"
	"github.com/cayleygraph/quad"
)

// cayleyResult is the body of Cayley's /api/v2/query.
type cayleyResult struct {
	Result []map[string]any `json:"result"`
	Error  string           `json:"error"`
}

func TestCayleyQuery(t *testing.T) {
	s := newServer(t, Config{})
	for _, tc := range []struct {
		name, method, target, body string
		want                       int
	}{
		{"post gizmo", "POST", "/api/v2/query?lang=gizmo", `g.V().Limit(3).All()`, 3},
		{"get gizmo", "GET", "/api/v2/query?lang=gizmo&qu=" + url.QueryEscape(`g.V().Limit(3).All()`), "", 3},
		{"japan raa", "POST", "/api/v2/query?lang=gizmo", japanRAA, 2},
		{"mql", "POST", "/api/v2/query?lang=mql", `[{"id": "<https://w3id.org/factgraph/Japan>", "<https://w3id.org/factgraph/hasRAAWith>": []}]`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, tc.method, tc.target, tc.body)
			wantStatus(t, rec, http.StatusOK)
			var res cayleyResult
			decode(t, rec.Body.Bytes(), &res)
			if len(res.Result) != tc.want {
				t.Errorf("%d results, want %d:\n%s", len(res.Result), tc.want, rec.Body)
			}
		})
	}

	rec := do(s, "POST", "/api/v2/query?lang=gizmo", japanRAA)
	var res cayleyResult
	decode(t, rec.Body.Bytes(), &res)
	ids := []any{res.Result[0]["id"], res.Result[1]["id"]}
	if ids[0] != "<"+fg+"Australia>" || ids[1] != "<"+fg+"UnitedKingdom>" {
		t.Errorf("ids %v, want IRIs as Cayley's JSON collation writes them", ids)
	}
}

func TestCayleyGraphQL(t *testing.T) {
	s := newServer(t, Config{})
	rec := do(s, "POST", "/api/v2/query?lang=graphql",
		`{ country(id: <https://w3id.org/factgraph/Japan>) { id partner: <https://w3id.org/factgraph/hasRAAWith> { id } } }`)
	wantStatus(t, rec, http.StatusOK)
	if body := rec.Body.String(); !strings.Contains(body, `"data"`) || !strings.Contains(body, "UnitedKingdom") {
		t.Errorf("GraphQL answer:\n%s", body)
	}
}

func TestCayleyQueryTruncated(t *testing.T) {
	s := newServer(t, Config{MaxRows: 2})
	rec := do(s, "POST", "/api/v2/query?lang=gizmo", `g.V().All()`)
	wantStatus(t, rec, http.StatusOK)
	var res cayleyResult
	decode(t, rec.Body.Bytes(), &res)
	if len(res.Result) != 2 || rec.Header().Get("X-Truncated") != "true" {
		t.Errorf("%d results, X-Truncated %q; want 2 and true", len(res.Result), rec.Header().Get("X-Truncated"))
	}
	rec = do(s, "POST", "/api/v2/query?lang=gizmo", japanRAA)
	if rec.Header().Get("X-Truncated") != "false" {
		t.Errorf("X-Truncated %q for 2 of 2 rows", rec.Header().Get("X-Truncated"))
	}
}

func TestCayleyErrors(t *testing.T) {
	s := newServer(t, Config{Timeout: 200e6})
	for _, tc := range []struct {
		name, target, body string
		status             int
		message            string
	}{
		{"no language", "/api/v2/query", "g.V().All()", 400, "query language not specified"},
		{"unknown language", "/api/v2/query?lang=cypher", "x", 400, "unknown query language"},
		{"empty query", "/api/v2/query?lang=gizmo", "", 400, "query is empty"},
		{"syntax error", "/api/v2/query?lang=gizmo", "g.V(", 400, "SyntaxError"},
		{"timeout", "/api/v2/query?lang=gizmo", forever, 504, "deadline"},
		{"read-only", "/api/v2/write", franceRAA, 401, "read-only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, "POST", tc.target, tc.body)
			wantStatus(t, rec, tc.status)
			var res cayleyResult
			decode(t, rec.Body.Bytes(), &res)
			if !strings.Contains(res.Error, tc.message) {
				t.Errorf("error %q, want %q", res.Error, tc.message)
			}
		})
	}
}

func TestCayleyReadAndFormats(t *testing.T) {
	s := newServer(t, Config{})
	rec := get(s, "/api/v2/read?sub=<"+url.QueryEscape(fg+"Japan")+">&pred=<"+url.QueryEscape(fg+"hasRAAWith")+">")
	wantStatus(t, rec, http.StatusOK)
	if n := strings.Count(rec.Body.String(), "\n"); n != 2 {
		t.Errorf("%d quads, want 2:\n%s", n, rec.Body)
	}
	rec = get(s, "/api/v2/read?format=nquads&iri=short&sub=<"+url.QueryEscape(fg+"Japan")+">&pred=<"+url.QueryEscape(fg+"hasRAAWith")+">")
	wantStatus(t, rec, http.StatusOK)

	rec = get(s, "/api/v2/formats")
	wantStatus(t, rec, http.StatusOK)
	var formats []struct {
		ID          string
		Read, Write bool
	}
	decode(t, rec.Body.Bytes(), &formats)
	found := map[string]bool{}
	for _, f := range formats {
		found[f.ID] = f.Read && f.Write
	}
	for _, id := range []string{"nquads", "jsonld", "pquads"} {
		if !found[id] {
			t.Errorf("formats lack readable and writable %s: %s", id, rec.Body)
		}
	}
}

// bearerTransport adds the write token to every request of Cayley's client.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// TestCayleyClient drives the server with Cayley's own Go client, which speaks
// protobuf quads over /api/v2/read and /api/v2/write.
func TestCayleyClient(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	c := client.New(ts.URL)
	c.SetHTTPClient(&http.Client{Transport: bearerTransport{token}})

	qr, err := c.QuadReader()
	if err != nil {
		t.Fatal(err)
	}
	all, err := quad.ReadAll(qr)
	qr.Close()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(all)) != quadCount(t, s) {
		t.Errorf("client read %d quads, the store has %d", len(all), quadCount(t, s))
	}

	qw, err := c.QuadWriter()
	if err != nil {
		t.Fatal(err)
	}
	q := quad.Make(quad.IRI(fg+"Japan"), quad.IRI(fg+"hasRAAWith"), quad.IRI(fg+"France"), nil)
	if _, err := qw.WriteQuads([]quad.Quad{q}); err != nil {
		t.Fatal(err)
	}
	if err := qw.Close(); err != nil {
		t.Fatalf("client write: %v", err)
	}
	if got := raaPartners(t, s); !strings.Contains(got, "fg:France") {
		t.Errorf("the client's quad is not queryable:\n%s", got)
	}

	// Without the token the write fails, and the client says so.
	c.SetHTTPClient(http.DefaultClient)
	qw, err = c.QuadWriter()
	if err != nil {
		t.Fatal(err)
	}
	qw.WriteQuads([]quad.Quad{quad.Make(quad.IRI(fg+"Japan"), quad.IRI(fg+"hasRAAWith"), quad.IRI(fg+"Atlantis"), nil)})
	if err := qw.Close(); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("write without token: %v, want a 401 failure", err)
	}
}

// TestCayleyWriteAndDelete checks that writes and deletes count the quads
// they added or deleted, not the quads they were sent: duplicates and quads the
// store does not hold are skipped and not counted.
func TestCayleyWriteAndDelete(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	answer := func(target, body string) string {
		t.Helper()
		rec := do(s, "POST", target, body, bearer...)
		wantStatus(t, rec, http.StatusOK)
		return strings.TrimSpace(rec.Body.String())
	}
	wrote := func(n int) string {
		return fmt.Sprintf("{\n  \"result\": \"Successfully wrote %d quads.\",\n  \"count\": %d\n}", n, n)
	}
	deleted := func(n int) string {
		return fmt.Sprintf("{\n  \"result\": \"Successfully deleted %d quads.\",\n  \"count\": %d\n}", n, n)
	}
	germanyRAA := strings.Replace(franceRAA, "France", "Germany", 1)
	for _, tc := range []struct {
		name, target, body, want string
		quads                    int64 // in the store after, less before
	}{
		{"write", "/api/v2/write", franceRAA, wrote(1), 1},
		{"write again", "/api/v2/write", franceRAA, wrote(0), 1},
		{"write stored and new", "/api/v2/write", australiaRAA + franceRAA + germanyRAA, wrote(1), 2},
		{"write repeated", "/api/v2/write", strings.Repeat(franceRAA, 15), wrote(0), 2},
		{"delete", "/api/v2/delete", franceRAA, deleted(1), 1},
		{"delete again", "/api/v2/delete", franceRAA, deleted(0), 1},
		{"delete missing", "/api/v2/delete", strings.Repeat(franceRAA, 15), deleted(0), 1},
		{"delete stored and missing", "/api/v2/delete", franceRAA + germanyRAA + germanyRAA, deleted(1), 0},
		{"write empty", "/api/v2/write", "", wrote(0), 0},
	} {
		if got := answer(tc.target, tc.body); got != tc.want {
			t.Errorf("%s: answer %s, want %s", tc.name, got, tc.want)
		}
		if got := quadCount(t, s) - before; got != tc.quads {
			t.Errorf("%s: %+d quads, want %+d", tc.name, got, tc.quads)
		}
	}
}

func TestCayleyNodeDelete(t *testing.T) {
	s := newServer(t, Config{WriteToken: token})
	before := quadCount(t, s)
	atlantis := "<" + fg + "Atlantis>"
	// Atlantis as subject, as object, and as object and label of one quad.
	body := atlantis + " <" + fg + "hasRAAWith> <" + fg + "Japan> .\n" +
		"<" + fg + "Japan> <" + fg + "hasRAAWith> " + atlantis + " " + atlantis + " .\n"
	wantStatus(t, do(s, "POST", "/api/v2/write", body, bearer...), http.StatusOK)
	if got := quadCount(t, s); got != before+2 {
		t.Fatalf("%d quads after the write, want %d", got, before+2)
	}

	rec := do(s, "POST", "/api/v2/node/delete", atlantis)
	wantStatus(t, rec, http.StatusUnauthorized)
	if got := quadCount(t, s); got != before+2 {
		t.Errorf("a refused node delete changed the store: %d quads", got)
	}

	rec = do(s, "POST", "/api/v2/node/delete", atlantis+"\n", bearer...)
	wantStatus(t, rec, http.StatusOK)
	var answer struct {
		Result string `json:"result"`
		Count  int    `json:"count"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	if answer.Result != "Successfully deleted 1 nodes." || answer.Count != 1 {
		t.Errorf("node delete answered %+v", answer)
	}
	if got := quadCount(t, s); got != before {
		t.Errorf("%d quads after the node delete, want %d", got, before)
	}
	if got := raaPartners(t, s); strings.Contains(got, "Atlantis") || !strings.Contains(got, "Australia") {
		t.Errorf("after deleting Atlantis, Japan's RAA partners are:\n%s", got)
	}

	// A node no quad holds, and a body that is no node.
	for _, c := range []struct {
		body   string
		status int
		want   string
	}{
		{atlantis, http.StatusNotFound, "is in no quad"},
		{"<" + fg + "Atlantis", http.StatusBadRequest, "node: cannot read"},
		{"", http.StatusBadRequest, "node"},
	} {
		rec := do(s, "POST", "/api/v2/node/delete", c.body, bearer...)
		wantStatus(t, rec, c.status)
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || !strings.Contains(e.Error, c.want) {
			t.Errorf("node delete of %q: %s, want an error with %q", c.body, rec.Body, c.want)
		}
	}
}
