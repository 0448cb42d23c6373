package compact_test

import (
	"testing"

	"github.com/factgraph/factgraph/internal/cayleysuite"
)

// TestCayleyGizmoSuite runs the Gizmo test cases of Cayley's query/gizmo
// package against this store.
func TestCayleyGizmoSuite(t *testing.T) {
	cayleysuite.Gizmo(t, "compact", "github.com/factgraph/factgraph/graph/compact", `""`)
}
