package loaders

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/piprate/json-gold/ld"

	"github.com/factgraph/factgraph/graph/errs"
)

// readJSONLD reads a JSON-LD document: it checks the JSON itself, so that a
// syntax error can say where it is; refuses contexts named by URL or file (see
// jsonld_context.go) and documents that are not objects; and converts the
// processor's dataset to quads. Blank nodes keep the processor's labels
// (b0, b1, ...), without its "_:" prefix.
func readJSONLD(name string, r io.Reader, opt ReadOptions) ([]quad.Quad, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		var (
			se *json.SyntaxError
			te *json.UnmarshalTypeError
		)
		switch {
		case errors.As(err, &se):
			line, col := lineCol(b, se.Offset)
			return nil, &errs.Error{Code: errs.Invalid, File: name, Line: line, Column: col, Message: "invalid JSON: " + se.Error()}
		case errors.As(err, &te):
			line, col := lineCol(b, te.Offset)
			return nil, &errs.Error{Code: errs.Invalid, File: name, Line: line, Column: col, Message: "invalid JSON: " + te.Value + " is out of range"}
		}
		return nil, &errs.Error{Code: errs.Invalid, File: name, Message: "invalid JSON: " + err.Error()}
	}
	sh, err := checkJSONLD(name, b, opt.ContextDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if list := sh.errs; len(list) > 0 {
		if len(list) > opt.MaxErrors {
			list = list[:opt.MaxErrors]
		}
		return nil, list.Err()
	}
	loader, err := newNoFetchLoader(opt.ContextDir)
	if err != nil {
		return nil, err
	}
	defer loader.close()
	lopt := ld.NewJsonLdOptions("")
	lopt.DocumentLoader = loader
	data, err := ld.NewJsonLdProcessor().ToRDF(doc, lopt)
	if err != nil {
		return nil, processorError(name, b, sh, err)
	}
	var quads []quad.Quad
	if ds, _ := data.(*ld.RDFDataset); ds != nil {
		quads = datasetQuads(ds)
	}
	if len(quads) == 0 && sh.property >= 0 {
		// JSON-LD drops what it cannot map to IRIs, silently: all of it here.
		line, col := lineCol(b, int64(sh.property)+1)
		return nil, errs.At(errs.Invalid, name, line, col, "the document has properties (this is the first) but yields no quads: JSON-LD drops properties that no @context or @vocab maps to an IRI, and nodes whose @id is a relative IRI without a @base")
	}
	return readAll(name, &sliceReader{quads: quads}, nil, opt.MaxErrors, opt.Quads)
}

// jsonldShape is what checkJSONLD learns of a document's shape.
type jsonldShape struct {
	errs     errs.List
	context  int // byte offset of the first @context value, or -1
	property int // byte offset of the first property's value (its key is not a keyword), or -1
}

// checkJSONLD returns the positioned errors of a well-formed JSON document
// that no JSON-LD processor should be given — a document that is not an
// object or an array of objects, and contexts named by reference (but for
// files below dir, when set) — and what else readJSONLD needs to know of it.
func checkJSONLD(name string, b []byte, dir string) (jsonldShape, error) {
	sh := jsonldShape{context: -1, property: -1}
	err := walkJSON(b, func(v jsonValue) {
		if v.key == "@context" && sh.context < 0 {
			sh.context = v.off
		}
		if !v.inContext && v.key != "" && !strings.HasPrefix(v.key, "@") && sh.property < 0 {
			sh.property = v.off
		}
		if v.depth > 1 || v.depth == 1 && !v.inArray {
			return
		}
		if d, ok := v.tok.(json.Delim); ok && (d == '{' || d == '[' && v.depth == 0) {
			return
		}
		line, col := lineCol(b, int64(v.off)+1)
		what := "the document"
		if v.depth == 1 {
			what = "each element of the top-level array"
		}
		sh.errs.Add(errs.At(errs.Invalid, name, line, col,
			"expected a JSON-LD node object ({...}) as %s, found %s", what, jsonKind(v.tok)))
	})
	if err != nil {
		return sh, err
	}
	refs, err := findContextRefs(b)
	if err != nil {
		return sh, err
	}
	sh.errs = append(sh.errs, contextErrors(name, b, refs, dir)...)
	return sh, nil
}

