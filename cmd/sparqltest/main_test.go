package main

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/factgraph/factgraph/internal/testkit"
)

// TestSharedSparqltest runs the command on the suites and checks its RESULT
// line (the counts themselves are checked by w3c.TestSharedW3CSPARQL).
func TestSharedSparqltest(t *testing.T) {
	root := testkit.Shared(t, "w3c-sparql/sparql")
	var out bytes.Buffer
	if err := run([]string{"-suite", root}, &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^RESULT sparql11_eval=\d+/225 sparql10_eval=\d+/283 syntax=\d+/\d+$`).Match(out.Bytes()) {
		t.Errorf("no RESULT line in:\n%s", out.String())
	}
	if !regexp.MustCompile(`(?m)^sparql11 +aggregates +eval +\d+/\d+$`).Match(out.Bytes()) {
		t.Errorf("no category table in:\n%s", out.String())
	}
}
