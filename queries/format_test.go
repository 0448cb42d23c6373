package queries

import (
	"testing"

	"github.com/factgraph/factgraph/graph/format"
)

// TestEveryResultFormatHasAnEncoder checks that the encoders and the format
// table agree: one encoder per result format, none beside the table.
func TestEveryResultFormatHasAnEncoder(t *testing.T) {
	names := map[string]bool{}
	for _, f := range format.All(format.Rows) {
		names[f.Name] = true
		if _, ok := encoders[f.Name]; !ok {
			t.Errorf("result format %s has no encoder", f.Name)
		}
		for _, a := range f.Aliases {
			if _, err := EncoderFor(a); err != nil {
				t.Errorf("alias %s of %s: %v", a, f.Name, err)
			}
		}
	}
	for name := range encoders {
		if !names[name] {
			t.Errorf("encoder %s is not in the format table", name)
		}
	}
}
