package errs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestMessagesHaveOneShape(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{Errorf(Invalid, "bad %s", "flag"), "bad flag"},
		{At(Invalid, "", 1, 5, "expected step, found %q", "]"), `1:5: expected step, found "]"`},
		{At(Invalid, "a.nq", 3, 0, "bad line"), "a.nq:3: bad line"},
		{At(Invalid, "a.nq", 0, 0, "empty"), "a.nq: empty"},
		{List{At(Invalid, "a.nq", 9, 1, "second"), At(Invalid, "a.nq", 2, 4, "first")}.Err(), "a.nq:2:4: first (and 1 more error)"},
		{List{At(Invalid, "", 1, 1, "a"), At(Invalid, "", 1, 2, "b"), At(Invalid, "", 1, 3, "c")}.Err(), "1:1: a (and 2 more errors)"},
		{List{At(NotFound, "", 1, 1, "only")}.Err(), "1:1: only"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	if (List{}).Err() != nil {
		t.Error("an empty list is not nil as an error")
	}
}

func TestWrappingKeepsCodesAndCauses(t *testing.T) {
	e := Errorf(Invalid, "read body: %w", io.ErrUnexpectedEOF)
	if !errors.Is(e, io.ErrUnexpectedEOF) {
		t.Error("Errorf with %w does not wrap its cause")
	}
	wrapped := fmt.Errorf("load: %w", WithInput(e, "text"))
	if CodeOf(wrapped) != Invalid || !errors.Is(wrapped, io.ErrUnexpectedEOF) {
		t.Errorf("code %q through two wrappers, cause lost: %v", CodeOf(wrapped), wrapped)
	}
	if text, ok := InputOf(wrapped); !ok || text != "text" {
		t.Errorf("InputOf = %q, %v", text, ok)
	}
	list := List{At(NotFound, "", 2, 1, "second"), At(Invalid, "", 1, 1, "first")}.Err()
	if CodeOf(list) != Invalid {
		t.Errorf("a list's code is its first error's after sorting, got %q", CodeOf(list))
	}
	if n := len(All(fmt.Errorf("x: %w", list))); n != 2 {
		t.Errorf("All found %d errors in a wrapped list of 2", n)
	}
	if CodeOf(context.DeadlineExceeded) != Timeout || CodeOf(io.EOF) != Internal || CodeOf(nil) != "" {
		t.Error("CodeOf of plain errors")
	}
}

func TestMessageOf(t *testing.T) {
	if got := MessageOf(fmt.Errorf("resolve: %w", At(NotFound, "a.csv", 2, 1, "no node is named %q", "X"))); got != `no node is named "X"` {
		t.Errorf("MessageOf a positioned error = %q", got)
	}
	if got := MessageOf(io.EOF); got != "EOF" {
		t.Errorf("MessageOf a plain error = %q", got)
	}
}
