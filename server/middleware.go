package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/factgraph/factgraph/graph/errs"
)

// recorder remembers the status and size of a response for the request log,
// the metrics and the error writer (which must not write a second status).
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	n, err := rec.ResponseWriter.Write(p)
	rec.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// Flush passes flushes through, for streamed responses.
func (rec *recorder) Flush() {
	if f, ok := rec.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// started reports whether the response's status line has been written.
func started(w http.ResponseWriter) bool {
	for {
		switch x := w.(type) {
		case *recorder:
			return x.status != 0
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return false
		}
	}
}

type requestIDKey struct{}

// requestID returns the id observe gave the request ("-" outside observe).
func requestID(r *http.Request) string {
	if id, ok := r.Context().Value(requestIDKey{}).(string); ok {
		return id
	}
	return "-"
}

// observe is the outermost layer: it numbers the request, puts it under the
// server's deadline, and afterwards logs it and counts it by route and status.
// The route is the ServeMux pattern that matched, so the metrics' label values
// are bounded by the route table.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := strconv.FormatUint(s.seq.Add(1), 10)
		ctx := withClient(context.WithValue(r.Context(), requestIDKey{}, id), r)
		if s.cfg.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
			defer cancel()
		}
		r = r.WithContext(ctx)
		rec := &recorder{ResponseWriter: w}
		if s.cfg.Timeout > 0 {
			// A client that stops reading must not hold the store's lock (an
			// export streams under it) for longer than a slow request would:
			// its writes fail after twice the deadline. Recorders in tests do
			// not support deadlines, which is fine.
			_ = http.NewResponseController(rec).SetWriteDeadline(start.Add(2 * s.cfg.Timeout))
		}
		rec.Header().Set("X-Request-Id", id)
		setSecurityHeaders(rec.Header())
		defer func() {
			// Deferred so that aborted responses (see respondError) are logged too.
			status := rec.status
			switch {
			case status == 0 && s.clientGone(r):
				status = statusClientClosed
			case status == 0:
				status = http.StatusOK
			}
			route := r.Pattern
			if route == "" || route == noRoute {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			s.metrics.request(route, status, elapsed)
			s.log.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("id", id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("route", route),
				slog.Int("status", status),
				slog.Int64("bytes", rec.bytes),
				slog.Float64("ms", float64(elapsed.Microseconds())/1000),
				slog.String("remote", r.RemoteAddr),
			)
		}()
		next.ServeHTTP(rec, r)
	})
}

// cors answers preflight requests and marks responses readable by the
// configured origins. With no origins configured it adds nothing, and browsers
// keep pages of other origins from reading the API.
func (s *Server) cors(next http.Handler) http.Handler {
	if len(s.cfg.CORSOrigins) == 0 {
		return next
	}
	anyOrigin := slices.Contains(s.cfg.CORSOrigins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !(anyOrigin || slices.Contains(s.cfg.CORSOrigins, origin)) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Add("Vary", "Origin")
		if anyOrigin {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h.Set("Access-Control-Expose-Headers", "X-Truncated, X-Row-Limit, X-Request-Id")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// authorize checks a write request's "Authorization: Bearer TOKEN" against the
// server's write token. Both are hashed first so that the constant-time
// comparison does not leak the token's length either.
func (s *Server) authorize(r *http.Request) error {
	if s.tokenHash == nil {
		return errs.Errorf(errs.Unauthorized, "this server is read-only: start it with --write-token-env NAME (NAME being an environment variable holding a token) and send Authorization: Bearer TOKEN")
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return errs.Errorf(errs.Unauthorized, "writes need an Authorization: Bearer TOKEN header")
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], s.tokenHash[:]) != 1 {
		return errs.Errorf(errs.Unauthorized, "the write token is wrong")
	}
	return nil
}
