package w3c

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Manifests are the suites' manifests factgraph runs, below the folder that
// holds sparql10 and sparql11: the SPARQL 1.1 query tests (evaluation and
// syntax) and the SPARQL 1.0 evaluation and syntax tests. Update, protocol,
// federation (SERVICE), entailment, service description and result-format
// manifests are out of scope.
var Manifests = []struct{ Path, Suite string }{
	{"sparql11/manifest-sparql11-query.ttl", "sparql11"},
	{"sparql10/manifest-evaluation.ttl", "sparql10"},
	{"sparql10/manifest-syntax.ttl", "sparql10"},
}

// Tests loads every test of the Manifests below root.
func Tests(root string) ([]Test, error) {
	var all []Test
	for _, m := range Manifests {
		ts, err := Load(filepath.Join(root, m.Path), m.Suite)
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
	}
	return all, nil
}

// Config is how RunAll runs the tests.
type Config struct {
	Timeout time.Duration // deadline of each test
	// Iterators makes the engine read the store through Cayley's iterators
	// (eval.Options.Iterators), as it reads stores other than the compact
	// one, rather than in ids.
	Iterators bool
}

// RunAll runs tests one by one, each under its own deadline.
func RunAll(ctx context.Context, tests []Test, c Config) []Outcome {
	out := make([]Outcome, 0, len(tests))
	for _, t := range tests {
		tctx, cancel := context.WithTimeout(ctx, c.Timeout)
		out = append(out, Run(tctx, t, c.Iterators))
		cancel()
	}
	return out
}

// Counts tallies outcomes: passes and totals for SPARQL 1.1 evaluation,
// SPARQL 1.0 evaluation and syntax tests.
type Counts struct {
	Eval11, Eval11Total int
	Eval10, Eval10Total int
	Syntax, SyntaxTotal int
}

// Count tallies outcomes.
func Count(outcomes []Outcome) Counts {
	var c Counts
	for _, o := range outcomes {
		pass := 0
		if o.Pass {
			pass = 1
		}
		switch {
		case o.Test.Kind != Eval:
			c.Syntax += pass
			c.SyntaxTotal++
		case o.Test.Suite == "sparql11":
			c.Eval11 += pass
			c.Eval11Total++
		default:
			c.Eval10 += pass
			c.Eval10Total++
		}
	}
	return c
}

// ResultLine is the line cmd/sparqltest ends with.
func (c Counts) ResultLine() string {
	return fmt.Sprintf("RESULT sparql11_eval=%d/%d sparql10_eval=%d/%d syntax=%d/%d",
		c.Eval11, c.Eval11Total, c.Eval10, c.Eval10Total, c.Syntax, c.SyntaxTotal)
}

// WriteTable writes a pass table by suite and category, then the failures
// with their reasons.
func WriteTable(w io.Writer, outcomes []Outcome) {
	type row struct{ pass, total int }
	rows := map[string]*row{}
	var keys []string
	for _, o := range outcomes {
		kind := "eval"
		if o.Test.Kind != Eval {
			kind = "syntax"
		}
		k := o.Test.Suite + "\t" + o.Test.Category + "\t" + kind
		if rows[k] == nil {
			rows[k] = &row{}
			keys = append(keys, k)
		}
		rows[k].total++
		if o.Pass {
			rows[k].pass++
		}
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%-9s %-24s %-7s %s\n", "suite", "category", "kind", "passed")
	for _, k := range keys {
		f := strings.Split(k, "\t")
		fmt.Fprintf(w, "%-9s %-24s %-7s %d/%d\n", f[0], f[1], f[2], rows[k].pass, rows[k].total)
	}
	for _, o := range outcomes {
		if !o.Pass {
			reason := o.Reason
			if known, ok := Known[o.Test.IRI]; ok {
				reason = "known: " + known
			}
			first, _, _ := strings.Cut(reason, "\n")
			fmt.Fprintf(w, "FAIL %s %s (%s): %s\n", o.Test.Suite, o.Test.Name, o.Test.IRI, first)
		}
	}
}
