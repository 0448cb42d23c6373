package w3c

import (
	"context"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/testkit"
)

// TestSharedW3CSPARQL runs the W3C SPARQL 1.0 and 1.1 query tests: every
// evaluation test must give the suite's answer and every syntax test must be
// accepted or rejected as the suite says, unless Known lists it. They run
// twice: with the store read in node ids, and through Cayley's iterators (as
// stores other than the compact one are read).
func TestSharedW3CSPARQL(t *testing.T) {
	root := testkit.Shared(t, "w3c-sparql/sparql")
	tests, err := Tests(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, iterators := range []bool{false, true} {
		name := "ids"
		if iterators {
			name = "iterators"
		}
		t.Run(name, func(t *testing.T) {
			outcomes := RunAll(context.Background(), tests, Config{Timeout: 30 * time.Second, Iterators: iterators})
			for _, o := range outcomes {
				reason, known := Known[o.Test.IRI]
				switch {
				case !o.Pass && !known:
					t.Errorf("%s %s (%s): %s", o.Test.Suite, o.Test.Name, o.Test.IRI, o.Reason)
				case o.Pass && known:
					t.Errorf("%s %s passes but is listed as a known failure (%s): remove it from Known", o.Test.Suite, o.Test.Name, reason)
				}
			}
			c := Count(outcomes)
			t.Log(c.ResultLine())
			// The suites hold this many tests; fewer means a manifest was misread.
			if c.Eval11Total != 225 || c.Eval10Total != 283 {
				t.Errorf("found %d SPARQL 1.1 and %d SPARQL 1.0 evaluation tests, want 225 and 283", c.Eval11Total, c.Eval10Total)
			}
		})
	}
}
