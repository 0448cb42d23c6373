package factsheet

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// Result is what Build made of some sheets.
type Result struct {
	Quads     []quad.Quad // in sheet order, without repeats
	Documents int
	Sentences int
	Facts     int
}

// Build turns sheets into labeled quads: the document and its sentences, the
// declared entities (labeled fg:curated), and every fact labeled with the
// sentence that states it, with the shortcut edges its statuses stand for.
// Names resolve through the sheets' own declarations, then through the
// names and aliases qs holds (see graph.Resolve); qs is only read. Every
// error of every sheet is returned, positioned in its file, as an errs.List;
// any error means no quads.
func Build(ctx context.Context, qs cgraph.QuadStore, sheets []*Sheet) (*Result, error) {
	b := &builder{ctx: ctx, qs: qs, byName: map[string][]quad.IRI{}, entities: map[quad.IRI]*entity{},
		happenings: map[quad.IRI]*happening{}, stored: map[quad.Value]*storedNode{}, emitted: map[quad.Quad]bool{},
		refused: map[string]bool{}, resolved: map[string]quad.Value{}}
	docs := make([]*document, len(sheets))
	for i, s := range sheets {
		docs[i] = b.document(s)
		b.declareEntities(docs[i])
		b.declareHappenings(docs[i])
	}
	for i, s := range sheets {
		b.facts(s, docs[i])
	}
	b.shortcuts()
	if err := b.errs.Err(); err != nil {
		return nil, err
	}
	res := &Result{Documents: len(sheets)}
	for _, d := range docs {
		res.Sentences += len(d.sents)
		res.Facts += len(d.facts)
		b.emit(d.header...)
		b.emit(d.curated...)
		for _, c := range graph.Classes { // in the vocabulary's order
			if d.classes[c.IRI] {
				b.emit(className(c)...)
			}
		}
		b.emit(curation...)
		for _, f := range d.facts {
			b.emit(f...)
		}
	}
	res.Quads = b.out
	return res, nil
}

type builder struct {
	ctx  context.Context
	qs   cgraph.QuadStore
	errs errs.List

	// byName maps the lower-case names, aliases and ids the sheets declare
	// to the nodes they name.
	byName     map[string][]quad.IRI
	entities   map[quad.IRI]*entity
	happenings map[quad.IRI]*happening
	stored     map[quad.Value]*storedNode // what the store says of nodes, read once
	storeNames []string                   // for suggestions, read once
	resolved   map[string]quad.Value      // names the store resolved
	// refused are the names and ids of declarations that failed: facts that
	// name them fail too, without a second error.
	refused  map[string]bool
	statuses []statusStatement

	out     []quad.Quad
	emitted map[quad.Quad]bool
}

// document is one sheet as it is being built.
type document struct {
	sheet   *Sheet
	iri     quad.IRI
	sents   []Span
	quotes  *located          // the sentences, for finding quotes
	header  []quad.Quad       // document and sentence nodes
	curated []quad.Quad       // the entities it declares
	classes map[quad.IRI]bool // the classes it uses, whose names it gives
	facts   [][]quad.Quad     // per fact, with its shortcuts
}

type entity struct {
	class quad.IRI
	at    Scalar
}

// happening is a happening the sheets introduce or state facts of.
type happening struct {
	class   quad.IRI
	members map[quad.IRI][]quad.Value // party, participant -> nodes, from the sheets
}

// storedNode is what the store holds of a node: its types and members.
type storedNode struct {
	types   []quad.Value
	members map[quad.Value][]quad.Value
}

// statusStatement is one fact's status of a happening, for its shortcuts.
type statusStatement struct {
	doc       *document
	fact      int
	happening quad.IRI
	status    string
	label     quad.IRI
}

func (b *builder) errorf(file string, at Pos, code errs.Code, format string, args ...any) {
	if len(b.errs) < DefaultMaxErrors {
		b.errs.Add(errs.At(code, file, at.Line, at.Column, format, args...))
	}
}

