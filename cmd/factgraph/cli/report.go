package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
)

// A report is the output of a command that answers one question about the
// store (why, history): text for a terminal, or JSON (--format text|json).
// ask answers it, as the JSON value and a function that writes the text.
type reportFunc func(ctx context.Context, st *graph.Store) (v any, text func(io.Writer) error, err error)

// report checks --format, opens the store, asks and writes the answer.
func (g *globalOptions) report(cmd *cobra.Command, format string, ask reportFunc) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("unknown --format %q (want text or json)", format)
	}
	ctx := cmd.Context()
	st, err := g.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	v, text, err := ask(ctx, st)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		enc := queries.NewJSONEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	return text(out)
}
