package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/peterh/liner"
	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/queries"
	"github.com/factgraph/factgraph/queries/sparql"
)

type replOptions struct {
	*globalOptions
	lang     string
	format   string
	evidence bool
	limit    int
}

func newReplCommand(g *globalOptions) *cobra.Command {
	o := &replOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "repl",
		Short: "Ask questions interactively",
		Long: `Ask questions at a prompt, with history (~/.factgraph_history) and multi-line
input: a query goes on to the next line while a bracket, parenthesis, brace or
quote is open, or when the line ends with '\', '->', '<-' or '<->'.

Commands: :lang NAME, :format NAME, :evidence on|off, :limit N, :help, :quit.`,
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	f := cmd.Flags()
	f.StringVarP(&o.lang, "lang", "l", queries.DefaultLang, "query language: "+strings.Join(queries.Languages(), ", "))
	f.StringVarP(&o.format, "format", "f", "table", "output format: "+strings.Join(queries.Formats(), ", "))
	f.BoolVar(&o.evidence, "evidence", false, "show the evidence of every row")
	f.IntVar(&o.limit, "limit", 0, "print at most N rows per query (0: no cap)")
	return cmd
}

// lineReader reads one line with a prompt; io.EOF ends the session.
func (o *replOptions) run(cmd *cobra.Command, _ []string) error {
	root := cmd.Context()
	st, err := o.openStore(root, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	sess, stop := startSession(root)
	defer stop()
	if err := root.Err(); err != nil {
		return err // interrupted or terminated while the store opened
	}
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	r := o.reader(cmd.InOrStdin())
	defer r.Close()
	fmt.Fprintf(errOut, "factgraph on %s — %s queries; :help for commands\n", st.URL, o.lang)
	var buf []string
	for {
		prompt := o.lang + "> "
		if len(buf) > 0 {
			prompt = strings.Repeat(" ", len(o.lang)) + "… "
		}
		sess.hooks.prompting(len(buf))
		line, err := sess.prompt(r, prompt)
		if _, tty := r.(*linerReader); tty && err != nil && !errors.Is(err, liner.ErrPromptAborted) {
			fmt.Fprintln(errOut) // end the prompt's line on Ctrl-D or SIGTERM
		}
		if sess.takeInterrupt() {
			buf = nil // Ctrl-C at the prompt (without liner) drops the unfinished query
		}
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			buf = nil // Ctrl-C drops the unfinished query and shows a fresh prompt
			continue
		case errors.Is(err, io.EOF):
			// The input ended: run what is pending, so that an unfinished
			// query gets its error instead of vanishing.
			if text := strings.Join(buf, "\n"); strings.TrimSpace(text) != "" {
				r.AppendHistory(text)
				o.runQuery(sess, out, errOut, st, text)
			}
			return sess.Err()
		case err != nil:
			return err
		}
		if len(buf) == 0 && strings.HasPrefix(strings.TrimSpace(line), ":") {
			r.AppendHistory(line)
			if quit := o.command(out, errOut, strings.Fields(strings.TrimSpace(line))); quit {
				return nil
			}
			continue
		}
		buf = append(buf, strings.TrimSuffix(line, `\`))
		text := strings.Join(buf, "\n")
		if strings.TrimSpace(text) == "" {
			buf = nil
			continue
		}
		if needsMore(line, text) || o.lang == sparql.Name && sparqlIncomplete(text) {
			continue
		}
		buf = nil
		r.AppendHistory(text)
		o.runQuery(sess, out, errOut, st, text)
		if err := sess.Err(); err != nil {
			return err
		}
	}
}

// runQuery runs one query and prints its result or its error; errors do not end
// the session. Ctrl-C cancels the query and only the query.
func (o *replOptions) runQuery(sess *replSession, out, errOut io.Writer, st *graph.Store, text string) {
	enc, _, err := encoderFor(o.lang, text, o.format)
	if err != nil {
		fmt.Fprintln(errOut, formatError(err))
		return
	}
	ctx, done := sess.startQuery()
	defer done()
	res, err := queries.Run(ctx, st, queries.Request{
		Lang: o.lang, Query: text, Limit: o.limit, Timeout: o.requestTimeout(), Evidence: o.evidence,
	})
	switch {
	case sess.Err() != nil:
		return // the session ends (SIGTERM); run returns why
	case errors.Is(context.Cause(ctx), errQueryInterrupted):
		// Checked before err: a query that finished as Ctrl-C came is
		// cancelled too, and Gizmo's interruption error need not wrap
		// context.Canceled.
		fmt.Fprintln(errOut, "query cancelled")
		return
	case err != nil:
		fmt.Fprintln(errOut, formatError(errs.WithInput(err, text)))
		return
	}
	enc(out, res)
	if res.Truncated {
		fmt.Fprintf(errOut, "(cut at %d rows by :limit)\n", res.Limit)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(errOut, "warning: %s\n", w)
	}
}