func (b *builder) fail(s *Sheet, v Scalar, format string, args ...any) {
	b.errorf(s.File, v.At, errs.Invalid, format, args...)
}

func (b *builder) emit(qs ...quad.Quad) {
	for _, q := range qs {
		if !b.emitted[q] {
			b.emitted[q] = true
			b.out = append(b.out, q)
		}
	}
}

var (
	slug      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	langTag   = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)
	localName = slug
)

// DocumentIRI is the IRI of the document with a sheet's id.
func DocumentIRI(id string) quad.IRI { return quad.IRI(graph.NS + "news/" + id) }

// SentenceIRI is the IRI of sentence n (1-based) of a document.
func SentenceIRI(doc quad.IRI, n int) quad.IRI {
	return quad.IRI(fmt.Sprintf("%s#s%d", string(doc), n))
}

// document checks a sheet's metadata and text and makes the document and
// sentence nodes.
func (b *builder) document(s *Sheet) *document {
	d := &document{sheet: s, classes: map[quad.IRI]bool{graph.Sentence: true}}
	m := s.Document
	if m.ID.Set && !slug.MatchString(m.ID.Value) {
		b.fail(s, m.ID, "id: expected letters, digits, '.', '_' and '-' (publisher-date-topic), found %q", m.ID.Value)
	}
	d.iri = DocumentIRI(m.ID.Value)
	if m.Date.Set {
		if _, err := time.Parse(time.DateOnly, m.Date.Value); err != nil {
			b.fail(s, m.Date, "date: expected the day of publication as YYYY-MM-DD, found %q", m.Date.Value)
		}
	}
	if m.Language.Set && !langTag.MatchString(m.Language.Value) {
		b.fail(s, m.Language, "language: expected a language tag (en, ja, fr), found %q", m.Language.Value)
	}
	if m.URL.Set {
		if u, err := url.Parse(m.URL.Value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			b.fail(s, m.URL, "url: expected an http or https address, found %q", m.URL.Value)
		}
	}
	if !s.Text.Set {
		return d
	}
	for _, sk := range s.Skip {
		if !strings.Contains(s.Text.Value, sk.Value) {
			b.fail(s, sk, "skip: the passage %q is not in the text", abbreviate(sk.Value, 60))
		}
	}
	skip := make([]string, len(s.Skip))
	for i, sk := range s.Skip {
		skip[i] = sk.Value
	}
	d.sents = Split(s.Text.Value, skip)
	d.quotes = newLocated(s.Text.Value, d.sents)
	if len(d.sents) == 0 {
		b.fail(s, s.Text, "text: expected the article's sentences, found none")
	}
	doc := d.iri
	add := func(sub quad.Value, p quad.IRI, o quad.Value, l quad.Value) {
		d.header = append(d.header, quad.Quad{Subject: sub, Predicate: p, Object: o, Label: l})
	}
	add(doc, graph.Type, graph.NewsArticle, doc)
	if m.Example {
		add(doc, graph.Type, graph.ExampleDocument, doc)
		d.classes[graph.ExampleDocument] = true
	}
	add(doc, graph.Publisher, quad.String(m.Publisher.Value), doc)
	add(doc, graph.DatePublished, quad.TypedString{Value: quad.String(m.Date.Value), Type: quad.IRI(graph.XSDNS + "date")}, doc)
	add(doc, graph.InLanguage, quad.String(m.Language.Value), doc)
	if m.URL.Set {
		add(doc, graph.URL, quad.IRI(m.URL.Value), doc)
	}
	if m.Note.Set {
		add(doc, graph.Description, quad.String(m.Note.Value), doc)
	}
	add(doc, graph.Name, quad.String(m.Title.Value), graph.Curated)
	for i, sp := range d.sents {
		sent := SentenceIRI(doc, i+1)
		add(sent, graph.Type, graph.Sentence, doc)
		add(sent, graph.IsPartOf, doc, doc)
		add(sent, graph.Position, quad.Int(i+1), doc)
		add(sent, graph.Text, quad.String(sp.Text), doc)
	}
	b.checkStoredDocument(s, d)
	return d
}

