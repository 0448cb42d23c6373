package server

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
)

// Defaults of Config's zero fields.
const (
	DefaultAddr            = "127.0.0.1:8475"
	DefaultMaxRows         = 10000
	DefaultMaxBody         = 10 << 20 // 10 MiB
	DefaultShutdownTimeout = 10 * time.Second
)

// Config sets the limits and security of a Server. The zero value is a
// read-only server with the default limits.
type Config struct {
	// Timeout is the deadline of every request, queries included. Zero means
	// queries.DefaultTimeout; a negative value means no deadline.
	Timeout time.Duration
	// MaxRows caps the rows of a query result; a request's limit may lower it.
	// A result cut by the cap says so (truncated, X-Truncated). Zero means
	// DefaultMaxRows.
	MaxRows int
	// MaxBody caps request bodies in bytes (413 too_large above it). Zero means
	// DefaultMaxBody.
	MaxBody int64
	// WriteToken enables the write routes for requests that carry
	// "Authorization: Bearer WriteToken". Empty means read-only.
	WriteToken string
	// CORSOrigins are the browser origins allowed to read responses ("*" for
	// any). Empty means none.
	CORSOrigins []string
	// ShutdownTimeout bounds how long Serve waits for running requests once its
	// context is done. Zero means DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// MaxInput caps a load's body once decompressed (413 too_large above it).
	// Zero means DefaultMaxInput.
	MaxInput int64
	// ReadTimeout bounds the reading of a request body. Zero means
	// DefaultReadBody; a negative value means no bound.
	ReadTimeout time.Duration
	// MaxQuery caps the text of a query in bytes. Zero means DefaultMaxQuery.
	MaxQuery int
	// MaxSteps caps the steps of a path expression. Zero means
	// queries.DefaultMaxSteps.
	MaxSteps int
	// MaxQueries is how many queries run at once; more wait up to QueueWait
	// for a slot, then get 503 unavailable with Retry-After. Zero means
	// DefaultMaxQueries().
	MaxQueries int
	// QueueWait is how long a query waits for a slot. Zero means
	// DefaultQueueWait.
	QueueWait time.Duration
	// MaxMemory is the server's memory budget in bytes, which the memory
	// governor (see memory.go) keeps by stopping queries; it also sets the Go
	// memory limit to half of it. Zero means no governor.
	MaxMemory uint64
	// QueryMemory is one query's memory budget in bytes. Zero means an
	// eighth of MaxMemory.
	QueryMemory uint64
	// EmbedOrigins are the origins whose pages may frame /embed (besides
	// loopback pages); the rest of the site may not be framed at all.
	EmbedOrigins []string
	// Logger receives the request log and internal errors; nil means
	// slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() Config {
	if c.Timeout == 0 {
		c.Timeout = queries.DefaultTimeout
	}
	if c.MaxRows <= 0 {
		c.MaxRows = DefaultMaxRows
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxInput <= 0 {
		c.MaxInput = DefaultMaxInput
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = DefaultReadBody
	}
	if c.MaxQuery <= 0 {
		c.MaxQuery = DefaultMaxQuery
	}
	if c.MaxSteps <= 0 {
		c.MaxSteps = queries.DefaultMaxSteps
	}
	if c.MaxQueries <= 0 {
		c.MaxQueries = DefaultMaxQueries()
	}
	if c.QueueWait <= 0 {
		c.QueueWait = DefaultQueueWait
	}
	if c.QueryMemory == 0 {
		c.QueryMemory = c.MaxMemory / 8
	}
	return c
}

// Server serves one store over HTTP. Create it with New, bind it with Open,
// run it with Serve and stop it with Close (or by ending Serve's context).
type Server struct {
	store     *graph.Store
	cfg       Config
	log       *slog.Logger
	tokenHash *[sha256.Size]byte // nil: read-only
	metrics   *metrics
	mux       *http.ServeMux
	handler   http.Handler
	seq       atomic.Uint64 // request ids
	slots     *slots        // admission of queries
	governor  *governor     // nil without a memory budget

	// writeMu serialises the server's writes (see lockWrite), unless the
	// store's batches need no lock (graph.BatchApplier). Reads take no lock:
	// every store factgraph opens (the compact and disk stores, bolt,
	// PostgreSQL) applies a batch atomically and serves reads while it
	// writes; bolt read from its file is the exception (exclusion).
	writeMu    sync.Mutex
	concurrent bool // the store's batches need no lock (graph.BatchApplier)
	// exclusion keeps writes apart from reads for a store that needs it
	// (see exclusive.go).
	exclusion exclusion

	ln         net.Listener
	http       *http.Server
	baseCtx    context.Context // parent of every request's context
	cancelBase context.CancelFunc
}

// New returns a server of store with the given configuration. The store stays
// the caller's to close, after the server is closed.
func New(store *graph.Store, cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{store: store, cfg: cfg, log: cfg.Logger, metrics: newMetrics(), mux: http.NewServeMux(), concurrent: graph.Concurrent(store),
		slots: newSlots(cfg.MaxQueries, cfg.QueueWait)}
	s.governor = newGovernor(cfg.MaxMemory, cfg.QueryMemory, cfg.Logger, s.metrics.limitedQuery)
	s.exclusion.on = exclusive(store)
	if cfg.WriteToken != "" {
		sum := sha256.Sum256([]byte(cfg.WriteToken))
		s.tokenHash = &sum
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.endpoint(rt))
	}
	for pattern, h := range s.pages() {
		s.mux.Handle(pattern, h)
	}
	s.mux.Handle(noRoute, s.endpoint(route{pattern: noRoute, handle: s.handleNoRoute}))
	s.handler = s.observe(s.cors(s.mux))
	s.baseCtx, s.cancelBase = context.WithCancel(context.Background())
	return s
}

// Handler returns the server's HTTP handler, for tests and for mounting it in
// another server.
func (s *Server) Handler() http.Handler { return s.handler }

// Open binds addr ("host:port"; port 0 picks a free one). Bind errors are
// returned here, before anything is served.
func (s *Server) Open(addr string) error {
	if s.ln != nil {
		return errors.New("server already open")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.ln = ln
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !isLoopback(host) {
		s.log.Warn("listening on a non-loopback address: anyone who can reach it can query the store", "addr", ln.Addr().String())
	}
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return s.baseCtx },
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Addr returns the bound address (nil before Open).
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:8475".
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Serve answers requests on the listener of Open until ctx is done, then
// shuts down gracefully (see Close) within Config.ShutdownTimeout. It returns
// nil after a clean shutdown, also when Close stopped it.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		return errors.New("serve: call Open first")
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "drain", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := s.Close(sctx)
	<-errc
	return err
}

// Close stops accepting connections and waits, until ctx is done, for running
// requests to finish. Requests still running then are canceled and their
// connections closed.
func (s *Server) Close(ctx context.Context) error {
	defer s.cancelBase()
	defer s.governor.close()
	if s.http == nil {
		if s.ln != nil {
			return s.ln.Close()
		}
		return nil
	}
	err := s.http.Shutdown(ctx)
	s.ln.Close() // Shutdown closes it only if Serve ran
	if err != nil {
		s.cancelBase() // stop running queries
		s.http.Close()
		return fmt.Errorf("shutdown: running requests cut after the drain timeout: %w", err)
	}
	return nil
}
