package factsheet

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// facts builds every fact of a sheet.
func (b *builder) facts(s *Sheet, d *document) {
	for i, f := range s.Facts {
		d.facts = append(d.facts, b.fact(d, i, f))
	}
}

// fact builds one fact's quads, labeled with the sentence that states it.
// It checks all of the fact, reporting every error, before it gives up.
func (b *builder) fact(d *document, i int, f Fact) []quad.Quad {
	s := d.sheet
	label, okLabel := b.statement(d, f)
	subject, h, okSubject := b.subject(s, f)
	var out []quad.Quad
	add := func(p quad.IRI, o quad.Value) {
		out = append(out, quad.Quad{Subject: subject, Predicate: p, Object: o, Label: label})
	}
	if h != nil && f.Class.Set {
		add(graph.Type, h.class)
		if f.Name.Set {
			add(graph.Name, quad.String(f.Name.Value))
		} else if n := b.stored[subject]; n == nil || len(n.types) == 0 {
			b.fail(s, f.Happening, "a new happening needs a name: (Japan-Philippines reciprocal access agreement)")
		}
	} else if f.Name.Set || f.Class.Set {
		at := f.Name
		if f.Class.Set {
			at = f.Class
		}
		if f.Entity.Set {
			b.fail(s, at, "class and name introduce a happening; declare entities under entities:")
		} else if okSubject {
			b.fail(s, at, "class and name introduce a happening; give both, or neither to state facts of %s", f.Happening.Value)
		}
	}
	statuses := 0
	for _, p := range f.Props {
		prop := propertyByKey(p.Key.Value)
		if okSubject {
			switch {
			case h != nil && !prop.OfHappenings:
				b.fail(s, p.Key, "%s is a property of entities, and %s is a happening", p.Key.Value, f.Happening.Value)
				continue
			case h == nil && prop.OfHappenings:
				b.fail(s, p.Key, "%s is a property of happenings, and %s is an entity; to state it of a happening, write happening: ID", p.Key.Value, f.Entity.Value)
				continue
			}
		}
		for _, v := range p.Values {
			o, ok := b.value(s, prop, v, h)
			if !ok {
				continue
			}
			add(prop.IRI, o)
			if h != nil && (prop.IRI == graph.Party || prop.IRI == graph.Participant) && !slices.Contains(h.members[prop.IRI], o) {
				h.members[prop.IRI] = append(h.members[prop.IRI], o)
			}
			if prop.IRI == graph.Status {
				if statuses++; statuses > 1 {
					b.fail(s, v.Scalar, "status: one fact states one status; a happening's statuses over time come from the dates of the documents that state them")
					continue
				}
				if !f.NoShortcuts && okLabel && okSubject {
					b.statuses = append(b.statuses, statusStatement{doc: d, fact: i, happening: subject.(quad.IRI), status: v.Value, label: label})
				}
			}
		}
	}
	if f.NoShortcuts && statuses == 0 {
		b.fail(s, Scalar{At: f.At}, "shortcuts: false applies to a status, and this fact states none")
	}
	if !okLabel || !okSubject {
		return nil
	}
	return out
}

// propertyByKey returns the vocabulary property a sheet key names (the
// parser admits no other keys).
func propertyByKey(key string) graph.Property {
	for _, p := range graph.Properties {
		if p.Key == key {
			return p
		}
	}
	panic("factsheet: unknown property key " + key)
}

