package pgha

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/server"
)

// token is the write token of the servers this package starts.
const token = "pgha"

// Server is a factgraph server in this process, on a store URL, that takes
// writes.
type Server struct {
	URL    string // http://127.0.0.1:PORT
	store  *graph.Store
	srv    *server.Server
	cancel context.CancelFunc
	done   chan error
	client *http.Client
}

// StartServer opens the store at storeURL and serves it on a free loopback
// port.
func StartServer(ctx context.Context, storeURL string) (*Server, error) {
	st, err := graph.Open(ctx, storeURL)
	if err != nil {
		return nil, err
	}
	srv := server.New(st, server.Config{
		WriteToken: token,
		Timeout:    time.Minute,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err := srv.Open("127.0.0.1:0"); err != nil {
		st.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	s := &Server{URL: srv.URL(), store: st, srv: srv, cancel: cancel, done: make(chan error, 1),
		client: &http.Client{Timeout: time.Minute}}
	go func() { s.done <- srv.Serve(sctx) }()
	return s, nil
}

// Close stops the server and closes its store.
func (s *Server) Close() error {
	s.cancel()
	err := <-s.done
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	return err
}

// Load posts N-Quads to /api/v1/load and returns the status.
func (s *Server) Load(ctx context.Context, nquads string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", s.URL+"/api/v1/load", strings.NewReader(nquads))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/n-quads")
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// Quads returns the N-Quads of the quads whose subject is the IRI subject.
func (s *Server) Quads(ctx context.Context, subject string) (string, error) {
	q := url.Values{"subject": {"<" + subject + ">"}, "format": {"nquads"}}
	req, err := http.NewRequestWithContext(ctx, "GET", s.URL+"/api/v1/quads?"+q.Encode(), nil)
	if err != nil {
		return "", err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return string(b), nil
	case http.StatusNotFound: // no node of that name (yet)
		return "", nil
	}
	return "", fmt.Errorf("GET quads of %s: %s: %s", subject, resp.Status, b)
}
