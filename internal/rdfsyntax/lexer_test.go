package rdfsyntax

import (
	"strings"
	"testing"
)

func TestLexer(t *testing.T) {
	src := `PREFIX fg: <https://w3id.org/factgraph/> ?x $y fg:a.b. _:b1 "a\"b" '''x
y''' @en-GB 12 1.5 .5 1e3 1.e3 -2 <= < ?z ^^ && fg: :loc\~al "\u00e9" a`
	want := []struct {
		kind Kind
		text string
	}{
		{Word, "PREFIX"}, {PNameNS, "fg"}, {IRIRef, "https://w3id.org/factgraph/"}, {Var, "x"}, {Var, "y"},
		{PNameLN, "fg:a.b"}, {Punct, "."}, {BlankNode, "b1"}, {String, `a"b`}, {String, "x\ny"},
		{LangTag, "en-GB"}, {Integer, "12"}, {Decimal, "1.5"}, {Decimal, ".5"}, {Double, "1e3"},
		{Double, "1.e3"}, {Punct, "-"}, {Integer, "2"}, {Punct, "<="}, {Punct, "<"}, {Var, "z"},
		{Punct, "^^"}, {Punct, "&&"}, {PNameNS, "fg"}, {PNameLN, ":loc~al"}, {String, "é"}, {Word, "a"}, {EOF, ""},
	}
	l := NewLexer(src)
	for i, w := range want {
		tok := l.Next()
		if tok.Kind != w.kind || tok.Text != w.text {
			t.Fatalf("token %d = %v %q, want %v %q", i, tok.Kind, tok.Text, w.kind, w.text)
		}
		if span := src[tok.Pos:tok.End]; w.kind != EOF && (span == "" || strings.TrimSpace(span) != span) {
			t.Errorf("token %d spans %q, want the token without space", i, span)
		}
	}
}

func TestLexerIllegal(t *testing.T) {
	for _, src := range []string{`"open`, "\"line\nbreak\"", `"\q"`, `@`, `_:`, "\x80", `&`} {
		l := NewLexer(src)
		if tok := l.Next(); tok.Kind != Illegal {
			t.Errorf("%q: got %v %q, want an illegal token", src, tok.Kind, tok.Text)
		}
	}
}

func TestResolveIRI(t *testing.T) {
	base := "http://a/b/c/d;p?q"
	for ref, want := range map[string]string{ // RFC 3986 5.4
		"g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/", "/g": "http://a/g",
		"//g": "http://g", "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y", "#s": "http://a/b/c/d;p?q#s",
		"": "http://a/b/c/d;p?q", ".": "http://a/b/c/", "..": "http://a/b/", "../g": "http://a/b/g",
		"../../g": "http://a/g", "../../../g": "http://a/g", "g;x=1/../y": "http://a/b/c/y", "urn:x": "urn:x",
	} {
		if got := ResolveIRI(base, ref); got != want {
			t.Errorf("ResolveIRI(%q) = %q, want %q", ref, got, want)
		}
	}
}

func TestPositionOf(t *testing.T) {
	src := "ab\nçd x"
	for off, want := range map[int]Position{0: {1, 1}, 2: {1, 3}, 3: {2, 1}, 7: {2, 4}, 99: {2, 5}} {
		if got := PositionOf(src, off); got != want {
			t.Errorf("PositionOf(%d) = %v, want %v", off, got, want)
		}
	}
}