// statement finds the sentence that states f and returns its IRI.
func (b *builder) statement(d *document, f Fact) (quad.IRI, bool) {
	s := d.sheet
	if len(d.sents) == 0 {
		return "", false // the text's error is reported
	}
	n := 0
	if f.Sentence.Set {
		var err error
		n, err = strconv.Atoi(f.Sentence.Value)
		if err != nil || n < 1 || n > len(d.sents) {
			b.fail(s, f.Sentence, "sentence: expected a sentence number from 1 to %d, found %q", len(d.sents), f.Sentence.Value)
			return "", false
		}
	}
	if f.Quote.Set {
		if len(b.errs) >= DefaultMaxErrors {
			return "", false // no more errors are reported: spare finding the closest sentence
		}
		i, msg := d.quotes.locate(f.Quote.Value)
		switch {
		case msg != "" && n > 0 && d.quotes.in(n-1, f.Quote.Value):
			// Quoted in several sentences; the number says which.
		case msg != "":
			b.fail(s, f.Quote, "%s", msg)
			return "", false
		case n > 0 && i+1 != n:
			b.fail(s, f.Quote, "the quote is in sentence %d, not in sentence %d", i+1, n)
			return "", false
		default:
			n = i + 1
		}
	}
	if n == 0 {
		return "", false // no statement: the parser reported it
	}
	return SentenceIRI(d.iri, n), true
}

// subject resolves the entity or happening a fact is about. For a happening
// it also returns what the sheets know of it.
func (b *builder) subject(s *Sheet, f Fact) (quad.Value, *happening, bool) {
	switch {
	case f.Entity.Set:
		v, ok := b.resolve(s, f.Entity)
		if !ok {
			return nil, nil, false
		}
		if h := b.happeningOf(s, v); h != nil {
			b.fail(s, f.Entity, "%s is a happening; write happening: %s", f.Entity.Value, graph.LocalName(graph.Plain(v)))
			return nil, nil, false
		}
		return v, nil, true
	case f.Happening.Set:
		v, ok := b.resolve(s, f.Happening)
		if !ok {
			return nil, nil, false
		}
		h := b.happeningOf(s, v)
		if h == nil {
			what := "no happening"
			if n := b.stored[v]; n != nil && len(n.types) > 0 {
				what = "a " + b.classList(n.types)
			}
			b.fail(s, f.Happening, "%s is not a happening (it is %s); write entity: %s, or introduce the happening with class and name", f.Happening.Value, what, f.Happening.Value)
			return nil, nil, false
		}
		return v, h, true
	}
	return nil, nil, false
}

// happeningOf returns what the sheets know of v if it is a happening they
// introduce or the store holds one, and nil otherwise.
func (b *builder) happeningOf(s *Sheet, v quad.Value) *happening {
	iri, ok := v.(quad.IRI)
	if !ok {
		return nil
	}
	if h, ok := b.happenings[iri]; ok {
		return h
	}
	n := b.storedNodeOf(s, v)
	if n == nil {
		return nil
	}
	for _, t := range n.types {
		if c, ok := graph.ClassByIRI(t); ok && c.Happening {
			h := &happening{class: c.IRI, members: map[quad.IRI][]quad.Value{}}
			b.happenings[iri] = h
			return h
		}
	}
	return nil
}

// resolve finds the node a name of the sheet means: a name, alias or id the
// sheets declare, else a node of the store (graph.Resolve). An unknown name
// is an error that suggests the closest known one.
func (b *builder) resolve(s *Sheet, v Scalar) (quad.Value, bool) {
	if b.refused[strings.ToLower(v.Value)] {
		return nil, false // its declaration's error says why
	}
	switch nodes := b.byName[strings.ToLower(v.Value)]; len(nodes) {
	case 1:
		return nodes[0], true
	case 0:
	default:
		b.fail(s, v, "%q names %s in the sheets; write the id of the one you mean", v.Value, compactList(nodes))
		return nil, false
	}
	if n, ok := b.resolved[v.Value]; ok {
		return n, true
	}
	n, err := graph.Resolve(b.ctx, b.qs, v.Value)
	if err == nil {
		b.resolved[v.Value] = n
		return n, true
	}
	if errs.CodeOf(err) != errs.NotFound {
		b.fail(s, v, "%s", errs.MessageOf(err))
		return nil, false
	}
	msg := fmt.Sprintf("unknown name %q", v.Value)
	if near := b.closestName(v.Value); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	b.fail(s, v, "%s (declare a new entity under entities:, or introduce a happening with class and name)", msg)
	return nil, false
}

