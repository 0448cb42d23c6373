// Package cli holds factgraph's cobra commands. Each command has an options
// struct, writes to the command's output streams and is tested in-process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/cayleygraph/cayley/clog"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
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
questions about them with path expressions, Gizmo, GraphQL or MQL.

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
	f.StringVar(&g.db, "db", "memory", "store URL: memory, bolt://PATH, postgres://... or cockroach://...")
	f.BoolVar(&g.empty, "empty", false, "start a memory store empty instead of with the embedded article")
	f.StringArrayVar(&g.loads, "load", nil, "load this file (N-Quads, JSON-LD, CSV, TSV; gzip) before the command runs (repeatable)")
	f.DurationVar(&g.timeout, "timeout", queries.DefaultTimeout, "deadline of each query (0 for none)")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "print no progress or summary lines on stderr")

	root.AddCommand(
		newQueryCommand(g),
		newInitCommand(g),
		newLoadCommand(g),
		newDumpCommand(g),
		newStatsCommand(g),
		newWhyCommand(g),
		newReplCommand(g),
		newServeCommand(g),
		newVersionCommand(),
	)
	return root
}

// formatError renders err for the terminal: positioned query errors get the
// query line and a caret under the column.
func formatError(err error) string {
	msg := "factgraph: " + err.Error()
	var gerr *graph.Error
	if errors.As(err, &gerr) && gerr.Snippet != "" {
		msg += "\n    " + strings.ReplaceAll(gerr.Snippet, "\n", "\n    ")
	}
	// The first malformed line is in the message; the others (up to
	// --max-errors) follow, one a line, each with its position.
	var list loaders.ErrorList
	if errors.As(err, &list) {
		for _, e := range list[min(1, len(list)):] {
			msg += "\n" + e.Error()
		}
	}
	return msg
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
