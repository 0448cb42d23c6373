package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
)

// TestResolveSuggests: a name that names nothing is a not-found error that
// suggests the closest name, or, for a typo of a node's id, the closest id,
// and nothing when nothing is close.
func TestResolveSuggests(t *testing.T) {
	st := testkit.ArticleStore(t)
	for _, tc := range []struct{ name, want string }{
		{"Jpan", `no node is named "Jpan"; did you mean "Japan"?`},
		{"RAA-Japan-Philipines", `no node is named "RAA-Japan-Philipines"; did you mean fg:RAA-Japan-Philippines?`},
		{"Zzzzqqq", `no node is named "Zzzzqqq"`},
	} {
		_, err := graph.Resolve(context.Background(), st, tc.name)
		if errs.CodeOf(err) != errs.NotFound || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if near, err := graph.ClosestNode(context.Background(), st, graph.NS+"Zzzzqq"); err != nil || near != "" {
		t.Errorf("ClosestNode of an id close to none = %q, %v", near, err)
	}
	if near, _ := graph.ClosestNode(context.Background(), st, graph.NS+"FumioKishda"); !strings.HasSuffix(near, ":FumioKishida") {
		t.Errorf("ClosestNode(fg:FumioKishda) = %q", near)
	}
}
