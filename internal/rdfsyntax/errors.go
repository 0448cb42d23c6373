package rdfsyntax

import (
	"fmt"

	"github.com/factgraph/factgraph/graph/errs"
)

// ErrorAt returns the syntax error at a byte offset of src, as factgraph's
// one error type (code invalid, with the 1-based line and column).
func ErrorAt(src string, off int, format string, args ...any) *errs.Error {
	pos := PositionOf(src, off)
	return errs.At(errs.Invalid, "", pos.Line, pos.Column, "%s", fmt.Sprintf(format, args...))
}
