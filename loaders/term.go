package loaders

import (
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
)

// ParseTerm reads one quad term as people write it in spreadsheets and URLs:
// <IRI>, a prefixed name (fg:Japan), a blank node (_:b1), an absolute IRI
// (https://..., urn:...), or an N-Quads literal ("2024-05-02"^^<...>, "x"@en).
// Any other text is a plain string literal when literals are allowed, and an
// error otherwise.
func ParseTerm(s string, literals bool) (quad.Value, error) {
	v, bare, err := parseTerm(s, literals)
	if err == nil && bare && !literals {
		return nil, fmt.Errorf("expected IRI (<...>, prefix:name or http...), or blank node (_:x), found %s; %s", excerpt(s), nameHint(s))
	}
	return v, err
}

// parseTerm is ParseTerm, also reporting whether s is bare text, no term's
// syntax (then v is its plain string, whether or not literals are allowed).
func parseTerm(s string, literals bool) (v quad.Value, bare bool, err error) {
	switch {
	case s == "":
		return nil, false, fmt.Errorf("empty term")
	case strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") && !strings.ContainsAny(s[1:len(s)-1], " <>\""):
		return quad.IRI(s[1 : len(s)-1]), false, nil
	case strings.HasPrefix(s, "_:"):
		if !ValidBlankLabel(s[2:]) {
			return nil, false, fmt.Errorf("invalid blank node %s (a label starts with a letter, digit or '_' and holds letters, digits, '_', '-', '.' and ':')", excerpt(s))
		}
		return quad.BNode(s[2:]), false, nil
	case strings.HasPrefix(s, `"`) && literals:
		v, err := quad.FormatByName("nquads").UnmarshalValue([]byte(s))
		if err != nil {
			// Cayley's message repeats the whole cell.
			return nil, false, fmt.Errorf(`bad literal %s: expected "text", "text"@lang or "text"^^<datatype IRI>`, excerpt(s))
		}
		return v, false, nil
	}
	if !strings.ContainsAny(s, " \t") {
		if full, ok := graph.Expand(s); ok {
			return quad.IRI(full), false, nil
		}
		for _, scheme := range []string{"http://", "https://", "urn:"} {
			if strings.HasPrefix(s, scheme) {
				return quad.IRI(s), false, nil
			}
		}
	}
	return quad.String(s), true, nil
}

// nameHint says how to write a plain name where an IRI must be: files of
// quads name no nodes by their names, fact sheets do.
func nameHint(s string) string {
	iri := "fg:Japan"
	if len(s) <= excerptLen && !strings.ContainsAny(s, " \t<>\"{}|^`") {
		iri = "fg:" + s
	}
	return fmt.Sprintf("quads name nodes by IRI, not by name: write %s for a node of factgraph's namespace, or state the facts by name in a fact sheet (factgraph ingest, docs/fact-sheets.md)", iri)
}
