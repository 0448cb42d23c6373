package pg

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// changeTable records every write, one row per transaction, numbered in
// commit order (writers lock the table before they write). A replica applies
// the rows after its snapshot: it reads the quads a write added from the
// quads table by their horizons, and those it deleted from the row itself,
// since they are gone from the tables. Rows older than the retention are
// deleted; factgraph_changes_pruned holds the last one deleted, so that a
// replica that was away longer knows it cannot follow.
const changeTable = `CREATE TABLE IF NOT EXISTS factgraph_changes (
	seq BIGSERIAL PRIMARY KEY,
	at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
	added_from BIGINT, -- horizons of the quads added: added_from..added_to
	added_to BIGINT,
	deleted BYTEA      -- the quads deleted, in pquads
);
CREATE TABLE IF NOT EXISTS factgraph_changes_pruned (through BIGINT NOT NULL);
INSERT INTO factgraph_changes_pruned SELECT 0 WHERE NOT EXISTS (SELECT FROM factgraph_changes_pruned)`

// changeChannel is the LISTEN/NOTIFY channel a write notifies on commit.
const changeChannel = "factgraph_changes"

// ensureChangeTable creates the change table where Cayley's tables exist and
// it does not, unless the database takes no writes (a standby: its primary
// creates the table, and replication brings it).
func (s *Store) ensureChangeTable(ctx context.Context) error {
	var missing bool
	err := s.pool.QueryRow(ctx, `SELECT to_regclass('quads') IS NOT NULL AND to_regclass('factgraph_changes') IS NULL AND NOT pg_is_in_recovery()`).Scan(&missing)
	if err != nil || !missing {
		return storeError(err)
	}
	return storeError(pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Two processes opening the store at once must not both create it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('factgraph_changes'))`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, changeTable)
		return err
	}))
}

// quadsIndexes are the secondary indexes and foreign keys of the quads
// table, as PostgreSQL describes them: what a bulk load into an empty store
// drops, and makes again after the copy.
type quadsIndexes struct {
	indexes     [][2]string // name, CREATE INDEX statement
	constraints [][2]string // name, definition
}

func readQuadsIndexes(ctx context.Context, tx pgx.Tx) (quadsIndexes, error) {
	var ix quadsIndexes
	var err error
	ix.indexes, err = namedDefinitions(ctx, tx, `SELECT c.relname, pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'quads'::regclass AND NOT i.indisprimary ORDER BY c.relname`)
	if err != nil {
		return ix, err
	}
	ix.constraints, err = namedDefinitions(ctx, tx, `SELECT conname, pg_get_constraintdef(oid)
		FROM pg_constraint WHERE conrelid = 'quads'::regclass AND contype = 'f' ORDER BY conname`)
	return ix, err
}

// namedDefinitions runs a query of two text columns, a name and a
// definition.
func namedDefinitions(ctx context.Context, tx pgx.Tx, query string) ([][2]string, error) {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	var (
		out [][2]string
		d   [2]string
	)
	_, err = pgx.ForEachRow(rows, []any{&d[0], &d[1]}, func() error { out = append(out, d); return nil })
	return out, err
}

func (ix quadsIndexes) drop(ctx context.Context, tx pgx.Tx) error {
	for _, c := range ix.constraints {
		if _, err := tx.Exec(ctx, `ALTER TABLE quads DROP CONSTRAINT `+pgx.Identifier{c[0]}.Sanitize()); err != nil {
			return err
		}
	}
	for _, i := range ix.indexes {
		if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{i[0]}.Sanitize()); err != nil {
			return err
		}
	}
	return nil
}

func (ix quadsIndexes) create(ctx context.Context, tx pgx.Tx) error {
	// Room to sort a few million quads in memory.
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	for _, i := range ix.indexes {
		if _, err := tx.Exec(ctx, i[1]); err != nil {
			return err
		}
	}
	for _, c := range ix.constraints {
		if _, err := tx.Exec(ctx, `ALTER TABLE quads ADD CONSTRAINT `+pgx.Identifier{c[0]}.Sanitize()+` `+c[1]); err != nil {
			return err
		}
	}
	return nil
}
