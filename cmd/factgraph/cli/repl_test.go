package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

func TestRepl(t *testing.T) {
	input := strings.Join([]string{
		`Japan ->`,               // an arrow at the end continues the query
		`  (hasRAAWith |`,        // so does an open parenthesis
		`   negotiatingRAAWith)`, // complete: runs
		`:lang gizmo`,            // switch language
		`g.V("<https://w3id.org/factgraph/France>").In("<https://w3id.org/factgraph/leads>").Unique().All()`,
		`:lang path`,
		`Japan -> -> x`, // an error does not end the session
		`:format csv`,
		`France <- leads`,
		`:quit`,
		`Japan -> hasRAAWith`, // never read
	}, "\n")
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"repl"}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"Philippines", "France", "Emmanuel Macron  fg:EmmanuelMacron", "node,node_iri\nEmmanuel Macron,fg:EmmanuelMacron\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Count(out.String(), "fg:Australia") != 1 {
		t.Errorf("want exactly one answer set with Australia (the line after :quit must not run):\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "1:10: expected predicate, found '->'") {
		t.Errorf("stderr lacks the positioned error:\n%s", errOut.String())
	}
}

func TestNeedsMore(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`Japan`, false}, {`Japan ->`, true}, {`Japan <- `, true}, {`Japan -> (a |`, true},
		{`* [name = "a]`, true}, {`* [name = "a]"]`, false}, {`Japan \`, true}, {`{Japan,`, true},
	} {
		if got := needsMore(tc.line, tc.line); got != tc.want {
			t.Errorf("needsMore(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestReplRunsPendingInputAtEOF(t *testing.T) {
	for _, tc := range []struct{ input, wantErr, wantOut string }{
		{"\"abc\n", "1:5: expected closing '\"' of string, found end of line", ""},
		{"Japan ->\n", "1:9: expected predicate, found end of query\n    Japan ->\n            ^", ""},
		{"Japan ->", "1:9: expected predicate, found end of query", ""},
		{"Japan ->\n  hasRAAWith ->", "2:16: expected predicate, found end of query", ""},
		{"Japan -> (hasRAAWith |\n negotiatingRAAWith", "expected '|' or ')', found end of query", ""},
		{"Japan -> hasRAAWith \\\n", "", "fg:Australia"}, // a complete query ending in '\'
	} {
		var out, errOut bytes.Buffer
		if code := Main(context.Background(), []string{"repl"}, strings.NewReader(tc.input), &out, &errOut); code != 0 {
			t.Errorf("%q: exit %d: %s", tc.input, code, errOut.String())
		}
		if tc.wantErr != "" && !strings.Contains(errOut.String(), tc.wantErr) {
			t.Errorf("%q: stderr lacks %q:\n%s", tc.input, tc.wantErr, errOut.String())
		}
		if tc.wantErr == "" && strings.Contains(errOut.String(), "factgraph:") {
			t.Errorf("%q: unexpected error:\n%s", tc.input, errOut.String())
		}
		if !strings.Contains(out.String(), tc.wantOut) {
			t.Errorf("%q: stdout lacks %q:\n%s", tc.input, tc.wantOut, out.String())
		}
	}
}

// TestReplEndsWithRootContext: a root context cancelled for another reason than
// SIGINT ends the session, even while it waits at the prompt.
func TestReplEndsWithRootContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	prompting := make(chan int, 100)
	ctx, cancel := context.WithCancel(withReplHooks(context.Background(), replHooks{
		Prompting: func(pending int) { prompting <- pending },
	}))
	defer cancel()
	var out, errOut bytes.Buffer
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"repl"}, pr, &out, &errOut) }()
	waitFor(t, prompting, 0)
	cancel()
	select {
	case code := <-done:
		if code != 1 || !strings.Contains(errOut.String(), "context canceled") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the REPL did not end when its context was cancelled")
	}
}

// waitFor receives from c until it gets want.
func waitFor[T comparable](t *testing.T, c <-chan T, want T) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-c:
			if got == want {
				return
			}
		case <-timeout:
			t.Fatalf("timed out waiting for %v", want)
		}
	}
}
