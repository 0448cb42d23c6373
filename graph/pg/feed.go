package pg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// fill copies every quad of the store into mem, in one repeatable-read
// snapshot, and returns the last change that snapshot includes: writers
// number changes in commit order, so the snapshot holds exactly the changes
// up to it.
func fill(ctx context.Context, conn string, mem cgraph.QuadStore) (int64, error) {
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		return 0, err
	}
	defer c.Close(context.Background())
	tx, err := c.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	var seq int64
	// A standby whose primary has not made the change table yet has no
	// changes to give. Pruned changes are in the snapshot too.
	err = tx.QueryRow(ctx, `SELECT CASE WHEN to_regclass('factgraph_changes_pruned') IS NULL THEN 0
		ELSE greatest((SELECT max(seq) FROM factgraph_changes), (SELECT through FROM factgraph_changes_pruned)) END`).Scan(&seq)
	if err != nil {
		return 0, err
	}
	var adds []cgraph.Delta
	err = copyQuads(ctx, tx.Conn().PgConn(), quadsQuery("quads q", ""), func(q quad.Quad) error {
		adds = append(adds, cgraph.Delta{Quad: q, Action: cgraph.Add})
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, err
	}
	if err := mem.ApplyDeltas(adds, cgraph.IgnoreOpts{IgnoreDup: true}); err != nil {
		return 0, err
	}
	return seq, nil
}

// feed applies the change table's rows to a memory replica, in order.
type feed struct {
	conn string
	dst  cgraph.QuadStore
	poll time.Duration

	mu      sync.Mutex
	seq     int64         // the last change applied
	changed chan struct{} // closed, and replaced, when seq grows
	err     error         // why the feed is not following now, if it is not

	cancel context.CancelFunc
	done   chan struct{}
}

func startFeed(conn string, dst cgraph.QuadStore, seq int64, poll time.Duration) *feed {
	ctx, cancel := context.WithCancel(context.Background())
	f := &feed{conn: conn, dst: dst, poll: poll, seq: seq, changed: make(chan struct{}),
		cancel: cancel, done: make(chan struct{})}
	go f.run(ctx)
	return f
}

func (f *feed) stop() {
	f.cancel()
	<-f.done
}

func (f *feed) last() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

// waitFor waits until change seq has been applied.
func (f *feed) waitFor(ctx context.Context, seq int64) error {
	for {
		f.mu.Lock()
		cur, ch, ferr := f.seq, f.changed, f.err
		f.mu.Unlock()
		if cur >= seq {
			return nil
		}
		if errors.Is(ferr, errBehind) {
			return ferr
		}
		select {
		case <-ch:
		case <-ctx.Done():
			if ferr != nil {
				return fmt.Errorf("%w (the change feed: %v)", ctx.Err(), ferr)
			}
			return ctx.Err()
		}
	}
}

// broken returns errBehind once the feed has stopped for good.
func (f *feed) broken() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if errors.Is(f.err, errBehind) {
		return f.err
	}
	return nil
}

func (f *feed) advance(seq int64) {
	f.mu.Lock()
	f.seq, f.err = seq, nil
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

// run follows the changes until stopped; when the connection fails (the
// server went down, a failover) it connects again, with a growing pause,
// and carries on from the last change it applied.
func (f *feed) run(ctx context.Context) {
	defer close(f.done)
	pause := f.poll
	for {
		connected, err := f.follow(ctx)
		if ctx.Err() != nil {
			return
		}
		f.mu.Lock()
		f.err = err
		f.mu.Unlock()
		if errors.Is(err, errBehind) {
			return
		}
		if connected {
			pause = f.poll // a server that was there: try again soon
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, maxPause)
	}
}

// maxPause is the longest the feed waits between attempts to connect.
const maxPause = time.Second

// follow connects, and applies changes as they come until an error.
func (f *feed) follow(ctx context.Context) (connected bool, err error) {
	c, err := pgx.Connect(ctx, f.conn)
	if err != nil {
		return false, err
	}
	defer c.Close(context.Background())
	return true, f.listen(ctx, c)
}

func (f *feed) listen(ctx context.Context, c *pgx.Conn) error {
	listening := true
	if _, err := c.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) {
			return err
		}
		listening = false // a standby: poll
	}
	for {
		if err := f.catchUp(ctx, c); err != nil {
			return err
		}
		if !listening {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(f.poll):
			}
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, f.poll)
		_, err := c.WaitForNotification(wctx)
		cancel()
		if err != nil && (ctx.Err() != nil || !pgconn.Timeout(err)) {
			return err
		}
	}
}

// change is one row of the change table.
type change struct {
	seq      int64
	from, to pgtype.Int8
	deleted  []byte
}

// errBehind is the feed's error when the change rows it needs next are gone.
var errBehind = errors.New("this memory replica fell behind the change table's retention (change_retention) and cannot follow any more; restart the server to fill it again")

// catchUp applies every change after the last one applied.
func (f *feed) catchUp(ctx context.Context, c *pgx.Conn) error {
	const page = 100
	var pruned int64
	if err := c.QueryRow(ctx, `SELECT through FROM factgraph_changes_pruned`).Scan(&pruned); err != nil {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "42P01" {
			return err
		}
	}
	if pruned > f.last() {
		return errBehind
	}
	for {
		rows, err := c.Query(ctx, `SELECT seq, added_from, added_to, deleted FROM factgraph_changes
			WHERE seq > $1 ORDER BY seq LIMIT `+fmt.Sprint(page), f.last())
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "42P01" {
				return nil // no change table yet (a standby of a store not yet written)
			}
			return err
		}
		var (
			changes []change
			ch      change
		)
		_, err = pgx.ForEachRow(rows, []any{&ch.seq, &ch.from, &ch.to, &ch.deleted}, func() error {
			changes = append(changes, ch)
			ch.deleted = nil
			return nil
		})
		if err != nil {
			return err
		}
		for _, ch := range changes {
			if err := f.apply(ctx, c, ch); err != nil {
				return fmt.Errorf("change %d: %w", ch.seq, err)
			}
			f.advance(ch.seq)
		}
		if len(changes) < page {
			return nil
		}
	}
}

// apply applies one change to the replica, in one batch: its deletes, then
// its adds, read from the quads table by their horizons. (Quads of the
// change that a later change deleted are not there any more; the replica
// then skips ahead to their absence, which that later change brings anyway.)
func (f *feed) apply(ctx context.Context, c *pgx.Conn, ch change) error {
	var deltas []cgraph.Delta
	if len(ch.deleted) > 0 {
		r := pquads.NewReader(bytes.NewReader(ch.deleted), 0)
		for {
			q, err := r.ReadQuad()
			if err == io.EOF {
				break
			} else if err != nil {
				return fmt.Errorf("deleted quads: %w", err)
			}
			deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
		}
	}
	if ch.from.Valid && ch.to.Valid {
		where := fmt.Sprintf("q.horizon BETWEEN %d AND %d", ch.from.Int64, ch.to.Int64)
		err := copyQuads(ctx, c.PgConn(), quadsQuery("quads q", where), func(q quad.Quad) error {
			deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(deltas) == 0 {
		return nil
	}
	return f.dst.ApplyDeltas(deltas, cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true})
}
