package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/factgraph/factgraph/queries"
)

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
