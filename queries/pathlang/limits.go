package pathlang

import (
	"fmt"

	"github.com/factgraph/factgraph/graph/errs"
)

// checkSteps returns a too_large error at the first step past bound,
// counting the steps of sub-queries and each condition of a filter, or nil.
// It visits each step once, so it takes time linear in the query.
func checkSteps(src string, q *Query, bound int) error {
	n := 0
	var at Pos
	var count func(q *Query) bool
	count = func(q *Query) bool {
		for _, st := range q.Steps {
			k := 1
			switch st := st.(type) {
			case *Filter:
				k = max(1, len(st.Conds))
			case *SetOp:
				if !count(st.Sub) {
					return false
				}
			}
			if n += k; n > bound {
				at = st.Pos()
				return false
			}
		}
		return true
	}
	if count(q) {
		return nil
	}
	return errorAt(src, at, errs.TooLarge, fmt.Sprintf("the query has more than %d steps (raise the bound with --max-steps)", bound))
}
