package cli

import (
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	// Cayley's Go client reads and writes protobuf quads over /api/v2.
	_ "github.com/cayleygraph/quad/pquads"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/compact"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/server"
)

type serveOptions struct {
	*globalOptions
	addr            string
	maxRows         int
	maxBody         byteSize
	writeTokenEnv   string
	corsOrigins     []string
	shutdownTimeout time.Duration
	maxInput        byteSize
	readTimeout     time.Duration
	maxQuery        byteSize
	maxSteps        int
	maxQueries      int
	queueWait       time.Duration
	maxMemory       byteSize
	queryMemory     byteSize
	embedOrigins    []string
	memoryCopy      bool
}

func newServeCommand(g *globalOptions) *cobra.Command {
	o := &serveOptions{globalOptions: g, maxBody: server.DefaultMaxBody, maxInput: server.DefaultMaxInput,
		maxQuery: server.DefaultMaxQuery, maxMemory: byteSize(server.DefaultMemory()), memoryCopy: true}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve the store over HTTP: queries, quads, metrics, Cayley's v2 API",
		Long: `Serve the --db store over HTTP until SIGINT or SIGTERM, then let running
requests finish for up to --shutdown-timeout. The API is described in
docs/http-api.md and at /api/v1/openapi.json; the web page (a query console,
a table, a graph view and the evidence of every row) is at /.

Defaults are safe for a laptop: the server listens on loopback only, is
read-only, sends no CORS headers, runs every request under --timeout, returns at
most --max-rows rows per query (saying so when it cuts) and refuses bodies over
--max-body. Writes (/api/v1/load, /api/v1/delete, /api/v2/write, /api/v2/delete,
/api/v2/node/delete) are allowed only when --write-token-env names an environment variable holding a
token, and then only for requests with "Authorization: Bearer TOKEN".

Several servers can share one PostgreSQL store; with --db
'postgres://...?replica=memory' each keeps the store in memory, answers
queries from there and follows the others' writes (docs/backends.md).

One request cannot take the server down: loads are bounded once
decompressed (--max-input) and bodies must arrive within --read-timeout;
queries are bounded in size (--max-query) and steps (--max-steps); at most
--max-queries run at once, and more wait up to --queue-wait, then get 503 with
Retry-After; a memory governor keeps the server within --max-memory by
stopping the query that grows (each query within --query-memory), answering
it with an error that names the limit (docs/limits.md says how).

The page may not be framed by other sites; /embed, the view for notebooks,
may be framed by loopback pages and by each --embed-origin.

Requests are logged to stderr (--quiet: warnings and errors only).`,
		Example: `  factgraph serve
  curl 'http://127.0.0.1:8475/api/v1/query?q=Japan+->+hasRAAWith&format=csv'
  FACTGRAPH_TOKEN=$(openssl rand -hex 16) factgraph serve --db bolt://kg.db --write-token-env FACTGRAPH_TOKEN
  factgraph serve --cors-origin http://localhost:8888 --max-rows 100000
  factgraph serve --db 'postgres://fg@db1,db2/kg?target_session_attrs=read-write&replica=memory'`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", server.DefaultAddr, "listen address host:port (port 0 picks a free one); a non-loopback host shares the store with the network")
	f.IntVar(&o.maxRows, "max-rows", server.DefaultMaxRows, "most rows a query returns; a request's limit may lower it, and a cut result says truncated")
	f.Var(&o.maxBody, "max-body", "largest request body accepted (e.g. 512KiB, 10MiB, 1GB)")
	f.StringVar(&o.writeTokenEnv, "write-token-env", "", "allow writes by requests bearing the token held in this environment variable")
	f.StringArrayVar(&o.corsOrigins, "cors-origin", nil, "let web pages of this origin read responses, e.g. http://localhost:8888 (repeatable; * for any)")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", server.DefaultShutdownTimeout, "how long running requests may finish after SIGINT or SIGTERM")
	f.Var(&o.maxInput, "max-input", "largest load body once decompressed")
	f.DurationVar(&o.readTimeout, "read-timeout", server.DefaultReadBody, "how long a request body may take to arrive")
	f.Var(&o.maxQuery, "max-query", "largest query text")
	f.IntVar(&o.maxSteps, "max-steps", queries.DefaultMaxSteps, "most steps of a path expression")
	f.IntVar(&o.maxQueries, "max-queries", server.DefaultMaxQueries(), "most queries running at once")
	f.DurationVar(&o.queueWait, "queue-wait", server.DefaultQueueWait, "how long a query waits for a free slot before 503")
	f.Var(&o.maxMemory, "max-memory", "memory budget of the server, which a governor keeps by stopping queries; by default half of the machine's (or the control group's) memory")
	f.Var(&o.queryMemory, "query-memory", "memory budget of one query (default: an eighth of --max-memory)")
	f.BoolVar(&o.memoryCopy, "memory-copy", true, "serve the reads of a bolt:// store from a copy in memory (writes go to the store first); --memory-copy=false reads the file, in less memory and several times slower")
	f.StringArrayVar(&o.embedOrigins, "embed-origin", nil, "let pages of this origin frame /embed, e.g. http://localhost:8888 (repeatable; loopback pages always may)")
	return cmd
}

