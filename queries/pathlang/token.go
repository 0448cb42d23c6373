package pathlang

import "fmt"

// Kind is the kind of a token.
type Kind int

// Token kinds.
const (
	EOF     Kind = iota
	ILLEGAL      // a character or literal that is not valid here
	IDENT        // Japan, hasRAAWith, in-force
	PNAME        // fg:Japan
	IRI          // <https://...>
	STRING       // "Senkaku Islands"
	NUMBER       // 42, 3.5
	DATE         // 2024-05-02
	OUT          // ->
	IN           // <-
	BOTH         // <->
	LPAREN       // (
	RPAREN       // )
	LBRACE       // {
	RBRACE       // }
	LBRACK       // [
	RBRACK       // ]
	COMMA        // ,
	PIPE         // |
	STAR         // *
	PLUS         // +
	EQ           // =
	NEQ          // !=
	LT           // <
	LTE          // <=
	GT           // >
	GTE          // >=
	MATCH        // ~
)

var kindNames = [...]string{
	EOF: "end of query", ILLEGAL: "illegal token", IDENT: "name", PNAME: "prefixed name",
	IRI: "IRI", STRING: "string", NUMBER: "number", DATE: "date",
	OUT: "'->'", IN: "'<-'", BOTH: "'<->'", LPAREN: "'('", RPAREN: "')'", LBRACE: "'{'",
	RBRACE: "'}'", LBRACK: "'['", RBRACK: "']'", COMMA: "','", PIPE: "'|'", STAR: "'*'",
	PLUS: "'+'", EQ: "'='", NEQ: "'!='", LT: "'<'", LTE: "'<='", GT: "'>'", GTE: "'>='",
	MATCH: "'~'",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("token(%d)", int(k))
}

// Pos is a byte offset in the query text.
type Pos int

// Position is a 1-based line and column; columns count characters.
type Position struct {
	Line   int
	Column int
}

func (p Position) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// IsValid reports whether p is a position at all.
func (p Position) IsValid() bool { return p.Line > 0 && p.Column > 0 }

// Token is one lexical token.
type Token struct {
	Kind Kind
	Text string // the token's source text; for STRING the unquoted value, for IRI without brackets
	Pos  Pos
}

// describe renders a token for "found X" messages.
func (t Token) describe() string {
	switch t.Kind {
	case IDENT:
		return fmt.Sprintf("name %q", t.Text)
	case PNAME:
		return fmt.Sprintf("prefixed name %s", t.Text)
	case IRI:
		return fmt.Sprintf("IRI <%s>", t.Text)
	case STRING:
		return fmt.Sprintf("string %q", t.Text)
	case NUMBER, DATE:
		return fmt.Sprintf("%s %s", t.Kind, t.Text)
	case ILLEGAL:
		return fmt.Sprintf("%q", t.Text)
	}
	return t.Kind.String()
}
