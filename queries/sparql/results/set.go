package results

import "github.com/cayleygraph/quad"

// Set is a query result: the variables and solutions of a SELECT, or the
// answer of an ASK (Boolean set).
type Set struct {
	Vars    []string
	Rows    []Row
	Boolean *bool
}

// Row is one solution: a value per variable it binds.
type Row map[string]quad.Value

// Format is a result format.
type Format struct {
	Name string // json, xml, csv, tsv
	Mime string
}

// Formats are the formats Write knows, the default first.
var Formats = []Format{
	{"json", "application/sparql-results+json"},
	{"xml", "application/sparql-results+xml"},
	{"csv", "text/csv"},
	{"tsv", "text/tab-separated-values"},
}
