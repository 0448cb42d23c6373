package pgha_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/factgraph/factgraph/graph"
	_ "github.com/factgraph/factgraph/graph/compact"
	_ "github.com/factgraph/factgraph/graph/pg"
	"github.com/factgraph/factgraph/internal/pgha"
	"github.com/factgraph/factgraph/internal/testkit"
	_ "github.com/factgraph/factgraph/queries/pathlang"
)

// clusterDB makes a database on the set-up's primary, with the store's
// schema, and returns its URL on the primary and on the read replica.
func clusterDB(t *testing.T) (c *pgha.Cluster, primary, replica string) {
	t.Helper()
	script := testkit.PostgresEnvOrSkip(t, testkit.ClusterEnv, "the path of .ci/pgcluster.sh, after bash .ci/pgcluster.sh start")
	c, err := pgha.OpenCluster(context.Background(), script)
	if err != nil {
		t.Fatal(err)
	}
	primary = testkit.NewDatabase(t, c.Primary)
	if err := graph.Init(context.Background(), primary); err != nil {
		t.Fatal(err)
	}
	p, _ := url.Parse(primary)
	r, err := url.Parse(c.Replica)
	if err != nil {
		t.Fatal(err)
	}
	r.Path = p.Path
	return c, primary, r.String()
}

func startServer(t *testing.T, storeURL string) *pgha.Server {
	t.Helper()
	s, err := pgha.StartServer(context.Background(), storeURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestPropagation writes through one server with a memory replica and
// reads through another on the same database: every write shows.
func TestPropagation(t *testing.T) {
	_, db, _ := clusterDB(t)
	a := startServer(t, db+"&replica=memory")
	b := startServer(t, db+"&replica=memory")
	const n = 100
	lat, err := pgha.Propagation(context.Background(), a, b, n, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(lat) != n {
		t.Fatalf("%d of %d writes seen", len(lat), n)
	}
	t.Logf("a write through one server showed through the other after %s (median), %s (p99)", lat.Quantile(0.5), lat.Quantile(0.99))
}

// TestReadReplicaServer runs servers on the read replica: one with a memory
// replica of it, one on it plainly. Both answer with what was written
// through the primary; both refuse writes with 403 read_only.
func TestReadReplicaServer(t *testing.T) {
	_, db, standby := clusterDB(t)
	writer := startServer(t, db)
	mem := startServer(t, standby+"&replica=memory")
	plain := startServer(t, standby)
	lat, err := pgha.Propagation(context.Background(), writer, mem, 10, 10*time.Second)
	if err != nil || len(lat) != 10 {
		t.Fatalf("writes through the primary, read through the read replica's memory replica: %v (%d seen)", err, len(lat))
	}
	if _, err := pgha.Propagation(context.Background(), writer, plain, 3, 10*time.Second); err != nil {
		t.Fatalf("writes through the primary, read on the read replica: %v", err)
	}
	for _, s := range []*pgha.Server{mem, plain} {
		req, _ := http.NewRequest("POST", s.URL+"/api/v1/load", strings.NewReader("<urn:x> <urn:p> <urn:y> .\n"))
		req.Header.Set("Authorization", "Bearer pgha")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		_, _ = io.Copy(&body, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body.String(), `"read_only"`) || !strings.Contains(body.String(), "standby") {
			t.Errorf("a write to a server on the read replica: %d %s, want 403 read_only", resp.StatusCode, body.String())
		}
	}
}

// TestFailover kills the primary while clients write through two servers
// (one on PostgreSQL plainly, one with a memory replica), promotes the
// standby, and checks that the servers carry on and that no write answered
// 200 is lost, trial after trial.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and rebuilds PostgreSQL nodes")
	}
	c, db, _ := clusterDB(t)
	servers := []*pgha.Server{startServer(t, db), startServer(t, db+"&replica=memory")}
	for trial := range failoverTrials {
		res, err := pgha.FailoverTrial(context.Background(), c, db, servers, trial)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("trial %d: %d writes answered 200, %d not, %d lost; no write answered for %s; took %s",
			trial, res.Acked, res.Refused, res.Lost, res.Gap.Round(time.Millisecond), res.Took.Round(time.Millisecond))
		if res.Lost > 0 {
			t.Errorf("trial %d: %d writes answered 200 are gone", trial, res.Lost)
		}
	}
}

// failoverTrials is how many times TestFailover fails the primary over.
const failoverTrials = 3
