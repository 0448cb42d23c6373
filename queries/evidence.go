package queries

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
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

// Hop is one traversal step between two tagged nodes of a row, as a language
// that knows its own steps (factgraph's path expressions) reports it. A hop
// with no To is a filter on From: its facts are the quads along Predicates
// from From (to From, if Reverse) whose other end passes Test (any, if nil).
type Hop struct {
	From, To   string                // tags of the nodes the step starts and ends at
	Predicates []quad.Value          // the predicates it may follow; nil for any
	Reverse    bool                  // quads run To -> From
	Both       bool                  // quads may run either way
	Recursive  bool                  // one or more repetitions; the chain is searched
	MaxDepth   int                   // bound of a recursive step
	Test       func(quad.Value) bool // of a filter: which other ends count
}

// evidenceFinder resolves facts to statements, caching sentence lookups.
type evidenceFinder struct {
	qs     cgraph.QuadStore
	labels map[quad.Value]Statement
	names  map[quad.Value]string
}

func newEvidenceFinder(qs cgraph.QuadStore) *evidenceFinder {
	return &evidenceFinder{qs: qs, labels: map[quad.Value]Statement{}, names: map[quad.Value]string{}}
}

// rowEvidence returns the facts behind one raw row: for traced rows the quads of
// each hop; for other tagged rows (Gizmo) the quads directly linking any two of
// the row's tagged nodes. JSON rows have no derivable evidence.
func (ef *evidenceFinder) rowEvidence(ctx context.Context, r rawRow) ([]Fact, error) {
	if r.quads != nil {
		return ef.resolve(ctx, quadFacts(r.quads))
	}
	if r.isJSON() {
		if r.json == nil {
			return nil, nil
		}
		facts, err := ef.treeFacts(ctx, r.json)
		if err != nil {
			return nil, err
		}
		return ef.resolve(ctx, facts)
	}
	var facts []Fact
	add := func(fs []Fact) { facts = mergeFacts(facts, fs) }
	if r.hops != nil {
		paths := r.paths
		if paths == nil {
			paths = []map[string]cgraph.Ref{r.tags}
		}
		for _, tags := range paths {
			vals, err := ef.values(tags)
			if err != nil {
				return nil, err
			}
			for _, h := range r.hops {
				a, b := vals[h.From], vals[h.To]
				if a == nil || (b == nil && h.To != "") {
					continue // a tag of a sub-query the row does not carry
				}
				fs, err := ef.hopFacts(ctx, a, b, h)
				if err != nil {
					return nil, err
				}
				add(fs)
			}
		}
		return ef.resolve(ctx, facts)
	}
	vals, err := ef.values(r.tags)
	if err != nil {
		return nil, err
	}
	keys := sortedKeys(vals)
	for i, ka := range keys {
		for _, kb := range keys[i+1:] {
			fs, err := ef.links(ctx, vals[ka], vals[kb], nil, true)
			if err != nil {
				return nil, err
			}
			add(fs)
		}
	}
	return ef.resolve(ctx, facts)
}

func (ef *evidenceFinder) values(tags map[string]cgraph.Ref) (map[string]quad.Value, error) {
	vals := make(map[string]quad.Value, len(tags))
	for k, ref := range tags {
		v, err := ef.qs.NameOf(ref)
		if err != nil {
			return nil, err
		}
		vals[k] = v
	}
	return vals, nil
}

// hopFacts finds the quads of one hop from a to b, or of a filter on a.
func (ef *evidenceFinder) hopFacts(ctx context.Context, a, b quad.Value, h Hop) ([]Fact, error) {
	if h.To == "" {
		return ef.filterFacts(ctx, a, h)
	}
	if a == b && h.Recursive {
		return nil, nil // zero repetitions
	}
	if !h.Recursive {
		if h.Reverse {
			return ef.links(ctx, b, a, h.Predicates, h.Both)
		}
		return ef.links(ctx, a, b, h.Predicates, h.Both)
	}
	return ef.chain(ctx, a, b, h)
}

// filterFacts returns the facts that let a pass filter h: a -p-> v (v -p-> a if
// h.Reverse) for p in h.Predicates, with v passing h.Test.
func (ef *evidenceFinder) filterFacts(ctx context.Context, a quad.Value, h Hop) ([]Fact, error) {
	d := quad.Subject
	if h.Reverse {
		d = quad.Object
	}
	var facts []Fact
	err := graph.EachQuad(ctx, ef.qs, d, a, func(q quad.Quad) error {
		other := q.Object
		if h.Reverse {
			other = q.Subject
		}
		if (h.Predicates == nil || slices.Contains(h.Predicates, q.Predicate)) && (h.Test == nil || h.Test(other)) {
			facts = mergeFacts(facts, []Fact{{Subject: q.Subject, Predicate: q.Predicate, Object: q.Object,
				Statements: []Statement{{Label: q.Label}}}})
		}
		return nil
	})
	return facts, err
}

