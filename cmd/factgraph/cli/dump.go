package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/loaders"
)

type dumpOptions struct {
	*globalOptions
	format                            string
	subject, predicate, object, label string
}

func newDumpCommand(g *globalOptions) *cobra.Command {
	o := &dumpOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "dump [flags]",
		Short: "Write the quads of the store, all or filtered",
		Long: `Write the quads of the store in N-Quads (default), JSON-LD, DOT (Graphviz) or
GraphML. --subject, --predicate, --object and --label keep only the quads with
those parts; they take names as path expressions do (Japan, fg:Japan, <IRI>;
predicates by short name), and an object that names no node is a literal.`,
		Example: `  factgraph dump --format jsonld
  factgraph dump --subject Japan --format dot | dot -Tsvg > japan.svg`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	f := cmd.Flags()
	f.StringVarP(&o.format, "format", "f", "nquads", "output format: "+strings.Join(loaders.ExportFormats(), ", "))
	f.StringVar(&o.subject, "subject", "", "keep quads with this subject")
	f.StringVar(&o.predicate, "predicate", "", "keep quads with this predicate")
	f.StringVar(&o.object, "object", "", "keep quads with this object")
	f.StringVar(&o.label, "label", "", "keep quads with this label (a sentence or other source)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(loaders.ExportFormats()))
	return cmd
}

func (o *dumpOptions) run(cmd *cobra.Command, _ []string) error {
	if _, _, err := loaders.ExportFormat(o.format); err != nil {
		return err
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	filter, err := graph.ResolvePattern(ctx, st, o.subject, o.predicate, o.object, o.label)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if o.showProgress(cmd.ErrOrStderr()) {
		out = progressWriter(cmd.ErrOrStderr(), out)
	}
	_, err = loaders.Export(ctx, st, out, o.format, filter)
	return err
}
