package cli

// The Cayley backends and query languages this binary offers; they register
// themselves with Cayley in init.
import (
	_ "github.com/cayleygraph/cayley/graph/kv/bbolt"
	_ "github.com/cayleygraph/cayley/graph/memstore"
	_ "github.com/cayleygraph/quad/jsonld"

	_ "github.com/factgraph/factgraph/graph/compact"
	_ "github.com/factgraph/factgraph/graph/disk"
	_ "github.com/factgraph/factgraph/graph/pg"
	_ "github.com/factgraph/factgraph/queries/cayleylang"
	_ "github.com/factgraph/factgraph/queries/pathlang"
	_ "github.com/factgraph/factgraph/queries/sparql"
)
