package pathlang

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
)

func TestParseValid(t *testing.T) {
	for _, q := range []string{
		`Japan -> hasRAAWith`,
		`Japan->hasRAAWith`,
		`Japan -> (hasRAAWith | negotiatingRAAWith)`,
		`"Senkaku Islands" -> claimedBy`,
		`"New Caledonia" -> locatedIn+`,
		`<https://w3id.org/factgraph/Japan> -> fg:hasRAAWith`,
		`{Japan, France} <-> *`,
		`* [type = RAA] [status = in-force] -> party`,
		`* [date >= 2024-05-01, date < 2025-01-01]`,
		`* [name ~ "^Ja"] [-> leads] [<- participant]`,
		`Japan as country <- party -> party as partner back country`,
		`Japan <- party -> party except (Japan) unique order limit 3 skip 1`,
		`Japan <- party -> party and (* [type = country]) or (France)`,
		`Japan in source fg:curated -> name`,
		`Japan <- party -> party unique count`,
		"# a comment line\nJapan # trailing comment\n  -> hasRAAWith",
		`RAA-Japan-France -> status`,
		`* [position > 3]`,
		`* [position <= -1.5e3]`,
	} {
		if _, err := Parse(q); err != nil {
			t.Errorf("Parse(%q): %v", q, err)
		}
	}
}

func TestParseAST(t *testing.T) {
	q, err := Parse(`"New Caledonia" <- (a | fg:b)+ [x != 3, -> y] as t limit 2`)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Start.Nodes) != 1 || q.Start.Nodes[0].Kind != STRING || q.Start.Nodes[0].Text != "New Caledonia" {
		t.Errorf("start = %+v", q.Start)
	}
	if len(q.Steps) != 4 {
		t.Fatalf("got %d steps, want 4: %#v", len(q.Steps), q.Steps)
	}
	tr, ok := q.Steps[0].(*Traverse)
	if !ok || tr.Dir != In || tr.Repeat != PLUS || len(tr.Preds) != 2 || tr.Preds[1].Kind != PNAME {
		t.Errorf("step 0 = %#v", q.Steps[0])
	}
	f, ok := q.Steps[1].(*Filter)
	if !ok || len(f.Conds) != 2 || f.Conds[0].Op != NEQ || f.Conds[0].Value.Kind != NUMBER || f.Conds[1].Op != OUT {
		t.Errorf("step 1 = %#v", q.Steps[1])
	}
	if as, ok := q.Steps[2].(*As); !ok || as.Name != "t" {
		t.Errorf("step 2 = %#v", q.Steps[2])
	}
	if sl, ok := q.Steps[3].(*Slice); !ok || sl.Name != "limit" || sl.N != 2 {
		t.Errorf("step 3 = %#v", q.Steps[3])
	}
}

func TestParseErrorsAreBounded(t *testing.T) {
	_, err := Parse(strings.Repeat("] ", 100))
	list := errs.All(err)
	if len(list) == 0 {
		t.Fatalf("got %v, want a list of errors", err)
	}
	if len(list) > MaxErrors {
		t.Errorf("got %d errors, want at most %d", len(list), MaxErrors)
	}
}

func TestPositionOf(t *testing.T) {
	src := "ab\nçd -> x"
	for _, tc := range []struct {
		off  Pos
		want Position
	}{{0, Position{1, 1}}, {2, Position{1, 3}}, {3, Position{2, 1}}, {Pos(strings.Index(src, "->")), Position{2, 4}}} {
		if got := PositionOf(src, tc.off); got != tc.want {
			t.Errorf("PositionOf(%d) = %v, want %v", tc.off, got, tc.want)
		}
	}
}

// FuzzParse checks that Parse never panics and that every error it reports has
// a position inside the query (a column at most one past the end of its line).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`Japan -> hasRAAWith`, `Japan -> -> x`, `"a -> b`, `{a, b} [p = "x", -> q] as t back t`,
		`* [d > 2024-01-01] except (x) count`, "a\n-> b\n[c ~ \"(\"]", `<x> <- <y`, `a -> (b | c)* limit 9999999999999999999999`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var err error
		// Parsing is linear: a few kilobytes of tokens and nodes per byte at most.
		testkit.Linear(t, len(src), 256, 16<<10, func() { _, err = Parse(src) })
		if err == nil {
			return
		}
		list := errs.All(err)
		if len(list) == 0 {
			t.Fatalf("error of type %T: %v", err, err)
		}
		lines := strings.Split(src, "\n")
		for _, e := range list {
			pos := positionOf(e)
			if !pos.IsValid() || pos.Line > len(lines) {
				t.Fatalf("error %q has position %v outside the %d-line query", e.Message, pos, len(lines))
			}
			if n := utf8.RuneCountInString(lines[pos.Line-1]); pos.Column > n+1 {
				t.Fatalf("error %q at %v: line %d has %d characters", e.Message, pos, pos.Line, n)
			}
		}
	})
}
