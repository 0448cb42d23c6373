package timeline

import (
	"context"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// ParseDate checks an "as of" date: a day, YYYY-MM-DD.
func ParseDate(s string) (string, error) {
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
		return "", errs.Errorf(errs.Invalid, "as of %q: expected a day, YYYY-MM-DD", s)
	}
	return s, nil
}

// dater finds the date of labels: the schema:datePublished of the document a
// sentence is schema:isPartOf, or of the label itself when it is a document.
type dater struct {
	qs    cgraph.QuadStore
	dates map[quad.Value]string
	docs  map[quad.Value]quad.Value
}

func newDater(qs cgraph.QuadStore) *dater {
	return &dater{qs: qs, dates: map[quad.Value]string{}, docs: map[quad.Value]quad.Value{}}
}

// date returns the date of a label, "" when it has none.
func (d *dater) date(ctx context.Context, label quad.Value) (string, error) {
	if label == nil {
		return "", nil
	}
	if s, ok := d.dates[label]; ok {
		return s, nil
	}
	doc, err := d.document(ctx, label)
	if err != nil {
		return "", err
	}
	s := ""
	err = graph.EachQuad(ctx, d.qs, quad.Subject, doc, func(q quad.Quad) error {
		if q.Predicate == graph.DatePublished {
			if v := graph.Plain(q.Object); s == "" || v < s {
				s = v
			}
		}
		return nil
	})
	d.dates[label] = s
	return s, err
}

// document returns the document of a label: what it is schema:isPartOf, or
// the label itself.
func (d *dater) document(ctx context.Context, label quad.Value) (quad.Value, error) {
	if doc, ok := d.docs[label]; ok {
		return doc, nil
	}
	doc := label
	err := graph.EachQuad(ctx, d.qs, quad.Subject, label, func(q quad.Quad) error {
		if q.Predicate == graph.IsPartOf {
			doc = q.Object
		}
		return nil
	})
	d.docs[label] = doc
	return doc, err
}
