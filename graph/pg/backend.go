package pg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	graphlog "github.com/cayleygraph/cayley/graph/log"
	csql "github.com/cayleygraph/cayley/graph/sql"
	"github.com/cayleygraph/cayley/graph/sql/postgres"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", for Cayley's reads

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// Name is the name factgraph's PostgreSQL store is registered under with
// Cayley; graph.Open maps postgres:// URLs onto it.
const Name = graph.BackendPostgres

// cayleyFlavour is Cayley's SQL backend on pgx's database/sql driver, which
// takes multi-host URLs. Store reads through it; it is registered with Cayley
// under this name too, as every SQL flavour is.
const cayleyFlavour = "pg-cayley"

func init() {
	csql.Register(cayleyFlavour, csql.Registration{
		Driver:             "pgx",
		HashType:           `BYTEA`,
		BytesType:          `BYTEA`,
		HorizonType:        `BIGSERIAL`,
		TimeType:           `timestamp with time zone`,
		QueryDialect:       postgres.QueryDialect,
		ConditionalIndexes: true,
		FillFactor:         true,
		Error:              cayleyError,
		Estimated: func(table string) string {
			return "SELECT reltuples::BIGINT AS estimate FROM pg_class WHERE relname='" + table + "';"
		},
		RunTx: func(tx *sql.Tx, nodes []graphlog.NodeUpdate, quads []graphlog.QuadUpdate, opts cgraph.IgnoreOpts) error {
			return cayleyError(postgres.RunTxPostgres(tx, nodes, quads, opts))
		},
	})
	cgraph.RegisterQuadStore(Name, cgraph.QuadStoreRegistration{
		NewFunc: func(addr string, _ cgraph.Options) (cgraph.QuadStore, error) {
			ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
			defer cancel()
			return Open(ctx, addr)
		},
		InitFunc: func(addr string, _ cgraph.Options) error {
			ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
			defer cancel()
			return Init(ctx, addr)
		},
		IsPersistent: true,
	})
}

// openTimeout bounds opening a store through Cayley's registry, which passes
// no context. A memory replica's first fill is part of opening it.
const openTimeout = 10 * time.Minute

// cayleyError gives pgx's errors the meaning Cayley's postgres flavour gives
// lib/pq's: a table that exists already, a quad that does.
func cayleyError(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "42P07": // duplicate_table
			return cgraph.ErrDatabaseExists
		case "23505": // unique_violation
			return &cgraph.DeltaError{Err: cgraph.ErrQuadExists}
		}
	}
	return err
}

// Settings are what a postgres:// URL says beyond the connection, in query
// parameters that factgraph takes out before pgx sees the URL:
//
//	replica=memory        keep a compact in-memory replica and answer queries from it
//	replica_poll=100ms    how often the replica looks for changes besides LISTEN
//	replica_wait=30s      how long a write waits to see itself in the replica
//	change_retention=24h  how long the change rows that replicas follow are kept
type Settings struct {
	Conn            string        // the URL without factgraph's parameters
	Replica         bool          // replica=memory
	ReplicaPoll     time.Duration // replica_poll
	ReplicaWait     time.Duration // replica_wait
	ChangeRetention time.Duration // change_retention
}

// Defaults of the URL parameters.
const (
	DefaultReplicaPoll     = 100 * time.Millisecond
	DefaultReplicaWait     = 30 * time.Second
	DefaultChangeRetention = 24 * time.Hour
)

// params are factgraph's URL parameters, which pgx must not see.
var params = []string{"replica", "replica_poll", "replica_wait", "change_retention"}

// ParseSettings splits a postgres:// URL into the connection URL and
// factgraph's parameters.
func ParseSettings(raw string) (Settings, error) {
	s := Settings{ReplicaPoll: DefaultReplicaPoll, ReplicaWait: DefaultReplicaWait, ChangeRetention: DefaultChangeRetention}
	u, err := url.Parse(raw)
	if err != nil {
		return s, errs.Errorf(errs.Invalid, "store URL: %v", err)
	}
	q := u.Query()
	switch r := q.Get("replica"); r {
	case "", "none":
	case "memory":
		s.Replica = true
	default:
		return s, errs.Errorf(errs.Invalid, "store URL: replica=%s: expected replica=memory or replica=none", r)
	}
	for _, p := range []struct {
		name string
		dst  *time.Duration
	}{{"replica_poll", &s.ReplicaPoll}, {"replica_wait", &s.ReplicaWait}, {"change_retention", &s.ChangeRetention}} {
		if v := q.Get(p.name); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return s, errs.Errorf(errs.Invalid, "store URL: %s=%s: expected a positive duration such as 100ms or 5s", p.name, v)
			}
			*p.dst = d
		}
	}
	if (q.Has("replica_poll") || q.Has("replica_wait")) && !s.Replica {
		return s, errs.Errorf(errs.Invalid, "store URL: replica_poll and replica_wait apply to a memory replica; add replica=memory")
	}
	for _, k := range params {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	s.Conn = u.String()
	return s, nil
}

// Open opens the store at a postgres:// URL: a *Store, or with replica=memory
// a *Replica of it. The schema must exist (Init creates it).
func Open(ctx context.Context, addr string) (cgraph.QuadStore, error) {
	s, err := ParseSettings(addr)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, s.Conn, s.ChangeRetention)
	if err != nil {
		return nil, err
	}
	if !s.Replica {
		return st, nil
	}
	r, err := NewReplica(ctx, st, ReplicaOptions{Poll: s.ReplicaPoll, Wait: s.ReplicaWait})
	if err != nil {
		st.Close()
		return nil, err
	}
	return r, nil
}

// Init creates Cayley's tables and factgraph's change table in the database
// at addr. It returns an error wrapping cgraph.ErrDatabaseExists when Cayley's
// tables are there already (after adding the change table if it was missing).
func Init(ctx context.Context, addr string) error {
	s, err := ParseSettings(addr)
	if err != nil {
		return err
	}
	st, err := OpenStore(ctx, s.Conn)
	if err != nil {
		return err
	}
	defer st.Close()
	var exists bool
	if err := st.pool.QueryRow(ctx, `SELECT to_regclass('quads') IS NOT NULL`).Scan(&exists); err != nil {
		return storeError(err)
	}
	initErr := cgraph.ErrDatabaseExists
	if !exists { // (Cayley's Init logs an error when the tables exist)
		if initErr = csql.Init(cayleyFlavour, s.Conn, nil); initErr != nil {
			return initErr
		}
	}
	if err := st.ensureChangeTable(ctx); err != nil {
		return fmt.Errorf("create change table: %w", err)
	}
	return initErr
}
