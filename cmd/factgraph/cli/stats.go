package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newStatsCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "Print the number of nodes and quads in the store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := g.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := st.Stats(ctx, true)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "store\t%s (%s)\nquads\t%d\nnodes\t%d\n", st.URL, st.Backend, s.Quads.Value, s.Nodes.Value)
			return nil
		},
	}
}
