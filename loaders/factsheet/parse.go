package factsheet

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
)

// Format is how a sheet file is written.
type Format string

// Formats. JSON is read as YAML (it is YAML's flow style), so the two differ
// only in that a JSON Lines file holds one sheet per line.
const (
	YAML      Format = "yaml"
	JSON      Format = "json"
	JSONLines Format = "jsonl"
)

// FormatOf picks a format by file extension: .jsonl and .ndjson are JSON
// Lines, .json is JSON, anything else YAML.
func FormatOf(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson":
		return JSONLines
	case ".json":
		return JSON
	}
	return YAML
}

// ParseFormat reads a format name as flags and parameters give it.
func ParseFormat(name string) (Format, error) {
	switch strings.ToLower(name) {
	case "yaml", "yml":
		return YAML, nil
	case "json":
		return JSON, nil
	case "jsonl", "ndjson", "json-lines", "jsonlines":
		return JSONLines, nil
	}
	return "", errs.Errorf(errs.Invalid, "unknown fact sheet format %q (want yaml, json or jsonl)", name)
}

// DefaultMaxErrors bounds how many errors one read or build reports.
const DefaultMaxErrors = 20

// Read reads the sheets of r: the documents of a YAML stream (separated by
// ---), one JSON object, or one JSON object a line. name is used in error
// positions. Every error of every sheet is collected (up to
// DefaultMaxErrors) into an errs.List; any error means no sheets.
func Read(name string, r io.Reader, format Format) ([]*Sheet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{file: name}
	if format == JSONLines {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), len(data)+1)
		for line := 0; sc.Scan(); line++ {
			if strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			p.lineOffset = line
			p.stream(sc.Bytes())
		}
	} else {
		p.stream(data)
	}
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	if len(p.sheets) == 0 {
		return nil, errs.At(errs.Invalid, name, 1, 1, "expected a fact sheet (a mapping with document, text and facts), found no content")
	}
	return p.sheets, nil
}

type parser struct {
	file       string
	lineOffset int // lines before the current JSON line
	sheets     []*Sheet
	errs       errs.List
}

// yamlLine finds the line in the messages of the YAML parser ("yaml: line 3: ...").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// stream reads every YAML document of data as a sheet.
func (p *parser) stream(data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err == io.EOF {
			return
		}
		if err != nil {
			msg, line := err.Error(), 0
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				line, _ = strconv.Atoi(m[1])
				msg = msg[len(m[0]):]
			}
			msg = strings.TrimPrefix(msg, "yaml: ")
			p.errs.Add(errs.At(errs.Invalid, p.file, line+p.lineOffset, 0, "%s", msg))
			return
		}
		if len(doc.Content) == 0 {
			continue
		}
		if s := p.sheet(doc.Content[0]); s != nil {
			p.sheets = append(p.sheets, s)
		}
	}
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{Line: n.Line + p.lineOffset, Column: n.Column} }

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	if len(p.errs) >= DefaultMaxErrors {
		return
	}
	at := p.pos(n)
	p.errs.Add(errs.At(errs.Invalid, p.file, at.Line, at.Column, format, args...))
}

// describe names what a node is, for "found X" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// mapping calls field for each key of a mapping node, in order, after
// checking that every key is one of keys (a key not among them is an error
// naming the closest) and none repeats. field reports whether it knew the key
// (nil: all of keys). It reports false when n is no mapping.
func (p *parser) mapping(n *yaml.Node, what string, keys []string, field func(key, val *yaml.Node)) bool {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "expected %s (a mapping of keys to values), found %s", what, describe(n))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if seen[k.Value] {
			p.errorf(k, "%s repeats the key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		if keys != nil && !slices.Contains(keys, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if near := graph.Closest(k.Value, keys); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
			} else {
				msg += " (keys: " + strings.Join(keys, ", ") + ")"
			}
			p.errorf(k, "%s", msg)
			continue
		}
		field(k, v)
	}
	return true
}

// scalar reads a non-empty scalar.
func (p *parser) scalar(key, n *yaml.Node) Scalar {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.TrimSpace(n.Value) == "" {
		p.errorf(valueNode(key, n), "%s: expected a value, found %s", key.Value, describe(n))
		return Scalar{}
	}
	return Scalar{Value: n.Value, At: p.pos(n), Set: true}
}

// valueNode is where to report a bad value: at the value, or at its key when
// the value is empty (and has the position after the key).
func valueNode(key, n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return key
	}
	return n
}

