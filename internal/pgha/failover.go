package pgha

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// TrialResult is what one failover trial saw.
type TrialResult struct {
	Acked   int           // batches answered 200
	Refused int           // requests answered otherwise, or not at all
	Lost    int           // batches answered 200 but missing afterwards, in PostgreSQL or a server
	Gap     time.Duration // the longest time no client got a 200
	Took    time.Duration // the whole trial, the rejoin of the killed node included
}

// Trial settings: clients per server, the quads of a batch, the batches each
// client must have answered 200 before the kill and after the promotion.
const (
	clientsPerServer = 2
	batchQuads       = 5
	acksEachPhase    = 3
	carryOnTimeout   = time.Minute
)

// batchSubject names the subject of a trial's batch.
func batchSubject(trial, client, batch int) string {
	return fmt.Sprintf("urn:trial:%d:client:%d:batch:%d", trial, client, batch)
}

func batchQuadsOf(subject string) string {
	var b strings.Builder
	for j := range batchQuads {
		fmt.Fprintf(&b, "<%s> <urn:item> <urn:item:%d> .\n", subject, j)
	}
	return b.String()
}

// client writes batch after batch through one server until stopped,
// counting what was answered 200.
type client struct {
	id  int
	srv *Server

	mu      sync.Mutex
	acked   []int       // batch numbers answered 200
	ackedAt []time.Time // when
	refused int
}

func (c *client) run(ctx context.Context, trial int) {
	for b := 0; ctx.Err() == nil; b++ {
		status, err := c.srv.Load(ctx, batchQuadsOf(batchSubject(trial, c.id, b)))
		c.mu.Lock()
		if err == nil && status == 200 {
			c.acked = append(c.acked, b)
			c.ackedAt = append(c.ackedAt, time.Now())
		} else if ctx.Err() == nil {
			c.refused++
		}
		c.mu.Unlock()
		if err != nil || status != 200 {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// acksAfter counts the batches answered 200 after t.
func (c *client) acksAfter(t time.Time) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, at := range c.ackedAt {
		if at.After(t) {
			n++
		}
	}
	return n
}

// FailoverTrial has clients write through every server at once; once each
// has batches answered 200, it kills the primary with SIGKILL and promotes
// the standby, and waits for every client to get batches answered 200
// again (the servers carry on, or the trial fails). Then it checks that
// every batch answered 200 is whole in the database at db (a URL reaching
// the primary) and in every server, and makes the killed node the standby
// again.
func FailoverTrial(ctx context.Context, c *Cluster, db string, servers []*Server, trial int) (TrialResult, error) {
	start := time.Now()
	var res TrialResult
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		clients []*client
		wg      sync.WaitGroup
	)
	for _, s := range servers {
		for range clientsPerServer {
			cl := &client{id: len(clients), srv: s}
			clients = append(clients, cl)
			wg.Go(func() { cl.run(cctx, trial) })
		}
	}
	waitAcks := func(after time.Time, what string) error {
		deadline := time.Now().Add(carryOnTimeout)
		for _, cl := range clients {
			for cl.acksAfter(after) < acksEachPhase {
				if time.Now().After(deadline) {
					return fmt.Errorf("trial %d: client %d (server %s) got %d writes answered 200 %s within %s",
						trial, cl.id, cl.srv.URL, cl.acksAfter(after), what, carryOnTimeout)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		return nil
	}
	if err := waitAcks(start, "before the failover"); err != nil {
		stop()
		wg.Wait()
		return res, err
	}
	if err := c.Failover(ctx); err != nil {
		stop()
		wg.Wait()
		return res, err
	}
	promoted := time.Now()
	err := waitAcks(promoted, "after the standby was promoted")
	stop()
	wg.Wait()
	if err != nil {
		return res, err
	}
	var all []time.Time
	for _, cl := range clients {
		res.Acked += len(cl.acked)
		res.Refused += cl.refused
		all = append(all, cl.ackedAt...)
	}
	res.Gap = longestGap(all)
	lost, err := missing(ctx, trial, db, servers, clients)
	if err != nil {
		return res, err
	}
	res.Lost = lost
	if err := c.Rejoin(ctx); err != nil {
		return res, err
	}
	res.Took = time.Since(start)
	return res, nil
}

func longestGap(ts []time.Time) time.Duration {
	if len(ts) < 2 {
		return 0
	}
	sorted := slices.Clone(ts)
	slices.SortFunc(sorted, time.Time.Compare)
	var gap time.Duration
	for i := 1; i < len(sorted); i++ {
		gap = max(gap, sorted[i].Sub(sorted[i-1]))
	}
	return gap
}

// missing counts the batches answered 200 that are not whole in PostgreSQL
// or, after it had time to catch up, in every server.
func missing(ctx context.Context, trial int, db string, servers []*Server, clients []*client) (int, error) {
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("connect to the new primary: %w", err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT ns.value_string, count(*) FROM quads q
		JOIN nodes ns ON ns.hash = q.subject_hash
		WHERE ns.value_string LIKE $1 GROUP BY ns.value_string`, fmt.Sprintf("urn:trial:%d:%%", trial))
	if err != nil {
		return 0, err
	}
	stored := map[string]int{}
	var (
		s string
		n int
	)
	if _, err := pgx.ForEachRow(rows, []any{&s, &n}, func() error { stored[s] = n; return nil }); err != nil {
		return 0, err
	}
	lost := 0
	for _, cl := range clients {
		for _, b := range cl.acked {
			subject := batchSubject(trial, cl.id, b)
			whole := stored[subject] == batchQuads
			for _, srv := range servers {
				if whole {
					whole, err = holds(ctx, srv, subject)
					if err != nil {
						return 0, err
					}
				}
			}
			if !whole {
				lost++
			}
		}
	}
	return lost, nil
}

// holds reports whether srv answers with the whole batch of subject,
// giving a memory replica some time to catch up with the new primary.
func holds(ctx context.Context, srv *Server, subject string) (bool, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := srv.Quads(ctx, subject)
		if err != nil {
			return false, err
		}
		if strings.Count(got, "\n") == batchQuads {
			return true, nil
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}
