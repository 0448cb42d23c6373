package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph/format"
	"github.com/factgraph/factgraph/loaders"
)

type loadOptions struct {
	*globalOptions
	format    string
	columns   string
	maxErrors int
}

func newLoadCommand(g *globalOptions) *cobra.Command {
	o := &loadOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "load [flags] FILE...",
		Short: "Add the quads of files to the store, all or nothing",
		Long: `Add the quads of files to the --db store in one batch: N-Quads and N-Triples
(.nq, .nt), Turtle and TriG (.ttl, .trig), JSON-LD (.jsonld), CSV and TSV with a header row naming subject,
predicate, object and optionally label (--columns maps other names), "-" for
standard input, directories (every data file below them); gzip is detected by
content. Every file is read and checked
before the store is touched: a malformed line anywhere is reported as
FILE:LINE:COL and leaves the store exactly as it was. Quads already stored are
skipped and counted.

Loading into the default memory store only lasts for this command; use
--db bolt://PATH to keep the quads.`,
		Example: `  factgraph load --db bolt://kg.db facts.nq more.nq.gz
  zcat facts.nq.gz | factgraph load --db bolt://kg.db -`,
		Args: cobra.MinimumNArgs(1),
		RunE: o.run,
	}
	cmd.Flags().StringVar(&o.format, "format", "", "input format: "+strings.Join(format.Names(format.Load), ", ")+" (default: by file extension, else nquads)")
	cmd.Flags().StringVar(&o.columns, "columns", "", "CSV/TSV header columns of each part: subject=A,predicate=B,object=C,label=D")
	cmd.Flags().IntVar(&o.maxErrors, "max-errors", loaders.DefaultMaxErrors, "report at most N malformed lines")
	return cmd
}

func (o *loadOptions) run(cmd *cobra.Command, args []string) error {
	opt := loaders.ReadOptions{Format: o.format, MaxErrors: o.maxErrors, Stdin: cmd.InOrStdin()}
	if o.columns != "" {
		cols, err := loaders.ParseCSVColumns(o.columns)
		if err != nil {
			return err
		}
		opt.Columns = cols
	}
	if o.showProgress(cmd.ErrOrStderr()) {
		p := &loadProgress{stderr: cmd.ErrOrStderr()}
		opt.Progress, opt.Quads = p.reader, p.quads
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := loadFiles(ctx, st, args, opt, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout(), sum.summary())
	if st.IsMemory() && !o.quiet {
		fmt.Fprintln(cmd.ErrOrStderr(), "factgraph: note: the memory store ends with this command, and the quads with it; load into --db bolt://PATH to keep them, or give --load FILE to query or serve")
	}
	return nil
}
