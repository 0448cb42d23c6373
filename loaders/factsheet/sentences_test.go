package factsheet

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/data"
)

func texts(spans []Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Text
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		text string
		skip []string
		want []string
	}{
		{"two sentences", "Japan agreed. France agreed too.", nil,
			[]string{"Japan agreed.", "France agreed too."}},
		{"question and exclamation", "Will it hold? It will! Maybe.", nil,
			[]string{"Will it hold?", "It will!", "Maybe."}},
		{"a paragraph break ends a sentence without a period", "A headline\n\nThe story begins.", nil,
			[]string{"A headline", "The story begins."}},
		{"a line break inside a paragraph does not", "The talks began\non Monday. They ended.", nil,
			[]string{"The talks began\non Monday.", "They ended."}},
		{"U.S. before a name", "U.S. President Joe Biden met Kishida. They spoke.", nil,
			[]string{"U.S. President Joe Biden met Kishida.", "They spoke."}},
		{"U.K. and a.m. mid-sentence", "The U.K. team left at 9 a.m. Tokyo time. It rained.", nil,
			[]string{"The U.K. team left at 9 a.m. Tokyo time.", "It rained."}},
		{"month abbreviations", "It takes effect Jan. 5 and ends Sept. 30. Both agreed.", nil,
			[]string{"It takes effect Jan. 5 and ends Sept. 30.", "Both agreed."}},
		{"titles", "Mr. Kishida and Dr. Tanaka met Gen. Smith. Talks followed.", nil,
			[]string{"Mr. Kishida and Dr. Tanaka met Gen. Smith.", "Talks followed."}},
		{"initials", "John F. Kennedy visited. So did H. G. Wells.", nil,
			[]string{"John F. Kennedy visited.", "So did H. G. Wells."}},
		{"a quoted sentence ends with its quote", `He said, "We agree." Then they left.`, nil,
			[]string{`He said, "We agree."`, "Then they left."}},
		{"a quoted question inside a sentence", `"Is it over?" he asked. Nobody knew.`, nil,
			[]string{`"Is it over?" he asked.`, "Nobody knew."}},
		{"curly quotes", "She said: “It is signed.” The treaty followed.", nil,
			[]string{"She said: “It is signed.”", "The treaty followed."}},
		{"a sentence opening with a quote", `Talks ended. "We are pleased," he said.`, nil,
			[]string{"Talks ended.", `"We are pleased," he said.`}},
		{"parentheses", "They met (in Paris.) Then they left.", nil,
			[]string{"They met (in Paris.)", "Then they left."}},
		{"decimals and lower case go on", "Growth was 3.5 percent. ok, it was.", nil,
			[]string{"Growth was 3.5 percent. ok, it was."}},
		{"a digit starts a sentence", "It rose. 2025 will tell.", nil,
			[]string{"It rose.", "2025 will tell."}},
		{"an ellipsis before a capital ends", "They waited… Nothing came.", nil,
			[]string{"They waited…", "Nothing came."}},
		{"etc. ends a sentence", "Food, fuel, etc. The deal covers them.", nil,
			[]string{"Food, fuel, etc.", "The deal covers them."}},
		{"a skipped credit is no sentence", "A caption. (Kyodo) ==Kyodo\n\nThe story.", []string{"(Kyodo) ==Kyodo"},
			[]string{"A caption.", "The story."}},
		{"a skipped passage ends a sentence", "Before BYLINE after.", []string{"BYLINE"},
			[]string{"Before", "after."}},
		{"white space at the ends is trimmed", "  One.  \n\n  Two.  ", nil,
			[]string{"One.", "Two."}},
		{"nothing but space", " \n\n ", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Split(tc.text, tc.skip)
			if !slices.Equal(texts(got), tc.want) {
				t.Errorf("Split(%q) =\n%q\nwant\n%q", tc.text, texts(got), tc.want)
			}
			for _, s := range got {
				if tc.text[s.Start:s.End] != s.Text {
					t.Errorf("span %d:%d is %q, not its text %q", s.Start, s.End, tc.text[s.Start:s.End], s.Text)
				}
			}
		})
	}
}

// TestSplitArticle checks the rules against the embedded article: ten
// sentences, the second paragraph split in two, the photo credit skipped.
func TestSplitArticle(t *testing.T) {
	sheets, err := Read(data.SheetName, bytes.NewReader(data.ArticleSheet()), YAML)
	if err != nil {
		t.Fatal(err)
	}
	s := sheets[0]
	var skip []string
	for _, sk := range s.Skip {
		skip = append(skip, sk.Value)
	}
	got := Split(s.Text.Value, skip)
	if len(got) != 10 {
		t.Fatalf("%d sentences, want 10: %q", len(got), texts(got))
	}
	if !strings.HasPrefix(got[2].Text, "Additionally, it has agreed") {
		t.Errorf("sentence 3 = %q", got[2].Text)
	}
	if !strings.HasSuffix(got[3].Text, "ahead of their talks.") {
		t.Errorf("sentence 4 = %q, want the caption without its credit", got[3].Text)
	}
}

func TestLocate(t *testing.T) {
	text := "Japan agreed with France. Japan\nand Britain signed. The Philippines waited. France agreed."
	l := newLocated(text, Split(text, nil))
	tests := []struct {
		quote string
		want  int    // 0-based sentence, or -1
		msg   string // part of the error message
	}{
		{"agreed with France", 0, ""},
		{"Japan and Britain", 1, ""},      // the line break is a space
		{"  Britain   signed ", 1, ""},    // runs of space are one
		{"The Philippines waited", 2, ""}, // exact
		{"France. Japan", -1, "runs from sentence 1 into sentence 2"},
		{"France agreed", 3, ""},
		{"agreed", -1, "sentences 1, 4"},
		{"The Phillipines waited for long", -1, "closest sentence 3"},
	}
	for _, tc := range tests {
		i, msg := l.locate(tc.quote)
		if tc.msg == "" {
			if msg != "" || i != tc.want {
				t.Errorf("locate(%q) = %d, %q; want sentence %d", tc.quote, i, msg, tc.want)
			}
			continue
		}
		if i != -1 || !strings.Contains(msg, tc.msg) {
			t.Errorf("locate(%q) = %d, %q; want an error with %q", tc.quote, i, msg, tc.msg)
		}
	}
}
