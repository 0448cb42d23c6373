package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
)

// statusOf is the one table from error code to HTTP status. Every error the API
// returns goes through it, whichever shape (v1 or Cayley's v2) it is written in.
var statusOf = map[errs.Code]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.NotFound:     http.StatusNotFound,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Timeout:      http.StatusGatewayTimeout,
	errs.TooLarge:     http.StatusRequestEntityTooLarge,
	errs.ReadOnly:     http.StatusForbidden,
	errs.Conflict:     http.StatusConflict,
	errs.Unavailable:  http.StatusServiceUnavailable,
	errs.Internal:     http.StatusInternalServerError,
}

// StatusOf returns the HTTP status of an error code; unknown codes are internal.
func StatusOf(code errs.Code) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is the v1 error shape: {"error": {"code", "message", "line", "column",
// "snippet"}}. Line and column are present for positioned errors only, and the
// snippet (the offending query line with a caret under the column) for
// positioned query errors.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    errs.Code `json:"code"`
	Message string    `json:"message"`
	Line    int       `json:"line,omitempty"`
	Column  int       `json:"column,omitempty"`
	Snippet string    `json:"snippet,omitempty"`
	// Errors lists every malformed line of a loaded body, the first included,
	// when there are several (up to the loader's bound).
	Errors []lineError `json:"errors,omitempty"`
}

// lineError is one malformed line of a request body.
type lineError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// publicError turns any error into what a client may see: *errs.Errors keep their
// code, message and position; body-size errors become too_large; deadline errors
// timeout; everything else is internal, logged with its details and shown as
// "internal error" with the request id so that a user can report it.
func (s *Server) publicError(r *http.Request, err error) errorDetail {
	var (
		gerr *errs.Error
		big  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &big): // first: a body cut by the cap may also fail to parse
		return errorDetail{Code: errs.TooLarge, Message: fmt.Sprintf("request body is over the limit of %d bytes (the server's --max-body)", big.Limit)}
	case errors.As(err, &gerr) && gerr.Code != errs.Internal:
		d := errorDetail{Code: gerr.Code, Message: gerr.Message, Line: gerr.Line, Column: gerr.Column}
		if text, ok := errs.InputOf(err); ok && gerr.Line > 0 {
			d.Snippet = queries.Caret(text, gerr.Line, gerr.Column)
		}
		if all := errs.All(err); len(all) > 1 {
			for _, e := range all {
				d.Errors = append(d.Errors, lineError{Line: e.Line, Column: e.Column, Message: e.Message})
			}
		}
		return d
	case errors.Is(err, context.DeadlineExceeded):
		return errorDetail{Code: errs.Timeout, Message: fmt.Sprintf("request stopped at its deadline of %s (the server's --timeout)", s.cfg.Timeout)}
	case errors.Is(err, context.Canceled):
		// The client went away or the server is shutting down: nobody to tell.
		return errorDetail{Code: errs.Internal, Message: "request canceled"}
	}
	id := requestID(r)
	s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
		slog.String("request_id", id), slog.String("route", r.Pattern), slog.Any("err", err))
	return errorDetail{Code: errs.Internal, Message: "internal error (request " + id + ")"}
}

// writeError writes err in the v1 shape, {"error": {"code", "message", ...}}.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	s.respondError(w, r, err, func(d errorDetail) any { return errorBody{Error: d} })
}

// writeCayleyError writes err in Cayley's v2 shape, {"error": "message"}.
func (s *Server) writeCayleyError(w http.ResponseWriter, r *http.Request, err error) {
	s.respondError(w, r, err, func(d errorDetail) any { return map[string]string{"error": d.Message} })
}

// respondError writes err, in the body shape returns, with the status of its
// code. If the response has already started, the status line is out and the
// only honest signal left is to cut the connection, which clients report as a
// broken response rather than taking a short one for whole.
func (s *Server) respondError(w http.ResponseWriter, r *http.Request, err error, shape func(errorDetail) any) {
	if s.clientGone(r) {
		markClientClosed(w) // nobody to tell
		return
	}
	d := s.publicError(r, err)
	if started(w) {
		s.log.WarnContext(r.Context(), "response cut by an error after it started", "request_id", requestID(r), "err", err)
		panic(http.ErrAbortHandler)
	}
	switch d.Code {
	case errs.Unauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="factgraph"`)
	case errs.Unavailable:
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, StatusOf(d.Code), shape(d))
}

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := queries.NewJSONEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client is gone if this fails
}

// invalidf is shorthand for an *errs.Error with code invalid.
func invalidf(format string, args ...any) error {
	return errs.Errorf(errs.Invalid, format, args...)
}
