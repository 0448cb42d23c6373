package pg

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/factgraph/factgraph/graph/errs"
)

// storeError gives a PostgreSQL error the meaning a user can act on: a write
// refused by a standby is read_only; a connection lost, refused, or to a
// server that is shutting down or starting is unavailable (a failover in
// progress, say). Other errors stay as they are.
func storeError(err error) error {
	var (
		ge *errs.Error
		de *cgraph.DeltaError
		pe *pgconn.PgError
	)
	switch {
	case err == nil, errors.As(err, &ge), errors.As(err, &de),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &pe):
		switch {
		case pe.Code == "25006": // read_only_sql_transaction
			return &errs.Error{Code: errs.ReadOnly, Err: err,
				Message: "the store is read-only: its PostgreSQL server is a standby (a replica); send writes to a server on the primary"}
		case strings.HasPrefix(pe.Code, "08"), // connection_exception
			pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // shutting down, crashed, starting
			return unavailable(err)
		}
		return err
	}
	return unavailable(err)
}

// unavailable marks err as the store being out of reach if it is a
// connection error, and returns it unchanged otherwise.
func unavailable(err error) error {
	var (
		ce *pgconn.ConnectError
		ne net.Error
	)
	if errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || pgconn.SafeToRetry(err) {
		return &errs.Error{Code: errs.Unavailable, Err: err,
			Message: "the PostgreSQL store cannot be reached (" + err.Error() + "); try again: a failover may be under way"}
	}
	return err
}
