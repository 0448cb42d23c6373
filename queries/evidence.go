package queries

import (
	"context"
	"fmt"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// Fact is one (subject, predicate, object) statement a result row relies on,
// with every quad of the store that states it.
type Fact struct {
	Subject    quad.Value
	Predicate  quad.Value
	Object     quad.Value
	Statements []Statement
	// SubjectName and ObjectName are the display names of the subject and of
	// a node object (see graph.NameOf), for showing a fact without lookups.
	SubjectName, ObjectName string
}

// Statement is one quad stating a fact: its label and, when the label is a
// sentence node, that sentence and its document. A quad with no label has a nil
// Label and no sentence.
type Statement struct {
	Label    quad.Value
	Sentence string     // schema:text of the label
	Position int        // schema:position of the sentence in its document (0: unknown)
	Document quad.Value // schema:isPartOf of the sentence
	Source   string     // schema:publisher of the document
	Date     string     // schema:datePublished of the document
}

// evidenceFinder resolves the facts of recorded quads to their statements
// (the sentence and document of each label) and their nodes' names, caching
// what it looked up. It never looks for facts: those are what the plan
// recorded.
type evidenceFinder struct {
	qs     cgraph.QuadStore
	labels map[quad.Value]Statement
	names  map[quad.Value]string
}

func newEvidenceFinder(qs cgraph.QuadStore) *evidenceFinder {
	return &evidenceFinder{qs: qs, labels: map[quad.Value]Statement{}, names: map[quad.Value]string{}}
}

// rowEvidence returns the facts behind one row: the quads its plan recorded
// (see queries/trace), grouped into facts, with their sentences and names.
func (ef *evidenceFinder) rowEvidence(ctx context.Context, quads []quad.Quad) ([]Fact, error) {
	return ef.resolve(ctx, quadFacts(quads))
}

// resolve fills in the sentence and document of every statement's label.
func (ef *evidenceFinder) resolve(ctx context.Context, facts []Fact) ([]Fact, error) {
	for i := range facts {
		var err error
		if facts[i].SubjectName, err = ef.name(ctx, facts[i].Subject); err != nil {
			return nil, err
		}
		if facts[i].ObjectName, err = ef.name(ctx, facts[i].Object); err != nil {
			return nil, err
		}
		for j, st := range facts[i].Statements {
			full, err := ef.statement(ctx, st.Label)
			if err != nil {
				return nil, err
			}
			facts[i].Statements[j] = full
		}
	}
	return facts, nil
}

func (ef *evidenceFinder) statement(ctx context.Context, label quad.Value) (Statement, error) {
	if label == nil {
		return Statement{}, nil
	}
	if st, ok := ef.labels[label]; ok {
		return st, nil
	}
	st := Statement{Label: label}
	err := graph.EachQuad(ctx, ef.qs, quad.Subject, label, func(q quad.Quad) error {
		switch q.Predicate {
		case graph.Text:
			st.Sentence = graph.Plain(q.Object)
		case graph.Position:
			if n, ok := q.Object.(quad.Int); ok {
				st.Position = int(n)
			}
		case graph.IsPartOf:
			st.Document = q.Object
		}
		return nil
	})
	if err != nil {
		return Statement{}, err
	}
	if st.Document != nil {
		err = graph.EachQuad(ctx, ef.qs, quad.Subject, st.Document, func(q quad.Quad) error {
			switch q.Predicate {
			case graph.Publisher:
				st.Source = graph.Plain(q.Object)
			case graph.DatePublished:
				st.Date = graph.Plain(q.Object)
			}
			return nil
		})
		if err != nil {
			return Statement{}, err
		}
	}
	ef.labels[label] = st
	return st, nil
}

// quadFacts groups recorded quads into facts, in the order the plan first
// matched them, each with the statement of every quad (label) that states it
// once.
func quadFacts(quads []quad.Quad) []Fact {
	type spo struct{ s, p, o quad.Value }
	var facts []Fact
	index := map[spo]int{}
	for _, q := range quads {
		k := spo{q.Subject, q.Predicate, q.Object}
		i, ok := index[k]
		if !ok {
			i = len(facts)
			index[k] = i
			facts = append(facts, Fact{Subject: q.Subject, Predicate: q.Predicate, Object: q.Object})
		}
		if f := &facts[i]; !containsLabel(f.Statements, q.Label) {
			f.Statements = append(f.Statements, Statement{Label: q.Label})
		}
	}
	return facts
}

func containsLabel(sts []Statement, l quad.Value) bool {
	for _, st := range sts {
		if st.Label == l {
			return true
		}
	}
	return false
}

// String renders a fact as "subject predicate object" in compact form.
func (f Fact) String() string {
	return fmt.Sprintf("%s %s %s", compactValue(f.Subject), compactValue(f.Predicate), compactValue(f.Object))
}

// Cite renders a statement as `"sentence" (Source, date)`, or says what it lacks.
func (st Statement) Cite() string {
	switch {
	case st.Label == nil:
		return "(stated without a label: no source recorded)"
	case st.Sentence == "":
		return fmt.Sprintf("(labeled %s, which has no sentence text)", compactValue(st.Label))
	}
	src := strings.TrimSpace(strings.Join(nonEmpty(st.Source, st.Date), ", "))
	if src == "" {
		return fmt.Sprintf("%q", st.Sentence)
	}
	return fmt.Sprintf("%q (%s)", st.Sentence, src)
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// name returns the display name of a node ("" for a literal), cached.
func (ef *evidenceFinder) name(ctx context.Context, v quad.Value) (string, error) {
	if !graph.IsNode(v) {
		return "", nil
	}
	if n, ok := ef.names[v]; ok {
		return n, nil
	}
	n, err := graph.NameOf(ctx, ef.qs, v)
	if err != nil {
		return "", err
	}
	ef.names[v] = n
	return n, nil
}
