package server

import (
	"net/http"
	"strings"

	"github.com/factgraph/factgraph/graph/errs"
)

// route is one endpoint. The table in routes is the only place routes are
// declared: the mux is built from it and a test checks it against the OpenAPI
// document.
type route struct {
	pattern string // "METHOD /path", as http.ServeMux takes it
	handle  func(http.ResponseWriter, *http.Request) error
	write   bool // needs the write token
	cayley  bool // errors in Cayley's v2 shape {"error": "message"}
	sparql  bool // errors as the SPARQL protocol has them: plain text
}

func (s *Server) routes() []route {
	return []route{
		{pattern: "GET /healthz", handle: s.handleHealth},
		{pattern: "GET /metrics", handle: s.handleMetrics},
		{pattern: "GET /api/v1/openapi.json", handle: handleOpenAPI},
		{pattern: "GET /api/v1/query", handle: s.handleQuery},
		{pattern: "POST /api/v1/query", handle: s.handleQuery},
		{pattern: "GET /api/v1/quads", handle: s.handleQuads},
		{pattern: "GET /api/v1/stats", handle: s.handleStats},
		{pattern: "GET /api/v1/history", handle: s.handleHistory},
		{pattern: "POST /api/v1/load", handle: s.handleLoad, write: true},
		{pattern: "POST /api/v1/ingest", handle: s.handleIngest, write: true},
		{pattern: "POST /api/v1/delete", handle: s.handleDelete, write: true},

		// The SPARQL 1.1 Protocol, read-only.
		{pattern: "GET /sparql", handle: s.handleSPARQL, sparql: true},
		{pattern: "POST /sparql", handle: s.handleSPARQL, sparql: true},

		// Cayley's HTTP API v2, for Cayley's clients and scripts.
		{pattern: "GET /api/v2/query", handle: s.handleCayleyQuery, cayley: true},
		{pattern: "POST /api/v2/query", handle: s.handleCayleyQuery, cayley: true},
		{pattern: "GET /api/v2/read", handle: s.handleCayleyRead, cayley: true},
		{pattern: "POST /api/v2/read", handle: s.handleCayleyRead, cayley: true},
		{pattern: "POST /api/v2/write", handle: s.handleCayleyWrite, write: true, cayley: true},
		{pattern: "POST /api/v2/delete", handle: s.handleCayleyDelete, write: true, cayley: true},
		{pattern: "POST /api/v2/node/delete", handle: s.handleCayleyNodeDelete, write: true, cayley: true},
		{pattern: "GET /api/v2/formats", handle: s.handleCayleyFormats, cayley: true},
	}
}

// noRoute is the pattern of the fallback that answers requests no route
// matches, so that they too get an error in the API's shape.
const noRoute = "/"

// handleNoRoute answers a request that no route matches with not_found,
// naming the methods the path does take, if any.
func (s *Server) handleNoRoute(_ http.ResponseWriter, r *http.Request) error {
	var methods []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != noRoute {
			methods = append(methods, m)
		}
	}
	if len(methods) > 0 {
		return errs.Errorf(errs.NotFound, "no route for %s %s; it takes %s", r.Method, r.URL.Path, strings.Join(methods, " and "))
	}
	return errs.Errorf(errs.NotFound, "no route for %s %s; the routes are listed at /api/v1/openapi.json", r.Method, r.URL.Path)
}

// endpoint wraps a route's handler with what every route shares: the write
// token check (before the body is read), the body's cap and deadline, and error responses in
// the route's shape through the one code→status table.
func (s *Server) endpoint(rt route) http.Handler {
	writeErr := s.writeError
	switch {
	case rt.cayley:
		writeErr = s.writeCayleyError
	case rt.sparql:
		writeErr = s.writeProtocolError
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.write {
			if err := s.authorize(r); err != nil {
				writeErr(w, r, err)
				return
			}
		}
		s.limitBody(w, r)
		defer s.exclusion.hold(rt)()
		if err := rt.handle(w, r); err != nil {
			writeErr(w, r, err)
		}
	})
}
