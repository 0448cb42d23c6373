package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
)

type historyOptions struct {
	*globalOptions
	format string
	asOf   string
}

func newHistoryCommand(g *globalOptions) *cobra.Command {
	o := &historyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "history NAME",
		Short: "List the statuses of a happening, or the statements about a node, in date order",
		Long: `List, in the order of the documents' dates, the status statements of the
happening NAME (talks agreed, signed, in force...), each with its sentence and
source, and which one is current; or, for any other node, every statement a
sentence makes about it. Statuses that later documents replaced are marked
superseded: they stay as history and evidence. Names resolve as in path
expressions.`,
		Example: `  factgraph history RAA-Japan-Philippines
  factgraph history --as-of 2024-06-01 Kishida`,
		Args: cobra.ExactArgs(1),
		RunE: o.run,
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.asOf, "as-of", "", "only the documents published up to this day (YYYY-MM-DD)")
	return cmd
}

func (o *historyOptions) run(cmd *cobra.Command, args []string) error {
	return o.report(cmd, o.format, func(ctx context.Context, st *graph.Store) (any, func(io.Writer) error, error) {
		h, err := queries.HistoryOf(ctx, st, args[0], o.asOf)
		if err != nil {
			return nil, nil, err
		}
		return h.JSON(), h.WriteText, nil
	})
}
