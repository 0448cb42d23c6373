package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/peterh/liner"
	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/queries"
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
type lineReader interface {
	Prompt(prompt string) (string, error)
	AppendHistory(item string)
	Close() error
}

// plainReader reads lines from a non-terminal input (pipes, tests), echoing nothing.
type plainReader struct{ sc *bufio.Scanner }

func (r *plainReader) Prompt(string) (string, error) {
	if r.sc.Scan() {
		return r.sc.Text(), nil
	}
	if err := r.sc.Err(); err != nil {
		return "", err
	}
	return "", io.EOF
}
func (r *plainReader) AppendHistory(string) {}
func (r *plainReader) Close() error         { return nil }

// linerReader is an interactive terminal prompt with history.
type linerReader struct {
	*liner.State
	history string
}

func (r *linerReader) Close() error {
	if f, err := os.Create(r.history); err == nil {
		r.WriteHistory(f)
		f.Close()
	}
	return r.State.Close()
}

func (o *replOptions) reader(in io.Reader) lineReader {
	if isTerminal(in) && liner.TerminalSupported() {
		l := liner.NewLiner()
		l.SetCtrlCAborts(true)
		home, _ := os.UserHomeDir()
		hist := filepath.Join(home, ".factgraph_history")
		if f, err := os.Open(hist); err == nil {
			l.ReadHistory(f)
			f.Close()
		}
		return &linerReader{State: l, history: hist}
	}
	return &plainReader{sc: bufio.NewScanner(in)}
}

func (o *replOptions) run(cmd *cobra.Command, _ []string) error {
	ctx := cmd.Context()
	st, err := o.openStore(ctx, cmd.InOrStdin(), cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	defer st.Close()
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	r := o.reader(cmd.InOrStdin())
	defer r.Close()
	fmt.Fprintf(errOut, "factgraph on %s — %s queries; :help for commands\n", st.URL, o.lang)
	var buf []string
	for ctx.Err() == nil {
		prompt := o.lang + "> "
		if len(buf) > 0 {
			prompt = strings.Repeat(" ", len(o.lang)) + "… "
		}
		line, err := r.Prompt(prompt)
		if errors.Is(err, io.EOF) || errors.Is(err, liner.ErrPromptAborted) {
			if len(buf) > 0 && errors.Is(err, liner.ErrPromptAborted) {
				buf = nil // Ctrl-C drops the unfinished query
				continue
			}
			return nil
		}
		if err != nil {
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
		if needsMore(line, text) {
			continue
		}
		buf = nil
		r.AppendHistory(text)
		o.runQuery(cmd, st, text)
	}
	return nil
}

// runQuery runs one query and prints its result or its error; errors do not end
// the session.
func (o *replOptions) runQuery(cmd *cobra.Command, st *graph.Store, text string) {
	out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
	enc, err := queries.EncoderFor(o.format)
	if err != nil {
		fmt.Fprintln(errOut, formatError(err))
		return
	}
	res, err := queries.Run(cmd.Context(), st, queries.Request{
		Lang: o.lang, Query: text, Limit: o.limit, Timeout: o.requestTimeout(), Evidence: o.evidence,
	})
	if err != nil {
		fmt.Fprintln(errOut, formatError(err))
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

// isTerminal reports whether r is a character device such as a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// needsMore reports whether a query goes on past this line.
func needsMore(line, text string) bool {
	trimmed := strings.TrimRight(line, " \t")
	if strings.HasSuffix(trimmed, `\`) {
		return true
	}
	for _, arrow := range []string{"->", "<-", "<->"} {
		if strings.HasSuffix(trimmed, arrow) {
			return true
		}
	}
	depth, inString := 0, false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		}
	}
	return inString || depth > 0
}

// command runs a ":" command; it reports whether the session should end.
func (o *replOptions) command(out, errOut io.Writer, f []string) bool {
	arg := ""
	if len(f) > 1 {
		arg = f[1]
	}
	switch f[0] {
	case ":quit", ":q", ":exit":
		return true
	case ":lang":
		if !slices.Contains(queries.Languages(), arg) {
			fmt.Fprintf(errOut, "unknown language %q (known: %s)\n", arg, strings.Join(queries.Languages(), ", "))
			return false
		}
		o.lang = arg
	case ":format":
		if _, err := queries.EncoderFor(arg); err != nil {
			fmt.Fprintln(errOut, err)
			return false
		}
		o.format = arg
	case ":evidence":
		o.evidence = arg == "on"
	case ":limit":
		if _, err := fmt.Sscan(arg, &o.limit); err != nil || o.limit < 0 {
			fmt.Fprintln(errOut, ":limit takes a whole number ≥ 0")
			o.limit = 0
		}
	case ":help":
		fmt.Fprintln(out, `:lang NAME       query language (`+strings.Join(queries.Languages(), ", ")+`)
:format NAME     output format (`+strings.Join(queries.Formats(), ", ")+`)
:evidence on|off show the sentences behind every row
:limit N         print at most N rows (0: no cap)
:quit            leave (or Ctrl-D)`)
	default:
		fmt.Fprintf(errOut, "unknown command %s (try :help)\n", f[0])
	}
	return false
}
