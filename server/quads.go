package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
	"github.com/factgraph/factgraph/loaders"
)

// bodyName names the request body in positioned errors ("request body:3:7: ...").
const bodyName = "request body"

// readQuads reads the quads of a request body in the format its Content-Type
// names. As in Cayley, a type that is not a registered quad format (text/plain,
// or curl's default application/x-www-form-urlencoded) is read as N-Quads.
// Gzip bodies are recognized by their content.
func (s *Server) readQuads(r *http.Request) ([]quad.Quad, error) {
	name := "nquads"
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil {
		if f, ok := format.ByMediaType(mt, format.Load); ok {
			name = f.Name
		}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	quads, err := loaders.Read(bodyName, bytes.NewReader(body), loaders.ReadOptions{Format: name, MaxInput: s.cfg.MaxInput})
	if err == nil {
		quads, err = loaders.ResolveNames(r.Context(), s.store, quads) // a CSV's plain names
	}
	if err != nil {
		return nil, inputError(err, body)
	}
	return quads, nil
}

// inputError makes a failed read of a request body an invalid-input error
// (loaders' errors are already), with the body attached for the snippet of
// the first malformed line, unless it is compressed.
func inputError(err error, body []byte) error {
	if errs.CodeOf(err) == errs.Internal {
		err = &errs.Error{Code: errs.Invalid, File: bodyName, Message: err.Error(), Err: err}
	}
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		return err // positions count in the decompressed text
	}
	return errs.WithInput(err, string(body))
}

// load adds the quads of the request body to the store, all or nothing.
func (s *Server) load(r *http.Request) (loaders.Stats, error) {
	quads, err := s.readQuads(r)
	if err != nil {
		return loaders.Stats{}, err
	}
	defer s.lockWrite()()
	return loaders.Apply(r.Context(), s.store, quads)
}

