package queries

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// maxTableCell is the widest a table cell gets, in characters; longer text
// (sentences, long literals) is cut with "…". Machine formats are never cut.
const maxTableCell = 80

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// EncodeTable writes an aligned table, with each row's evidence indented under
// it; cells longer than maxTableCell characters are cut (the other formats give
// them whole). An empty result prints its header and "(no rows)".
func EncodeTable(w io.Writer, res *Result) error {
	bw := bufio.NewWriter(w)
	lines := [][]string{res.Header()}
	for i := range res.Rows {
		rec := res.Record(i)
		cells := make([]string, len(rec))
		for j, v := range rec {
			cells[j] = clip(text(v), maxTableCell)
		}
		lines = append(lines, cells)
	}
	widths := make([]int, len(lines[0]))
	for _, l := range lines {
		for j, c := range l {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	for i, l := range lines {
		for j, c := range l {
			if j == len(l)-1 {
				bw.WriteString(c)
				break
			}
			bw.WriteString(c)
			bw.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(c)+2))
		}
		bw.WriteByte('\n')
		if i > 0 && res.Evidence {
			writeEvidenceText(bw, res.Rows[i-1].Evidence)
		}
	}
	if len(res.Rows) == 0 {
		bw.WriteString("(no rows)\n")
	}
	return bw.Flush()
}

func writeEvidenceText(w *bufio.Writer, facts []Fact) {
	if len(facts) == 0 {
		fmt.Fprintln(w, "    (no evidence: the row's values are not linked by stated facts)")
	}
	for _, f := range facts {
		fmt.Fprintf(w, "    %s\n", f)
		for _, st := range f.Statements {
			fmt.Fprintf(w, "      %s\n", st.Cite())
		}
	}
}
