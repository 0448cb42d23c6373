package server

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/rdfxml"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/sparql"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
	"github.com/factgraph/factgraph/queries/sparql/results"
)

// A SPARQL 1.1 Protocol endpoint (https://www.w3.org/TR/sparql11-protocol/):
// queries by GET ?query=, by POST of application/sparql-query, or by POST of
// a form; default-graph-uri and named-graph-uri set the dataset. Read-only,
// under the server's deadline and row cap.

// solutionFormats are the formats of SELECT and ASK answers, the default
// first; format= (or output=, as some clients send it) names one.
var solutionFormats = []struct{ name, mediaType string }{
	{"json", "application/sparql-results+json"},
	{"xml", "application/sparql-results+xml"},
	{"csv", "text/csv"},
	{"tsv", "text/tab-separated-values"},
	{"json", "application/json"},
	{"xml", "application/xml"},
	{"xml", "text/xml"},
}

// graphFormats are the formats of CONSTRUCT and DESCRIBE answers, the
// default first.
var graphFormats = []struct{ name, mediaType string }{
	{"turtle", "text/turtle"},
	{"ntriples", "application/n-triples"},
	{"nquads", "application/n-quads"},
	{"jsonld", "application/ld+json"},
	{"rdfxml", "application/rdf+xml"},
	{"ntriples", "text/plain"},
	{"turtle", "application/x-turtle"},
	// The names clients such as SPARQLWrapper send as format= for graphs.
	{"rdfxml", "xml"},
	{"jsonld", "json"},
	{"turtle", "n3"},
}

// pick negotiates a format among offers: a format name given as a
// parameter wins, then the Accept header, then the first offer.
func pick(offers []struct{ name, mediaType string }, name, accept string) (string, string, error) {
	if name != "" {
		for _, o := range offers {
			if o.name == name || o.mediaType == name {
				// The format's own media type: the first offer of its name.
				for _, c := range offers {
					if c.name == o.name {
						return c.name, c.mediaType, nil
					}
				}
			}
		}
		var names []string
		for _, o := range offers {
			if !slices.Contains(names, o.name) {
				names = append(names, o.name)
			}
		}
		return "", "", invalidf("format %q: this answer comes as %s", name, strings.Join(names, ", "))
	}
	types := make([]string, len(offers))
	for i, o := range offers {
		types[i] = o.mediaType
	}
	if best := negotiate(accept, types); best != "" {
		for _, o := range offers {
			if o.mediaType == best {
				return o.name, o.mediaType, nil
			}
		}
	}
	return offers[0].name, offers[0].mediaType, nil
}

// protocolRequest is a SPARQL request as the protocol sends it.
type protocolRequest struct {
	query          string
	defaultGraphs  []string
	namedGraphs    []string
	format, accept string
}

func parseProtocol(r *http.Request) (protocolRequest, error) {
	p := protocolRequest{accept: r.Header.Get("Accept")}
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch ct {
		case "application/sparql-query":
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return p, err
			}
			params.Set("query", string(b))
		case "application/x-www-form-urlencoded":
			b, err := io.ReadAll(r.Body)
			if err != nil {
				return p, err
			}
			form, err := url.ParseQuery(string(b))
			if err != nil {
				return p, invalidf("form body: %v", err)
			}
			for k, vs := range form {
				params[k] = append(params[k], vs...)
			}
		case "application/sparql-update":
			return p, invalidf("this endpoint is read-only: SPARQL Update is not supported")
		default:
			return p, invalidf("POST a query as application/sparql-query or as a form (application/x-www-form-urlencoded), not %q", ct)
		}
	}
	if params.Has("update") {
		return p, invalidf("this endpoint is read-only: SPARQL Update is not supported")
	}
	switch qs := params["query"]; len(qs) {
	case 0:
		return p, invalidf("missing query: pass it as query=... (GET or form), or POST it as application/sparql-query")
	case 1:
		p.query = qs[0]
	default:
		return p, invalidf("one query at a time: found %d query parameters", len(qs))
	}
	p.defaultGraphs = params["default-graph-uri"]
	p.namedGraphs = params["named-graph-uri"]
	p.format = params.Get("format")
	if p.format == "" {
		p.format = params.Get("output")
	}
	return p, nil
}