// contextProblems are the processor's errors about a context: they point at
// the document's (first) @context, since the processor tells no position.
var contextProblems = map[ld.ErrorCode]bool{
	ld.InvalidLocalContext: true, ld.LoadingRemoteContextFailed: true, ld.InvalidRemoteContext: true,
	ld.RecursiveContextInclusion: true, ld.InvalidBaseIRI: true, ld.InvalidVocabMapping: true,
	ld.InvalidDefaultLanguage: true, ld.KeywordRedefinition: true, ld.InvalidTermDefinition: true,
	ld.InvalidReverseProperty: true, ld.InvalidIRIMapping: true, ld.CyclicIRIMapping: true,
	ld.InvalidKeywordAlias: true, ld.InvalidTypeMapping: true, ld.InvalidLanguageMapping: true,
	ld.InvalidContainerMapping: true, ld.InvalidVersionValue: true, ld.ProcessingModeConflict: true,
	ld.InvalidPrefixValue: true, ld.InvalidContextNullification: true, ld.ProtectedTermRedefinition: true,
	ld.InvalidContextEntry: true, ld.InvalidPropagateValue: true, ld.InvalidImportValue: true,
}

// processorError is an error of the JSON-LD processor, at the document's
// @context when it is about a context.
func processorError(name string, b []byte, sh jsonldShape, err error) error {
	e := &errs.Error{Code: errs.Invalid, File: name, Message: "invalid JSON-LD: " + err.Error(), Err: err}
	var je *ld.JsonLdError
	if errors.As(err, &je) && contextProblems[je.Code] && sh.context >= 0 {
		e.Line, e.Column = lineCol(b, int64(sh.context)+1)
		e.Message = "invalid JSON-LD context: " + err.Error()
	}
	return e
}

func jsonKind(tok json.Token) string {
	switch tok := tok.(type) {
	case json.Delim:
		return "an array"
	case string:
		return "the string " + excerpt(tok)
	case json.Number:
		return "the number " + tok.String()
	case bool:
		return fmt.Sprintf("%t", tok)
	}
	return "null"
}

// datasetQuads converts the processor's dataset to quads: the default graph
// first, then the named graphs by name.
func datasetQuads(ds *ld.RDFDataset) []quad.Quad {
	names := make([]string, 0, len(ds.Graphs))
	for g := range ds.Graphs {
		if g != "@default" {
			names = append(names, g)
		}
	}
	sort.Strings(names)
	var out []quad.Quad
	for _, g := range append([]string{"@default"}, names...) {
		var label quad.Value
		switch {
		case g == "@default":
		case strings.HasPrefix(g, "_:"):
			label = quad.BNode(g[2:])
		default:
			label = quad.IRI(g)
		}
		for _, q := range ds.Graphs[g] {
			out = append(out, quad.Quad{Subject: ldValue(q.Subject), Predicate: ldValue(q.Predicate), Object: ldValue(q.Object), Label: label})
		}
	}
	return out
}

// ldValue converts one term of the processor's dataset, as Cayley's JSON-LD
// reader does but for blank nodes, whose "_:" prefix is not part of the label.
func ldValue(n ld.Node) quad.Value {
	switch n := n.(type) {
	case *ld.IRI:
		return quad.IRI(n.Value)
	case *ld.BlankNode:
		return quad.BNode(strings.TrimPrefix(n.Attribute, "_:"))
	case *ld.Literal:
		switch {
		case n.Language != "":
			return quad.LangString{Value: quad.String(n.Value), Lang: n.Language}
		case n.Datatype != "" && n.Datatype != ld.XSDString:
			ts := quad.TypedString{Value: quad.String(n.Value), Type: quad.IRI(n.Datatype)}
			if jsonld.AutoConvertTypedString {
				if v, err := ts.ParseValue(); err == nil {
					return v
				}
			}
			return ts
		}
		return quad.String(n.Value)
	}
	return nil
}

// lineCol converts a byte offset of b (the byte after the error, as
// json.SyntaxError gives it) into a 1-based line and character column.
func lineCol(b []byte, off int64) (int, int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off > 0 {
		off-- // the offending byte
	}
	before := b[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[start:]) + 1
}
