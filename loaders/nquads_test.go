package loaders_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// malformed lists bad inputs with the one error each must produce. Lines and
// columns are 1-based and count characters.
var malformed = []struct {
	name  string
	input string
	line  int
	col   int
	msg   string
}{
	{"missing subject", " .", 1, 2, "expected subject (IRI or blank node), found '.'"},
	{"two terms only", "<p> <o> .", 1, 9, "expected object (IRI, blank node or literal), found '.'"},
	{"literal as subject", `"lit" <b> <c> .`, 1, 1, "expected subject (IRI or blank node), found literal"},
	{"bare word as subject", `lit <b> <c> .`, 1, 1, `expected subject (IRI or blank node), found "lit"`},
	{"unclosed IRI before space", "<a <b> <c> .", 1, 3, "expected '>' to close IRI, found ' '"},
	{"unclosed IRI at end of line", "<a> <b> <c", 1, 11, "expected '>' to close IRI, found end of line"},
	{"missing '.'", "<a> <b> <c>", 1, 12, "expected '.' to end the statement, found end of line"},
	{"missing '.' after label", "<a> <b> <c> <g>", 1, 16, "expected '.' to end the statement, found end of line"},
	{"five terms", "<a> <b> <c> <g> <h> .", 1, 17, "expected '.' to end the statement, found IRI"},
	{"garbage after '.'", "<a> <b> <c> . garbage", 1, 15, `expected end of line after '.', found "garbage"`},
	{"second '.'", "<a> <b> <c> ..", 1, 14, "expected end of line after '.', found '.'"},
	{"unterminated literal", `<a> <b> "unterminated .`, 1, 24, `expected '"' to close literal, found end of line`},
	{"escaped closing quote", `<a> <b> "x\" .`, 1, 15, `expected '"' to close literal, found end of line`},
	{"bad escape", `<a> <b> "\u00" .`, 1, 14, `invalid N-Quads statement: unexpected rune '"'`},
	{"empty language tag", `<a> <b> "x"@ .`, 1, 13, "expected language tag after '@', found ' '"},
	{"language tag starting with a digit", `<a> <b> "x"@1en .`, 1, 13, "invalid N-Quads statement: unexpected rune '1'"},
	{"single '^'", `<a> <b> "x"^<t> .`, 1, 13, "expected '^^' before datatype IRI"},
	{"datatype not an IRI", `<a> <b> "x"^^t .`, 1, 14, `expected datatype IRI after '^^', found "t"`},
	{"unclosed datatype IRI", `<a> <b> "x"^^<t .`, 1, 16, "expected '>' to close IRI, found ' '"},
	{"blank node without label", "_: <b> <c> .", 1, 3, "expected blank node label after '_:', found ' '"},
	{"blank object without label", "_:a <b> _: .", 1, 11, "expected blank node label after '_:', found ' '"},
	{"blank node as predicate", "<a> _:b <c> .", 1, 5, "expected predicate (IRI), found blank node"},
	{"literal as predicate", `<a> "p" <c> .`, 1, 5, "expected predicate (IRI), found literal"},
	{"literal as label", `<a> <b> <c> "g" .`, 1, 13, "expected graph label (IRI or blank node) or '.', found literal"},
	{"columns count characters", `<日本> <b> "é" x .`, 1, 14, `expected graph label (IRI or blank node) or '.', found "x"`},
	{"tab counts as one column", "<a>\t<b>\t\"x\"\tjunk .", 1, 13, `expected graph label (IRI or blank node) or '.', found "junk"`},
	{"after a comment and a blank line", "# comment\n\n<a> <b> .", 3, 9, "expected object (IRI, blank node or literal), found '.'"},
	{"CRLF line ends", "<a> <b> <c> .\r\n<a> <b>\r\n", 2, 8, "expected object (IRI, blank node or literal), found end of line"},
	{"last line without newline", "<a> <b> <c> .\n<a> <b> <c> x", 2, 13, `expected graph label (IRI or blank node) or '.', found "x"`},
}

