package loaders

import (
	"strings"
	"testing"
)

// TestCSVPlainNames checks that a CSV of facts by plain names is refused at
// the name, saying how to write it.
func TestCSVPlainNames(t *testing.T) {
	_, err := Read("facts.csv", strings.NewReader("subject,predicate,object\nJapan,hasRAAWith,Australia\n"), ReadOptions{Format: "csv"})
	want := `facts.csv:2:1: subject: expected IRI (<...>, prefix:name or http...), or blank node (_:x), found "Japan"; quads name nodes by IRI, not by name: write fg:Japan for a node of factgraph's namespace, or state the facts by name in a fact sheet (factgraph ingest, docs/fact-sheets.md)`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	_, err = Read("facts.csv", strings.NewReader("subject,predicate,object\nfg:Japan,has RAA with,fg:Australia\n"), ReadOptions{Format: "csv"})
	if err == nil || !strings.Contains(err.Error(), "facts.csv:2:10: predicate: ") || !strings.Contains(err.Error(), "write fg:Japan for a node") {
		t.Errorf("err = %v", err)
	}
}