// scalars reads one scalar or a list of them.
func (p *parser) scalars(key, n *yaml.Node) []Scalar {
	if n.Kind != yaml.SequenceNode {
		if s := p.scalar(key, n); s.Set {
			return []Scalar{s}
		}
		return nil
	}
	var out []Scalar
	for _, e := range n.Content {
		if s := p.scalar(key, deref(e)); s.Set {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) boolean(key, n *yaml.Node) bool {
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "true", "yes":
			return true
		case "false", "no":
			return false
		}
	}
	p.errorf(valueNode(key, n), "%s: expected true or false, found %s", key.Value, describe(n))
	return false
}

// Top-level, document and entity keys.
var (
	sheetKeys    = []string{"document", "text", "skip", "entities", "facts"}
	documentKeys = []string{"id", "publisher", "date", "title", "language", "url", "note", "example"}
	entityKeys   = []string{"name", "class", "aliases", "id"}
	// factKeys are the keys of a fact besides its properties.
	factKeys = []string{"entity", "happening", "quote", "sentence", "class", "name", "shortcuts"}
)

func (p *parser) sheet(n *yaml.Node) *Sheet {
	s := &Sheet{File: p.file, At: p.pos(deref(n))}
	before := len(p.errs)
	var document, facts *yaml.Node
	ok := p.mapping(n, "a fact sheet", sheetKeys, func(k, v *yaml.Node) {
		switch k.Value {
		case "document":
			document = k
			s.Document = p.document(k, v)
		case "text":
			s.Text = p.scalar(k, v)
		case "skip":
			s.Skip = p.scalars(k, v)
		case "entities":
			p.list(k, v, func(e *yaml.Node) { s.Entities = append(s.Entities, p.entity(e)) })
		case "facts":
			facts = k
			p.list(k, v, func(e *yaml.Node) { s.Facts = append(s.Facts, p.fact(e)) })
		}
	})
	if !ok {
		return nil
	}
	top := deref(n)
	if document == nil {
		p.errorf(top, "a fact sheet needs a document: its id, publisher, date, title and language")
	}
	if !s.Text.Set && len(p.errs) == before {
		p.errorf(top, "a fact sheet needs the text of its article (text: |, paragraphs separated by blank lines)")
	}
	if facts == nil {
		p.errorf(top, "a fact sheet needs facts: a list of what the text states, each with a quote")
	}
	return s
}

// list calls each for every element of a sequence.
func (p *parser) list(key, n *yaml.Node, each func(*yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(valueNode(key, n), "%s: expected a list, found %s", key.Value, describe(n))
		return
	}
	for _, e := range n.Content {
		each(deref(e))
	}
}

func (p *parser) document(key, n *yaml.Node) Document {
	d := Document{At: p.pos(key)}
	p.mapping(n, "the document", documentKeys, func(k, v *yaml.Node) {
		switch k.Value {
		case "id":
			d.ID = p.scalar(k, v)
		case "publisher":
			d.Publisher = p.scalar(k, v)
		case "date":
			d.Date = p.scalar(k, v)
		case "title":
			d.Title = p.scalar(k, v)
		case "language":
			d.Language = p.scalar(k, v)
		case "url":
			d.URL = p.scalar(k, v)
		case "note":
			d.Note = p.scalar(k, v)
		case "example":
			d.Example = p.boolean(k, v)
		}
	})
	for _, req := range []struct {
		name string
		v    Scalar
	}{{"id", d.ID}, {"publisher", d.Publisher}, {"date", d.Date}, {"title", d.Title}, {"language", d.Language}} {
		if !req.v.Set && deref(n).Kind == yaml.MappingNode && !p.hasKey(n, req.name) {
			p.errorf(key, "the document needs its %s", req.name)
		}
	}
	return d
}

// hasOtherKey reports whether mapping n has a key not among keys.
func (p *parser) hasOtherKey(n *yaml.Node, keys []string) bool {
	n = deref(n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !slices.Contains(keys, n.Content[i].Value) {
			return true
		}
	}
	return false
}

