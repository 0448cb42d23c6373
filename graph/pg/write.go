package pg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/jackc/pgx/v5"
)

// result is what a write did.
type result struct {
	added, deleted int
	seq            int64 // its row in the change table; 0 if it changed nothing
}

// bulkMin is the smallest load that may drop the quads table's indexes and
// foreign keys and make them again after the copy (always into an empty
// store, and into a store holding at most rebuildRatio times as many quads
// as the load adds); below it, keeping them costs less.
const (
	bulkMin      = 20000
	rebuildRatio = 8
)

// write runs b in one transaction: all of it or, on error, nothing. check,
// if not nil, is given which quads of b the store holds and may refuse the
// write (ApplyDeltas' duplicate and missing-quad errors).
func (s *Store) write(ctx context.Context, b *batch, check func(stored []bool) error) (result, error) {
	if len(b.quads) == 0 {
		return result{}, nil
	}
	var res result
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Writers take turns, so change rows are numbered in commit order
		// and a replica that applies them in order never skips one that
		// commits late. Readers are not held up.
		if _, err := tx.Exec(ctx, `LOCK TABLE factgraph_changes IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var err error
		rebuild := false
		if len(b.quads) >= bulkMin && b.allAdds() {
			var stored int
			if stored, err = countUpTo(ctx, tx, rebuildRatio*len(b.quads)+1); err != nil {
				return err
			}
			if stored == 0 {
				var empty bool
				if empty, err = nodesEmpty(ctx, tx); err != nil {
					return err
				}
				if empty {
					res, err = loadEmpty(ctx, tx, b, s.retention)
					return err
				}
			}
			rebuild = stored <= rebuildRatio*len(b.quads)
		}
		res, err = merge(ctx, tx, b, check, rebuild, s.retention)
		return err
	})
	if err != nil {
		var de *cgraph.DeltaError
		if errors.As(err, &de) {
			return result{}, de // Cayley's callers look for this type itself
		}
		return result{}, storeError(fmt.Errorf("write: %w", err))
	}
	return res, nil
}

// countUpTo counts the stored quads, but no further than limit.
func countUpTo(ctx context.Context, tx pgx.Tx, limit int) (int, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT FROM quads LIMIT $1) q`, limit).Scan(&n)
	return n, err
}

