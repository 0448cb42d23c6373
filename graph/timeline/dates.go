package timeline

import (
	"context"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/refs"
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
}

func newDater(qs cgraph.QuadStore) *dater {
	return &dater{qs: qs, dates: map[quad.Value]string{}}
}

// date returns the date of a label, "" when it has none.
func (d *dater) date(ctx context.Context, label quad.Value) (string, error) {
	if label == nil {
		return "", nil
	}
	if s, ok := d.dates[label]; ok {
		return s, nil
	}
	doc := label
	parts, err := objects(ctx, d.qs, label, graph.IsPartOf)
	if err != nil {
		return "", err
	}
	if len(parts) > 0 {
		doc = parts[0]
	}
	dates, err := objects(ctx, d.qs, doc, graph.DatePublished)
	s := ""
	for _, v := range dates {
		if t := graph.Plain(v); s == "" || t < s {
			s = t
		}
	}
	d.dates[label] = s
	return s, err
}

// objects returns the objects of the quads of subject with predicate pred.
// It compares refs and reads only the objects it returns, so that reading a
// sentence's document does not copy the sentence's text.
func objects(ctx context.Context, qs cgraph.QuadStore, subject, pred quad.Value) ([]quad.Value, error) {
	sref, err := qs.ValueOf(subject)
	if err != nil || sref == nil {
		return nil, err
	}
	pref, err := qs.ValueOf(pred)
	if err != nil || pref == nil {
		return nil, err
	}
	pk := refs.ToKey(pref)
	var out []quad.Value
	it := qs.QuadIterator(quad.Subject, sref).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		p, err := qs.QuadDirection(it.Result(), quad.Predicate)
		if err != nil {
			return nil, err
		}
		if refs.ToKey(p) != pk {
			continue
		}
		o, err := qs.QuadDirection(it.Result(), quad.Object)
		if err != nil {
			return nil, err
		}
		v, err := qs.NameOf(o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, it.Err()
}
