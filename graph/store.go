package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"

	"github.com/factgraph/factgraph/graph/errs"
)

// Backend names of the Cayley quad stores that each URL scheme opens. The binary
// must blank-import their packages (see cmd/factgraph).
const (
	BackendMemory   = "compact"
	BackendDisk     = "disk"
	BackendBolt     = "bbolt"
	BackendPostgres = "pg" // graph/pg: Cayley's SQL schema, COPY loads, change feed
)

// Store is an open quad store together with the URL it was opened from.
type Store struct {
	cgraph.QuadStore
	URL     string // as given by the user
	Backend string // Cayley backend name
	Address string // what the backend was opened with ("" for memory)
}

// Inner returns the Cayley quad store that qs is or wraps: the backend a
// *Store was opened on. Queries run on it rather than on the *Store, because
// what a backend implements beyond graph.QuadStore (its shape optimizer, its
// quad indexer) is not promoted through the embedding.
func Inner(qs cgraph.QuadStore) cgraph.QuadStore {
	if s, ok := qs.(*Store); ok {
		return s.QuadStore
	}
	return cgraph.Unwrap(qs)
}

// IsMemory reports whether the store lives only in this process.
func (s *Store) IsMemory() bool { return s.Backend == BackendMemory }

// Location is the parsed form of a --db URL.
type Location struct {
	Backend string
	Address string
}

// ParseURL maps a --db URL onto a Cayley backend and address:
//
//	memory, memory://              in-process store
//	disk://relative/dir, disk:///abs/dir   factgraph's persistent store (graph/disk); ?checkpoint=BYTES
//	bolt://relative/dir, bolt:///abs/dir   bbolt file DIR/indexes.bolt
//	postgres://user@host/db?...    Cayley's SQL backend on PostgreSQL
func ParseURL(raw string) (Location, error) {
	if raw == "" || raw == "memory" || raw == "memory://" || raw == "mem" {
		return Location{Backend: BackendMemory}, nil
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return Location{}, errs.Errorf(errs.Invalid, "store URL %q: expected memory, disk://DIR, bolt://PATH or postgres://...", raw)
	}
	switch scheme {
	case "disk":
		dir, query, _ := strings.Cut(rest, "?")
		if dir == "" {
			return Location{}, errs.Errorf(errs.Invalid, "store URL %q: expected a directory after disk://", raw)
		}
		if query != "" {
			query = "?" + query
		}
		return Location{Backend: BackendDisk, Address: filepath.Clean(dir) + query}, nil
	case "bolt":
		if rest == "" {
			return Location{}, errs.Errorf(errs.Invalid, "store URL %q: expected a path after bolt://", raw)
		}
		return Location{Backend: BackendBolt, Address: filepath.Clean(rest)}, nil
	case "postgres", "postgresql":
		if _, err := url.Parse(raw); err != nil {
			return Location{}, errs.Errorf(errs.Invalid, "store URL %q: %v", raw, err)
		}
		return Location{Backend: BackendPostgres, Address: raw}, nil
	}
	return Location{}, errs.Errorf(errs.Invalid, "store URL %q: unknown scheme %q (want memory, disk, bolt or postgres)", raw, scheme)
}

// boltFile is the file of a bolt store in its directory (Cayley's layout).
const boltFile = "indexes.bolt"

// ErrStoreInUse is returned by Open for a bolt store that another process has
// open: bolt allows one process at a time.
var ErrStoreInUse = &errs.Error{Code: errs.Conflict, Message: "the store is open in another process (a running factgraph serve?); a bolt store can be open in one process at a time: stop that process, or send the work to its HTTP API"}

