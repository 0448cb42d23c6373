package graph

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// Namespace IRIs used by factgraph's data.
const (
	// NS is factgraph's own namespace, for entities, happenings, classes and the
	// project vocabulary (fg:hasRAAWith, fg:status, ...).
	NS       = "https://w3id.org/factgraph/"
	SchemaNS = "https://schema.org/"
	RDFNS    = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	RDFSNS   = "http://www.w3.org/2000/01/rdf-schema#"
	XSDNS    = "http://www.w3.org/2001/XMLSchema#"
)

// Prefix binds a short prefix to a namespace IRI.
type Prefix struct {
	Name string // without the colon: "fg"
	IRI  string
}

// Prefixes are the prefixes factgraph understands in queries and uses to print
// compact IRIs. Longer namespaces come first so that compaction picks the most
// specific one.
var Prefixes = []Prefix{
	{"fg", NS},
	{"schema", SchemaNS},
	{"rdf", RDFNS},
	{"rdfs", RDFSNS},
	{"xsd", XSDNS},
}

// Well-known predicates and classes.
var (
	Type          = quad.IRI(RDFNS + "type")
	Name          = quad.IRI(SchemaNS + "name")
	Alias         = quad.IRI(SchemaNS + "alternateName")
	Text          = quad.IRI(SchemaNS + "text")
	Position      = quad.IRI(SchemaNS + "position")
	IsPartOf      = quad.IRI(SchemaNS + "isPartOf")
	Publisher     = quad.IRI(SchemaNS + "publisher")
	DatePublished = quad.IRI(SchemaNS + "datePublished")
	Sentence      = quad.IRI(NS + "Sentence")
	Curated       = quad.IRI(NS + "curated")
)

// shortNames are the predicate names users may type without a prefix that are
// not local names of a predicate in the store (see ResolvePredicate).
var shortNames = map[string]quad.IRI{
	"type":  Type,
	"name":  Name,
	"alias": Alias,
	"text":  Text,
	"date":  quad.IRI(SchemaNS + "startDate"),
}

// ShortNames returns the built-in predicate short names, sorted.
func ShortNames() []string {
	out := make([]string, 0, len(shortNames))
	for k := range shortNames {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Compact returns iri in prefixed form ("fg:Japan") when a known prefix covers it,
// and iri unchanged otherwise.
func Compact(iri string) string {
	for _, p := range Prefixes {
		if strings.HasPrefix(iri, p.IRI) && len(iri) > len(p.IRI) {
			return p.Name + ":" + iri[len(p.IRI):]
		}
	}
	return iri
}

// CompactTerm returns iri as a query can name it again: prefixed ("fg:Japan")
// when a known prefix covers it, and in angle brackets otherwise.
func CompactTerm(iri string) string {
	if c := Compact(iri); c != iri {
		return c
	}
	return "<" + iri + ">"
}

// Expand returns the full IRI of a prefixed name ("fg:Japan") and true, or "" and
// false when s does not start with a known prefix.
func Expand(s string) (string, bool) {
	name, local, ok := strings.Cut(s, ":")
	if !ok {
		return "", false
	}
	for _, p := range Prefixes {
		if p.Name == name {
			return p.IRI + local, true
		}
	}
	return "", false
}

// LocalName returns the part of iri after its last '#' or '/'.
func LocalName(iri string) string {
	if i := strings.LastIndexAny(iri, "#/"); i >= 0 && i < len(iri)-1 {
		return iri[i+1:]
	}
	return iri
}

// PrefixMap returns the prefixes as a map from name to IRI, as JSON outputs
// carry it.
func PrefixMap() map[string]string {
	m := make(map[string]string, len(Prefixes))
	for _, p := range Prefixes {
		m[p.Name] = p.IRI
	}
	return m
}

// IsNode reports whether v is a node (an IRI or a blank node) rather than a
// literal.
func IsNode(v quad.Value) bool {
	switch v.(type) {
	case quad.IRI, quad.BNode:
		return true
	}
	return false
}

// Plain returns the text of a value without N-Quads quoting: the lexical form of
// a literal (dropping its language tag or datatype), the IRI of an IRI, the label
// of a blank node.
func Plain(v quad.Value) string {
	switch v := v.(type) {
	case nil:
		return ""
	case quad.String:
		return string(v)
	case quad.TypedString:
		return string(v.Value)
	case quad.LangString:
		return string(v.Value)
	case quad.IRI:
		return string(v)
	case quad.BNode:
		return string(v)
	case quad.Time:
		return time.Time(v).Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v.Native())
}

// LocalNameFor makes the local name factgraph gives a node of a name: its
// words, each starting in upper case, without spaces or punctuation
// ("Indo-Pacific" -> IndoPacific).
func LocalNameFor(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r, n := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[n:])
	}
	return b.String()
}

// ShortName returns the predicate IRI of a built-in short name ("type", "name",
// "alias", "text", "date").
func ShortName(name string) (quad.IRI, bool) {
	iri, ok := shortNames[name]
	return iri, ok
}
