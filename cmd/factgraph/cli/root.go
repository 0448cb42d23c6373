// Package cli holds factgraph's cobra commands. Each command has an options
// struct, writes to the command's output streams and is tested in-process.
package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/clog"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/queries"
)

// globalOptions are the flags every command shares.
type globalOptions struct {
	db      string
	empty   bool
	loads   []string
	timeout time.Duration
	quiet   bool
}

// Main runs the command line args and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Cayley logs some failures that it also returns as errors; factgraph reports
	// the errors, so its log only speaks with FACTGRAPH_DEBUG set.
	if os.Getenv("FACTGRAPH_DEBUG") == "" {
		clog.SetLogger(quietLog{})
	}
	cmd := NewRootCommand()
	cmd.SetArgs(args)
	cmd.SetIn(stdin)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, formatError(err))
		return 1
	}
	return 0
}

// NewRootCommand returns the factgraph command with all subcommands.
func NewRootCommand() *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "factgraph",
		Short: "Ask questions of a knowledge graph of news facts",
		Long: `factgraph turns the facts of news articles into a graph of quads and answers
questions about them with path expressions, SPARQL, Gizmo, GraphQL or MQL.

With no --db, every command works on an in-memory store that holds the embedded
Kyodo article of 2 May 2024 (Japan and France agree to negotiate a reciprocal
access agreement).`,
		Example: `  factgraph query 'Japan -> hasRAAWith'
  factgraph query --lang gizmo 'g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()'
  factgraph load facts.nq --db bolt://kg.db`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&g.db, "db", "memory", "store URL: memory, disk://DIR, bolt://PATH or postgres://...")
	f.BoolVar(&g.empty, "empty", false, "start a memory store empty instead of with the embedded article")
	f.StringArrayVar(&g.loads, "load", nil, "load this file (N-Quads, JSON-LD, CSV, TSV; gzip) before the command runs (repeatable)")
	f.DurationVar(&g.timeout, "timeout", queries.DefaultTimeout, "deadline of each query (0 for none)")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "print no progress, summary or note lines (of load, ingest and --load)")

	root.AddCommand(
		newQueryCommand(g),
		newInitCommand(g),
		newLoadCommand(g),
		newIngestCommand(g),
		newDumpCommand(g),
		newStatsCommand(g),
		newCheckCommand(g),
		newWhyCommand(g),
		newHistoryCommand(g),
		newReplCommand(g),
		newServeCommand(g),
		newVersionCommand(),
	)
	return root
}

// formatError renders err for the terminal: the message, then, for an error
// at a position of a query or a file, that line of input with a caret under
// the column, then every further error of a list (up to --max-errors), one a
// line, each with its position.
func formatError(err error) string {
	msg := "factgraph: " + err.Error()
	all := errs.All(err)
	if len(all) == 0 {
		return msg
	}
	if snippet := snippetOf(err, all[0]); snippet != "" {
		msg += "\n    " + strings.ReplaceAll(snippet, "\n", "\n    ")
	}
	for _, e := range all[1:] {
		msg += "\n" + e.Error()
	}
	return msg
}

// snippetOf returns the line e points at, with a caret: from the input the
// error carries (a query), or else from e's file.
func snippetOf(err error, e *errs.Error) string {
	if e.Line == 0 {
		return ""
	}
	if text, ok := errs.InputOf(err); ok {
		return queries.Caret(text, e.Line, e.Column)
	}
	if e.File == "" || e.File == "-" {
		return ""
	}
	line, ok := fileLine(e.File, e.Line)
	if !ok {
		return ""
	}
	return queries.Caret(line, 1, e.Column)
}

// fileLine returns line n (1-based) of a plain-text file, without reading
// past it; false for a missing, compressed or shorter file.
func fileLine(path string, n int) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	// Positions count in the decompressed text; the load that failed at
	// line n has read that far once already.
	r, err := loaders.Decompressed(f)
	if err != nil {
		return "", false
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for i := 1; sc.Scan(); i++ {
		if i == n {
			return sc.Text(), true
		}
	}
	return "", false
}

// timeoutFor converts the --timeout flag into a queries.Request timeout.
func (g *globalOptions) requestTimeout() time.Duration {
	if g.timeout <= 0 {
		return -1
	}
	return g.timeout
}

// quietLog discards Cayley's log lines but fatal ones.
type quietLog struct{}

func (quietLog) Infof(string, ...any)              {}
func (quietLog) Warningf(string, ...any)           {}
func (quietLog) Errorf(string, ...any)             {}
func (quietLog) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }
func (quietLog) V(int) bool                        { return false }
func (quietLog) SetV(int)                          {}
