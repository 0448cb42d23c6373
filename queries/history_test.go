package queries_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/queries"
)

func TestHistoryOfAHappening(t *testing.T) {
	st := testkit.StoryStore(t)
	h, err := queries.HistoryOf(context.Background(), st, "RAA-Japan-Philippines", "")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := h.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Japan-Philippines reciprocal access agreement (fg:RAA-Japan-Philippines): in-force since 2025-09-11
2024-05-02  talks-agreed (superseded)
    "Additionally, it has agreed with the Philippines to initiate talks for such an accord." (Kyodo, 2024-05-02)
2024-07-08  signed (superseded)
    "Japan and the Philippines signed a reciprocal access agreement in Manila on Monday, two months after they agreed to start talks on it." (Example Wire, 2024-07-08)
2025-09-11  in-force
    "The reciprocal access agreement between Japan and the Philippines entered into force on Thursday, after both parliaments ratified it." (Example Wire, 2025-09-11)
`
	if b.String() != want {
		t.Errorf("history:\n%s\nwant\n%s", b.String(), want)
	}
	h, err = queries.HistoryOf(context.Background(), st, "Japan-Philippines reciprocal access agreement", "2024-07-31")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Entries) != 2 || h.Current[0] != "signed" || h.Entries[1].Superseded || !h.Entries[0].Superseded {
		t.Errorf("as of 2024-07-31: current %q, %d entries", h.Current, len(h.Entries))
	}
}

func TestHistoryOfAnEntity(t *testing.T) {
	h, err := queries.HistoryOf(context.Background(), testkit.StoryStore(t), "the Philippines", "")
	if err != nil {
		t.Fatal(err)
	}
	if h.Statuses {
		t.Fatal("a country has no status history")
	}
	var lines []string
	for _, e := range h.Entries {
		mark := ""
		if e.Superseded {
			mark = " superseded"
		}
		lines = append(lines, e.Statement().Date+" "+e.Fact.String()+mark)
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		"2024-05-02 fg:Japan fg:negotiatingRAAWith fg:Philippines superseded",
		"2024-05-02 fg:RAA-Japan-Philippines fg:party fg:Philippines",
		"2025-09-11 fg:Japan fg:hasRAAWith fg:Philippines",
	} {
		if !strings.Contains(got, want+"\n") && !strings.HasSuffix(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Index(got, "2024-05-02") > strings.Index(got, "2025-09-11") {
		t.Errorf("not in date order:\n%s", got)
	}
}

func TestHistoryErrors(t *testing.T) {
	st := testkit.ArticleStore(t)
	if _, err := queries.HistoryOf(context.Background(), st, "Phillipines", ""); errs.CodeOf(err) != errs.NotFound || !strings.Contains(err.Error(), `did you mean "Philippines"?`) {
		t.Errorf("err = %v", err)
	}
	if _, err := queries.HistoryOf(context.Background(), st, "Japan", "2024"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("err = %v", err)
	}
}

// TestWhySuperseded checks that why still shows a superseded statement, and
// says that queries no longer see it.
func TestWhySuperseded(t *testing.T) {
	st := testkit.StoryStore(t)
	for _, tc := range []struct {
		s, p, o    string
		superseded bool
	}{
		{"Japan", "negotiatingRAAWith", "Philippines", true},
		{"RAA-Japan-Philippines", "status", "talks-agreed", true},
		{"Japan", "negotiatingRAAWith", "France", false},
		{"Japan", "hasRAAWith", "Philippines", false},
	} {
		w, err := queries.WhyFact(context.Background(), st, tc.s, tc.p, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if !w.Stated() || w.Superseded != tc.superseded || w.JSON().Superseded != tc.superseded {
			t.Errorf("why %s %s %s: stated %v, superseded %v", tc.s, tc.p, tc.o, w.Stated(), w.Superseded)
		}
	}
	w, err := queries.WhyFact(context.Background(), testkit.ArticleStore(t), "Japan", "negotiatingRAAWith", "Philippines")
	if err != nil || w.Superseded {
		t.Errorf("on the article alone: superseded %v, %v", w.Superseded, err)
	}
}
