package queries

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
)

func encodeDelimited(w io.Writer, res *Result, comma rune) error {
	cw := csv.NewWriter(w)
	cw.Comma = comma
	header := res.Header()
	if res.Evidence {
		header = append(header, evidenceColumns...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range res.Rows {
		rec := res.Record(i)
		cells := make([]string, len(rec), len(header))
		for j, v := range rec {
			cells[j] = text(v)
		}
		if res.Evidence {
			cells = append(cells, evidenceCells(res.Rows[i].Evidence)...)
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// evidenceColumns are the extra CSV/TSV columns of a result with evidence; a
// row with several statements joins them with " | ".
var evidenceColumns = []string{"evidence_facts", "evidence_sentences", "evidence_sources"}

func evidenceCells(facts []Fact) []string {
	var fs, sents, srcs []string
	for _, f := range facts {
		fs = append(fs, f.String())
		for _, st := range f.Statements {
			if st.Sentence != "" && !slices.Contains(sents, st.Sentence) {
				sents = append(sents, st.Sentence)
				srcs = append(srcs, strings.Join(nonEmpty(st.Source, st.Date), " "))
			}
		}
	}
	return []string{strings.Join(fs, " | "), strings.Join(sents, " | "), strings.Join(srcs, " | ")}
}
