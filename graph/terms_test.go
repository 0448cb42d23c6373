package graph

import (
	"github.com/cayleygraph/quad"

	"os"
	"strings"
	"testing"
)

// TestVocabularyDocumented checks that docs/vocabulary.md names every class,
// property, status value and shortcut of the vocabulary's data, which fact
// sheets are checked against.
func TestVocabularyDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/vocabulary.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	mentions := func(what string, forms ...string) {
		t.Helper()
		for _, f := range forms {
			if strings.Contains(doc, "`"+f+"`") {
				return
			}
		}
		t.Errorf("docs/vocabulary.md does not name %s (as %s)", what, strings.Join(forms, " or "))
	}
	for _, c := range Classes {
		mentions("class "+c.Name, Compact(string(c.IRI)))
		for _, s := range c.Statuses {
			mentions("status "+s+" of "+c.Name, s)
		}
	}
	for _, p := range Properties {
		mentions("property "+p.Key, p.Key, Compact(string(p.IRI)))
	}
	for _, s := range Shortcuts {
		mentions("shortcut", LocalName(string(s.Predicate)))
	}
}

func TestClassNamed(t *testing.T) {
	for _, name := range []string{"RAA", "raa", "reciprocal access agreement", "ReciprocalAccessAgreement", "fg:ReciprocalAccessAgreement"} {
		if c, ok := ClassNamed(name); !ok || c.IRI != NS+"ReciprocalAccessAgreement" {
			t.Errorf("ClassNamed(%q) = %v, %v", name, c.IRI, ok)
		}
	}
	if _, ok := ClassNamed("treaty"); ok {
		t.Error("ClassNamed found a class for treaty")
	}
	if got := ShortcutsOf(quad.IRI(NS+"Meeting"), "held"); len(got) != 1 || got[0].Predicate != NS+"met" {
		t.Errorf("ShortcutsOf(meeting, held) = %v", got)
	}
	if got := ShortcutsOf(quad.IRI(NS+"Meeting"), "planned"); len(got) != 0 {
		t.Errorf("ShortcutsOf(meeting, planned) = %v", got)
	}
}
