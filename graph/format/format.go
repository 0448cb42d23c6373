// Package format is factgraph's one table of data formats: every format a
// user can name — for query results (`query --format`, HTTP content
// negotiation), for loading (`load --format`, by file extension, HTTP
// Content-Type) and for exporting quads (`dump --format`, HTTP exports) — with
// its names, media types and file extensions, declared once. Each layer
// implements the formats of its kind by name (queries' encoders, loaders'
// readers and writers), and tests check that the implementations and the
// table agree, as they check the OpenAPI document against it.
package format

import (
	"path/filepath"
	"slices"
	"strings"
)

// Use is what a format can be used for.
type Use uint8

const (
	// Rows: writing query results (queries' encoders).
	Rows Use = 1 << iota
	// Load: reading quads into a store (loaders).
	Load
	// Export: writing quads of a store (`factgraph dump`, HTTP exports).
	Export
)

// Format is one data format.
type Format struct {
	Name    string   // the name users type
	Aliases []string // other accepted names
	// MediaTypes are the format's media types; the first is the Content-Type
	// factgraph writes, the others are accepted too.
	MediaTypes []string
	// Extensions are the file name endings a load recognizes (through .gz).
	Extensions []string
	Uses       Use
	// Cayley is the format's name in Cayley's quad.Format registry, for
	// formats whose reader or writer is Cayley's ("" if none is).
	Cayley string
	Doc    string // one line for help texts
}

// Can reports whether f serves use u.
func (f *Format) Can(u Use) bool { return f.Uses&u != 0 }

// ContentType is the Content-Type of f's output.
func (f *Format) ContentType() string { return f.MediaTypes[0] }

// MediaType is the Content-Type without its parameters.
func (f *Format) MediaType() string {
	mt, _, _ := strings.Cut(f.ContentType(), ";")
	return strings.TrimSpace(mt)
}

// table lists the formats; each use lists its formats in this order, so the
// first of a use is its default.
var table = []Format{
	{Name: "table", MediaTypes: []string{"text/plain; charset=utf-8"}, Uses: Rows,
		Doc: "aligned columns for the terminal"},
	{Name: "json", MediaTypes: []string{"application/json"}, Uses: Rows,
		Doc: "one JSON object: columns, rows, counts"},
	{Name: "ndjson", MediaTypes: []string{"application/x-ndjson", "application/ndjson"}, Uses: Rows,
		Doc: "one JSON object per row, streamed"},
	{Name: "csv", MediaTypes: []string{"text/csv; charset=utf-8; header=present"}, Extensions: []string{".csv"}, Uses: Rows | Load,
		Doc: "comma-separated values with a header row"},
	{Name: "tsv", MediaTypes: []string{"text/tab-separated-values; charset=utf-8; header=present"}, Extensions: []string{".tsv"}, Uses: Rows | Load,
		Doc: "tab-separated values with a header row"},
	{Name: "nquads", Aliases: []string{"nq", "ntriples", "nt"}, MediaTypes: []string{"application/n-quads", "application/n-triples"},
		Extensions: []string{".nq", ".nt", ".nquads", ".ntriples"}, Uses: Rows | Load | Export, Cayley: "nquads",
		Doc: "N-Quads (N-Triples is read as N-Quads); as a query format, the quads behind the rows"},
	{Name: "jsonld", Aliases: []string{"json-ld"}, MediaTypes: []string{"application/ld+json"}, Extensions: []string{".jsonld"},
		Uses: Rows | Load | Export, Cayley: "jsonld",
		Doc: "JSON-LD; as a query format, the quads behind the rows"},
	{Name: "turtle", Aliases: []string{"ttl"}, MediaTypes: []string{"text/turtle"}, Extensions: []string{".ttl"}, Uses: Load, Cayley: "turtle",
		Doc: "Turtle (triples, no labels)"},
	{Name: "trig", MediaTypes: []string{"application/trig"}, Extensions: []string{".trig"}, Uses: Load, Cayley: "trig",
		Doc: "TriG (Turtle with named graphs)"},
	{Name: "dot", Aliases: []string{"graphviz"}, MediaTypes: []string{"text/vnd.graphviz; charset=utf-8"}, Extensions: []string{".gv", ".dot"},
		Uses: Export, Cayley: "graphviz", Doc: "Graphviz DOT, for drawing"},
	{Name: "graphml", MediaTypes: []string{"application/xml"}, Extensions: []string{".graphml"}, Uses: Export, Cayley: "graphml",
		Doc: "GraphML, for graph tools"},
	{Name: "pquads", MediaTypes: []string{"application/x-protobuf", "application/octet-stream"}, Extensions: []string{".pq"}, Uses: Load | Export, Cayley: "pquads",
		Doc: "Cayley's binary protobuf quads"},
}

// All returns the formats that serve use u, in the table's order.
func All(u Use) []*Format {
	var out []*Format
	for i := range table {
		if table[i].Can(u) {
			out = append(out, &table[i])
		}
	}
	return out
}

// Names returns the names of the formats that serve use u.
func Names(u Use) []string {
	var out []string
	for _, f := range All(u) {
		out = append(out, f.Name)
	}
	return out
}

// Lookup returns the format named name (or an alias of it, any case) that
// serves use u.
func Lookup(name string, u Use) (*Format, bool) {
	name = strings.ToLower(name)
	for _, f := range All(u) {
		if f.Name == name || slices.Contains(f.Aliases, name) {
			return f, true
		}
	}
	return nil, false
}

// ByMediaType returns the format of use u with the media type mt (no
// parameters).
func ByMediaType(mt string, u Use) (*Format, bool) {
	mt = strings.ToLower(strings.TrimSpace(mt))
	for _, f := range All(u) {
		for _, m := range f.MediaTypes {
			if base, _, _ := strings.Cut(m, ";"); strings.TrimSpace(base) == mt {
				return f, true
			}
		}
	}
	return nil, false
}

// ByExtension returns the format of use u that a file name ends in, looking
// through a .gz ending.
func ByExtension(path string, u Use) (*Format, bool) {
	ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(strings.ToLower(path), ".gz")))
	for _, f := range All(u) {
		if slices.Contains(f.Extensions, ext) {
			return f, true
		}
	}
	return nil, false
}

// Extensions returns the file name endings of the formats of use u.
func Extensions(u Use) []string {
	var out []string
	for _, f := range All(u) {
		out = append(out, f.Extensions...)
	}
	return out
}
