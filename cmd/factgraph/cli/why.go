package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
)

type whyOptions struct {
	*globalOptions
	format string
}

// oneFact accepts the three words of a fact.
func oneFact(_ *cobra.Command, args []string) error {
	if len(args) == 3 {
		return nil
	}
	return fmt.Errorf("expected SUBJECT PREDICATE OBJECT, found %d arguments; quote a name with spaces, e.g. factgraph why 'Fumio Kishida' met Macron", len(args))
}

func newWhyCommand(g *globalOptions) *cobra.Command {
	o := &whyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "why SUBJECT PREDICATE OBJECT",
		Short: "Show every statement of one fact, with its sentence and source",
		Long: `Show every statement of the fact SUBJECT PREDICATE OBJECT with the sentence,
source and date behind it, or say that the graph does not state it (and what it
does state between the two). Names resolve as in path expressions.`,
		Example: `  factgraph why Japan negotiatingRAAWith Philippines
  factgraph why France hasRAAWith Japan`,
		Args: oneFact,
		RunE: o.run,
	}
	cmd.Flags().StringVarP(&o.format, "format", "f", "text", "output format: text or json")
	return cmd
}

func (o *whyOptions) run(cmd *cobra.Command, args []string) error {
	return o.report(cmd, o.format, func(ctx context.Context, st *graph.Store) (any, func(io.Writer) error, error) {
		w, err := queries.WhyFact(ctx, st, args[0], args[1], args[2])
		if err != nil {
			return nil, nil, err
		}
		return w.JSON(), func(out io.Writer) error { writeWhy(out, w); return nil }, nil
	})
}

func writeWhy(out io.Writer, w *queries.Why) {
	if w.Stated() {
		fmt.Fprintf(out, "%s\n", w.Fact)
		for _, st := range w.Fact.Statements {
			fmt.Fprintf(out, "  %s\n", st.Cite())
		}
		if w.Superseded {
			fmt.Fprintf(out, "Later statements superseded it: queries answer without it (factgraph history %s tells the story).\n", graph.LocalName(graph.Plain(w.Fact.Subject)))
		}
		return
	}
	fmt.Fprintf(out, "The graph does not state %s.\n", w.Fact)
	if len(w.Related) > 0 {
		fmt.Fprintln(out, "It does state:")
		for _, f := range w.Related {
			fmt.Fprintf(out, "%s\n", f)
			for _, st := range f.Statements {
				fmt.Fprintf(out, "  %s\n", st.Cite())
			}
		}
	}
}
