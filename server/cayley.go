package server

// Cayley's HTTP API v2 (cayley/server/http/api_v2.go), so that Cayley's clients
// and scripts work unchanged. The wire shapes are Cayley's; what differs is
// what factgraph adds around every route: statuses from the one error table
// (Cayley answers 400 for everything, 403 for writes to a read-only store),
// the write token, the body cap, the deadline, a row cap that says when it
// cuts (X-Truncated), and writes that are atomic and skip duplicates.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/timeline"
	"github.com/factgraph/factgraph/loaders"
)

// handleCayleyQuery runs ?lang=... with the query as the body (POST) or as
// qu=... (GET) and answers {"result": [...]} with Cayley's JSON collation, or
// JSON-LD when the Accept header asks for application/ld+json. Languages with
// their own HTTP handler (GraphQL) answer in their own shape.
func (s *Server) handleCayleyQuery(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	lang := vals.Get("lang")
	if lang == "" {
		return invalidf("query language not specified")
	}
	l := query.GetLanguage(lang)
	if l == nil {
		return invalidf("unknown query language")
	}
	qu := vals.Get("qu")
	if r.Method == http.MethodPost {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		qu = string(b)
	}
	if qu == "" {
		return invalidf("query is empty")
	}
	if err := s.checkQuerySize(qu); err != nil {
		return err
	}
	start := time.Now()
	// As on /api/v1, queries see each happening at its latest status.
	qs, err := timeline.Open(ctx, graph.Inner(s.store), "")
	if err != nil {
		return err
	}
	if l.HTTPQuery != nil {
		w.Header().Set("Content-Type", "application/json")
		err := s.runQueryHere(ctx, func(ctx context.Context) error {
			l.HTTPQuery(ctx, qs, w, strings.NewReader(qu))
			return nil
		})
		s.metrics.query(lang, outcome(err), time.Since(start))
		return err
	}
	if l.Session == nil {
		return invalidf("HTTP interface is not supported for this query language")
	}
	opt := query.Options{Collation: query.JSON, Limit: s.cfg.MaxRows + 1}
	contentType := "application/json"
	if negotiate(r.Header.Get("Accept"), []string{"application/json", "application/ld+json"}) == "application/ld+json" {
		opt.Collation, contentType = query.JSONLD, "application/ld+json"
	}
	out, truncated, err := s.runCayley(r, qs, l, qu, opt)
	s.metrics.query(lang, outcome(err), time.Since(start))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Truncated", strconv.FormatBool(truncated))
	w.Header().Set("X-Row-Limit", strconv.Itoa(s.cfg.MaxRows))
	writeJSON(w, http.StatusOK, map[string]any{"result": out})
	return nil
}

