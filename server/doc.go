// Package server is factgraph's HTTP API: queries in any registered language
// with content negotiation, quad export, token-guarded writes, health and
// metrics, and Cayley's own v2 API for Cayley's clients. docs/http-api.md is the
// user's guide; openapi.json (served at /api/v1/openapi.json) the reference.
//
// # Lifecycle
//
// A Server is built with New from an open store and a Config, bound with Open
// (bind errors come back at once), run with Serve until its context ends, and
// then drained for at most Config.ShutdownTimeout:
//
//	srv := server.New(store, server.Config{WriteToken: token})
//	if err := srv.Open("127.0.0.1:0"); err != nil { ... }
//	log.Print(srv.URL())
//	err := srv.Serve(ctx) // returns after a graceful shutdown
//
// # Errors
//
// Every handler returns errors instead of writing them. They go through one
// table from graph error code to HTTP status (see StatusOf) and are written as
// {"error": {"code", "message", "line", "column"}} on /api/v1, or in Cayley's
// {"error": "message"} on /api/v2. Internal errors are logged with the request
// id and shown only as "internal error (request N)".
//
// # Limits and security
//
// Every request runs under Config.Timeout; query results stop at
// Config.MaxRows and say so (truncated, X-Truncated: true); bodies stop at
// Config.MaxBody (413). The server is read-only unless Config.WriteToken is set,
// and then writes need "Authorization: Bearer TOKEN". CORS headers are sent only
// for Config.CORSOrigins. Writes hold a lock that keeps them apart from reads,
// since Cayley's memory store is not safe for concurrent writes.
package server