// hasKey reports whether mapping n has the key, given or not well-formed.
func (p *parser) hasKey(n *yaml.Node, key string) bool {
	n = deref(n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (p *parser) entity(n *yaml.Node) Entity {
	e := Entity{At: p.pos(n)}
	ok := p.mapping(n, "an entity", entityKeys, func(k, v *yaml.Node) {
		switch k.Value {
		case "name":
			e.Name = p.scalar(k, v)
		case "class":
			e.Class = p.scalar(k, v)
		case "aliases":
			e.Aliases = p.scalars(k, v)
		case "id":
			e.ID = p.scalar(k, v)
		}
	})
	if ok {
		for _, req := range []string{"name", "class"} {
			if !p.hasKey(n, req) {
				p.errorf(n, "an entity needs a %s", req)
			}
		}
	}
	return e
}

// propertyKeys are the vocabulary's properties, by the keys sheets use.
func propertyKeys() []string {
	keys := make([]string, 0, len(graph.Properties))
	for _, pr := range graph.Properties {
		keys = append(keys, pr.Key)
	}
	return keys
}

func (p *parser) fact(n *yaml.Node) Fact {
	f := Fact{At: p.pos(n)}
	props := propertyKeys()
	var shortcuts []string
	for _, s := range graph.Shortcuts {
		shortcuts = append(shortcuts, graph.LocalName(string(s.Predicate)))
	}
	keys := slices.Concat(factKeys, props, shortcuts)
	ok := p.mapping(n, "a fact", keys, func(k, v *yaml.Node) {
		switch k.Value {
		case "entity":
			f.Entity = p.scalar(k, v)
		case "happening":
			f.Happening = p.scalar(k, v)
		case "quote":
			f.Quote = p.scalar(k, v)
		case "sentence":
			f.Sentence = p.scalar(k, v)
		case "class":
			f.Class = p.scalar(k, v)
		case "name":
			f.Name = p.scalar(k, v)
		case "shortcuts":
			f.NoShortcuts = !p.boolean(k, v)
		default:
			if slices.Contains(shortcuts, k.Value) {
				p.errorf(k, "%s is a shortcut: factgraph makes it from the status and the parties or participants of a happening; state the happening instead", k.Value)
				return
			}
			f.Props = append(f.Props, Prop{Key: Scalar{Value: k.Value, At: p.pos(k), Set: true}, Values: p.values(k, v)})
		}
	})
	if !ok {
		return f
	}
	switch {
	case !p.hasKey(n, "entity") && !p.hasKey(n, "happening"):
		p.errorf(n, "a fact needs its subject: entity: NAME or happening: ID")
	case p.hasKey(n, "entity") && p.hasKey(n, "happening"):
		p.errorf(n, "a fact has one subject: entity or happening, not both")
	}
	if !p.hasKey(n, "quote") && !p.hasKey(n, "sentence") {
		p.errorf(n, "a fact needs a statement in the text: quote: the words that state it (or sentence: N)")
	}
	if len(f.Props) == 0 && !p.hasKey(n, "class") && !p.hasKey(n, "name") && !p.hasOtherKey(n, factKeys) {
		p.errorf(n, "a fact needs at least one property (%s, ...)", strings.Join(props[:4], ", "))
	}
	return f
}

// values reads a property's values: scalars, {node: NAME} mappings, or a list
// of them.
func (p *parser) values(key, n *yaml.Node) []Value {
	var out []Value
	one := func(e *yaml.Node) {
		e = deref(e)
		if e.Kind == yaml.MappingNode {
			var v Value
			p.mapping(e, "a node value", []string{"node"}, func(k, nv *yaml.Node) {
				v = Value{Scalar: p.scalar(k, nv), Node: true}
			})
			if v.Set {
				out = append(out, v)
			} else if len(e.Content) == 0 {
				p.errorf(e, "%s: expected {node: NAME}, found an empty mapping", key.Value)
			}
			return
		}
		if s := p.scalar(key, e); s.Set {
			out = append(out, Value{Scalar: s})
		}
	}
	if n.Kind == yaml.SequenceNode {
		if len(n.Content) == 0 {
			p.errorf(n, "%s: expected a value, found an empty list", key.Value)
		}
		for _, e := range n.Content {
			one(e)
		}
		return out
	}
	one(n)
	return out
}

// ReadFiles reads the sheets of every named file ("-" for stdin), in order,
// each in format, or by its extension when format is empty (see FormatOf;
// stdin is YAML). Every error of every file is returned, as with Read.
func ReadFiles(paths []string, format Format, stdin io.Reader) ([]*Sheet, error) {
	var (
		all  []*Sheet
		list errs.List
	)
	for _, path := range paths {
		f := format
		if f == "" {
			f = FormatOf(path)
		}
		var (
			sheets []*Sheet
			err    error
		)
		if path == "-" {
			sheets, err = Read("-", stdin, f)
		} else if file, oerr := os.Open(path); oerr != nil {
			return nil, oerr // "open PATH: no such file or directory"
		} else {
			sheets, err = Read(path, file, f)
			file.Close()
		}
		if err == nil {
			all = append(all, sheets...)
			continue
		}
		if es := errs.All(err); len(es) > 0 {
			list = append(list, es...)
		} else {
			list.Add(&errs.Error{Code: errs.Invalid, File: path, Message: err.Error(), Err: err})
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return all, nil
}