// treeFacts derives the facts of a JSON result tree, as GraphQL and MQL give
// them: an object with an "id" and a field named by a predicate (<iri>, or
// !<iri> for MQL's reverse) rests on the quads that link the object to each
// value of the field — a nested object with an id, either way round, or a
// literal, which the object has as that predicate's value.
func (ef *evidenceFinder) treeFacts(ctx context.Context, tree any) ([]Fact, error) {
	raw, err := json.Marshal(tree)
	if err != nil {
		return nil, nil // not a JSON tree: nothing to derive
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&tree); err != nil {
		return nil, nil
	}
	var facts []Fact
	var walk func(v any) error
	walk = func(v any) error {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				if err := walk(e); err != nil {
					return err
				}
			}
		case map[string]any:
			subject := treeNode(v["id"])
			for _, key := range sortedKeys(v) {
				val := v[key]
				if pred := treePredicate(key); subject != nil && pred != nil {
					fs, err := ef.fieldFacts(ctx, subject, pred, strings.HasPrefix(key, "!"), val)
					if err != nil {
						return err
					}
					facts = mergeFacts(facts, fs)
				}
				if err := walk(val); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return facts, walk(tree)
}

// fieldFacts returns the facts behind one field of a result tree: subject
// -pred-> each value (value -pred-> subject if reverse, and also when a nested
// object is linked only that way, as GraphQL's @rev fields are).
func (ef *evidenceFinder) fieldFacts(ctx context.Context, subject, pred quad.Value, reverse bool, val any) ([]Fact, error) {
	var facts []Fact
	for _, o := range treeValues(val) {
		var (
			fs  []Fact
			err error
		)
		if obj, ok := o.(map[string]any); ok {
			n := treeNode(obj["id"])
			if n == nil {
				continue
			}
			a, b := subject, n
			if reverse {
				a, b = b, a
			}
			if fs, err = ef.links(ctx, a, b, []quad.Value{pred}, false); err == nil && len(fs) == 0 && !reverse {
				fs, err = ef.links(ctx, b, a, []quad.Value{pred}, false)
			}
		} else {
			text := fmt.Sprint(o)
			fs, err = ef.filterFacts(ctx, subject, Hop{Predicates: []quad.Value{pred}, Reverse: reverse, Test: func(q quad.Value) bool {
				return !graph.IsNode(q) && graph.Plain(q) == text
			}})
		}
		if err != nil {
			return nil, err
		}
		facts = mergeFacts(facts, fs)
	}
	return facts, nil
}

// treeNode reads a result tree's "id": <iri>, _:blank, or a bare absolute IRI.
func treeNode(id any) quad.Value {
	s, ok := id.(string)
	switch {
	case !ok || s == "":
		return nil
	case strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">"):
		return quad.IRI(s[1 : len(s)-1])
	case strings.HasPrefix(s, "_:"):
		return quad.BNode(s[2:])
	case strings.Contains(s, "://") || strings.HasPrefix(s, "urn:"):
		return quad.IRI(s)
	}
	return nil
}

// treePredicate reads a field name that names a predicate: <iri> or !<iri>.
func treePredicate(key string) quad.Value {
	key = strings.TrimPrefix(key, "!")
	if strings.HasPrefix(key, "<") && strings.HasSuffix(key, ">") && len(key) > 2 {
		return quad.IRI(key[1 : len(key)-1])
	}
	return nil
}

