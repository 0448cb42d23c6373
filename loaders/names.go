package loaders

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// Name is a cell of a CSV or TSV file that names a node or a predicate by
// its name instead of an IRI ("Japan,hasRAAWith,Australia"). It stands in a
// quad only between reading and ResolveNames, which Apply calls: no store
// ever holds one.
type Name struct {
	Text string
	// Literal is set for an object cell, which stays a plain string unless
	// its predicate's objects are nodes.
	Literal bool
	// Where the cell is: for errors.
	File         string
	Line, Column int
}

// String implements quad.Value.
func (n Name) String() string { return strconv.Quote(n.Text) }

// Native implements quad.Value.
func (n Name) Native() any { return n.Text }

// hasNames reports whether a quad of quads holds a Name.
func hasNames(quads []quad.Quad) bool {
	for _, q := range quads {
		for _, d := range quad.Directions {
			if _, ok := q.Get(d).(Name); ok {
				return true
			}
		}
	}
	return false
}

// ResolveNames replaces the Names in quads with the nodes and predicates they
// mean, as the path language resolves them (graph.Resolve,
// graph.ResolvePredicate), among the store's nodes and those the quads
// themselves name (fg:Germany,name,Germany declares "Germany"):
//
//   - a predicate is fg:NAME, a short name (type, name, alias, text, date) or
//     schema:, rdf:, rdfs:NAME, the first the store uses, else a predicate
//     of factgraph's vocabulary (party, hasRAAWith, ...) or one the quads
//     use (fg:NAME, schema:NAME);
//   - a subject is the node so named (schema:name, then alternateName);
//   - an object is such a node when the predicate's objects are nodes (the
//     vocabulary's node properties and shortcut edges: party, participant,
//     hasRAAWith, ...), a class when the predicate is rdf:type, and a plain
//     string otherwise.
//
// A name that means nothing, or several nodes, is an error at its cell, with
// the closest known name (the first maxNameErrors are listed, and the rest
// counted). quads is changed in place and returned.
func ResolveNames(ctx context.Context, qs cgraph.QuadStore, quads []quad.Quad) ([]quad.Quad, error) {
	if !hasNames(quads) {
		return quads, nil
	}
	r := &resolver{ctx: ctx, qs: qs, nodes: map[string]quad.Value{}, preds: map[string]quad.Value{}}
	r.declarations(quads)
	var list errs.List
	unlisted, firstUnlisted := 0, Name{}
	fail := func(n Name, part string, err error) {
		if len(list) == maxNameErrors {
			if unlisted == 0 {
				firstUnlisted = n
			}
			unlisted++
			return
		}
		list = append(list, &errs.Error{Code: errs.Invalid, File: n.File, Line: n.Line, Column: n.Column,
			Message: fmt.Sprintf("%s: %s", part, errs.MessageOf(err)), Err: err})
	}
	for i := range quads {
		q := &quads[i]
		if n, ok := q.Predicate.(Name); ok {
			v, err := r.predicate(n.Text)
			if err != nil {
				fail(n, "predicate", err)
				continue
			}
			q.Predicate = v
		}
		if n, ok := q.Subject.(Name); ok {
			v, err := r.node(n.Text)
			if err != nil {
				fail(n, "subject", err)
			} else {
				q.Subject = v
			}
		}
		if n, ok := q.Object.(Name); ok {
			v, err := r.object(q.Predicate, n)
			if err != nil {
				fail(n, "object", err)
			} else {
				q.Object = v
			}
		}
	}
	if unlisted > 0 {
		n := firstUnlisted
		list = append(list, errs.At(errs.Invalid, n.File, n.Line, n.Column,
			"%d more names from here on mean nothing (the first %d are listed)", unlisted, maxNameErrors))
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return quads, nil
}

// maxNameErrors is how many names that mean nothing ResolveNames lists, as
// many as a load lists malformed lines by default (--max-errors).
const maxNameErrors = DefaultMaxErrors

// resolver resolves the names of one batch, each distinct text once.
type resolver struct {
	ctx   context.Context
	qs    cgraph.QuadStore
	nodes map[string]quad.Value // resolved texts
	preds map[string]quad.Value
	// What the batch declares: names and aliases (lower-cased) of its
	// subjects, and the IRIs it uses as predicates and as subjects.
	named      map[string][]quad.Value
	predicates map[quad.Value]bool
	subjects   map[quad.Value]bool
}

// declarations collects the names, predicates and subjects the batch states
// with IRIs (or with names it can already tell: a predicate cell "name").
func (r *resolver) declarations(quads []quad.Quad) {
	r.named = map[string][]quad.Value{}
	r.predicates = map[quad.Value]bool{}
	r.subjects = map[quad.Value]bool{}
	for _, q := range quads {
		p := q.Predicate
		if n, ok := p.(Name); ok {
			if iri, short := graph.ShortName(n.Text); short {
				p = iri
			}
		}
		if _, ok := p.(Name); !ok {
			r.predicates[p] = true
		}
		if _, ok := q.Subject.(Name); ok {
			continue
		}
		r.subjects[q.Subject] = true
		if p != graph.Name && p != graph.Alias {
			continue
		}
		var text string
		switch o := q.Object.(type) {
		case quad.String:
			text = string(o)
		case Name:
			text = o.Text
		default:
			continue
		}
		key := strings.ToLower(text)
		if !slices.Contains(r.named[key], q.Subject) {
			r.named[key] = append(r.named[key], q.Subject)
		}
	}
}

// predicate resolves a predicate's name: in the store, else among the
// batch's own predicates.
func (r *resolver) predicate(text string) (quad.Value, error) {
	if v, ok := r.preds[text]; ok {
		return v, nil
	}
	v, err := graph.ResolvePredicate(r.ctx, r.qs, text)
	if errs.CodeOf(err) == errs.NotFound {
		if known, ok := vocabularyPredicate(text); ok {
			v, err = known, nil
		}
		for _, c := range []quad.Value{quad.IRI(graph.NS + text), quad.IRI(graph.SchemaNS + text)} {
			if err != nil && r.predicates[c] {
				v, err = c, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	r.preds[text] = v
	return v, nil
}

// vocabularyPredicate returns the predicate of factgraph's vocabulary that
// text names, used or not by the store: a short name (type, name, ...), a
// property's key (party, startDate) or a shortcut's local name (hasRAAWith).
func vocabularyPredicate(text string) (quad.Value, bool) {
	if iri, ok := graph.ShortName(text); ok {
		return iri, true
	}
	for _, p := range graph.Properties {
		if p.Key == text {
			return p.IRI, true
		}
	}
	for _, s := range graph.Shortcuts {
		if graph.LocalName(string(s.Predicate)) == text {
			return s.Predicate, true
		}
	}
	return nil, false
}

// node resolves the name of a node: among the batch's declarations, then the
// store's nodes.
func (r *resolver) node(text string) (quad.Value, error) {
	if v, ok := r.nodes[text]; ok {
		return v, nil
	}
	v, err := r.lookup(text)
	if err != nil {
		return nil, err
	}
	r.nodes[text] = v
	return v, nil
}

func (r *resolver) lookup(text string) (quad.Value, error) {
	switch nodes := r.named[strings.ToLower(text)]; len(nodes) {
	case 0:
	case 1:
		return nodes[0], nil
	default:
		list := make([]string, len(nodes))
		for i, n := range nodes {
			list[i] = graph.CompactTerm(graph.Plain(n))
		}
		return nil, errs.Errorf(errs.Invalid, "%q is ambiguous: this input names %s by it; write one of them instead", text, strings.Join(list, ", "))
	}
	if local := quad.IRI(graph.NS + text); !strings.ContainsAny(text, " :/#<>\"") && r.subjects[local] {
		return local, nil
	}
	v, err := graph.Resolve(r.ctx, r.qs, text)
	if errs.CodeOf(err) == errs.NotFound {
		e := errs.Errorf(errs.NotFound, "%s (a new node needs its IRI and name in the same input, e.g. fg:%s,name,%s)",
			errs.MessageOf(err), graph.LocalNameFor(text), text)
		return nil, e
	}
	return v, err
}

// object resolves an object cell by what its predicate's objects are.
func (r *resolver) object(pred quad.Value, n Name) (quad.Value, error) {
	if !n.Literal {
		return r.node(n.Text)
	}
	if pred == graph.Type {
		if c, ok := graph.ClassNamed(n.Text); ok {
			return c.IRI, nil
		}
		return r.node(n.Text) // a class outside the vocabulary, named in the store
	}
	switch objectsOf(pred) {
	case graph.NodeRange:
		return r.node(n.Text)
	case graph.NodeOrLiteralRange:
		if v, err := r.node(n.Text); err == nil {
			return v, nil
		}
	}
	return quad.String(n.Text), nil
}

// objectsOf returns what the objects of pred are: nodes for the vocabulary's
// node properties and shortcut edges, literals for anything else.
func objectsOf(pred quad.Value) graph.Range {
	for _, p := range graph.Properties {
		if p.IRI == pred {
			return p.Range
		}
	}
	for _, s := range graph.Shortcuts {
		if s.Predicate == pred {
			return graph.NodeRange
		}
	}
	return graph.LiteralRange
}
