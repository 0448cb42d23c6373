package data_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/data"
	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/internal/testkit"
)

// sentenceIRI matches the IRI of a sentence of the embedded article.
var sentenceIRI = regexp.MustCompile("^" + regexp.QuoteMeta(data.ArticleIRI) + `#s([0-9]+)$`)

// sentence is what the quads say about one sentence node.
type sentence struct {
	iri       quad.IRI
	texts     []string
	positions []quad.Value
	parts     []quad.Value
}

// sentences collects every node typed fg:Sentence or with a sentence IRI.
func sentences(quads []quad.Quad) map[quad.IRI]*sentence {
	out := map[quad.IRI]*sentence{}
	get := func(v quad.Value) *sentence {
		iri := v.(quad.IRI)
		if out[iri] == nil {
			out[iri] = &sentence{iri: iri}
		}
		return out[iri]
	}
	for _, q := range quads {
		iri, ok := q.Subject.(quad.IRI)
		if !ok {
			continue
		}
		isSentence := sentenceIRI.MatchString(string(iri)) || (q.Predicate == graph.Type && q.Object == graph.Sentence)
		if !isSentence {
			continue
		}
		s := get(iri)
		switch q.Predicate {
		case graph.Text:
			s.texts = append(s.texts, graph.Plain(q.Object))
		case graph.Position:
			s.positions = append(s.positions, q.Object)
		case graph.IsPartOf:
			s.parts = append(s.parts, q.Object)
		}
	}
	return out
}

func TestSentencesAreInTheText(t *testing.T) {
	text := data.ArticleText()
	sents := sentences(testkit.ArticleQuads(t))
	if len(sents) == 0 {
		t.Fatal("expected sentence nodes, found none")
	}
	byPos := map[int]*sentence{}
	for iri, s := range sents {
		if len(s.texts) != 1 || len(s.positions) != 1 || len(s.parts) != 1 {
			t.Errorf("%s: expected one schema:text, schema:position and schema:isPartOf each, found %d, %d and %d",
				iri, len(s.texts), len(s.positions), len(s.parts))
			continue
		}
		if !strings.Contains(text, s.texts[0]) {
			t.Errorf("%s: expected its text to be a verbatim part of the article, found %q", iri, s.texts[0])
		}
		if s.parts[0] != quad.IRI(data.ArticleIRI) {
			t.Errorf("%s: expected schema:isPartOf <%s>, found %v", iri, data.ArticleIRI, s.parts[0])
		}
		pos, ok := s.positions[0].(quad.Int)
		if !ok {
			t.Errorf("%s: expected an xsd:integer position, found %#v", iri, s.positions[0])
			continue
		}
		if m := sentenceIRI.FindStringSubmatch(string(iri)); m == nil || m[1] != strconv.Itoa(int(pos)) {
			t.Errorf("%s: expected the IRI to end in #s%d, its position", iri, pos)
		}
		if other := byPos[int(pos)]; other != nil {
			t.Errorf("expected one sentence at position %d, found %s and %s", pos, other.iri, iri)
		}
		byPos[int(pos)] = s
	}
	// Positions run 1..N without gaps, and the sentences occur in the text in
	// that order.
	offset := 0
	for pos := 1; pos <= len(sents); pos++ {
		s := byPos[pos]
		if s == nil {
			t.Errorf("expected a sentence at position %d of %d, found none", pos, len(sents))
			continue
		}
		if !strings.Contains(text, s.texts[0]) {
			continue // reported above
		}
		i := strings.Index(text[offset:], s.texts[0])
		if i < 0 {
			t.Errorf("%s: expected sentence %d to come after sentence %d in the text, found it before", s.iri, pos, pos-1)
			continue
		}
		offset += i + len(s.texts[0])
	}
}

func TestEveryQuadIsLabeled(t *testing.T) {
	quads := testkit.ArticleQuads(t)
	sents := sentences(quads)
	for _, q := range quads {
		switch l := q.Label.(type) {
		case nil:
			t.Errorf("%v: expected a label, found none", q)
		case quad.IRI:
			switch {
			case l == quad.IRI(data.ArticleIRI) || l == graph.Curated:
			case sentenceIRI.MatchString(string(l)):
				if s := sents[l]; s == nil || len(s.texts) == 0 {
					t.Errorf("%v: expected its label to be a sentence with text, found no such sentence", q)
				}
			default:
				t.Errorf("%v: expected a sentence, the document or fg:curated as label, found %v", q, l)
			}
		default:
			t.Errorf("%v: expected an IRI label, found %#v", q, l)
		}
	}
}

func TestEntitiesHaveNames(t *testing.T) {
	names := map[quad.Value][]string{}
	for _, q := range testkit.ArticleQuads(t) {
		if q.Predicate == graph.Name {
			names[q.Subject] = append(names[q.Subject], graph.Plain(q.Object))
		}
	}
	tests := []struct {
		entity string
		name   string
	}{
		{"Japan", "Japan"},
		{"France", "France"},
		{"Australia", "Australia"},
		{"UnitedKingdom", "United Kingdom"},
		{"Philippines", "Philippines"},
		{"China", "China"},
		{"FumioKishida", "Fumio Kishida"},
		{"EmmanuelMacron", "Emmanuel Macron"},
		{"XiJinping", "Xi Jinping"},
		{"SenkakuIslands", "Senkaku Islands"},
		{"NewCaledonia", "New Caledonia"},
		{"IndoPacific", "Indo-Pacific"},
		{"SouthPacific", "South Pacific"},
		{"EastChinaSea", "East China Sea"},
		{"Paris", "Paris"},
		{"ElyseePalace", "Elysee Palace"},
		{"Osaka", "Osaka"},
	}
	for _, tc := range tests {
		t.Run(tc.entity, func(t *testing.T) {
			got := names[quad.IRI(graph.NS+tc.entity)]
			if len(got) != 1 || got[0] != tc.name {
				t.Errorf("expected the schema:name %q, found %q", tc.name, got)
			}
		})
	}
}

// TestSymmetricPredicatesGoBothWays checks that every s p o of a symmetric
// shortcut is also stored as o p s, from the same sentence.
func TestSymmetricPredicatesGoBothWays(t *testing.T) {
	quads := testkit.ArticleQuads(t)
	stored := map[quad.Quad]bool{}
	for _, q := range quads {
		stored[q] = true
	}
	for _, name := range []string{"hasRAAWith", "negotiatingRAAWith", "met"} {
		t.Run(name, func(t *testing.T) {
			pred := quad.IRI(graph.NS + name)
			n := 0
			for _, q := range quads {
				if q.Predicate != pred {
					continue
				}
				n++
				reverse := quad.Quad{Subject: q.Object, Predicate: pred, Object: q.Subject, Label: q.Label}
				if !stored[reverse] {
					t.Errorf("%v: expected the reverse %v, found none", q, reverse)
				}
			}
			if n == 0 {
				t.Errorf("expected quads with %s, found none", pred)
			}
		})
	}
}
