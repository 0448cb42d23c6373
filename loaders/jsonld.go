package loaders

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"

	"github.com/factgraph/factgraph/graph/errs"
)

// readJSONLD reads a JSON-LD document with Cayley's reader, after checking the
// JSON itself so that a syntax error can say where it is.
func readJSONLD(name string, r io.Reader, maxErrors int) ([]quad.Quad, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(b, se.Offset)
			return nil, &errs.Error{Code: errs.Invalid, File: name, Line: line, Column: col, Message: "invalid JSON: " + se.Error()}
		}
		return nil, &errs.Error{Code: errs.Invalid, File: name, Message: "invalid JSON: " + err.Error()}
	}
	quads, err := readAll(name, jsonld.NewReaderFromMap(doc), maxErrors, nil)
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Line == 0 {
			e.Message = "invalid JSON-LD: " + e.Message
		}
		return nil, err
	}
	return quads, nil
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