// nodesEmpty reports whether the nodes table is empty. (Cayley's own writer
// can leave nodes that no quad holds: it counts a repeated quad's nodes
// again.)
func nodesEmpty(ctx context.Context, tx pgx.Tx) (bool, error) {
	var empty bool
	err := tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM nodes)`).Scan(&empty)
	return empty, err
}

// The staging tables of a merge, gone at commit.
const stagingTables = `
CREATE TEMP TABLE fg_quads (i INT4, s BYTEA, p BYTEA, o BYTEA, l BYTEA, want BOOL, stored BOOL NOT NULL DEFAULT false) ON COMMIT DROP;
CREATE TEMP TABLE fg_nodes (LIKE nodes) ON COMMIT DROP`

// matches is the join of a staged quad f with a stored one q.
const matches = `q.subject_hash = f.s AND q.predicate_hash = f.p AND q.object_hash = f.o AND q.label_hash IS NOT DISTINCT FROM f.l`

// merge applies b through the staging tables: the batch's quads are copied
// in, one join marks those stored, and then only the quads whose presence
// changes are deleted or inserted, with the reference counts of their nodes.
// With rebuild, the quads table's indexes and foreign keys are dropped
// before the insert and made again after it.
func merge(ctx context.Context, tx pgx.Tx, b *batch, check func(stored []bool) error, rebuild bool, retention time.Duration) (result, error) {
	var res result
	if _, err := tx.Exec(ctx, stagingTables); err != nil {
		return res, err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"fg_quads"}, []string{"i", "s", "p", "o", "l", "want"},
		pgx.CopyFromSlice(len(b.quads), func(i int) ([]any, error) {
			s, p, o, l := b.quadHashes(i)
			return []any{int32(i), s, p, o, l, b.want[i]}, nil
		}))
	if err != nil {
		return res, err
	}
	if len(b.quads) > 1000 {
		if _, err := tx.Exec(ctx, `ANALYZE fg_quads`); err != nil {
			return res, err
		}
	}
	stored := make([]bool, len(b.quads))
	rows, err := tx.Query(ctx, `UPDATE fg_quads f SET stored = true FROM quads q WHERE `+matches+` RETURNING f.i`)
	if err != nil {
		return res, err
	}
	var i int32
	_, err = pgx.ForEachRow(rows, []any{&i}, func() error { stored[i] = true; return nil })
	if err != nil {
		return res, err
	}
	if check != nil {
		if err := check(stored); err != nil {
			return res, err
		}
	}
	var adds, dels []int
	for i, want := range b.want {
		switch {
		case want && !stored[i]:
			adds = append(adds, i)
		case !want && stored[i]:
			dels = append(dels, i)
		}
	}
	if len(adds) == 0 && len(dels) == 0 {
		return res, nil
	}
	nodes, err := b.nodeRows(adds, dels)
	if err != nil {
		return res, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"fg_nodes"}, nodeColumns, pgx.CopyFromRows(nodes)); err != nil {
		return res, err
	}
	var deleted []byte
	if len(dels) > 0 {
		// What a replica must delete, read back as it holds the values.
		if deleted, err = encodeQuads(ctx, tx, quadsQuery("fg_quads f JOIN quads q ON "+matches, "NOT f.want AND f.stored")); err != nil {
			return res, err
		}
	}
	var ix quadsIndexes
	if rebuild {
		if ix, err = dropQuadsIndexes(ctx, tx); err != nil {
			return res, err
		}
	}
	cols := "hash, refs, " + strings.Join(valueColumns, ", ")
	if _, err := tx.Exec(ctx, `INSERT INTO nodes (`+cols+`) SELECT `+cols+` FROM fg_nodes
		ON CONFLICT (hash) DO UPDATE SET refs = nodes.refs + EXCLUDED.refs`); err != nil {
		return res, err
	}
	if len(dels) > 0 {
		tag, err := tx.Exec(ctx, `DELETE FROM quads q USING fg_quads f WHERE NOT f.want AND f.stored AND `+matches)
		if err != nil {
			return res, err
		}
		res.deleted = int(tag.RowsAffected())
		if _, err := tx.Exec(ctx, `DELETE FROM nodes n USING fg_nodes f WHERE f.refs < 0 AND n.hash = f.hash AND n.refs <= 0`); err != nil {
			return res, err
		}
	}
	var from, to *int64
	if len(adds) > 0 {
		err := tx.QueryRow(ctx, `WITH ins AS (
			INSERT INTO quads (subject_hash, predicate_hash, object_hash, label_hash, ts)
			SELECT s, p, o, l, now() FROM fg_quads WHERE want AND NOT stored ORDER BY i
			RETURNING horizon)
			SELECT min(horizon), max(horizon), count(*) FROM ins`).Scan(&from, &to, &res.added)
		if err != nil {
			return res, err
		}
	}
	if rebuild {
		if err := ix.create(ctx, tx); err != nil {
			return res, err
		}
	}
	res.seq, err = recordChange(ctx, tx, from, to, deleted, retention)
	return res, err
}

// dropQuadsIndexes takes the tables for the transaction (readers wait for
// it) and drops the quads table's secondary indexes and foreign keys, which
// it returns to be made again.
func dropQuadsIndexes(ctx context.Context, tx pgx.Tx) (quadsIndexes, error) {
	if _, err := tx.Exec(ctx, `LOCK TABLE quads, nodes IN ACCESS EXCLUSIVE MODE`); err != nil {
		return quadsIndexes{}, err
	}
	ix, err := readQuadsIndexes(ctx, tx)
	if err != nil {
		return ix, err
	}
	return ix, ix.drop(ctx, tx)
}

// loadEmpty adds b, all adds, to a store with no quads and no nodes: it
// copies straight into Cayley's tables with the quads table's secondary
// indexes and foreign keys dropped, and makes them again after the copy (one
// sort per index instead of an index insert per quad). Readers wait for it.
func loadEmpty(ctx context.Context, tx pgx.Tx, b *batch, retention time.Duration) (result, error) {
	var res result
	ix, err := dropQuadsIndexes(ctx, tx)
	if err != nil {
		return res, err
	}
	all := make([]int, len(b.quads))
	for i := range all {
		all[i] = i
	}
	nodes, err := b.nodeRows(all, nil)
	if err != nil {
		return res, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"nodes"}, nodeColumns, pgx.CopyFromRows(nodes)); err != nil {
		return res, err
	}
	nodes = nil
	// Cayley's writer stamps quads with now() cast to the column's type.
	var ts any
	if err := tx.QueryRow(ctx, `SELECT now()::timestamp`).Scan(&ts); err != nil {
		return res, err
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"quads"}, []string{"subject_hash", "predicate_hash", "object_hash", "label_hash", "ts"},
		pgx.CopyFromSlice(len(b.quads), func(i int) ([]any, error) {
			s, p, o, l := b.quadHashes(i)
			return []any{s, p, o, l, ts}, nil
		}))
	if err != nil {
		return res, err
	}
	res.added = int(n)
	if err := ix.create(ctx, tx); err != nil {
		return res, err
	}
	var from, to int64
	if err := tx.QueryRow(ctx, `SELECT min(horizon), max(horizon) FROM quads`).Scan(&from, &to); err != nil {
		return res, err
	}
	res.seq, err = recordChange(ctx, tx, &from, &to, nil, retention)
	return res, err
}

// pruneEvery is how often, in changes, a write deletes the change rows past
// their retention.
const pruneEvery = 100

// recordChange appends the write's row to the change table and notifies
// listeners, who hear of it when the transaction commits. Every pruneEvery
// changes it deletes the rows older than retention.
func recordChange(ctx context.Context, tx pgx.Tx, from, to *int64, deleted []byte, retention time.Duration) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, `INSERT INTO factgraph_changes (added_from, added_to, deleted) VALUES ($1, $2, $3) RETURNING seq`,
		from, to, deleted).Scan(&seq)
	if err != nil {
		return 0, err
	}
	if seq%pruneEvery == 0 {
		_, err := tx.Exec(ctx, `WITH gone AS (DELETE FROM factgraph_changes WHERE at < clock_timestamp() - $1::interval RETURNING seq)
			UPDATE factgraph_changes_pruned SET through = greatest(through, (SELECT max(seq) FROM gone))
			WHERE EXISTS (SELECT FROM gone)`, retention)
		if err != nil {
			return 0, err
		}
	}
	_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changeChannel, fmt.Sprint(seq))
	return seq, err
}

// encodeQuads runs query (from quadsQuery) and returns its quads in pquads.
func encodeQuads(ctx context.Context, tx pgx.Tx, query string) ([]byte, error) {
	var buf bytes.Buffer
	w := pquads.NewWriter(&buf, &pquads.Options{Full: true})
	err := copyQuads(ctx, tx.Conn().PgConn(), query, func(q quad.Quad) error { return w.WriteQuad(q) })
	if err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