func (o *serveOptions) run(cmd *cobra.Command, _ []string) error {
	if o.maxRows <= 0 {
		return fmt.Errorf("--max-rows must be at least 1, not %d", o.maxRows)
	}
	if o.maxSteps <= 0 || o.maxQueries <= 0 {
		return fmt.Errorf("--max-steps and --max-queries must be at least 1")
	}
	var token string
	if o.writeTokenEnv != "" {
		token = strings.TrimSpace(os.Getenv(o.writeTokenEnv))
		if token == "" {
			return fmt.Errorf("--write-token-env %s: that environment variable is unset or empty; set it to a secret token, or drop the flag to serve read-only", o.writeTokenEnv)
		}
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	if o.memoryCopy && st.Backend == graph.BackendBolt {
		copied, err := graph.NewMirror(ctx, st, compact.New())
		if err != nil {
			st.Close()
			return err
		}
		st = copied
	}
	defer st.Close()
	level := slog.LevelInfo
	if o.quiet {
		level = slog.LevelWarn
	}
	srv := server.New(st, server.Config{
		Timeout:         o.requestTimeout(),
		MaxRows:         o.maxRows,
		MaxBody:         int64(o.maxBody),
		WriteToken:      token,
		CORSOrigins:     o.corsOrigins,
		ShutdownTimeout: o.shutdownTimeout,
		MaxInput:        int64(o.maxInput),
		ReadTimeout:     o.readTimeout,
		MaxQuery:        int(o.maxQuery),
		MaxSteps:        o.maxSteps,
		MaxQueries:      o.maxQueries,
		QueueWait:       o.queueWait,
		MaxMemory:       uint64(o.maxMemory),
		QueryMemory:     uint64(o.queryMemory),
		EmbedOrigins:    o.embedOrigins,
		Logger:          slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: level})),
	})
	if err := srv.Open(o.addr); err != nil {
		return err
	}
	mode := "read-only"
	if token != "" {
		mode = "writes need the token in $" + o.writeTokenEnv
	}
	fmt.Fprintf(cmd.OutOrStdout(), "serving %s at %s (%s)\n", st.URL, srv.URL(), mode)
	if token != "" && st.IsMemory() {
		fmt.Fprintln(cmd.ErrOrStderr(), "factgraph: note: writes go to a memory store and are lost when the server stops; use --db disk://DIR to keep them")
	}
	return srv.Serve(ctx)
}

// byteSize is a flag value for sizes such as 10MiB (binary units: KiB, MiB,
// GiB, or K, M, G) or 10MB (decimal units: KB, MB, GB); a bare number is bytes.
type byteSize int64

var sizePattern = regexp.MustCompile(`^(\d+)\s*([a-zA-Z]*)$`)

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"k": 1 << 10, "ki": 1 << 10, "kib": 1 << 10, "kb": 1e3,
	"m": 1 << 20, "mi": 1 << 20, "mib": 1 << 20, "mb": 1e6,
	"g": 1 << 30, "gi": 1 << 30, "gib": 1 << 30, "gb": 1e9,
}

func (b *byteSize) Set(s string) error {
	m := sizePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return fmt.Errorf("expected a size like 10MiB, found %q", s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return fmt.Errorf("unknown size unit %q in %q (use B, KiB, MiB, GiB, KB, MB or GB)", m[2], s)
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/unit {
		return fmt.Errorf("size %q is out of range", s)
	}
	*b = byteSize(n * unit)
	return nil
}

func (b *byteSize) String() string {
	n := int64(*b)
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d%s", n/u.size, u.name)
		}
	}
	return strconv.FormatInt(n, 10)
}

func (b *byteSize) Type() string { return "size" }
