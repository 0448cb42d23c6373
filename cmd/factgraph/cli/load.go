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
	format     string
	columns    string
	maxErrors  int
	maxInput   byteSize
	maxLine    byteSize
	contextDir string
}

func newLoadCommand(g *globalOptions) *cobra.Command {
	o := &loadOptions{globalOptions: g, maxInput: loaders.DefaultMaxInput, maxLine: loaders.DefaultMaxLine}
	cmd := &cobra.Command{
		Use:   "load [flags] FILE...",
		Short: "Add the quads of files to the store, all or nothing",
		Long: `Add the quads of files to the --db store in one batch: N-Quads and N-Triples
(.nq, .nt), Turtle and TriG (.ttl, .trig), JSON-LD (.jsonld), CSV and TSV with
a header row naming subject, predicate, object and optionally label (--columns
maps other names), "-" for standard input, directories (every data file below
them); gzip is detected by content. A CSV or TSV cell that is not an IRI names
a node or predicate, as in queries (Japan,hasRAAWith,Australia), among the
store's names and those the file declares (fg:Germany,name,Germany); an
object stays text unless its predicate points at nodes. Every file is read
and checked before the store is touched: a malformed line anywhere is reported as
FILE:LINE:COL and leaves the store exactly as it was. Quads already stored are
skipped and counted.

Input is checked strictly: it must be UTF-8, blank node labels and CSV rows
must follow their grammar, and a JSON-LD document must carry its @context
inline (factgraph never fetches a URL or reads a file named by the data;
--context-dir names a directory whose files contexts may name). Each file may
unpack to at most --max-input bytes, with lines of at most --max-line bytes.

Loading into the default memory store only lasts for this command; use
--db disk://DIR to keep the quads.`,
		Example: `  factgraph load --db bolt://kg.db facts.nq more.nq.gz
  zcat facts.nq.gz | factgraph load --db bolt://kg.db -`,
		Args: cobra.MinimumNArgs(1),
		RunE: o.run,
	}
	cmd.Flags().StringVar(&o.format, "format", "", "input format: "+strings.Join(format.Names(format.Load), ", ")+" (default: by file extension, else nquads)")
	cmd.Flags().StringVar(&o.columns, "columns", "", "CSV/TSV header columns of each part: subject=A,predicate=B,object=C,label=D")
	cmd.Flags().IntVar(&o.maxErrors, "max-errors", loaders.DefaultMaxErrors, "report at most N malformed lines")
	cmd.Flags().Var(&o.maxInput, "max-input", "largest size of one file once decompressed (e.g. 512MiB, 4GiB)")
	cmd.Flags().Var(&o.maxLine, "max-line", "longest line of an N-Quads, CSV or TSV file")
	cmd.Flags().StringVar(&o.contextDir, "context-dir", "", "directory whose files JSON-LD @context references may name (default: none; contexts must be inline)")
	return cmd
}

func (o *loadOptions) run(cmd *cobra.Command, args []string) error {
	opt := loaders.ReadOptions{Format: o.format, MaxErrors: o.maxErrors, Stdin: cmd.InOrStdin(),
		MaxInput: int64(o.maxInput), MaxLine: int64(o.maxLine), ContextDir: o.contextDir}
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
	if o.quiet {
		return nil
	}
	fmt.Fprintln(cmd.OutOrStdout(), sum.summary())
	if st.IsMemory() {
		fmt.Fprintln(cmd.ErrOrStderr(), "factgraph: note: the memory store ends with this command, and the quads with it; load into --db disk://DIR to keep them, or give --load FILE to query or serve")
	}
	return nil
}
