package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