// checkStoredDocument refuses a sheet whose document the store holds with
// another date or text: sentences are evidence, and a sentence node with two
// texts would cite both.
func (b *builder) checkStoredDocument(s *Sheet, d *document) {
	n := b.storedNodeOf(s, d.iri)
	if n == nil || len(n.types) == 0 {
		return
	}
	var stored []quad.Value
	if err := graph.EachQuad(b.ctx, b.qs, quad.Subject, d.iri, func(q quad.Quad) error {
		if q.Predicate == graph.DatePublished {
			stored = append(stored, q.Object)
		}
		return nil
	}); err != nil {
		b.fail(s, s.Document.ID, "read the store: %v", err)
		return
	}
	for _, v := range stored {
		if graph.Plain(v) != s.Document.Date.Value {
			b.errorf(s.File, s.Document.Date.At, errs.Conflict, "the store holds document %s dated %s; a document's date does not change: give this sheet another id", graph.Compact(string(d.iri)), graph.Plain(v))
			return
		}
	}
	for i, sp := range d.sents {
		var texts []string
		err := graph.EachQuad(b.ctx, b.qs, quad.Subject, SentenceIRI(d.iri, i+1), func(q quad.Quad) error {
			if q.Predicate == graph.Text {
				texts = append(texts, graph.Plain(q.Object))
			}
			return nil
		})
		if err != nil {
			b.fail(s, s.Text, "read the store: %v", err)
			return
		}
		if len(texts) > 0 && !slices.Contains(texts, sp.Text) {
			b.errorf(s.File, s.Text.At, errs.Conflict, "the store holds document %s with another sentence %d (%q); the text of a document does not change: give this sheet another id",
				graph.Compact(string(d.iri)), i+1, abbreviate(texts[0], 60))
			return
		}
	}
}

// className returns the curated quads that name a class, so that queries can
// say [type = RAA].
func className(cl graph.Class) []quad.Quad {
	out := []quad.Quad{{Subject: cl.IRI, Predicate: graph.Name, Object: quad.String(cl.Name), Label: graph.Curated}}
	for _, a := range cl.Aliases {
		out = append(out, quad.Quad{Subject: cl.IRI, Predicate: graph.Alias, Object: quad.String(a), Label: graph.Curated})
	}
	return out
}

// curation is the node that labels curated quads.
var curation = []quad.Quad{
	{Subject: graph.Curated, Predicate: graph.Type, Object: graph.Curation, Label: graph.Curated},
	{Subject: graph.Curated, Predicate: graph.Name, Object: quad.String("factgraph curation"), Label: graph.Curated},
}

// declare records that name (a name, alias or id) names iri in the sheets.
func (b *builder) declare(name string, iri quad.IRI) {
	k := strings.ToLower(name)
	if !slices.Contains(b.byName[k], iri) {
		b.byName[k] = append(b.byName[k], iri)
	}
}

func (b *builder) declareEntities(doc *document) {
	for _, e := range doc.sheet.Entities {
		if e.Name.Set && e.Class.Set && !b.declareEntity(doc, e) {
			b.refuse(e.Name)
			b.refuse(e.ID)
			for _, a := range e.Aliases {
				b.refuse(a)
			}
		}
	}
}

// refuse records a name whose declaration failed.
func (b *builder) refuse(v Scalar) {
	if v.Set {
		b.refused[strings.ToLower(v.Value)] = true
	}
}

