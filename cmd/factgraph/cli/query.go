package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
)

type queryOptions struct {
	*globalOptions
	lang     string
	format   string
	limit    int
	evidence bool
	explain  bool
	maxDepth int
	asOf     string
}

// oneQuery accepts exactly one argument, and says what to do about several
// (an unquoted query).
func oneQuery(_ *cobra.Command, args []string) error {
	switch len(args) {
	case 1:
		return nil
	case 0:
		return errors.New("expected a query, or - to read it from standard input")
	}
	return fmt.Errorf("expected one query, found %d arguments; quote the query, e.g. factgraph query 'Japan -> hasRAAWith'", len(args))
}

func newQueryCommand(g *globalOptions) *cobra.Command {
	o := &queryOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "query [flags] QUERY|-",
		Short: "Run a query and print its rows",
		Long: `Run a query ("-" reads it from standard input) and print its rows.

The default language is factgraph's path expressions (docs/path-language.md);
--lang sparql runs SPARQL 1.1 (docs/sparql.md: ASK prints true or false,
CONSTRUCT and DESCRIBE print N-Triples, or Turtle with --format turtle);
--lang gizmo, graphql and mql run Cayley's languages unchanged. A result cut by
--limit says so on stderr.`,
		Example: `  factgraph query 'Japan -> hasRAAWith'
  factgraph query --format csv 'Japan -> (hasRAAWith | negotiatingRAAWith)'
  factgraph query --lang sparql 'SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } }'
  factgraph query --lang gizmo 'g.V().Has("<https://schema.org/name>", "Japan").All()'`,
		Args: oneQuery,
		RunE: o.run,
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		if strings.Contains(err.Error(), "in ->") { // an unquoted path expression
			return fmt.Errorf("%w; quote the query, e.g. factgraph query 'Japan -> hasRAAWith'", err)
		}
		return err
	})
	f := cmd.Flags()
	f.StringVarP(&o.lang, "lang", "l", queries.DefaultLang, "query language: "+strings.Join(queries.Languages(), ", "))
	f.StringVarP(&o.format, "format", "f", "table", "output format: "+strings.Join(queries.Formats(), ", ")+" (SPARQL CONSTRUCT: ntriples, nquads, turtle)")
	f.IntVar(&o.limit, "limit", 0, "print at most N rows (0: no cap)")
	f.BoolVar(&o.evidence, "evidence", false, "show the sentence, source and date behind every row")
	f.BoolVar(&o.explain, "explain", false, "print the compiled Cayley plan instead of running the query")
	f.IntVar(&o.maxDepth, "max-depth", queries.DefaultMaxDepth, "bound of recursive steps (p+, p*) in path expressions")
	f.StringVar(&o.asOf, "as-of", "", "answer as the documents published up to this day (YYYY-MM-DD) state it (default: all of them)")
	cmd.RegisterFlagCompletionFunc("lang", fixedCompletions(queries.Languages()))
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(queries.Formats()))
	return cmd
}

func (o *queryOptions) run(cmd *cobra.Command, args []string) error {
	if o.maxDepth < 1 {
		return fmt.Errorf("--max-depth: expected a bound of at least 1, found %d", o.maxDepth)
	}
	text := args[0]
	if text == "-" {
		b, err := io.ReadAll(cmd.InOrStdin())
		if err != nil {
			return fmt.Errorf("read query: %w", err)
		}
		text = string(b)
	}
	enc, answer, err := encoderFor(o.lang, text, o.format)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	req := queries.Request{
		Lang: o.lang, Query: text, Limit: o.limit, Timeout: o.requestTimeout(),
		Evidence: o.evidence || !answer && queries.NeedsEvidence(o.format), MaxDepth: o.maxDepth, AsOf: o.asOf,
	}
	if o.explain {
		plan, err := queries.Explain(ctx, st, req)
		if err != nil {
			return errs.WithInput(err, text)
		}
		_, err = io.WriteString(cmd.OutOrStdout(), plan)
		return err
	}
	var res *queries.Result
	if o.format == "ndjson" && !answer {
		// Rows go out as the query yields them.
		bw := bufio.NewWriter(cmd.OutOrStdout())
		je := queries.NewJSONEncoder(bw)
		res, err = queries.Stream(ctx, st, req, func(cols []string, row queries.Row) error {
			return je.Encode(queries.RowToJSON(cols, row, req.Evidence))
		})
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
	} else if res, err = queries.Run(ctx, st, req); err == nil {
		err = enc(cmd.OutOrStdout(), res)
	}
	if err != nil {
		return errs.WithInput(err, text)
	}
	if res.Truncated {
		fmt.Fprintf(cmd.ErrOrStderr(), "factgraph: result cut at --limit %d; more rows exist\n", res.Limit)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "factgraph: warning: %s\n", w)
	}
	return nil
}

func fixedCompletions(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
