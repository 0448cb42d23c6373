package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

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
	if o.format != "text" && o.format != "json" {
		return fmt.Errorf("unknown --format %q (want text or json)", o.format)
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	h, err := queries.HistoryOf(ctx, st, args[0], o.asOf)
	if err != nil {
		return err
	}
	if o.format == "json" {
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetIndent("", "  ")
		return enc.Encode(h.JSON())
	}
	return h.WriteText(cmd.OutOrStdout())
}
