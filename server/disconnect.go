package server

import (
	"context"
	"net/http"
)

// Client disconnects. A client that hangs up before its answer is not a
// server error: there is no one to answer, so nothing is written, and the
// request is logged and counted with status 499 (nginx's "client closed
// request"), not as the 500 or 404 that the canceled work would otherwise
// have ended in.

// statusClientClosed is the status given to a request whose client went away.
const statusClientClosed = 499

// clientKey holds, in a request's context, the context net/http gave it,
// which ends when the client's connection does.
type clientKey struct{}

// withClient records the connection's context of r under clientKey.
func withClient(ctx context.Context, r *http.Request) context.Context {
	return context.WithValue(ctx, clientKey{}, r.Context())
}

// clientGone reports whether the client of r has hung up. The connection's
// context also ends when the server shuts down and when the body's read
// deadline passes: those clients are there to be told.
func (s *Server) clientGone(r *http.Request) bool {
	if b, ok := r.Body.(*bodyReader); ok && b.timedOut {
		return false
	}
	c, ok := r.Context().Value(clientKey{}).(context.Context)
	return ok && c.Err() != nil && s.baseCtx.Err() == nil
}

// markClientClosed sets the recorded status of a response that is not sent
// because its client went away.
func markClientClosed(w http.ResponseWriter) {
	for {
		switch x := w.(type) {
		case *recorder:
			x.status = statusClientClosed
			return
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return
		}
	}
}