// declareEntity checks one entity and makes its curated quads.
func (b *builder) declareEntity(doc *document, e Entity) bool {
	s := doc.sheet
	cl, ok := b.class(s, e.Class, false)
	if !ok {
		return false
	}
	id := graph.LocalNameFor(e.Name.Value)
	if e.ID.Set {
		id = e.ID.Value
		if !localName.MatchString(id) {
			b.fail(s, e.ID, "id: expected letters, digits, '.', '_' and '-' (UnitedKingdom), found %q", id)
			return false
		}
	} else if id == "" {
		b.fail(s, e.Name, "name: %q has no letters or digits to make an IRI of; give an id", e.Name.Value)
		return false
	}
	iri := quad.IRI(graph.NS + id)
	if prev, dup := b.entities[iri]; dup && prev.class != cl.IRI {
		b.fail(s, e.Class, "%s is declared twice with different classes", graph.Compact(string(iri)))
		return false
	}
	if !b.entityFits(s, e, iri, cl) {
		return false
	}
	b.entities[iri] = &entity{class: cl.IRI, at: e.Name}
	d := []quad.Quad{
		{Subject: iri, Predicate: graph.Type, Object: cl.IRI, Label: graph.Curated},
		{Subject: iri, Predicate: graph.Name, Object: quad.String(e.Name.Value), Label: graph.Curated},
	}
	b.declare(e.Name.Value, iri)
	b.declare(id, iri)
	for _, a := range e.Aliases {
		b.declare(a.Value, iri)
		d = append(d, quad.Quad{Subject: iri, Predicate: graph.Alias, Object: quad.String(a.Value), Label: graph.Curated})
	}
	doc.curated = append(doc.curated, d...)
	doc.classes[cl.IRI] = true
	return true
}

// entityFits checks a declaration against the store and the other
// declarations: its names must name no other node, and a node the store
// holds must keep its class.
func (b *builder) entityFits(s *Sheet, e Entity, iri quad.IRI, cl graph.Class) bool {
	for _, name := range append([]Scalar{e.Name}, e.Aliases...) {
		for _, other := range b.byName[strings.ToLower(name.Value)] {
			if other != iri {
				b.fail(s, name, "%q already names %s in the sheets; give each entity its own names", name.Value, graph.Compact(string(other)))
				return false
			}
		}
		nodes, err := b.storeNamed(name.Value)
		if err != nil {
			b.fail(s, name, "read the store: %v", err)
			return false
		}
		for _, n := range nodes {
			if n != iri {
				b.errorf(s.File, name.At, errs.Conflict, "%q already names %s in the store; name it in facts without declaring it, or give the new entity another name",
					name.Value, graph.CompactTerm(graph.Plain(n)))
				return false
			}
		}
	}
	if n := b.storedNodeOf(s, iri); n != nil && len(n.types) > 0 && !slices.Contains(n.types, quad.Value(cl.IRI)) {
		b.errorf(s.File, e.Class.At, errs.Conflict, "the store holds %s as a %s, not a %s", graph.Compact(string(iri)), b.classList(n.types), cl.Name)
		return false
	}
	return true
}

func (b *builder) classList(types []quad.Value) string {
	var names []string
	for _, t := range types {
		if c, ok := graph.ClassByIRI(t); ok {
			names = append(names, c.Name)
		} else {
			names = append(names, graph.CompactTerm(graph.Plain(t)))
		}
	}
	return strings.Join(names, " and ")
}

