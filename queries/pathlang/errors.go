package pathlang

import (
	"fmt"
	"sort"
)

// Error codes, matching factgraph's domain codes.
const (
	codeInvalid  = "invalid"
	codeNotFound = "not_found"
)

// Error is a problem at a position of a query.
type Error struct {
	Pos  Position
	Msg  string
	Code string // "invalid" (syntax, ambiguity) or "not_found" (unknown name)
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of errors, sorted by position when printed, like
// go/scanner.ErrorList.
type ErrorList []*Error

// MaxErrors bounds how many errors one parse or compile reports.
const MaxErrors = 10

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	if len(l) == 2 {
		return fmt.Sprintf("%s (and 1 more error)", l[0])
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0], len(l)-1)
}

// Err sorts the list and returns it as an error, or nil if it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	return l
}
