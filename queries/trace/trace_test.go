package trace_test

import (
	"context"
	"slices"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries/trace"
)

var quads = []quad.Quad{
	quad.MakeIRI("a", "p", "b", "s1"),
	quad.MakeIRI("a", "p", "b", "s2"),
	quad.MakeIRI("b", "q", "c", "s3"),
	quad.MakeIRI("a", "p", "x", "s4"),
}

// walk runs p and returns, for each result path, the quads it recorded.
func walk(t *testing.T, ts *trace.Store, p *path.Path) [][]quad.Quad {
	t.Helper()
	var out [][]quad.Quad
	err := p.Iterate(context.Background()).Paths(true).TagEach(func(tags map[string]cgraph.Ref) error {
		qs, err := trace.Quads(ts, tags)
		for k := range tags {
			if trace.IsTag(k) {
				t.Errorf("Quads left the tag %s in the map", k)
			}
		}
		out = append(out, qs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEveryPathRecordsItsQuads(t *testing.T) {
	st := testkit.StoreWith(t, quads)
	ts := trace.New(st.QuadStore, trace.InTags)
	got := walk(t, ts, path.StartPath(ts, quad.IRI("a")).Out(quad.IRI("p")).Out(quad.IRI("q")))
	// a -p-> b is stated twice, so two paths reach c, each with its own quad.
	if len(got) != 2 {
		t.Fatalf("%d paths, want 2: %v", len(got), got)
	}
	var labels []string
	for _, qs := range got {
		if len(qs) != 2 || qs[1] != quads[2] {
			t.Errorf("path %v: want a -p-> b then b -q-> c", qs)
			continue
		}
		labels = append(labels, string(qs[0].Label.(quad.IRI)))
	}
	slices.Sort(labels)
	if !slices.Equal(labels, []string{"s1", "s2"}) {
		t.Errorf("first hops labeled %v, want s1 and s2", labels)
	}
}

func TestLabelContextRestrictsTheRecord(t *testing.T) {
	st := testkit.StoreWith(t, quads)
	ts := trace.New(st.QuadStore, trace.InTags)
	got := walk(t, ts, path.StartPath(ts, quad.IRI("a")).LabelContext(quad.IRI("s2")).Out(quad.IRI("p")))
	if len(got) != 1 || len(got[0]) != 1 || got[0][0] != quads[1] {
		t.Errorf("recorded %v, want the s2 quad only", got)
	}
}

func TestExceptRecordsNothing(t *testing.T) {
	st := testkit.StoreWith(t, quads)
	ts := trace.New(st.QuadStore, trace.InTags)
	p := path.StartPath(ts, quad.IRI("a")).Out(quad.IRI("p")).Except(path.StartPath(ts).Has(quad.IRI("q")))
	got := walk(t, ts, p)
	if len(got) != 1 || len(got[0]) != 1 || got[0][0] != quads[3] {
		t.Errorf("recorded %v, want a -p-> x only (the excluded b walked nothing for the row)", got)
	}
}

func TestAsideKeepsRecordsBesideTheTags(t *testing.T) {
	st := testkit.StoreWith(t, quads)
	ts := trace.New(st.QuadStore, trace.Aside)
	got := walk(t, ts, path.StartPath(ts, quad.IRI("b")).Out(quad.IRI("q")))
	if len(got) != 1 || len(got[0]) != 0 {
		t.Errorf("tags hold %v, want no recorded quads in them", got)
	}
	aside := ts.Aside()
	if len(aside) != 1 || len(aside[0].Quads) != 1 {
		t.Fatalf("aside %v, want one result with one quad", aside)
	}
	if q, _ := ts.Quad(aside[0].Quads[0]); q != quads[2] {
		t.Errorf("aside quad %v, want %v", q, quads[2])
	}
	if v, err := ts.NameOf(trace.Ref{Quad: aside[0].Quads[0]}); err != nil || v.(trace.Value).Quad != quads[2] {
		t.Errorf("NameOf a recorded quad = %v, %v", v, err)
	}
}
