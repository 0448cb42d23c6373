package loaders_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// firstError returns the first positioned error of err, failing without one.
func firstError(t *testing.T, err error) *errs.Error {
	t.Helper()
	all := errs.All(err)
	if len(all) == 0 {
		t.Fatalf("error %v, want a positioned error", err)
	}
	return all[0]
}

func TestInvalidUTF8IsAnErrorAtItsPosition(t *testing.T) {
	for _, tc := range []struct {
		format, in string
		line, col  int
	}{
		{"nquads", "<urn:a> <urn:p> \"ok\" .\n<urn:a> <urn:p> \"caf\xe9\" .\n", 2, 21},
		{"nquads", "<urn:a\xff> <urn:p> <urn:o> .\n", 1, 7},
		{"nquads", "# comment \xc3\n", 1, 11},
		{"nquads", "<urn:a> <urn:p> \"\xe6\x97\xa5\xe6\x9c\xac\" .\n<urn:\xed\xa0\x80> <urn:p> <urn:o> .\n", 2, 6}, // a surrogate
		{"csv", "subject,predicate,object\n<urn:a>,<urn:p>,na\xefve\n", 2, 19},
		{"tsv", "subject\tpredicate\tobject\n<urn:a>\t<urn:p>\t\x80\n", 2, 17},
		{"jsonld", "{\"@id\": \"urn:a\",\n \"urn:p\": \"\xc0\xaf\"}", 2, 12},
		{"nquads", "<urn:a> <urn:p> \"truncated \xe6\x97", 1, 28},
	} {
		t.Run(tc.format, func(t *testing.T) {
			qs, err := loaders.Read("t."+tc.format, strings.NewReader(tc.in), loaders.ReadOptions{Format: tc.format})
			if qs != nil {
				t.Errorf("got quads %v", qs)
			}
			e := firstError(t, err)
			if e.Code != errs.Invalid || e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Message, "UTF-8") {
				t.Errorf("error %v (code %s), want invalid UTF-8 at %d:%d", e, e.Code, tc.line, tc.col)
			}
		})
	}
	// Valid text of every width passes, split across reads at every byte.
	in := "<urn:a> <urn:p> \"é 日本 𝄞\" .\n"
	qs, err := loaders.Read("t.nq", &oneByteReader{s: in}, loaders.ReadOptions{})
	if err != nil || len(qs) != 1 || qs[0].Object != quad.String("é 日本 𝄞") {
		t.Errorf("valid UTF-8 read one byte at a time: %v, %v", qs, err)
	}
}

type oneByteReader struct{ s string }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	p[0] = r.s[0]
	r.s = r.s[1:]
	return 1, nil
}

func TestBlankNodeLabelsFollowTheGrammar(t *testing.T) {
	for _, tc := range []struct {
		in   string
		col  int
		want string
	}{
		{"_:-a <urn:p> <urn:o> .", 3, `found '-'`},
		{"_:a{b} <urn:p> <urn:o> .", 4, `found '{'`},
		{"<urn:s> <urn:p> <urn:o> _:x~ .", 28, `found '~'`},
		{"_:é·x <urn:p> _:\u00b7 .", 17, `found '·'`},
	} {
		_, err := loaders.Read("t.nq", strings.NewReader(tc.in+"\n"), loaders.ReadOptions{})
		e := firstError(t, err)
		if e.Line != 1 || e.Column != tc.col || !strings.Contains(e.Message, "blank node label") || !strings.Contains(e.Message, tc.want) {
			t.Errorf("%s: error %v, want a blank node label error at 1:%d mentioning %s", tc.in, e, tc.col, tc.want)
		}
	}
	for _, bad := range []string{"", "a.", "-a", ".a", "a b", "a\xff"} {
		if loaders.ValidBlankLabel(bad) {
			t.Errorf("ValidBlankLabel(%q) = true", bad)
		}
	}
	for _, ok := range []string{"b0", "_x", "0", "a-b.c", "a:b", "é·x", "a.b"} {
		if !loaders.ValidBlankLabel(ok) {
			t.Errorf("ValidBlankLabel(%q) = false", ok)
		}
		if _, err := loaders.Read("t.nq", strings.NewReader("_:"+ok+" <urn:p> _:"+ok+" .\n"), loaders.ReadOptions{}); err != nil {
			t.Errorf("_:%s: %v", ok, err)
		}
	}
	// CSV cells go by the same grammar.
	_, err := loaders.Read("t.csv", strings.NewReader("subject,predicate,object\n_:-a,<urn:p>,x\n"), loaders.ReadOptions{Format: "csv"})
	if e := firstError(t, err); e.Line != 2 || e.Column != 1 || !strings.Contains(e.Message, "invalid blank node") {
		t.Errorf("CSV: error %v, want an invalid blank node at 2:1", e)
	}
	// Formats without positions (Cayley's binary pquads) are checked too.
	var buf bytes.Buffer
	w := quad.FormatByName("pquads").Writer(&buf)
	w.WriteQuad(quad.Quad{Subject: quad.BNode("a{b}"), Predicate: quad.IRI("urn:p"), Object: quad.String("x")})
	w.Close()
	_, err = loaders.Read("t.pq", &buf, loaders.ReadOptions{Format: "pquads"})
	if err == nil || !strings.Contains(err.Error(), "invalid blank node label") {
		t.Errorf("pquads: error %v, want an invalid blank node label", err)
	}
}

func TestCSVRowWithMoreFieldsThanTheHeader(t *testing.T) {
	in := "subject,predicate,object\n<urn:a>,<urn:p>,x\n<urn:a>,<urn:p>,Tokyo, Japan\n"
	qs, err := loaders.Read("t.csv", strings.NewReader(in), loaders.ReadOptions{Format: "csv"})
	if qs != nil {
		t.Errorf("got quads %v", qs)
	}
	e := firstError(t, err)
	if e.Line != 3 || e.Column != 23 || !strings.Contains(e.Message, "expected at most 3 fields") || !strings.Contains(e.Message, "found 4") {
		t.Errorf("error %v, want 'expected at most 3 fields, found 4' at 3:23", e)
	}
}

func TestHeaderErrorQuotesAnExcerpt(t *testing.T) {
	head := strings.Repeat("x", 1<<16)
	_, err := loaders.Read("t.csv", strings.NewReader(head+"\n"), loaders.ReadOptions{Format: "csv"})
	if err == nil || len(err.Error()) > 400 {
		t.Errorf("header error of %d bytes, want a short one: %.200s", len(fmt.Sprint(err)), err)
	}
}

func TestBlankNodesRoundTripThroughEveryExport(t *testing.T) {
	orig, err := loaders.Read("b.nq", strings.NewReader(testkit.BlankGraph), loaders.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := testkit.StoreWith(t, orig)
	want := testkit.Canonical(t, orig)
	for _, format := range []string{"nquads", "jsonld", "pquads"} {
		var out bytes.Buffer
		if _, err := loaders.Export(context.Background(), st, &out, format, graph.Pattern{}); err != nil {
			t.Fatal(err)
		}
		text := out.String()
		back, err := loaders.Read("dump", &out, loaders.ReadOptions{Format: format})
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v\n%s", format, err, text)
		}
		if got := testkit.Canonical(t, back); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s round trip:\n%s\nwant:\n%s\nexport:\n%s", format, strings.Join(got, "\n"), strings.Join(want, "\n"), text)
		}
	}
}
