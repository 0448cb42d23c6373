package timeline_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/timeline"
	"github.com/factgraph/factgraph/internal/testkit"
)

func fg(s string) quad.IRI { return quad.IRI(graph.NS + s) }

// out returns the local names (or texts) that a node reaches along p, sorted.
func out(t *testing.T, qs cgraph.QuadStore, from string, p string) []string {
	t.Helper()
	vals, err := path.StartPath(qs, fg(from)).Out(fg(p)).Iterate(context.Background()).AllValues(qs)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vals {
		names = append(names, graph.LocalName(graph.Plain(v)))
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func open(t *testing.T, qs cgraph.QuadStore, asOf string) cgraph.QuadStore {
	t.Helper()
	v, err := timeline.Open(context.Background(), qs, asOf)
	if err != nil {
		t.Fatalf("open as of %q: %v", asOf, err)
	}
	return v
}

// TestNoHistoryIsTheStore checks that a store whose happenings each have one
// status is its own latest view: queries on it pay nothing.
func TestNoHistoryIsTheStore(t *testing.T) {
	st := testkit.ArticleStore(t)
	if v := open(t, st, ""); v != cgraph.QuadStore(st) {
		t.Errorf("Open returned a %T for a store without status history", v)
	}
}

// TestStoryOverTime asks the article's questions of the article and the
// example sheets that move its stories on, at three dates and now.
func TestStoryOverTime(t *testing.T) {
	st := testkit.StoryStore(t)
	tests := []struct {
		asOf                  string
		hasRAA, negotiating   []string
		philippinesWith       []string // negotiatingRAAWith, from the Philippines
		philippines, xiMacron []string // statuses
		macronMet             []string
	}{
		{"", []string{"Australia", "Philippines", "UnitedKingdom"}, []string{"France"}, nil, []string{"in-force"}, []string{"held"}, []string{"FumioKishida", "XiJinping"}},
		{"2024-05-01", nil, nil, nil, nil, nil, nil},
		{"2024-06-01", []string{"Australia", "UnitedKingdom"}, []string{"France", "Philippines"}, []string{"Japan"}, []string{"talks-agreed"}, []string{"planned"}, []string{"FumioKishida"}},
		{"2024-08-01", []string{"Australia", "UnitedKingdom"}, []string{"France"}, nil, []string{"signed"}, []string{"held"}, []string{"FumioKishida", "XiJinping"}},
		{"2025-09-11", []string{"Australia", "Philippines", "UnitedKingdom"}, []string{"France"}, nil, []string{"in-force"}, []string{"held"}, []string{"FumioKishida", "XiJinping"}},
	}
	for _, tc := range tests {
		t.Run("as of "+tc.asOf, func(t *testing.T) {
			v := open(t, st, tc.asOf)
			for _, c := range []struct {
				from, p string
				want    []string
			}{
				{"Japan", "hasRAAWith", tc.hasRAA},
				{"Japan", "negotiatingRAAWith", tc.negotiating},
				{"Philippines", "negotiatingRAAWith", tc.philippinesWith},
				{"RAA-Japan-Philippines", "status", tc.philippines},
				{"XiMacronMeeting2024-05", "status", tc.xiMacron},
				{"EmmanuelMacron", "met", tc.macronMet},
			} {
				if got := out(t, v, c.from, c.p); !slices.Equal(got, c.want) {
					t.Errorf("%s -> %s = %q, want %q", c.from, c.p, got, c.want)
				}
			}
		})
	}
}

// TestEarlierStatementsStay checks that superseded statements stay in the
// store and in the history, in date order, with their dates.
func TestEarlierStatementsStay(t *testing.T) {
	st := testkit.StoryStore(t)
	hs, err := timeline.Statuses(context.Background(), st, fg("RAA-Japan-Philippines"), "")
	if err != nil || len(hs) != 1 {
		t.Fatalf("histories %v, %v", hs, err)
	}
	h := hs[0]
	var got []string
	for _, s := range h.Statements {
		got = append(got, s.Date+" "+s.Status()+" "+map[bool]string{true: "superseded", false: "current"}[s.Superseded])
	}
	want := []string{"2024-05-02 talks-agreed superseded", "2024-07-08 signed superseded", "2025-09-11 in-force current"}
	if !slices.Equal(got, want) || !slices.Equal(h.Current, []string{"in-force"}) || h.Contradicted {
		t.Errorf("history %q (current %q, contradicted %v), want %q", got, h.Current, h.Contradicted, want)
	}
	// The base store still answers with every statement.
	if got := out(t, st, "Japan", "negotiatingRAAWith"); !slices.Equal(got, []string{"France", "Philippines"}) {
		t.Errorf("the store lost a statement: %q", got)
	}
	// A status restated later is not superseded.
	hs, _ = timeline.Statuses(context.Background(), st, fg("RAA-Japan-Australia"), "")
	if len(hs) != 1 || len(hs[0].Statements) != 2 || hs[0].Statements[0].Superseded {
		t.Errorf("Japan-Australia history %+v", hs)
	}
}

// TestOnlyTheStatusIsSuperseded checks that the other facts of a sentence
// whose status statement is superseded stay.
func TestOnlyTheStatusIsSuperseded(t *testing.T) {
	v := open(t, testkit.StoryStore(t), "")
	if got := out(t, v, "RAA-Japan-Philippines", "party"); !slices.Equal(got, []string{"Japan", "Philippines"}) {
		t.Errorf("parties %q", got)
	}
	// Sentence 3 of the Kyodo article stated the parties and the superseded status.
	s3 := quad.IRI(graph.NS + "news/kyodo-2024-05-02-japan-france-raa#s3")
	vals, err := path.StartPath(v, fg("RAA-Japan-Philippines")).LabelContext(s3).Out(fg("party")).Iterate(context.Background()).AllValues(v)
	if err != nil || len(vals) != 2 {
		t.Errorf("parties from sentence 3: %v, %v", vals, err)
	}
}

// TestContradiction ingests a sheet of the same date as the in-force one that
// says the RAA is only signed (testkit.ContradictingSheet): both statuses
// stay, and reading them warns.
func TestContradiction(t *testing.T) {
	st := testkit.StoryStore(t)
	testkit.IngestText(t, st, testkit.ContradictingSheet)
	v := open(t, st, "").(*timeline.View)
	if w := v.Warnings(); len(w) != 0 {
		t.Errorf("warnings before any query: %q", w)
	}
	if got := out(t, v, "Japan", "negotiatingRAAWith"); !slices.Equal(got, []string{"France"}) {
		t.Errorf("negotiating %q", got)
	}
	if w := v.Warnings(); len(w) != 0 {
		t.Errorf("a query that read no contradicted quad warns: %q", w)
	}
	if got := out(t, v, "RAA-Japan-Philippines", "status"); !slices.Equal(got, []string{"in-force", "signed"}) {
		t.Errorf("status %q, want both", got)
	}
	w := v.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "Japan-Philippines reciprocal access agreement (fg:RAA-Japan-Philippines): statements of 2025-09-11 disagree on its status (in-force, signed)") {
		t.Errorf("warnings %q", w)
	}
	if got := out(t, v, "Japan", "hasRAAWith"); !slices.Contains(got, "Philippines") {
		t.Errorf("the in-force statement's shortcut is gone: %q", got)
	}
}

// TestAsOfHidesLaterDocuments checks that nodes and quads of later documents
// are not in an as-of view, and that undated quads are.
func TestAsOfHidesLaterDocuments(t *testing.T) {
	v := open(t, testkit.StoryStore(t), "2024-06-01")
	sentences, err := path.StartPath(v).Has(graph.Type, graph.Sentence).Iterate(context.Background()).AllValues(v)
	if err != nil || len(sentences) != 10 {
		t.Errorf("%d sentences as of 2024-06-01, want the Kyodo article's 10 (%v)", len(sentences), err)
	}
	// Entities declared by a later sheet are curated, undated: they are there.
	if got := out(t, v, "YokoKamikawa", "office"); got != nil {
		t.Errorf("a later sentence's fact is visible: %q", got)
	}
	names, _ := path.StartPath(v, fg("YokoKamikawa")).Out(graph.Name).Iterate(context.Background()).AllValues(v)
	if len(names) != 1 {
		t.Errorf("the curated name of a later entity: %v", names)
	}
}

func TestOpenErrors(t *testing.T) {
	st := testkit.StoryStore(t)
	if _, err := timeline.Open(context.Background(), st, "2024-6-1"); errs.CodeOf(err) != errs.Invalid || !strings.Contains(err.Error(), "expected a day, YYYY-MM-DD") {
		t.Errorf("err = %v", err)
	}
	v := open(t, st, "2024-06-01")
	if err := v.ApplyDeltas([]cgraph.Delta{{Quad: quad.MakeIRI("a", "b", "c", ""), Action: cgraph.Add}}, cgraph.IgnoreOpts{}); errs.CodeOf(err) != errs.ReadOnly {
		t.Errorf("a write to a view: %v", err)
	}
	if again := open(t, v, "2024-06-01"); again != v {
		t.Errorf("opening a view at its own date made another")
	}
	if latest := open(t, v, ""); latest == v {
		t.Errorf("opening a view at another date returned it")
	}
}
