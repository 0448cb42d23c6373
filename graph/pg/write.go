package pg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
// foreign keys and make them again after the copy: into a store holding at
// most rebuildRatio times as many quads as the load. Below either, keeping
// them costs less than making them again.
const (
	bulkMin      = 20000
	rebuildRatio = 8
)

// plan is how a write goes.
type plan struct {
	empty   bool // no quads and no nodes are stored: nothing to look up
	rebuild bool // drop the quads table's indexes and make them after
}

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
		p, err := choose(ctx, tx, b)
		if err != nil {
			return err
		}
		res, err = apply(ctx, tx, b, check, p, s.retention)
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

// choose plans a write: a large load into a store that holds few quads
// rebuilds the indexes.
func choose(ctx context.Context, tx pgx.Tx, b *batch) (plan, error) {
	var p plan
	if len(b.quads) < bulkMin || !b.allAdds() {
		return p, nil
	}
	// Count no further than it matters.
	var stored int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM (SELECT FROM quads LIMIT $1) q`, rebuildRatio*len(b.quads)+1).Scan(&stored)
	if err != nil {
		return p, err
	}
	p.rebuild = stored <= rebuildRatio*len(b.quads)
	if stored == 0 {
		// (Cayley's own writer can leave nodes that no quad holds: it
		// counts a repeated quad's nodes again.)
		err = tx.QueryRow(ctx, `SELECT NOT EXISTS (SELECT FROM nodes)`).Scan(&p.empty)
	}
	return p, err
}

// matches is the join of a staged quad f with a stored one q.
const matches = `q.subject_hash = f.s AND q.predicate_hash = f.p AND q.object_hash = f.o AND q.label_hash IS NOT DISTINCT FROM f.l`

// apply writes b. The batch's quads are copied into a staging table, where
// one join with the quads table marks those stored; then only the quads
// whose presence changes are deleted, or copied into the quads table, and
// only the reference counts of their nodes change (new nodes are copied in).
// The rows are those Cayley's writer makes for the same changes. Into an
// empty store there is nothing to look up and nothing is staged.
func apply(ctx context.Context, tx pgx.Tx, b *batch, check func(stored []bool) error, p plan, retention time.Duration) (result, error) {
	var res result
	stored := make([]bool, len(b.quads))
	if !p.empty {
		if err := stage(ctx, tx, b, stored); err != nil {
			return res, err
		}
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
	var (
		deleted []byte
		err     error
	)
	if len(dels) > 0 {
		// What a replica must delete, read back as it holds the values.
		if deleted, err = encodeQuads(ctx, tx, quadsQuery("fg_quads f JOIN quads q ON "+matches, "NOT f.want AND f.stored")); err != nil {
			return res, err
		}
	}
	// The node rows are made while the quads copy when that may come first.
	type nodeRows struct {
		rows [][]any
		err  error
	}
	made := make(chan nodeRows, 1)
	go func() {
		rows, err := b.nodeRows(adds, dels)
		made <- nodeRows{rows, err}
	}()
	count := func() error {
		n := <-made
		if n.err != nil {
			return n.err
		}
		return countNodes(ctx, tx, n.rows, p.empty)
	}
	var ix quadsIndexes
	if p.rebuild {
		if ix, err = dropQuadsIndexes(ctx, tx); err != nil {
			return res, err
		}
	} else if err := count(); err != nil { // before the quads that the foreign keys check
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
		if from, to, err = insertQuads(ctx, tx, b, adds); err != nil {
			return res, err
		}
		res.added = len(adds)
	}
	if p.rebuild {
		if err := count(); err != nil {
			return res, err
		}
		if err := ix.create(ctx, tx); err != nil {
			return res, err
		}
	}
	res.seq, err = recordChange(ctx, tx, from, to, deleted, retention)
	return res, err
}

// stage copies the quads of b into the staging table fg_quads (gone at
// commit) and sets stored[i] for those the store holds.
func stage(ctx context.Context, tx pgx.Tx, b *batch, stored []bool) error {
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE fg_quads (i INT4, s BYTEA, p BYTEA, o BYTEA, l BYTEA, want BOOL,
		stored BOOL NOT NULL DEFAULT false) ON COMMIT DROP`); err != nil {
		return err
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"fg_quads"}, []string{"i", "s", "p", "o", "l", "want"},
		pgx.CopyFromSlice(len(b.quads), func(i int) ([]any, error) {
			s, p, o, l := b.quadHashes(i)
			return []any{int32(i), s, p, o, l, b.want[i]}, nil
		}))
	if err != nil {
		return err
	}
	if len(b.quads) > 1000 { // so that the planner joins it whole
		if _, err := tx.Exec(ctx, `ANALYZE fg_quads`); err != nil {
			return err
		}
	}
	rows, err := tx.Query(ctx, `UPDATE fg_quads f SET stored = true FROM quads q WHERE `+matches+` RETURNING f.i`)
	if err != nil {
		return err
	}
	var i int32
	_, err = pgx.ForEachRow(rows, []any{&i}, func() error { stored[i] = true; return nil })
	return err
}

// countNodes changes the reference counts of the nodes of rows (from
// batch.nodeRows) that are stored, through the staging table fg_nodes, and
// copies the others into the nodes table. In an empty store all are new.
func countNodes(ctx context.Context, tx pgx.Tx, rows [][]any, empty bool) error {
	fresh := rows
	if !empty {
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE fg_nodes (hash BYTEA, refs INT4) ON COMMIT DROP`); err != nil {
			return err
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"fg_nodes"}, []string{"hash", "refs"},
			pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) { return rows[i][:2], nil }))
		if err != nil {
			return err
		}
		res, err := tx.Query(ctx, `UPDATE nodes n SET refs = n.refs + f.refs FROM fg_nodes f WHERE n.hash = f.hash RETURNING n.hash`)
		if err != nil {
			return err
		}
		known := make(map[string]bool)
		var h []byte
		if _, err := pgx.ForEachRow(res, []any{&h}, func() error { known[string(h)] = true; return nil }); err != nil {
			return err
		}
		fresh = make([][]any, 0, len(rows)-len(known))
		for _, r := range rows {
			if !known[string(r[0].([]byte))] {
				fresh = append(fresh, r)
			}
		}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"nodes"}, nodeColumns, pgx.CopyFromRows(fresh))
	return err
}

// insertQuads copies the quads adds (indexes into b, in order) into the
// quads table, and returns the horizons they got: every one after the
// largest stored before, since writers take turns.
func insertQuads(ctx context.Context, tx pgx.Tx, b *batch, adds []int) (from, to *int64, err error) {
	var last int64
	var ts any // Cayley's writer stamps quads with now() cast to the column's type
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(horizon), 0), now()::timestamp FROM quads`).Scan(&last, &ts); err != nil {
		return nil, nil, err
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"quads"}, []string{"subject_hash", "predicate_hash", "object_hash", "label_hash", "ts"},
		pgx.CopyFromSlice(len(adds), func(k int) ([]any, error) {
			s, p, o, l := b.quadHashes(adds[k])
			return []any{s, p, o, l, ts}, nil
		}))
	if err != nil {
		return nil, nil, err
	}
	var max int64
	if err := tx.QueryRow(ctx, `SELECT max(horizon) FROM quads`).Scan(&max); err != nil {
		return nil, nil, err
	}
	first := last + 1
	return &first, &max, nil
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
