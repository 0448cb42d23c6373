package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/dlclark/regexp2"

	"github.com/factgraph/factgraph/graph/errs"
)

// Defaults of the limits in Config.
const (
	DefaultMaxInput  = 64 << 20 // decompressed bytes of one load
	DefaultMaxQuery  = 16 << 10 // bytes of one query's text
	DefaultQueueWait = time.Second
	DefaultReadBody  = 30 * time.Second
	// deadlineGrace is how long a query past its deadline may take to notice
	// before its client gets the timeout anyway.
	deadlineGrace = 250 * time.Millisecond
)

// regexpTimeout bounds one match of a regular expression in Gizmo's
// JavaScript. goja runs the expressions Go's regexp cannot (backreferences,
// lookaround) with regexp2, which backtracks, exponentially for some patterns,
// in one call that goja's Interrupt cannot stop: without a bound, such a match
// would run on after its query was answered.
const regexpTimeout = 10 * time.Second

func init() { regexp2.DefaultMatchTimeout = regexpTimeout }

// DefaultMaxQueries is how many queries run at once by default: two per CPU
// the Go scheduler uses, at least four.
func DefaultMaxQueries() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// slots admits at most a fixed number of queries at a time; a query that finds
// them all taken waits up to the queue wait, then is refused.
type slots struct {
	free chan struct{}
	wait time.Duration
}

func newSlots(n int, wait time.Duration) *slots {
	s := &slots{free: make(chan struct{}, n), wait: wait}
	for range n {
		s.free <- struct{}{}
	}
	return s
}

// errBusy is the refusal of a query that found no slot; the error writer adds
// Retry-After to unavailable errors.
func (s *slots) errBusy() *errs.Error {
	return errs.Errorf(errs.Unavailable, "the server is running its limit of %d queries (the server's --max-queries) and none ended within %s; try again shortly", cap(s.free), s.wait)
}

// acquire takes a slot, waiting at most the queue wait or until ctx is done.
func (s *slots) acquire(ctx context.Context) error {
	select {
	case <-s.free:
		return nil
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case <-s.free:
		return nil
	case <-t.C:
		return s.errBusy()
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *slots) release() { s.free <- struct{}{} }

// runQuery runs one query under the server's limits: it takes a slot (or is
// refused as unavailable), is watched by the memory governor, and answers by
// its deadline. run gets the context to run under; it must not write to the
// response, since it may be left running: a query that does not notice its
// deadline within deadlineGrace is left to end on its own, still holding its
// slot, and the client gets the timeout. When the governor stopped the query,
// the error is the governor's reason.
func (s *Server) runQuery(ctx context.Context, run func(ctx context.Context) error) error {
	if s.exclusion.on {
		return s.runQueryHere(ctx, run) // see exclusive.go
	}
	if err := s.slots.acquire(ctx); err != nil {
		s.metrics.limitedQuery("busy")
		return err
	}
	qctx, leave := s.governor.enter(ctx)
	done := make(chan error, 1)
	go func() {
		defer s.slots.release()
		defer leave()
		done <- run(qctx)
	}()
	select {
	case err := <-done:
		return s.queryError(qctx, err)
	case <-qctx.Done():
	}
	grace := time.NewTimer(deadlineGrace)
	defer grace.Stop()
	select {
	case err := <-done:
		return s.queryError(qctx, err)
	case <-grace.C:
		s.metrics.limitedQuery("abandoned")
		return s.queryError(qctx, qctx.Err())
	}
}

// runQueryHere is runQuery for a query that writes its response as it runs
// (NDJSON): it runs in the caller's goroutine, so it cannot be left running
// past its deadline, but it takes a slot and is watched like any other.
func (s *Server) runQueryHere(ctx context.Context, run func(ctx context.Context) error) error {
	if err := s.slots.acquire(ctx); err != nil {
		s.metrics.limitedQuery("busy")
		return err
	}
	defer s.slots.release()
	qctx, leave := s.governor.enter(ctx)
	defer leave()
	return s.queryError(qctx, run(qctx))
}

// queryError is err, or, for a query the governor stopped, its reason.
func (s *Server) queryError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var reason *errs.Error
	if cause := context.Cause(ctx); errors.As(cause, &reason) {
		return reason
	}
	return err
}

// checkQuerySize refuses a query text over Config.MaxQuery bytes.
func (s *Server) checkQuerySize(q string) error {
	if len(q) > s.cfg.MaxQuery {
		return errs.Errorf(errs.TooLarge, "query is %d bytes, over the limit of %d (the server's --max-query)", len(q), s.cfg.MaxQuery)
	}
	return nil
}

// limitBody caps the request body at Config.MaxBody and gives its reading a
// deadline (Config.ReadTimeout): a client that sends a body a byte at a time
// gets a timeout instead of holding the request open.
func (s *Server) limitBody(w http.ResponseWriter, r *http.Request) {
	if s.cfg.ReadTimeout > 0 {
		// Recorders in tests do not support deadlines, which is fine.
		_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout))
	}
	r.Body = &bodyReader{ReadCloser: http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), timeout: s.cfg.ReadTimeout}
}

// bodyReader names the deadline when reading a body times out.
type bodyReader struct {
	io.ReadCloser
	timeout  time.Duration
	timedOut bool // net/http then ends the connection's context too
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var ne net.Error
	if err != nil && errors.As(err, &ne) && ne.Timeout() {
		b.timedOut = true
		err = &errs.Error{Code: errs.Timeout, Err: err,
			Message: fmt.Sprintf("the request body did not arrive within %s (the server's --read-timeout)", b.timeout)}
	}
	return n, err
}
