package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/loaders"
	"github.com/factgraph/factgraph/loaders/factsheet"
)

type ingestOptions struct {
	*globalOptions
	format string
	dryRun bool
}

func newIngestCommand(g *globalOptions) *cobra.Command {
	o := &ingestOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "ingest [flags] SHEET...",
		Short: "Add articles from their fact sheets, all or nothing",
		Long: `Add articles to the --db store from their fact sheets (YAML, JSON, or JSON Lines
with one sheet a line; "-" for standard input): each sheet's document and
sentences, its entities, and its facts labeled with the sentences that state
them, with the shortcut edges their statuses stand for. Names resolve through
the sheets and the names and aliases already in the store.

Every sheet is checked before the store is touched: a quote that is not in the
text, an unknown name or a term outside the vocabulary is reported as
FILE:LINE:COL and leaves the store exactly as it was. Ingesting a sheet again
changes nothing. The format is in docs/fact-sheets.md.

Ingesting into the default memory store only lasts for this command; use
--db disk://DIR to keep the articles, or --dry-run to see the quads.`,
		Example: `  factgraph ingest --db bolt://kg.db examples/sheets/*.yaml
  factgraph ingest --dry-run --empty sheet.yaml > sheet.nq`,
		Args: cobra.MinimumNArgs(1),
		RunE: o.run,
	}
	cmd.Flags().StringVar(&o.format, "format", "", "sheet format: yaml, json or jsonl (default: by extension; yaml)")
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "check the sheets and print their quads as N-Quads instead of adding them")
	return cmd
}

func (o *ingestOptions) run(cmd *cobra.Command, args []string) error {
	var format factsheet.Format
	if o.format != "" {
		f, err := factsheet.ParseFormat(o.format)
		if err != nil {
			return err
		}
		format = f
	}
	start := time.Now()
	sheets, err := factsheet.ReadFiles(args, format, cmd.InOrStdin())
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := factsheet.Build(ctx, st, sheets)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if o.dryRun {
		return loaders.WriteNQuads(out, res.Quads)
	}
	stats, err := loaders.Apply(ctx, st, res.Quads)
	if err != nil {
		return err
	}
	if o.quiet {
		return nil
	}
	fmt.Fprintf(out, "ingested %s (%s, %s, %s) into %s: %s\n", plural(len(sheets), "sheet"), plural(res.Documents, "document"),
		plural(res.Sentences, "sentence"), plural(res.Facts, "fact"), plural(len(res.Quads), "quad"),
		loadSummary{files: len(args), elapsed: time.Since(start), Stats: stats}.counts())
	if st.IsMemory() {
		fmt.Fprintln(cmd.ErrOrStderr(), "factgraph: note: the memory store ends with this command, and the articles with it; ingest into --db disk://DIR to keep them")
	}
	return nil
}

// plural renders "1 sheet", "2 sheets".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