// storeNamed returns the nodes of the store whose name or alias is exactly name.
func (b *builder) storeNamed(name string) ([]quad.Value, error) {
	var out []quad.Value
	for _, p := range []quad.IRI{graph.Name, graph.Alias} {
		vs, err := path.StartPath(b.qs, quad.String(name)).In(p).Iterate(b.ctx).AllValues(b.qs)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out, nil
}

// storedNodeOf returns the types and members the store holds of v, or nil
// when reading failed (the error is recorded).
func (b *builder) storedNodeOf(s *Sheet, v quad.Value) *storedNode {
	if n, ok := b.stored[v]; ok {
		return n
	}
	n := &storedNode{members: map[quad.Value][]quad.Value{}}
	err := graph.EachQuad(b.ctx, b.qs, quad.Subject, v, func(q quad.Quad) error {
		switch q.Predicate {
		case graph.Type:
			if !slices.Contains(n.types, q.Object) {
				n.types = append(n.types, q.Object)
			}
		case graph.Party, graph.Participant:
			if !slices.Contains(n.members[q.Predicate], q.Object) {
				n.members[q.Predicate] = append(n.members[q.Predicate], q.Object)
			}
		}
		return nil
	})
	if err != nil {
		b.fail(s, Scalar{At: s.At}, "read the store: %v", err)
		return nil
	}
	b.stored[v] = n
	return n
}

// class resolves a class name; happening says which kind it must be.
func (b *builder) class(s *Sheet, v Scalar, happening bool) (graph.Class, bool) {
	cl, ok := graph.ClassNamed(v.Value)
	if !ok {
		var names []string
		for _, c := range graph.Classes {
			if c.Happening == happening && c.IRI != graph.Sentence && c.IRI != graph.ExampleDocument {
				names = append(names, c.Name)
				names = append(names, c.Aliases...)
			}
		}
		msg := fmt.Sprintf("class: unknown class %q", v.Value)
		if near := graph.Closest(v.Value, names); near != "" {
			msg += fmt.Sprintf("; did you mean %q?", near)
		} else {
			msg += " (classes: " + strings.Join(names, ", ") + ")"
		}
		b.fail(s, v, "%s", msg)
		return cl, false
	}
	switch {
	case happening && !cl.Happening:
		b.fail(s, v, "class: %s is a class of entities; declare entities under entities:", cl.Name)
		return cl, false
	case !happening && cl.Happening:
		b.fail(s, v, "class: %s is a class of happenings; introduce a happening in a fact, with happening: ID, class and name", cl.Name)
		return cl, false
	case cl.IRI == graph.Sentence || cl.IRI == graph.ExampleDocument:
		b.fail(s, v, "class: %s nodes are made from the document, not declared", cl.Name)
		return cl, false
	}
	return cl, true
}

// declareHappenings records the happenings the facts of s introduce (with a
// class), so that facts can name them before or after their introduction.
func (b *builder) declareHappenings(d *document) {
	for _, f := range d.sheet.Facts {
		if f.Happening.Set && f.Class.Set && !b.declareHappening(d, f) {
			b.refuse(f.Happening)
		}
	}
}

func (b *builder) declareHappening(d *document, f Fact) bool {
	s := d.sheet
	cl, ok := b.class(s, f.Class, true)
	if !ok {
		return false
	}
	if !localName.MatchString(f.Happening.Value) {
		b.fail(s, f.Happening, "happening: a new happening needs an id of letters, digits, '.', '_' and '-' (RAA-Japan-Philippines), found %q; its name goes in name:", f.Happening.Value)
		return false
	}
	iri := quad.IRI(graph.NS + f.Happening.Value)
	if h, ok := b.happenings[iri]; ok {
		if h.class != cl.IRI {
			b.fail(s, f.Class, "class: %s is introduced twice with different classes", graph.Compact(string(iri)))
			return false
		}
		return true
	}
	if n := b.storedNodeOf(s, iri); n != nil && len(n.types) > 0 && !slices.Contains(n.types, quad.Value(cl.IRI)) {
		b.errorf(s.File, f.Class.At, errs.Conflict, "the store holds %s as a %s, not a %s", graph.Compact(string(iri)), b.classList(n.types), cl.Name)
		return false
	}
	b.happenings[iri] = &happening{class: cl.IRI, members: map[quad.IRI][]quad.Value{}}
	d.classes[cl.IRI] = true
	b.declare(f.Happening.Value, iri)
	if f.Name.Set {
		b.declare(f.Name.Value, iri)
	}
	return true
}