func TestReadMalformed(t *testing.T) {
	for _, tc := range malformed {
		t.Run(tc.name, func(t *testing.T) {
			quads, err := loaders.Read("bad.nq", strings.NewReader(tc.input), loaders.ReadOptions{})
			if quads != nil {
				t.Errorf("expected no quads, found %d", len(quads))
			}
			list := errs.All(err)
			if len(list) != 1 {
				t.Fatalf("expected 1 error, found %d: %v", len(list), err)
			}
			e := list[0]
			if e.File != "bad.nq" || e.Line != tc.line || e.Column != tc.col || e.Message != tc.msg {
				t.Errorf("expected bad.nq:%d:%d: %s\nfound    %s:%d:%d: %s", tc.line, tc.col, tc.msg, e.File, e.Line, e.Column, e.Message)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	_, err := loaders.Read("facts.nq", strings.NewReader("<a> <b> <c> .\n<a <b> <c> .\n"), loaders.ReadOptions{})
	want := "facts.nq:2:3: expected '>' to close IRI, found ' '"
	if err == nil || err.Error() != want {
		t.Errorf("expected %q, found %v", want, err)
	}
}

func TestReadCollectsErrorsUpToMax(t *testing.T) {
	good := "<a> <b> <c> .\n"
	bad := "<a> <b> .\n"
	// Bad lines at 2, 4, 6, ... 24: twelve errors.
	var in strings.Builder
	for i := 0; i < 12; i++ {
		in.WriteString(good + bad)
	}
	tests := []struct {
		name      string
		maxErrors int
		lines     []int
		text      string
	}{
		{"bound of 3", 3, []int{2, 4, 6}, "in.nq:2:9: expected object (IRI, blank node or literal), found '.' (and 2 more errors)"},
		{"bound of 1", 1, []int{2}, "in.nq:2:9: expected object (IRI, blank node or literal), found '.'"},
		{"default bound", 0, []int{2, 4, 6, 8, 10, 12, 14, 16, 18, 20}, "in.nq:2:9: expected object (IRI, blank node or literal), found '.' (and 9 more errors)"},
		{"bound above the count", 50, []int{2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, "in.nq:2:9: expected object (IRI, blank node or literal), found '.' (and 11 more errors)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			quads, err := loaders.Read("in.nq", strings.NewReader(in.String()), loaders.ReadOptions{MaxErrors: tc.maxErrors})
			if quads != nil {
				t.Errorf("expected no quads, found %d", len(quads))
			}
			list := errs.All(err)
			var lines []int
			for _, e := range list {
				lines = append(lines, e.Line)
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("expected errors at lines %v, found %v", tc.lines, lines)
			}
			if err.Error() != tc.text {
				t.Errorf("expected %q, found %q", tc.text, err.Error())
			}
		})
	}
}

func TestReadValid(t *testing.T) {
	a, b, c, g := quad.IRI("http://ex/a"), quad.IRI("http://ex/b"), quad.IRI("http://ex/c"), quad.IRI("http://ex/g")
	tests := []struct {
		name  string
		input string
		want  []quad.Quad
	}{
		{
			name: "comments, blank and whitespace-only lines are skipped",
			input: "# header\n\n   \n\t\n<http://ex/a> <http://ex/b> <http://ex/c> <http://ex/g> . # trailing\n" +
				"  # indented comment\n<http://ex/b> <http://ex/b> <http://ex/a> <http://ex/g> .#tight\n",
			want: []quad.Quad{{Subject: a, Predicate: b, Object: c, Label: g}, {Subject: b, Predicate: b, Object: a, Label: g}},
		},
		{
			name:  "N-Triples have no label",
			input: "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> \"x\"@en .\n",
			want:  []quad.Quad{{Subject: a, Predicate: b, Object: c}, {Subject: a, Predicate: b, Object: quad.LangString{Value: "x", Lang: "en"}}},
		},
		{
			name:  "no space before '.'",
			input: "<http://ex/a> <http://ex/b> <http://ex/c>.\n_:x <http://ex/b> _:y.\n",
			want:  []quad.Quad{{Subject: a, Predicate: b, Object: c}, {Subject: quad.BNode("x"), Predicate: b, Object: quad.BNode("y")}},
		},
		{
			name:  "blank node labels may contain dots",
			input: "_:a.b <http://ex/b> <http://ex/c> .\n",
			want:  []quad.Quad{{Subject: quad.BNode("a.b"), Predicate: b, Object: c}},
		},
		{
			name:  "typed literals and escapes",
			input: "<http://ex/a> <http://ex/b> \"7\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n<http://ex/a> <http://ex/b> \"say \\\"hi\\\"\\n\" .\n",
			want:  []quad.Quad{{Subject: a, Predicate: b, Object: quad.Int(7)}, {Subject: a, Predicate: b, Object: quad.String("say \"hi\"\n")}},
		},
		{
			name:  "empty input",
			input: "",
			want:  nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loaders.Read("ok.nq", strings.NewReader(tc.input), loaders.ReadOptions{})
			if err != nil {
				t.Fatalf("expected no error, found %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("expected %v, found %v", tc.want, got)
			}
		})
	}
}

// TestReadMatchesCayley checks that values are decoded exactly as Cayley's own
// N-Quads reader decodes them.
func TestReadMatchesCayley(t *testing.T) {
	input := strings.Join([]string{
		`<http://ex/a> <http://ex/p> "plain" <http://ex/g> .`,
		`<http://ex/a> <http://ex/p> "chat"@fr-CA .`,
		`<http://ex/a> <http://ex/p> "2024-05-02"^^<http://www.w3.org/2001/XMLSchema#date> .`,
		`<http://ex/a> <http://ex/p> "1.5"^^<http://www.w3.org/2001/XMLSchema#double> .`,
		`<http://ex/a> <http://ex/p> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .`,
		`<http://ex/a> <http://ex/p> "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .`,
		`<http://ex/a> <http://ex/p> "tab\there \u00e9 \U0001F600" .`,
		`_:b1 <http://ex/p> _:b2 _:g .`,
		`<http://ex/日本> <http://ex/p> "日本" .`,
	}, "\n") + "\n"
	got, err := loaders.Read("cmp.nq", strings.NewReader(input), loaders.ReadOptions{})
	if err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	want, err := quad.ReadAll(nquads.NewReader(strings.NewReader(input), false))
	if err != nil {
		t.Fatalf("cayley reader: %v", err)
	}
	if len(got) != len(want) {
		t.Fatalf("expected %d quads, found %d", len(want), len(got))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("quad %d: expected %#v, found %#v", i+1, want[i], got[i])
		}
	}
}

const sample = "<http://ex/a> <http://ex/b> <http://ex/c> .\n<http://ex/a> <http://ex/b> \"d\" <http://ex/g> .\n"

func sampleQuads(t *testing.T) []quad.Quad {
	t.Helper()
	qs, err := loaders.Read("sample.nq", strings.NewReader(sample), loaders.ReadOptions{})
	if err != nil || len(qs) != 2 {
		t.Fatalf("expected 2 sample quads, found %d (%v)", len(qs), err)
	}
	return qs
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := io.WriteString(zw, s); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadFileSources(t *testing.T) {
	want := sampleQuads(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name  string
		path  string
		stdin io.Reader
	}{
		{"plain file", write("plain.nq", []byte(sample)), nil},
		{"gzip with .gz name", write("zipped.nq.gz", gzipped(t, sample)), nil},
		{"gzip detected by content, not name", write("zipped.nq", gzipped(t, sample)), nil},
		{"gzip under an unknown extension", write("zipped.data", gzipped(t, sample)), nil},
		{"stdin", "-", strings.NewReader(sample)},
		{"gzip on stdin", "-", bytes.NewReader(gzipped(t, sample))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loaders.ReadFile(tc.path, loaders.ReadOptions{Stdin: tc.stdin})
			if err != nil {
				t.Fatalf("expected no error, found %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("expected %v, found %v", want, got)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.nq")
	if err := os.WriteFile(bad, []byte(sample+"<a> <b>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badGz := filepath.Join(dir, "bad.nq.gz")
	if err := os.WriteFile(badGz, gzipped(t, "\n\n\n<a> <b> <c> <d> <e> .\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.nq")
	tests := []struct {
		name   string
		path   string
		stdin  io.Reader
		prefix string
	}{
		{"malformed file", bad, nil, bad + ":3:8: expected object (IRI, blank node or literal), found end of line"},
		{"malformed gzip file", badGz, nil, badGz + ":4:17: expected '.' to end the statement, found IRI"},
		{"malformed stdin", "-", strings.NewReader("<a> <b> <c> .\n<a> <b> <c> <d> <e> .\n"), "<stdin>:2:17: expected '.' to end the statement, found IRI"},
		{"missing file", missing, nil, "open " + missing + ": no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loaders.ReadFile(tc.path, loaders.ReadOptions{Stdin: tc.stdin})
			if got != nil {
				t.Errorf("expected no quads, found %d", len(got))
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.prefix) {
				t.Errorf("expected an error starting %q, found %v", tc.prefix, err)
			}
		})
	}
	t.Run("missing file wraps os.ErrNotExist", func(t *testing.T) {
		_, err := loaders.ReadFile(missing, loaders.ReadOptions{})
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("expected an error wrapping os.ErrNotExist, found %v", err)
		}
	})
}

func TestReadFilesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.nq")
	bad := filepath.Join(dir, "bad.nq")
	if err := os.WriteFile(good, []byte(sample), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("<a> <b> <c> .\n<x> <y> .\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := loaders.ReadFiles([]string{good, good}, loaders.ReadOptions{})
	if err != nil || len(got) != 4 {
		t.Errorf("two good files: expected 4 quads and no error, found %d (%v)", len(got), err)
	}
	got, err = loaders.ReadFiles([]string{good, bad}, loaders.ReadOptions{})
	if got != nil {
		t.Errorf("good then bad file: expected no quads, found %d", len(got))
	}
	if want := bad + ":2:9:"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("good then bad file: expected an error starting %q, found %v", want, err)
	}
}

func TestReadUnknownFormat(t *testing.T) {
	_, err := loaders.Read("x", strings.NewReader(sample), loaders.ReadOptions{Format: "no-such-format"})
	want := `x: unknown input format "no-such-format"`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("expected an error starting %q, found %v", want, err)
	}
}

// TestReaderContinuesAfterError checks that one bad line does not hide the
// quads and errors after it.
func TestReaderContinuesAfterError(t *testing.T) {
	r := loaders.NewNQuadsReader("r.nq", strings.NewReader("<a> <b> .\n<a> <b> <c> .\n\"x\" <b> <c> .\n"))
	type step struct {
		line int // of the error; 0 for a quad
		q    quad.Quad
	}
	want := []step{{line: 1}, {q: quad.MakeIRI("a", "b", "c", "")}, {line: 3}}
	for i, w := range want {
		q, err := r.ReadQuad()
		var e *errs.Error
		switch {
		case w.line > 0 && (!errors.As(err, &e) || e.Line != w.line):
			t.Errorf("read %d: expected an *errs.Error at line %d, found %v", i+1, w.line, err)
		case w.line == 0 && (err != nil || q != w.q):
			t.Errorf("read %d: expected %v, found %v (%v)", i+1, w.q, q, err)
		}
	}
	if _, err := r.ReadQuad(); err != io.EOF {
		t.Errorf("expected io.EOF at the end, found %v", err)
	}
}

func FuzzNQuadsReader(f *testing.F) {
	f.Add(sample)
	f.Add("")
	f.Add("# only a comment\n\n")
	for _, tc := range malformed {
		f.Add(tc.input)
	}
	f.Add(`<a> <b> "x"^`)
	f.Add(`<a> <b> "x\`)
	f.Add("<a> <b> \"\xff\xfe\" .\n\xff <b> <c> .")
	f.Fuzz(func(t *testing.T, input string) {
		// A read is linear: its buffers, and the quads and errors it keeps.
		testkit.Linear(t, len(input), 1024, 256<<10, func() {
			loaders.Read("fuzz.nq", strings.NewReader(input), loaders.ReadOptions{})
		})
		lines := strings.Split(input, "\n")
		r := loaders.NewNQuadsReader("fuzz.nq", strings.NewReader(input))
		for n := 0; n <= len(lines)+1; n++ {
			_, err := r.ReadQuad()
			if err == io.EOF {
				return
			}
			if err == nil {
				continue
			}
			var e *errs.Error
			if !errors.As(err, &e) {
				t.Fatalf("expected an *errs.Error or io.EOF, found %T: %v", err, err)
			}
			if e.Line < 1 || e.Line > len(lines) {
				t.Fatalf("expected a line in 1..%d, found %d: %v", len(lines), e.Line, e)
			}
			line := lines[e.Line-1]
			if e.Line < len(lines) {
				// The reader drops the '\r' of a "\r\n" line end.
				line = strings.TrimSuffix(line, "\r")
			}
			if max := utf8.RuneCountInString(line) + 1; e.Column < 1 || e.Column > max {
				t.Fatalf("expected a column in 1..%d, found %d: %v (line %q)", max, e.Column, e, line)
			}
		}
		t.Fatalf("expected io.EOF after at most %d reads", len(lines)+1)
	})
}
