package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/peterh/liner"
	"github.com/spf13/cobra"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
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
		if needsMore(line, text) {
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
	enc, err := queries.EncoderFor(o.format)
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

// Signals in the REPL.
//
// main runs every command under signal.NotifyContext(SIGINT, SIGTERM): the
// first SIGINT or SIGTERM cancels the root context, which ends any command.
// In the REPL, Ctrl-C must only cancel the running query (or, at the prompt,
// the unfinished input), like psql or python. So a session:
//
//   - runs on context.WithoutCancel(root), cancelled only by the session
//     itself, so the SIGINT that cancels root does not reach its queries;
//   - catches SIGINT itself (signal.Notify): during a query it cancels that
//     query's context; at the prompt it marks the pending input to be dropped
//     (liner reads Ctrl-C as a key, with ISIG off, and returns
//     liner.ErrPromptAborted instead);
//   - also catches SIGTERM itself, because once a SIGINT has cancelled root,
//     NotifyContext's channel stays registered and swallows a later SIGTERM;
//     SIGTERM ends the session;
//   - ends when root is cancelled for any reason but SIGINT (SIGTERM, a
//     caller's cancel), recognised by context.Cause(root);
//   - stops its signal handling (signal.Stop) when the REPL returns.
//
// The prompt is read in a goroutine so that an ending session does not wait
// for the next line of input.

// errQueryInterrupted is the cause of a query's context when Ctrl-C cancels it.
var errQueryInterrupted = errors.New("query cancelled by interrupt")

// interruptCause is the text of context.Cause(ctx) for a context that
// signal.NotifyContext cancelled on SIGINT (TestInterruptCause pins it).
var interruptCause = os.Interrupt.String() + " signal received"

type replSession struct {
	context.Context
	end   context.CancelCauseFunc
	hooks replHooks

	mu          sync.Mutex
	cancelQuery context.CancelCauseFunc // of the running query; nil at the prompt
	interrupted bool                    // a SIGINT came while no query ran
}

// startSession starts catching SIGINT and SIGTERM; stop undoes that and
// returns once the signal goroutine is gone.
func startSession(root context.Context) (s *replSession, stop func()) {
	ctx, end := context.WithCancelCause(context.WithoutCancel(root))
	s = &replSession{Context: ctx, end: end, hooks: hooksFrom(root)}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		defer close(done)
		rootDone := root.Done()
		for {
			select {
			case sig := <-sigs:
				if sig != os.Interrupt {
					s.end(fmt.Errorf("%v signal received", sig))
					continue
				}
				s.interrupt()
			case <-rootDone:
				if cause := context.Cause(root); cause == nil || cause.Error() != interruptCause {
					s.end(cause)
				}
				rootDone = nil // SIGINT: handled through sigs
			case <-ctx.Done():
				return
			}
		}
	}()
	return s, func() {
		signal.Stop(sigs)
		end(nil)
		<-done
	}
}

// interrupt handles a SIGINT: it cancels the running query, or else marks the
// pending input to be dropped.
func (s *replSession) interrupt() {
	s.mu.Lock()
	duringQuery := s.cancelQuery != nil
	if duringQuery {
		s.cancelQuery(errQueryInterrupted)
	} else {
		s.interrupted = true
	}
	s.mu.Unlock()
	s.hooks.interrupted(duringQuery)
}

// takeInterrupt reports whether a SIGINT came at the prompt since last asked.
func (s *replSession) takeInterrupt() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.interrupted
	s.interrupted = false
	return i
}

// startQuery returns the context of a query, which SIGINT cancels until done
// is called.
func (s *replSession) startQuery() (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancelCause(s)
	s.mu.Lock()
	s.cancelQuery = cancel
	s.interrupted = false
	s.mu.Unlock()
	s.hooks.queryStarted()
	return ctx, func() {
		s.mu.Lock()
		s.cancelQuery = nil
		s.mu.Unlock()
		cancel(nil)
	}
}

// prompt reads a line, or returns the session's end error if it ends first.
// A read cut short that way is left to finish (or not) in its goroutine.
func (s *replSession) prompt(r lineReader, prompt string) (string, error) {
	type result struct {
		line string
		err  error
	}
	c := make(chan result, 1)
	go func() {
		line, err := r.Prompt(prompt)
		c <- result{line, err}
	}()
	select {
	case res := <-c:
		return res.line, res.err
	case <-s.Done():
		return "", s.Err()
	}
}

// Err returns nil while the session runs, and then why it ended.
func (s *replSession) Err() error {
	if s.Context.Err() == nil {
		return nil
	}
	return context.Cause(s.Context)
}

// replHooks let tests follow the REPL's signal handling; the zero value does
// nothing.
type replHooks struct {
	Prompting    func(pending int)      // the REPL waits for a line; pending lines are buffered
	QueryStarted func()                 // a query runs and SIGINT now cancels it
	Interrupted  func(duringQuery bool) // the REPL took a SIGINT
}

type replHooksKey struct{}

func withReplHooks(ctx context.Context, h replHooks) context.Context {
	return context.WithValue(ctx, replHooksKey{}, h)
}

func hooksFrom(ctx context.Context) replHooks {
	h, _ := ctx.Value(replHooksKey{}).(replHooks)
	return h
}

func (h replHooks) prompting(pending int) {
	if h.Prompting != nil {
		h.Prompting(pending)
	}
}

func (h replHooks) queryStarted() {
	if h.QueryStarted != nil {
		h.QueryStarted()
	}
}

func (h replHooks) interrupted(duringQuery bool) {
	if h.Interrupted != nil {
		h.Interrupted(duringQuery)
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
