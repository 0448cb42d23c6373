package server

import (
	"sync"

	"github.com/factgraph/factgraph/graph"
)

// Bolt read from its file cannot serve reads while it writes: an iterator of
// Cayley's bolt backend keeps a read transaction open and, to name a value,
// opens a second; a write that grows the file waits to remap it until every
// read transaction ends, and the second waits behind the write, so the three
// wait for each other for ever. A server of such a store (factgraph serve
// --memory-copy=false) keeps its writes apart from everything that reads the
// store, as it once did for every store; its queries then run to their end
// before their handler returns, since a query left running past its deadline
// would hold the store from the next write.

// exclusive reports whether the server's store needs its writes kept apart
// from its reads: a bolt store without a memory copy (graph.Mirror).
func exclusive(st *graph.Store) bool {
	_, mirrored := st.QuadStore.(*graph.Mirror)
	return st.Backend == graph.BackendBolt && !mirrored
}

// storeFree are the routes that never touch the store, so they never wait.
var storeFree = map[string]bool{
	"GET /healthz": true, "GET /metrics": true, "GET /api/v1/openapi.json": true, "GET /api/v2/formats": true,
}

// exclusion keeps writes apart from reads when the store needs it.
type exclusion struct {
	on bool
	mu sync.RWMutex
}

// hold takes the lock a request of rt needs and returns its release.
func (x *exclusion) hold(rt route) func() {
	switch {
	case !x.on || storeFree[rt.pattern]:
		return func() {}
	case rt.write:
		x.mu.Lock()
		return x.mu.Unlock
	}
	x.mu.RLock()
	return x.mu.RUnlock
}
