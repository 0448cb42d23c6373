package main

import (
	"context"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/internal/pgdb"
	"github.com/factgraph/factgraph/internal/pgha"
)

// haDatabase makes a database with the store's schema on the server at base.
func haDatabase(ctx context.Context, base string) (*pgdb.DB, error) {
	if base == "" {
		return nil, fmt.Errorf("give -pg URL or set FACTGRAPH_TEST_POSTGRES")
	}
	db, err := pgdb.Create(ctx, base, "fgloadbench")
	if err != nil {
		return nil, err
	}
	if err := graph.Init(ctx, db.URL); err != nil {
		db.Drop()
		return nil, err
	}
	return db, nil
}

// propagation writes n quads through one server with a memory replica and
// times how long each takes to show through another on the same database.
func propagation(ctx context.Context, base string, n int) error {
	db, err := haDatabase(ctx, base)
	if err != nil {
		return err
	}
	defer db.Drop()
	var servers []*pgha.Server
	for range 2 {
		s, err := pgha.StartServer(ctx, db.URL+"&replica=memory")
		if err != nil {
			return err
		}
		defer s.Close()
		servers = append(servers, s)
	}
	lat, err := pgha.Propagation(ctx, servers[0], servers[1], n, 10*time.Second)
	if err != nil {
		return err
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("%d writes through one server (replica=memory), each read through another on the same database until it showed:\n", n)
	fmt.Printf("median %.1f ms, p99 %.1f ms, max %.1f ms (from the 200 of the write)\n\n", ms(lat.Quantile(0.5)), ms(lat.Quantile(0.99)), ms(lat.Quantile(1)))
	fmt.Printf("RESULT propagation_writes=%d median_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", n, ms(lat.Quantile(0.5)), ms(lat.Quantile(0.99)), ms(lat.Quantile(1)))
	return nil
}

// failover runs trials on the set-up of .ci/pgcluster.sh (script): clients
// write through a server on PostgreSQL and one with a memory replica while
// the primary is killed and the standby promoted.
func failover(ctx context.Context, script string, trials int) error {
	c, err := pgha.OpenCluster(ctx, script)
	if err != nil {
		return err
	}
	db, err := haDatabase(ctx, c.Primary)
	if err != nil {
		return err
	}
	defer db.Drop()
	var servers []*pgha.Server
	for _, param := range []string{"", "&replica=memory"} {
		s, err := pgha.StartServer(ctx, db.URL+param)
		if err != nil {
			return err
		}
		defer s.Close()
		servers = append(servers, s)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "trial\tanswered 200\tnot answered 200\tlost\tlongest without a 200\ttrial took\t")
	var acked, lost int
	var gap time.Duration
	for i := range trials {
		r, err := pgha.FailoverTrial(ctx, c, db.URL, servers, i)
		if err != nil {
			return err
		}
		acked += r.Acked
		lost += r.Lost
		gap = max(gap, r.Gap)
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t\n", i, r.Acked, r.Refused, r.Lost, r.Gap.Round(time.Millisecond), r.Took.Round(time.Millisecond))
	}
	tw.Flush()
	fmt.Printf("\nRESULT failover_trials=%d acked_writes=%d lost_writes=%d longest_outage_ms=%d\n", trials, acked, lost, gap.Milliseconds())
	return nil
}
