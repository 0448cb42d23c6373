// Command sparqltest runs the W3C SPARQL test suites (kept beside the
// repository in ../shared/w3c-sparql, or $FACTGRAPH_SHARED/w3c-sparql) on
// factgraph's SPARQL engine and prints a pass table by category, the
// failures with their reasons, and a RESULT line:
//
//	go run ./cmd/sparqltest
//	...
//	RESULT sparql11_eval=225/225 sparql10_eval=283/283 syntax=N/M
//
// Entailment regimes, SERVICE, SPARQL Update and the protocol suites are out
// of scope; see docs/sparql.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/factgraph/factgraph/internal/datasets"
	"github.com/factgraph/factgraph/queries/sparql/w3c"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sparqltest:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("sparqltest", flag.ContinueOnError)
	shared, _ := datasets.Shared()
	root := fs.String("suite", filepath.Join(shared, "w3c-sparql", "sparql"), "folder holding sparql10 and sparql11")
	timeout := fs.Duration("timeout", 30*time.Second, "deadline of each test")
	iterators := fs.Bool("iterators", false, "read the store through Cayley's iterators, as for stores other than the compact one, not in node ids")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tests, err := w3c.Tests(*root)
	if err != nil {
		return fmt.Errorf("read the suites (set -suite): %w", err)
	}
	outcomes := w3c.RunAll(context.Background(), tests, w3c.Config{Timeout: *timeout, Iterators: *iterators})
	w3c.WriteTable(w, outcomes)
	fmt.Fprintln(w, w3c.Count(outcomes).ResultLine())
	return nil
}
