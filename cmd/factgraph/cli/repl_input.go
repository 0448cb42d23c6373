package cli

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/peterh/liner"
)

// How the REPL reads its input: a line editor with history on a terminal,
// plain lines otherwise, and when a query goes on to the next line.

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