// lockWrite keeps a write apart from the other writes and returns the
// unlock, unless the store's batches are atomic and isolated by themselves
// and count their own effect (graph.BatchApplier): then writes run beside
// each other, and on the disk store the writes of many clients share the
// syncs of its log.
func (s *Server) lockWrite() (unlock func()) {
	if s.concurrent {
		return func() {}
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock
}

// loadResponse reports what a load did.
type loadResponse struct {
	Read       int `json:"read"`       // quads in the request
	Added      int `json:"added"`      // quads new to the store
	Duplicates int `json:"duplicates"` // quads already stored, or repeated in the request
}

// deleteStats reports what a delete did.
type deleteStats struct {
	Read    int `json:"read"`    // quads in the request
	Deleted int `json:"deleted"` // quads removed from the store
	Missing int `json:"missing"` // quads not in the store, or repeated in the request
}

// remove deletes the quads of the request body from the store in one batch.
// Quads the store does not hold are skipped and counted.
func (s *Server) remove(r *http.Request) (deleteStats, error) {
	quads, err := s.readQuads(r)
	if err != nil {
		return deleteStats{}, err
	}
	st := deleteStats{Read: len(quads)}
	seen := make(map[quad.Quad]bool, len(quads))
	deltas := make([]cgraph.Delta, 0, len(quads))
	for _, q := range quads {
		if !seen[q] {
			seen[q] = true
			deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
		}
	}
	defer s.lockWrite()()
	if len(deltas) > 0 {
		_, deleted, err := graph.ApplyBatch(r.Context(), s.store, deltas, cgraph.IgnoreOpts{IgnoreMissing: true})
		if err != nil {
			return st, fmt.Errorf("delete: %w", err)
		}
		st.Deleted = deleted
	}
	st.Missing = st.Read - st.Deleted
	return st, nil
}

// removeNode deletes, in one batch, every quad that holds v as subject,
// predicate, object or label, and returns how many it deleted. A node that no
// quad holds is a not_found error. (Beside concurrent writers, a quad they
// delete meanwhile is not counted, and one they add meanwhile stays.)
func (s *Server) removeNode(ctx context.Context, v quad.Value) (int, error) {
	defer s.lockWrite()()
	seen := make(map[quad.Quad]bool)
	var deltas []cgraph.Delta
	for _, d := range quad.Directions {
		err := graph.EachQuad(ctx, s.store, d, v, func(q quad.Quad) error {
			if !seen[q] { // a quad may hold v twice, as object and label say
				seen[q] = true
				deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("node delete: %w", err)
		}
	}
	if len(deltas) == 0 {
		return 0, errs.Errorf(errs.NotFound, "node %s is in no quad", v)
	}
	_, deleted, err := graph.ApplyBatch(ctx, s.store, deltas, cgraph.IgnoreOpts{IgnoreMissing: true})
	if err != nil {
		return 0, fmt.Errorf("node delete: %w", err)
	}
	return deleted, nil
}

func (s *Server) handleLoad(w http.ResponseWriter, r *http.Request) error {
	st, err := s.load(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, loadResponse{Read: st.Read, Added: st.Added, Duplicates: st.Duplicates})
	return nil
}

func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) error {
	st, err := s.remove(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// quadsParams are the URL parameters of GET /api/v1/quads; any other is an
// error, so that a typo (subj=) does not export the whole store.
var quadsParams = []string{"subject", "predicate", "object", "label", "format"}

// handleQuads exports the quads that match the subject, predicate, object and
// label filters (each repeatable; no filter matches all) in one of the CLI's
// export formats.
func (s *Server) handleQuads(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if err := checkParams(v, quadsParams, "parameter"); err != nil {
		return err
	}
	f, err := writableFormat(v.Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	terms := func(d quad.Direction) ([]quad.Value, error) {
		var out []quad.Value
		for _, text := range v[d.String()] {
			if text == "" {
				continue
			}
			val, err := resolveTerm(ctx, s.store, d, text)
			if err != nil {
				return nil, err
			}
			out = append(out, val)
		}
		return out, nil
	}
	var dirs [4][]quad.Value
	for i, d := range quad.Directions {
		if dirs[i], err = terms(d); err != nil {
			return err
		}
	}
	filter := shape.FilterQuads(dirs[0], dirs[1], dirs[2], dirs[3])
	return s.exportQuads(w, r, f, filter, nil)
}

// resolveTerm reads a filter value as `factgraph dump` reads its --subject,
// --predicate, --object and --label (graph.ResolvePattern): a name, resolved as
// in path expressions (Japan, fg:Japan, <IRI>, a schema:name or an alias such as
// Tokyo for fg:Japan; predicates by short name), and for an object that names no
// node, the stored string literal of that text (in-force). Beyond the CLI, a
// value in N-Quads syntax is taken as written: literals ("Tokyo", "Japon"@fr,
// "5"^^<...>) and blank nodes (_:b1).
func resolveTerm(ctx context.Context, qs cgraph.QuadStore, d quad.Direction, text string) (quad.Value, error) {
	if strings.HasPrefix(text, `"`) || strings.HasPrefix(text, "_:") {
		v, err := loaders.ParseTerm(text, true)
		if err != nil {
			return nil, invalidf("%s: %v", d, err)
		}
		return v, nil
	}
	var (
		v   quad.Value
		err error
	)
	switch d {
	case quad.Predicate:
		v, err = graph.ResolvePredicate(ctx, qs, text)
	case quad.Object:
		v, err = graph.ResolveValue(ctx, qs, text)
	default:
		v, err = graph.Resolve(ctx, qs, text)
	}
	var gerr *errs.Error
	if errors.As(err, &gerr) && gerr.Code != errs.Internal {
		// Name the parameter, and for a literal the way to write it.
		e := *gerr
		e.Message = d.String() + ": " + e.Message
		if d == quad.Object && e.Code == errs.NotFound {
			e.Message += fmt.Sprintf(" (for a string literal, quote it: %s)", quad.String(text))
		}
		return nil, &e
	}
	return v, err
}

// writableFormat picks a quad output format: by name if given (an export
// format of the format table, as `factgraph dump --format` takes, or an
// alias such as graphviz for dot), else by the Accept header, else N-Quads.
// N-Quads is offered first, so that wildcards (curl's */*) get it too.
func writableFormat(name, accept string) (*quad.Format, error) {
	if name != "" {
		_, w, err := loaders.ExportFormat(name)
		if err != nil {
			return nil, invalidf("unknown quad format %q (known: %s)", name, strings.Join(loaders.ExportFormats(), ", "))
		}
		return w, nil
	}
	var offers []string
	for _, f := range format.All(format.Export) { // nquads first
		for _, mt := range f.MediaTypes {
			base, _, _ := strings.Cut(mt, ";")
			offers = append(offers, strings.TrimSpace(base))
		}
	}
	if f, ok := format.ByMediaType(negotiate(accept, offers), format.Export); ok {
		return quad.FormatByName(f.Cayley), nil
	}
	return quad.FormatByName("nquads"), nil
}

// contentType is the media type of a quad format's output: the format
// table's, or for a Cayley format that is not in it, its first registered one.
func contentType(f *quad.Format) string {
	for _, t := range format.All(format.Export) {
		if t.Cayley == f.Name {
			return t.ContentType()
		}
	}
	if len(f.Mime) > 0 {
		return f.Mime[0]
	}
	return ""
}

// exportQuads writes the quads matching filter in format f, gzipped when the
// client accepts it. iri, if set, rewrites IRIs (Cayley's iri=short|full).
// It stops at the request's deadline; a failure after the first bytes cuts the
// connection (see respondError) rather than end the document early in silence.
func (s *Server) exportQuads(w http.ResponseWriter, r *http.Request, f *quad.Format, filter shape.Shape, iri *quad.IRIOptions) error {
	it := filter.BuildIterator(s.store).Iterate()
	defer it.Close()
	if ct := contentType(f); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	var (
		out io.Writer = w
		zw  *gzip.Writer
	)
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		zw = gzip.NewWriter(w)
		out = zw
	}
	qwc := graph.PortableWriter(f, out)
	var qw quad.Writer = qwc
	if iri != nil {
		qw = quad.IRIWriter(qw, *iri)
	}
	err := copyQuads(r.Context(), s.store, qw, it)
	if err == nil {
		err = qwc.Close()
	}
	if zw != nil {
		if err != nil && !started(w) {
			w.Header().Del("Content-Encoding") // the error goes out plain
			return err
		}
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// copyQuads writes the quads of it to qw (a graph.PortableWriter) until it
// ends or ctx is done.
func copyQuads(ctx context.Context, qs cgraph.QuadStore, qw quad.Writer, it iterator.Scanner) error {
	for it.Next(ctx) {
		q, err := qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := qw.WriteQuad(q); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return ctx.Err()
}

// handleStats reports the store and its size. It asks the store for counts
// it keeps rather than counts it must make: bolt keeps its quad count but
// would count its nodes by scanning every one (a second on the 30k-movie
// graph), so its node count is an estimate, and "exact" says so.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.Stats(r.Context(), false)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statsResponse{
		Store:    s.store.URL,
		Backend:  s.store.Backend,
		Quads:    st.Quads.Value,
		Nodes:    st.Nodes.Value,
		Exact:    st.Quads.Exact && st.Nodes.Exact,
		Writable: s.tokenHash != nil,
	})
	return nil
}

// statsResponse is the answer of /api/v1/stats.
type statsResponse struct {
	Store    string `json:"store"`    // the store URL the server was started with
	Backend  string `json:"backend"`  // Cayley backend name
	Quads    int64  `json:"quads"`    // number of quads
	Nodes    int64  `json:"nodes"`    // number of nodes
	Exact    bool   `json:"exact"`    // the counts are exact, not estimates
	Writable bool   `json:"writable"` // a write token is configured
}

// handleHealth answers without touching the store, so it stays quick while
// long queries or writes run.
func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}
