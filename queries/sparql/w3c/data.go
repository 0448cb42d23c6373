package w3c

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfxml"
	"github.com/factgraph/factgraph/internal/turtle"
)

// readGraph reads a data file (Turtle, N-Triples or RDF/XML) into triples;
// blankPrefix keeps the blank nodes of different files apart.
func readGraph(path, blankPrefix string) ([]quad.Quad, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []quad.Quad
	switch strings.ToLower(filepath.Ext(path)) {
	case ".rdf", ".xml":
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		qs, err = rdfxml.Parse(f, fileIRI(path), blankPrefix)
		if err != nil {
			return nil, fmt.Errorf("%s:%w", path, err)
		}
	default:
		qs, err = turtle.Parse(string(b), turtle.Options{Base: fileIRI(path), BlankPrefix: blankPrefix})
		if err != nil {
			return nil, fmt.Errorf("%s:%w", path, err)
		}
	}
	return qs, nil
}