// treeValues returns a field's values: the elements of an array, or the value.
func treeValues(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// links returns the facts a -p-> b for p in preds (any p if preds is nil), and
// also b -p-> a when both is set.
func (ef *evidenceFinder) links(ctx context.Context, a, b quad.Value, preds []quad.Value, both bool) ([]Fact, error) {
	var facts []Fact
	collect := func(s, o quad.Value) error {
		return graph.EachQuad(ctx, ef.qs, quad.Subject, s, func(q quad.Quad) error {
			if q.Object == o && (preds == nil || slices.Contains(preds, q.Predicate)) {
				facts = mergeFacts(facts, []Fact{{Subject: q.Subject, Predicate: q.Predicate, Object: q.Object,
					Statements: []Statement{{Label: q.Label}}}})
			}
			return nil
		})
	}
	if err := collect(a, b); err != nil {
		return nil, err
	}
	if both && a != b {
		if err := collect(b, a); err != nil {
			return nil, err
		}
	}
	return facts, nil
}

// chain finds a shortest chain of hop steps from a to b (breadth first, bounded
// by h.MaxDepth) and returns the facts of its links.
func (ef *evidenceFinder) chain(ctx context.Context, a, b quad.Value, h Hop) ([]Fact, error) {
	type link struct {
		prev quad.Value
		q    quad.Quad
	}
	maxDepth := h.MaxDepth
	if maxDepth <= 0 {
		maxDepth = 50
	}
	via := map[quad.Value]link{a: {}}
	frontier := []quad.Value{a}
	for depth := 0; depth < maxDepth && len(frontier) > 0; depth++ {
		var next []quad.Value
		for _, n := range frontier {
			dirs := []quad.Direction{quad.Subject}
			if h.Reverse {
				dirs = []quad.Direction{quad.Object}
			}
			if h.Both {
				dirs = []quad.Direction{quad.Subject, quad.Object}
			}
			for _, d := range dirs {
				err := graph.EachQuad(ctx, ef.qs, d, n, func(q quad.Quad) error {
					if h.Predicates != nil && !slices.Contains(h.Predicates, q.Predicate) {
						return nil
					}
					m := q.Object
					if d == quad.Object {
						m = q.Subject
					}
					if _, seen := via[m]; !seen {
						via[m] = link{prev: n, q: q}
						next = append(next, m)
					}
					return nil
				})
				if err != nil {
					return nil, err
				}
			}
		}
		if _, ok := via[b]; ok {
			break
		}
		frontier = next
	}
	if _, ok := via[b]; !ok {
		return nil, nil
	}
	var facts []Fact
	for n := b; n != a; n = via[n].prev {
		q := via[n].q
		// Every statement of the link, not just the quad the search met first.
		fs, err := ef.links(ctx, q.Subject, q.Object, []quad.Value{q.Predicate}, false)
		if err != nil {
			return nil, err
		}
		facts = mergeFacts(fs, facts)
	}
	return facts, nil
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

// quadFacts groups recorded quads into facts, each with the statement of
// every quad (label) that states it, in the order the plan matched them.
func quadFacts(quads []quad.Quad) []Fact {
	var facts []Fact
	for _, q := range quads {
		facts = mergeFacts(facts, []Fact{{Subject: q.Subject, Predicate: q.Predicate, Object: q.Object,
			Statements: []Statement{{Label: q.Label}}}})
	}
	return facts
}

// mergeFacts appends the facts of add to facts, joining the statements of equal
// facts and dropping repeated statements.
func mergeFacts(facts, add []Fact) []Fact {
next:
	for _, f := range add {
		for i := range facts {
			g := &facts[i]
			if g.Subject == f.Subject && g.Predicate == f.Predicate && g.Object == f.Object {
				for _, st := range f.Statements {
					if !containsLabel(g.Statements, st.Label) {
						g.Statements = append(g.Statements, st)
					}
				}
				continue next
			}
		}
		facts = append(facts, f)
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

// --- output ---------------------------------------------------------------------

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

func writeEvidenceText(w *bufio.Writer, facts []Fact) {
	if len(facts) == 0 {
		fmt.Fprintln(w, "    (no evidence: the row's values are not linked by stated facts)")
	}
	for _, f := range facts {
		fmt.Fprintf(w, "    %s\n", f)
		for _, st := range f.Statements {
			fmt.Fprintf(w, "      %s\n", st.Cite())
		}
	}
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

func evidenceJSON(facts []Fact) []map[string]any {
	out := make([]map[string]any, 0, len(facts))
	for _, f := range facts {
		sts := make([]map[string]any, 0, len(f.Statements))
		for _, st := range f.Statements {
			m := map[string]any{"label": nil}
			if st.Label != nil {
				m["label"] = compactValue(st.Label)
			}
			if st.Sentence != "" {
				m["sentence"] = st.Sentence
				m["position"] = st.Position
			}
			if st.Document != nil {
				m["document"] = compactValue(st.Document)
			}
			if st.Source != "" {
				m["source"] = st.Source
			}
			if st.Date != "" {
				m["date"] = st.Date
			}
			sts = append(sts, m)
		}
		m := map[string]any{
			"subject":    compactValue(f.Subject),
			"predicate":  compactValue(f.Predicate),
			"object":     compactValue(f.Object),
			"statements": sts,
		}
		if f.SubjectName != "" {
			m["subject_name"] = f.SubjectName
		}
		if f.ObjectName != "" {
			m["object_name"] = f.ObjectName
		}
		out = append(out, m)
	}
	return out
}

// evidenceColumns are the extra CSV/TSV columns of a result with evidence; a
// row with several statements joins them with " | ".
var evidenceColumns = []string{"evidence_facts", "evidence_sentences", "evidence_sources"}

func evidenceCells(facts []Fact) []string {
	var fs, sents, srcs []string
	for _, f := range facts {
		fs = append(fs, f.String())
		for _, st := range f.Statements {
			if st.Sentence != "" && !slices.Contains(sents, st.Sentence) {
				sents = append(sents, st.Sentence)
				srcs = append(srcs, strings.Join(nonEmpty(st.Source, st.Date), " "))
			}
		}
	}
	return []string{strings.Join(fs, " | "), strings.Join(sents, " | "), strings.Join(srcs, " | ")}
}