// runCayley executes a query with Cayley's own collation and collects at most
// MaxRows results, reporting whether there were more.
func (s *Server) runCayley(r *http.Request, qs cgraph.QuadStore, l *query.Language, qu string, opt query.Options) ([]any, bool, error) {
	var (
		out       []any
		truncated bool
	)
	err := s.runQuery(r.Context(), func(ctx context.Context) error {
		it, err := l.Session(qs).Execute(ctx, qu, opt)
		if err != nil {
			return s.cayleyQueryError(ctx, err)
		}
		defer it.Close()
		for it.Next(ctx) {
			if len(out) == s.cfg.MaxRows {
				truncated = true
				break
			}
			out = append(out, it.Result())
		}
		if err := it.Err(); err != nil {
			return s.cayleyQueryError(ctx, err)
		}
		if err := ctx.Err(); err != nil {
			return s.cayleyQueryError(ctx, err)
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return out, truncated, nil
}

// cayleyQueryError classifies an error of a Cayley language: past the deadline
// it is a timeout; otherwise (syntax errors, unknown functions) it is the
// user's to fix, as Cayley has it.
func (s *Server) cayleyQueryError(ctx context.Context, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &errs.Error{Code: errs.Timeout, Err: err,
			Message: fmt.Sprintf("query stopped at its deadline of %s (the server's --timeout)", s.cfg.Timeout)}
	case ctx.Err() != nil:
		return ctx.Err() // the client went away, or the governor stopped it
	}
	return &errs.Error{Code: errs.Invalid, Message: err.Error(), Err: err}
}

// handleCayleyRead exports quads filtered by sub, pred, obj and label (each a
// comma-separated list of values in Cayley's notation), in the format named by
// format= or the Accept header (default N-Quads); iri=short|full rewrites IRIs.
func (s *Server) handleCayleyRead(w http.ResponseWriter, r *http.Request) error {
	var f *quad.Format
	if name := r.FormValue("format"); name != "" {
		f = quad.FormatByName(name)
	} else if specs := parseAccept(r.Header.Get("Accept")); len(specs) > 0 {
		f = quad.FormatByMime(specs[0].typ + "/" + specs[0].sub) // Cayley takes the first
	}
	if f == nil {
		f = quad.FormatByName("nquads")
	}
	if f == nil || f.Writer == nil {
		return invalidf("format is not supported for reading data")
	}
	values := func(key string) []quad.Value {
		raw := r.FormValue(key)
		if raw == "" {
			return nil
		}
		var out []quad.Value
		for v := range strings.SplitSeq(raw, ",") {
			out = append(out, quad.StringToValue(v))
		}
		return out
	}
	filter := shape.FilterQuads(values("sub"), values("pred"), values("obj"), values("label"))
	var iri *quad.IRIOptions
	switch r.FormValue("iri") {
	case "":
	case "short":
		iri = &quad.IRIOptions{Format: quad.IRIShort}
	case "full":
		iri = &quad.IRIOptions{Format: quad.IRIFull}
	default:
		iri = &quad.IRIOptions{Format: quad.IRIDefault}
	}
	return s.exportQuads(w, r, f, filter, iri)
}

// cayleyWriteResponse is Cayley's answer to a write or delete.
type cayleyWriteResponse struct {
	Result string `json:"result"`
	Count  int    `json:"count"`
}

// handleCayleyWrite adds the quads of the body (format by Content-Type, default
// N-Quads) atomically and counts the quads it added: quads already stored, or
// repeated in the body, are skipped and not counted.
func (s *Server) handleCayleyWrite(w http.ResponseWriter, r *http.Request) error {
	st, err := s.load(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cayleyWriteResponse{Result: fmt.Sprintf("Successfully wrote %d quads.", st.Added), Count: st.Added})
	return nil
}

// handleCayleyDelete deletes the quads of the body atomically and counts the
// quads it deleted: quads the store does not hold, or repeated in the body, are
// skipped and not counted.
func (s *Server) handleCayleyDelete(w http.ResponseWriter, r *http.Request) error {
	st, err := s.remove(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cayleyWriteResponse{Result: fmt.Sprintf("Successfully deleted %d quads.", st.Deleted), Count: st.Deleted})
	return nil
}

// handleCayleyNodeDelete removes every quad that holds the node of the body, in
// any position, in one batch. The body is one value in the format its
// Content-Type names (N-Quads notation by default: <iri>, "text", _:b; a
// prefixed name such as fg:Japan works too). The
// answer is Cayley's; a node that no quad holds is not_found (Cayley answers
// 500 there).
func (s *Server) handleCayleyNodeDelete(w http.ResponseWriter, r *http.Request) error {
	f := quad.FormatByName("nquads")
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		if g := quad.FormatByMime(mt); g != nil {
			f = g
		}
	}
	if f.UnmarshalValue == nil {
		return invalidf("format %s cannot name a node; send it as N-Quads, e.g. <http://example.org/x>", f.Name)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	text := bytes.TrimSpace(body)
	var v quad.Value
	if f.Name == "nquads" {
		// Strict where Cayley's reader is lenient ("<http://x" is no node).
		v, err = loaders.ParseTerm(string(text), bytes.HasPrefix(text, []byte(`"`)))
	} else {
		v, err = f.UnmarshalValue(text)
	}
	if err != nil {
		return invalidf("node: cannot read %.80q as one %s value: %v", text, f.Name, err)
	}
	if v == nil {
		return invalidf("node: the body names no node")
	}
	if _, err := s.removeNode(r.Context(), v); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cayleyWriteResponse{Result: "Successfully deleted 1 nodes.", Count: 1})
	return nil
}

// handleCayleyFormats lists the quad formats compiled in, as Cayley does.
func (s *Server) handleCayleyFormats(w http.ResponseWriter, _ *http.Request) error {
	type format struct {
		ID     string   `json:"id"`
		Read   bool     `json:"read,omitempty"`
		Write  bool     `json:"write,omitempty"`
		Nodes  bool     `json:"nodes,omitempty"`
		Ext    []string `json:"ext,omitempty"`
		Mime   []string `json:"mime,omitempty"`
		Binary bool     `json:"binary,omitempty"`
	}
	var out []format
	formats := quad.Formats()
	slices.SortFunc(formats, func(a, b quad.Format) int { return strings.Compare(a.Name, b.Name) })
	for _, f := range formats {
		out = append(out, format{
			ID: f.Name, Ext: f.Ext, Mime: f.Mime,
			Read: f.Reader != nil, Write: f.Writer != nil,
			Nodes: f.UnmarshalValue != nil, Binary: f.Binary,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
