package pathlang

import "github.com/factgraph/factgraph/graph/errs"

// MaxErrors bounds how many errors one parse or compile reports.
const MaxErrors = 10

// errorAt returns an error of the given code at offset at of the query src.
// Errors of queries have no file: they print as LINE:COL: message.
func errorAt(src string, at Pos, code errs.Code, msg string) *errs.Error {
	p := PositionOf(src, at)
	return &errs.Error{Code: code, Line: p.Line, Column: p.Column, Message: msg}
}

// positionOf returns where an error points, as a Position.
func positionOf(e *errs.Error) Position { return Position{Line: e.Line, Column: e.Column} }
