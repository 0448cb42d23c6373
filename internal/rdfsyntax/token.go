package rdfsyntax

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Kind is the kind of a token.
type Kind int

// Token kinds.
const (
	EOF       Kind = iota
	Illegal        // text that is no token; Text says what was wrong
	IRIRef         // <http://...>; Text is the IRI, escapes resolved
	PNameNS        // fg: ; Text is the prefix, without ':'
	PNameLN        // fg:Japan ; Text is prefix:local, local escapes resolved
	BlankNode      // _:b1 ; Text is the label
	Var            // ?x or $x ; Text is the name
	String         // "..." '...' """...""" '''...''' ; Text is the value
	LangTag        // @en-GB, also @prefix and @base in Turtle; Text without '@'
	Integer        // 42
	Decimal        // 4.2
	Double         // 4.2e1
	Word           // a bare word: a keyword, 'a', true, a function name
	Punct          // one of { } ( ) [ ] . , ; ^^ ^ * / | + - ! = != < > <= >= && || ?
)

var kindNames = [...]string{
	EOF: "end of input", Illegal: "illegal token", IRIRef: "IRI", PNameNS: "prefix",
	PNameLN: "prefixed name", BlankNode: "blank node", Var: "variable", String: "string",
	LangTag: "language tag", Integer: "integer", Decimal: "decimal", Double: "double",
	Word: "word", Punct: "punctuation",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Token is one lexical token. Pos and End are byte offsets of its first
// character and of the character after it.
type Token struct {
	Kind Kind
	Text string
	Pos  int
	End  int
	Long bool // a String written with triple quotes
}

// Is reports whether t is the punctuation p.
func (t Token) Is(p string) bool { return t.Kind == Punct && t.Text == p }

// IsWord reports whether t is the bare word w, in any case.
func (t Token) IsWord(w string) bool { return t.Kind == Word && strings.EqualFold(t.Text, w) }

// Describe renders a token for "found X" messages.
func (t Token) Describe() string {
	switch t.Kind {
	case EOF:
		return "end of input"
	case Punct:
		return "'" + t.Text + "'"
	case Word:
		return fmt.Sprintf("%q", t.Text)
	case IRIRef:
		return "IRI <" + t.Text + ">"
	case PNameNS:
		return "prefix " + t.Text + ":"
	case PNameLN:
		return "prefixed name " + t.Text
	case BlankNode:
		return "blank node _:" + t.Text
	case Var:
		return "variable ?" + t.Text
	case String:
		s := t.Text
		if utf8.RuneCountInString(s) > 30 {
			s = string([]rune(s)[:30]) + "..."
		}
		return fmt.Sprintf("string %q", s)
	case LangTag:
		return "'@" + t.Text + "'"
	case Illegal:
		return t.Text
	}
	return t.Kind.String() + " " + t.Text
}

// Position is a 1-based line and column; columns count characters.
type Position struct {
	Line   int
	Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// IsValid reports whether p is a position at all.
func (p Position) IsValid() bool { return p.Line > 0 && p.Column > 0 }

// PositionOf turns a byte offset of src into a line and column. An offset past
// the end is the position just after the last character.
func PositionOf(src string, off int) Position {
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	line, col := 1, 1
	for i, r := range src {
		if i >= off {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return Position{Line: line, Column: col}
}