// handleSPARQL answers one protocol request.
func (s *Server) handleSPARQL(w http.ResponseWriter, r *http.Request) error {
	p, err := parseProtocol(r)
	if err != nil {
		return err
	}
	if err := s.checkQuerySize(p.query); err != nil {
		return err
	}
	start := time.Now()
	// Under the limits of every query: a slot, the memory governor.
	err = s.runQueryHere(r.Context(), func(ctx context.Context) error { return s.runSPARQL(ctx, w, p) })
	s.metrics.query(sparql.Name, outcome(err), time.Since(start))
	return err
}

// runSPARQL runs the query of p under ctx (the request's, under the server's
// deadline, watched by the memory governor).
func (s *Server) runSPARQL(ctx context.Context, w http.ResponseWriter, p protocolRequest) error {
	var warnings []string
	pl, err := sparql.Compile(ctx, s.store, p.query, sparql.Options{
		From: p.defaultGraphs, FromNamed: p.namedGraphs,
		MaxPathDepth: queries.DefaultMaxDepth,
		Warn:         func(m string) { warnings = append(warnings, m) },
	})
	if err != nil {
		return errs.WithInput(err, p.query)
	}
	h := w.Header()
	limit := s.cfg.MaxRows
	h.Set("X-Row-Limit", strconv.Itoa(limit))
	if form := pl.Query().Form; form == algebra.Construct || form == algebra.Describe {
		name, mt, err := pick(graphFormats, p.format, p.accept)
		if err != nil {
			return err
		}
		var triples []quad.Quad
		truncated := false
		err = pl.Graph(ctx, func(q quad.Quad) bool {
			if len(triples) == limit {
				truncated = true
				return false
			}
			triples = append(triples, q)
			return true
		})
		if err != nil {
			return err
		}
		h.Set("Content-Type", mt)
		h.Set("X-Truncated", strconv.FormatBool(truncated))
		setWarnings(h, warnings)
		return writeTriples(w, name, triples)
	}
	name, mt, err := pick(solutionFormats, p.format, p.accept)
	if err != nil {
		return err
	}
	set, truncated, err := pl.Answer(ctx, limit)
	if err != nil {
		return err
	}
	h.Set("Content-Type", mt+"; charset=utf-8")
	h.Set("X-Truncated", strconv.FormatBool(truncated))
	setWarnings(h, warnings)
	return writeSolutions(w, name, set)
}

// writeSolutions writes a SELECT's solutions or an ASK's answer in a
// result format.
func writeSolutions(w io.Writer, format string, set *results.Set) error {
	if set.Boolean != nil {
		switch format {
		case "xml":
			return results.WriteXMLBoolean(w, *set.Boolean)
		case "json":
			return results.WriteJSONBoolean(w, *set.Boolean)
		}
		_, err := fmt.Fprintf(w, "_askResult\n%t\n", *set.Boolean)
		return err
	}
	switch format {
	case "xml":
		xw := results.NewXMLWriter(w, set.Vars)
		for _, row := range set.Rows {
			xw.Write(row, set.Vars)
		}
		return xw.Close()
	case "csv", "tsv":
		cw := results.NewCSVWriter(w, set.Vars, format == "tsv")
		for _, row := range set.Rows {
			cw.Write(row)
		}
		return cw.Close()
	}
	jw := results.NewJSONWriter(w, set.Vars)
	for _, row := range set.Rows {
		jw.Write(row)
	}
	return jw.Close()
}

func setWarnings(h http.Header, warnings []string) {
	for _, m := range warnings {
		h.Add("X-Warning", m)
	}
}

// writeTriples writes a graph answer in a quad format.
func writeTriples(w io.Writer, format string, triples []quad.Quad) error {
	var qw quad.WriteCloser
	switch format {
	case "rdfxml":
		qw = rdfxml.NewWriter(w)
	case "ntriples", "nquads":
		qw = quad.FormatByName("nquads").Writer(w)
	default:
		qw = quad.FormatByName(format).Writer(w)
	}
	for _, q := range triples {
		if _, err := qw.WriteQuads([]quad.Quad{graph.Portable(q)}); err != nil {
			return err
		}
	}
	return qw.Close()
}

// writeProtocolError writes an error as the protocol has it: the status of
// its code and the message as plain text (with the line and caret of a
// syntax error).
func (s *Server) writeProtocolError(w http.ResponseWriter, r *http.Request, err error) {
	d := s.publicError(r, err)
	if started(w) {
		panic(http.ErrAbortHandler)
	}
	msg := d.Message
	if d.Line > 0 {
		msg = fmt.Sprintf("%d:%d: %s", d.Line, d.Column, d.Message)
	}
	if d.Snippet != "" {
		msg += "\n" + d.Snippet
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(StatusOf(d.Code))
	io.WriteString(w, msg+"\n")
}
