package loaders

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

func readEvery(r *NQuadsReader) ([]quad.Quad, []string) {
	var (
		quads []quad.Quad
		msgs  []string
	)
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return quads, msgs
		}
		var perr *errs.Error
		if errors.As(err, &perr) {
			msgs = append(msgs, perr.Error())
			continue
		}
		if err != nil {
			return quads, append(msgs, err.Error())
		}
		quads = append(quads, q)
	}
}

// FuzzFastPathMatchesSlowPath checks that decoding a line with the fast parser
// gives exactly what checking it term by term and decoding it with Cayley's
// parser gives: the same quads and the same errors.
func FuzzFastPathMatchesSlowPath(f *testing.F) {
	f.Add("<a> <b> <c> .\n_:x <p> \"v\"@en <g> .\n")
	f.Add("<a> <b> \"5\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n# c\n\n<a> <b> \"x\\ny\" .\n")
	f.Add("<a> <b> \"é\" . # trailing\n<0> <0> <00>.#.\n")
	f.Add("<a> \"p\" <c> .\n<a> <b> <c> \"l\" .\n")
	f.Fuzz(func(t *testing.T, in string) {
		fastQuads, fastErrs := readEvery(NewNQuadsReader("f.nq", strings.NewReader(in)))
		slow := NewNQuadsReader("f.nq", strings.NewReader(in))
		slow.slow = true
		slowQuads, slowErrs := readEvery(slow)
		if !reflect.DeepEqual(fastQuads, slowQuads) || !reflect.DeepEqual(fastErrs, slowErrs) {
			t.Fatalf("%q:\nfast %v %q\nslow %v %q", in, fastQuads, fastErrs, slowQuads, slowErrs)
		}
	})
}
