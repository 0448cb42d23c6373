package cli

import (
	"fmt"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/spf13/cobra"
)

type dumpOptions struct {
	*globalOptions
	format string
}

func newDumpCommand(g *globalOptions) *cobra.Command {
	o := &dumpOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "dump [flags]",
		Short: "Write every quad of the store",
		Args:  cobra.NoArgs,
		RunE:  o.run,
	}
	cmd.Flags().StringVar(&o.format, "format", "nquads", "output format (any writable Cayley format, e.g. nquads, jsonld)")
	return cmd
}

func (o *dumpOptions) run(cmd *cobra.Command, _ []string) error {
	f := quad.FormatByName(o.format)
	if f == nil || f.Writer == nil {
		return fmt.Errorf("unknown dump format %q", o.format)
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	w := f.Writer(cmd.OutOrStdout())
	r := graph.NewQuadStoreReader(st)
	defer r.Close()
	if _, err := quad.CopyBatch(w, r, 0); err != nil {
		return fmt.Errorf("dump: %w", err)
	}
	return w.Close()
}
