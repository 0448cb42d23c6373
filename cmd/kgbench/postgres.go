package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cayleygraph/cayley/graph"
	_ "github.com/cayleygraph/cayley/graph/sql/postgres" // Cayley's own SQL backend, the peer
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/pgdb"
)

// runPostgres answers the queries on three stores of the same quads: the
// compact memory store, Cayley's own SQL backend on PostgreSQL (with its SQL
// query compiler) and a memory replica of that database, the way a server
// with replica=memory answers. Each query on Cayley's SQL backend runs once,
// under timeout; one cut short counts as taking timeout, and the speedup it
// gives is a lower bound (printed ">=").
func runPostgres(ctx context.Context, raw []byte, runs int, base string, timeout time.Duration, w io.Writer) error {
	our, err := loadCompact(raw)
	if err != nil {
		return err
	}
	d, err := pgdb.Create(ctx, base, "fgkgbench")
	if err != nil {
		return err
	}
	defer d.Drop()
	db := d.URL
	start := time.Now()
	if err := loadPostgres(ctx, raw, db); err != nil {
		return err
	}
	fmt.Fprintf(w, "loaded %d quads into PostgreSQL in %s (factgraph's COPY)\n", our.quads, time.Since(start).Round(time.Millisecond))
	sqlqs, err := graph.NewQuadStore("postgres", db, nil)
	if err != nil {
		return err
	}
	defer sqlqs.Close()
	start = time.Now()
	rep, err := pg.Open(ctx, db+"&replica=memory")
	if err != nil {
		return err
	}
	defer rep.Close()
	fmt.Fprintf(w, "filled the memory replica in %s\n\n", time.Since(start).Round(time.Millisecond))

	fmt.Fprintf(w, "%-3s %-42s %8s | %-26s | %-26s | %-12s | %10s %9s\n", "", "query", "results",
		"compact med (min..max)", "replica med (min..max)", "Cayley SQL", "replica/cp", "SQL/rep")
	ratios := map[string]string{}
	same := true
	for _, q := range queries {
		tc, ac, err := measure(ctx, "compact", our.qs, q, runs)
		if err != nil {
			return err
		}
		tr, ar, err := measure(ctx, "replica", rep, q, runs)
		if err != nil {
			return err
		}
		qctx, cancel := context.WithTimeout(ctx, timeout)
		ts, as, err := measure(qctx, "Cayley SQL", sqlqs, q, 1)
		cut := errors.Is(err, context.DeadlineExceeded) || qctx.Err() != nil
		cancel()
		switch {
		case cut:
			ts = timing{med: timeout}
		case err != nil:
			return err
		}
		mark := ""
		if !equal(ac, ar) || (!cut && !equal(ac, as)) {
			same = false
			mark = "  ANSWERS DIFFER"
		}
		sql, bound := ts.med.Round(time.Millisecond).String(), ""
		if cut {
			sql, bound = "> "+timeout.String(), ">="
		}
		vsCompact := float64(tr.med) / float64(tc.med)
		vsSQL := float64(ts.med) / float64(tr.med)
		ratios[q.id] = fmt.Sprintf("%s%.0f", bound, vsSQL)
		fmt.Fprintf(w, "%-3s %-42s %8s | %-26s | %-26s | %-12s | %9.2fx %8s%.0fx%s\n", q.id, q.what, summary(ac),
			spread(tc), spread(tr), sql, vsCompact, bound, vsSQL, mark)
		ratios[q.id+"cp"] = fmt.Sprintf("%.2f", vsCompact)
	}
	fmt.Fprintln(w)
	if !same {
		fmt.Fprintln(w, "the stores' answers differ (see ANSWERS DIFFER above)")
	}
	fmt.Fprintln(w, "replica/cp: the replica's median time over the compact store's; SQL/rep: Cayley's SQL backend's time over the replica's")
	fmt.Fprintf(w, "RESULT replica_vs_compact q1=%s q2=%s q3=%s q4=%s q5=%s q6=%s q7=%s sql_vs_replica q1=%s q2=%s q3=%s q4=%s q5=%s q6=%s q7=%s same_answers=%v\n",
		ratios["Q1cp"], ratios["Q2cp"], ratios["Q3cp"], ratios["Q4cp"], ratios["Q5cp"], ratios["Q6cp"], ratios["Q7cp"],
		ratios["Q1"], ratios["Q2"], ratios["Q3"], ratios["Q4"], ratios["Q5"], ratios["Q6"], ratios["Q7"], same)
	return nil
}

// loadPostgres loads the data into the database at db through factgraph's
// PostgreSQL store (COPY; the rows are those Cayley's writer would make).
func loadPostgres(ctx context.Context, raw []byte, db string) error {
	r, err := open(raw)
	if err != nil {
		return err
	}
	qr := nquads.NewReader(r, false)
	var quads []quad.Quad
	for {
		q, err := qr.ReadQuad()
		if err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		quads = append(quads, q)
	}
	if err := pg.Init(ctx, db); err != nil {
		return err
	}
	st, err := pg.OpenStore(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	_, err = st.LoadQuads(ctx, quads)
	return err
}
