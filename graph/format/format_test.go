package format

import (
	"slices"
	"testing"
)

func TestNamesAreUnique(t *testing.T) {
	seen := map[string]string{}
	for _, f := range table {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if other, dup := seen[n]; dup {
				t.Errorf("%s names both %s and %s", n, other, f.Name)
			}
			seen[n] = f.Name
		}
		if len(f.MediaTypes) == 0 || f.Uses == 0 {
			t.Errorf("%s has no media type or no use", f.Name)
		}
		if (f.Can(Export) || f.Can(Load)) && f.Name != "csv" && f.Name != "tsv" && f.Cayley == "" && f.Name != "nquads" && f.Name != "jsonld" {
			t.Errorf("%s moves quads but names no Cayley format", f.Name)
		}
	}
}

func TestLookups(t *testing.T) {
	for _, tc := range []struct {
		got  func() (*Format, bool)
		want string
	}{
		{func() (*Format, bool) { return Lookup("NT", Load) }, "nquads"},
		{func() (*Format, bool) { return Lookup("graphviz", Export) }, "dot"},
		{func() (*Format, bool) { return ByExtension("facts.csv.gz", Load) }, "csv"},
		{func() (*Format, bool) { return ByExtension("x.ntriples", Load) }, "nquads"},
		{func() (*Format, bool) { return ByMediaType("application/ndjson", Rows) }, "ndjson"},
		{func() (*Format, bool) { return ByMediaType("text/csv", Load) }, "csv"},
	} {
		f, ok := tc.got()
		if !ok || f.Name != tc.want {
			t.Errorf("got %v, %v; want %s", f, ok, tc.want)
		}
	}
	if _, ok := Lookup("dot", Load); ok {
		t.Error("dot is no load format")
	}
	if got := Names(Export); !slices.Equal(got, []string{"nquads", "jsonld", "dot", "graphml", "pquads"}) {
		t.Errorf("export formats %v", got)
	}
}