func compactList(iris []quad.IRI) string {
	out := make([]string, len(iris))
	for i, iri := range iris {
		out[i] = graph.Compact(string(iri))
	}
	return strings.Join(out, " and ")
}

// closestName returns the declared or stored name closest to name.
func (b *builder) closestName(name string) string {
	if b.storeNames == nil {
		b.storeNames, _ = graph.KnownNames(b.ctx, b.qs)
		if b.storeNames == nil {
			b.storeNames = []string{}
		}
	}
	names := slices.Clone(b.storeNames)
	for _, e := range b.entities {
		names = append(names, e.at.Value)
	}
	for k := range b.byName {
		names = append(names, k)
	}
	slices.Sort(names) // map order must not pick among equally close names
	return graph.Closest(name, names)
}

// value builds the object of one property value.
func (b *builder) value(s *Sheet, prop graph.Property, v Value, h *happening) (quad.Value, bool) {
	switch prop.Range {
	case graph.NodeRange:
		return b.resolve(s, v.Scalar)
	case graph.NodeOrLiteralRange:
		if v.Node {
			return b.resolve(s, v.Scalar)
		}
		return quad.String(v.Value), true
	case graph.DateRange:
		if v.Node {
			b.fail(s, v.Scalar, "%s takes a date, not a node", prop.Key)
			return nil, false
		}
		return dateValue(b, s, prop, v.Scalar)
	}
	if v.Node {
		b.fail(s, v.Scalar, "%s takes text, not a node", prop.Key)
		return nil, false
	}
	if prop.IRI == graph.Status && h != nil {
		cl, _ := graph.ClassByIRI(h.class)
		if !slices.Contains(cl.Statuses, v.Value) {
			if len(cl.Statuses) == 0 {
				b.fail(s, v.Scalar, "status: a %s has no status in the vocabulary", cl.Name)
				return nil, false
			}
			msg := fmt.Sprintf("status: a %s is %s, not %q", cl.Name, strings.Join(cl.Statuses, ", "), v.Value)
			if near := graph.Closest(v.Value, cl.Statuses); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
			}
			b.fail(s, v.Scalar, "%s", msg)
			return nil, false
		}
	}
	return quad.String(v.Value), true
}

// dateValue reads a date as precisely as the text gives it: YYYY-MM-DD
// (xsd:date), YYYY-MM (xsd:gYearMonth) or YYYY (xsd:gYear).
func dateValue(b *builder, s *Sheet, prop graph.Property, v Scalar) (quad.Value, bool) {
	for _, f := range []struct{ layout, xsd string }{{time.DateOnly, "date"}, {"2006-01", "gYearMonth"}, {"2006", "gYear"}} {
		if _, err := time.Parse(f.layout, v.Value); err == nil && len(v.Value) == len(f.layout) {
			return quad.TypedString{Value: quad.String(v.Value), Type: quad.IRI(graph.XSDNS + f.xsd)}, true
		}
	}
	b.fail(s, v, "%s: expected a date as precise as the text gives it (2024-05-02, 2024-05 or 2024), found %q", prop.Key, v.Value)
	return nil, false
}

// shortcuts adds, after each fact that states a status, the shortcut edges
// the status stands for between every two members of the happening (those
// the sheets and the store give), in both directions, with the fact's label.
func (b *builder) shortcuts() {
	for _, st := range b.statuses {
		h := b.happenings[st.happening]
		for _, sc := range graph.ShortcutsOf(h.class, st.status) {
			members := slices.Clone(h.members[sc.Members])
			if n := b.stored[st.happening]; n != nil {
				for _, m := range n.members[sc.Members] {
					if !slices.Contains(members, m) {
						members = append(members, m)
					}
				}
			}
			qs := &st.doc.facts[st.fact]
			for i, x := range members {
				for _, y := range members[i+1:] {
					*qs = append(*qs,
						quad.Quad{Subject: x, Predicate: sc.Predicate, Object: y, Label: st.label},
						quad.Quad{Subject: y, Predicate: sc.Predicate, Object: x, Label: st.label})
				}
			}
		}
	}
}
