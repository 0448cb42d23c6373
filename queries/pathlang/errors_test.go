package pathlang

import (
	"testing"

	"github.com/factgraph/factgraph/internal/testkit"
)

// TestErrorFiles parses every file in testdata/errors and checks that the
// errors it reports are exactly the ones marked in the file, at their positions.
func TestErrorFiles(t *testing.T) {
	testkit.CheckErrorFiles(t, "testdata/errors/*.path", func(src string) error {
		_, err := Parse(src)
		return err
	})
}
