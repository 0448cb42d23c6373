package w3c

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/results"
)

// sameTerm compares two terms of results: blank nodes through the mapping m
// (extended as needed), literals as terms or, for numbers of one datatype,
// by value.
func sameTerm(a, b quad.Value, m map[quad.BNode]quad.BNode, used map[quad.BNode]bool) (bool, func()) {
	noop := func() {}
	ba, aIsB := a.(quad.BNode)
	bb, bIsB := b.(quad.BNode)
	if aIsB || bIsB {
		if !aIsB || !bIsB {
			return false, noop
		}
		if cur, ok := m[ba]; ok {
			return cur == bb, noop
		}
		if used[bb] {
			return false, noop
		}
		m[ba], used[bb] = bb, true
		return true, func() { delete(m, ba); delete(used, bb) }
	}
	if a == b {
		return true, noop
	}
	la, ok1 := a.(quad.LangString)
	lb, ok2 := b.(quad.LangString)
	if ok1 && ok2 {
		// Language tags compare without case (the readers lower them).
		return la.Value == lb.Value && strings.EqualFold(la.Lang, lb.Lang), noop
	}
	return sameValue(a, b), noop
}

// sameValue accepts literals that differ only in how a number is written.
func sameValue(a, b quad.Value) bool {
	ta, ok1 := a.(quad.TypedString)
	tb, ok2 := b.(quad.TypedString)
	if !ok1 || !ok2 || ta.Type != tb.Type {
		return false
	}
	var x, y float64
	if _, err := fmt.Sscan(string(ta.Value), &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(string(tb.Value), &y); err != nil {
		return false
	}
	return x == y || (x-y)/max(abs(x), abs(y)) < 1e-12 && (y-x)/max(abs(x), abs(y)) < 1e-12
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// matchRow matches row a against row b under the mapping; it returns the
// undo of what it added.
func matchRow(a, b results.Row, vars []string, m map[quad.BNode]quad.BNode, used map[quad.BNode]bool) (bool, func()) {
	var undos []func()
	undo := func() {
		for i := len(undos) - 1; i >= 0; i-- {
			undos[i]()
		}
	}
	for _, v := range vars {
		x, y := a[v], b[v]
		if x == nil || y == nil {
			if x != y {
				undo()
				return false, func() {}
			}
			continue
		}
		ok, u := sameTerm(x, y, m, used)
		undos = append(undos, u)
		if !ok {
			undo()
			return false, func() {}
		}
	}
	return true, undo
}

// SameSolutions compares solution sequences: as multisets, blank nodes up
// to a renaming, and in order when ordered is set; lax accepts fewer
// duplicates (REDUCED). It returns "" when they agree, else what differs.
func SameSolutions(want, got *results.Set, ordered, lax bool) string {
	vars := unionVars(want, got)
	if lax {
		want, got = distinctRows(want), distinctRows(got)
	}
	if len(want.Rows) != len(got.Rows) {
		return fmt.Sprintf("got %d solutions, want %d\n%s", len(got.Rows), len(want.Rows), diff(want, got, vars))
	}
	m, used := map[quad.BNode]quad.BNode{}, map[quad.BNode]bool{}
	if ordered {
		for i := range want.Rows {
			if ok, _ := matchRow(want.Rows[i], got.Rows[i], vars, m, used); !ok {
				return fmt.Sprintf("solution %d differs\n%s", i+1, diff(want, got, vars))
			}
		}
		return ""
	}
	taken := make([]bool, len(got.Rows))
	var search func(i int) bool
	search = func(i int) bool {
		if i == len(want.Rows) {
			return true
		}
		for j := range got.Rows {
			if taken[j] {
				continue
			}
			ok, undo := matchRow(want.Rows[i], got.Rows[j], vars, m, used)
			if !ok {
				continue
			}
			taken[j] = true
			if search(i + 1) {
				return true
			}
			taken[j] = false
			undo()
		}
		return false
	}
	if !search(0) {
		return "solutions differ\n" + diff(want, got, vars)
	}
	return ""
}

func distinctRows(s *results.Set) *results.Set {
	out := &results.Set{Vars: s.Vars}
	seen := map[string]bool{}
	for _, r := range s.Rows {
		k := rowString(r, sortedVars(r))
		if !seen[k] {
			seen[k] = true
			out.Rows = append(out.Rows, r)
		}
	}
	return out
}

func sortedVars(r results.Row) []string {
	var vs []string
	for k := range r {
		vs = append(vs, k)
	}
	sort.Strings(vs)
	return vs
}

func unionVars(a, b *results.Set) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range []*results.Set{a, b} {
		for _, v := range s.Vars {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		for _, r := range s.Rows {
			for k := range r {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
				}
			}
		}
	}
	return out
}

func rowString(r results.Row, vars []string) string {
	var parts []string
	for _, v := range vars {
		if x := r[v]; x != nil {
			parts = append(parts, "?"+v+"="+x.String())
		}
	}
	return strings.Join(parts, " ")
}

func diff(want, got *results.Set, vars []string) string {
	var b strings.Builder
	show := func(title string, s *results.Set) {
		b.WriteString(title + ":\n")
		for i, r := range s.Rows {
			if i == 20 {
				fmt.Fprintf(&b, "  ... %d more\n", len(s.Rows)-20)
				break
			}
			b.WriteString("  " + rowString(r, vars) + "\n")
		}
	}
	show("want", want)
	show("got", got)
	return b.String()
}

// sameGraph compares two graphs up to a renaming of blank nodes.
func sameGraph(want, got []quad.Quad) string {
	if len(want) != len(got) {
		return fmt.Sprintf("got %d triples, want %d\n%s", len(got), len(want), graphDiff(want, got))
	}
	m, used := map[quad.BNode]quad.BNode{}, map[quad.BNode]bool{}
	taken := make([]bool, len(got))
	// Ground triples first: they fix nothing and fail fast.
	sort.SliceStable(want, func(i, j int) bool { return bnodes(want[i]) < bnodes(want[j]) })
	var search func(i int) bool
	search = func(i int) bool {
		if i == len(want) {
			return true
		}
		for j := range got {
			if taken[j] {
				continue
			}
			var undos []func()
			ok := true
			for _, d := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object} {
				same, u := sameTerm(want[i].Get(d), got[j].Get(d), m, used)
				undos = append(undos, u)
				if !same {
					ok = false
					break
				}
			}
			if ok {
				taken[j] = true
				if search(i + 1) {
					return true
				}
				taken[j] = false
			}
			for k := len(undos) - 1; k >= 0; k-- {
				undos[k]()
			}
		}
		return false
	}
	if !search(0) {
		return "graphs differ\n" + graphDiff(want, got)
	}
	return ""
}

func bnodes(q quad.Quad) int {
	n := 0
	for _, v := range []quad.Value{q.Subject, q.Object} {
		if _, ok := v.(quad.BNode); ok {
			n++
		}
	}
	return n
}

func graphDiff(want, got []quad.Quad) string {
	var b strings.Builder
	for _, s := range []struct {
		title string
		qs    []quad.Quad
	}{{"want", want}, {"got", got}} {
		b.WriteString(s.title + ":\n")
		for i, q := range s.qs {
			if i == 20 {
				fmt.Fprintf(&b, "  ... %d more\n", len(s.qs)-20)
				break
			}
			b.WriteString("  " + q.Subject.String() + " " + q.Predicate.String() + " " + q.Object.String() + "\n")
		}
	}
	return b.String()
}