// Open opens (and, for persistent backends, creates on first use) the store at
// rawURL. The context bounds only the opening.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	loc, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if !cgraph.IsRegistered(loc.Backend) {
		return nil, errs.Errorf(errs.Invalid, "store URL %q: backend %q is not compiled into this binary", rawURL, loc.Backend)
	}
	if loc.Backend == BackendBolt {
		if err := checkUnlocked(filepath.Join(loc.Address, boltFile)); err != nil {
			return nil, fmt.Errorf("open store %s: %w", rawURL, err)
		}
		// Bolt is initialized before it is opened: Cayley's open of a bolt
		// file without its schema (an empty directory gets one) fails
		// without closing the file, whose lock then holds the next open
		// for ever. Init of an initialized file changes nothing.
		if err := cgraph.InitQuadStore(loc.Backend, loc.Address, nil); err != nil && !errors.Is(err, cgraph.ErrDatabaseExists) {
			return nil, fmt.Errorf("open store %s: create: %w", rawURL, err)
		}
	}
	qs, err := cgraph.NewQuadStore(loc.Backend, loc.Address, nil)
	if loc.Address != "" && (err != nil || !initialized(ctx, qs)) {
		if qs != nil {
			qs.Close()
		}
		// A database that does not exist yet is created on first use. (Init is
		// not called on every open: SQL backends log an error when it finds the
		// tables already there.)
		if ierr := cgraph.InitQuadStore(loc.Backend, loc.Address, nil); ierr != nil && !errors.Is(ierr, cgraph.ErrDatabaseExists) {
			return nil, fmt.Errorf("open store %s: create: %w", rawURL, ierr)
		}
		qs, err = cgraph.NewQuadStore(loc.Backend, loc.Address, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", rawURL, err)
	}
	if err := ctx.Err(); err != nil {
		qs.Close()
		return nil, err
	}
	return &Store{QuadStore: qs, URL: rawURL, Backend: loc.Backend, Address: loc.Address}, nil
}

// initialized reports whether a freshly opened store has its schema: SQL
// backends open an empty database without complaint and fail on first use. A
// key-value store without a quad count yet is initialized but empty.
func initialized(ctx context.Context, qs cgraph.QuadStore) bool {
	_, err := qs.Stats(ctx, false)
	return err == nil || errors.Is(err, kv.ErrNoBucket)
}

// Stats returns the store's node and quad counts. A key-value store (bolt) that
// was created but never written to has no count yet: that is an empty store.
func (s *Store) Stats(ctx context.Context, exact bool) (cgraph.Stats, error) {
	st, err := s.QuadStore.Stats(ctx, exact)
	if errors.Is(err, kv.ErrNoBucket) {
		return cgraph.Stats{}, nil
	}
	return st, err
}

// Init creates the database at rawURL (its file or schema). It returns an
// error wrapping cgraph.ErrDatabaseExists when there is one already. Memory
// stores need none.
func Init(ctx context.Context, rawURL string) error {
	loc, err := ParseURL(rawURL)
	if err != nil {
		return err
	}
	if loc.Backend == BackendMemory {
		return errs.Errorf(errs.Invalid, "a memory store needs no init; give --db disk://DIR, bolt://PATH or postgres://...")
	}
	if !cgraph.IsRegistered(loc.Backend) {
		return errs.Errorf(errs.Invalid, "store URL %q: backend %q is not compiled into this binary", rawURL, loc.Backend)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := cgraph.InitQuadStore(loc.Backend, loc.Address, nil); err != nil {
		return fmt.Errorf("init store %s: %w", rawURL, err)
	}
	return nil
}

// QuadCount returns the exact number of quads in qs, cheaply where the backend
// keeps an exact count: it asks for inexact stats first, which on bolt and in
// memory are exact for quads and skip counting every node. A key-value store
// that was never written to has no count yet: zero.
func QuadCount(ctx context.Context, qs cgraph.QuadStore) (int64, error) {
	st, err := qs.Stats(ctx, false)
	if err == nil && !st.Quads.Exact {
		st, err = qs.Stats(ctx, true)
	}
	if errors.Is(err, kv.ErrNoBucket) {
		return 0, nil
	}
	return st.Quads.Value, err
}
