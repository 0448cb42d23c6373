package graph

import (
	"context"
	"errors"
	"fmt"
)

// Error codes shared by every layer; the HTTP API maps each to one status.
const (
	// EINVALID: the request or input is malformed (bad query, bad file, bad flag).
	EINVALID = "invalid"
	// ENOTFOUND: a name, IRI or resource does not exist.
	ENOTFOUND = "not_found"
	// EUNAUTHORIZED: a write was attempted without a valid token.
	EUNAUTHORIZED = "unauthorized"
	// ETIMEOUT: a query ran past its deadline.
	ETIMEOUT = "timeout"
	// ETOOLARGE: a request body or result is over its configured limit.
	ETOOLARGE = "too_large"
	// EINTERNAL: anything else; details are logged, not shown.
	EINTERNAL = "internal"
)

// Error is a domain error with a code from the list above and a message meant for
// users. Position fields are set for errors in queries (1-based; 0 when unknown).
type Error struct {
	Code    string
	Message string
	Line    int
	Column  int
	// Snippet is the offending line of the input with a caret under Column,
	// for positioned errors whose input is known (queries).
	Snippet string
	Err     error // wrapped cause, if any
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, ETIMEOUT for
// deadline errors, and EINTERNAL for anything else (or "" for nil).
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ETIMEOUT
	}
	return EINTERNAL
}
