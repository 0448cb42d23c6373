package pathlang

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scanner splits a query into tokens. It never fails: bad input becomes an
// ILLEGAL token whose Text says what was found, and the parser reports it.
type scanner struct {
	src string
	off int
}

var (
	numberRx = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	dateRx   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?$`)
)

func (s *scanner) peekRune(at int) rune {
	if at >= len(s.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s.src[at:])
	return r
}

func isNameStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isNameRune(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// skip passes white space and # comments.
func (s *scanner) skip() {
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		switch {
		case unicode.IsSpace(r):
			s.off += n
		case r == '#':
			if i := strings.IndexByte(s.src[s.off:], '\n'); i >= 0 {
				s.off += i
			} else {
				s.off = len(s.src)
			}
		default:
			return
		}
	}
}

// next returns the next token.
func (s *scanner) next() Token {
	s.skip()
	start := s.off
	tok := func(k Kind, n int) Token {
		s.off += n
		return Token{Kind: k, Text: s.src[start:s.off], Pos: Pos(start)}
	}
	if s.off >= len(s.src) {
		return Token{Kind: EOF, Pos: Pos(start)}
	}
	r := s.peekRune(s.off)
	switch r {
	case '(':
		return tok(LPAREN, 1)
	case ')':
		return tok(RPAREN, 1)
	case '{':
		return tok(LBRACE, 1)
	case '}':
		return tok(RBRACE, 1)
	case '[':
		return tok(LBRACK, 1)
	case ']':
		return tok(RBRACK, 1)
	case ',':
		return tok(COMMA, 1)
	case '|':
		return tok(PIPE, 1)
	case '*':
		return tok(STAR, 1)
	case '+':
		return tok(PLUS, 1)
	case '~':
		return tok(MATCH, 1)
	case '=':
		return tok(EQ, 1)
	case '!':
		if s.peekRune(s.off+1) == '=' {
			return tok(NEQ, 2)
		}
		return tok(ILLEGAL, 1)
	case '>':
		if s.peekRune(s.off+1) == '=' {
			return tok(GTE, 2)
		}
		return tok(GT, 1)
	case '-':
		if s.peekRune(s.off+1) == '>' {
			return tok(OUT, 2)
		}
		if unicode.IsDigit(s.peekRune(s.off + 1)) {
			return s.number()
		}
		return tok(ILLEGAL, 1)
	case '<':
		switch s.peekRune(s.off + 1) {
		case '-':
			if s.peekRune(s.off+2) == '>' {
				return tok(BOTH, 3)
			}
			return tok(IN, 2)
		case '=':
			return tok(LTE, 2)
		}
		// An IRI runs to the next '>' with no white space inside; otherwise '<'
		// is the comparison.
		rest := s.src[s.off+1:]
		if end := strings.IndexByte(rest, '>'); end > 0 && !strings.ContainsAny(rest[:end], " \t\r\n<") {
			s.off += end + 2
			return Token{Kind: IRI, Text: rest[:end], Pos: Pos(start)}
		}
		return tok(LT, 1)
	case '"':
		return s.string()
	}
	if unicode.IsDigit(r) {
		return s.number()
	}
	if isNameStart(r) {
		return s.name()
	}
	_, n := utf8.DecodeRuneInString(s.src[s.off:])
	return tok(ILLEGAL, n)
}

// name scans IDENT or PNAME. Names may contain '-' (not before '>') and '.'
// between name characters: in-force, RAA-Japan-France.
func (s *scanner) name() Token {
	start := s.off
	s.nameRunes()
	kind := IDENT
	if s.peekRune(s.off) == ':' && isNameRune(s.peekRune(s.off+1)) {
		s.off++
		s.nameRunes()
		kind = PNAME
	}
	return Token{Kind: kind, Text: s.src[start:s.off], Pos: Pos(start)}
}

func (s *scanner) nameRunes() {
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		switch {
		case isNameRune(r):
		case (r == '-' || r == '.') && isNameRune(s.peekRune(s.off+1)):
		default:
			return
		}
		s.off += n
	}
}

// number scans a number or a date; anything else made of those characters is
// ILLEGAL.
func (s *scanner) number() Token {
	start := s.off
	s.off++ // first digit or '-'
	for s.off < len(s.src) {
		r := s.peekRune(s.off)
		if unicode.IsDigit(r) || r == '.' || r == ':' || r == 'T' || r == 'Z' || r == 'e' || r == 'E' || r == '+' ||
			(r == '-' && s.peekRune(s.off+1) != '>') {
			s.off++
			continue
		}
		break
	}
	text := s.src[start:s.off]
	switch {
	case numberRx.MatchString(text):
		return Token{Kind: NUMBER, Text: text, Pos: Pos(start)}
	case dateRx.MatchString(text):
		return Token{Kind: DATE, Text: text, Pos: Pos(start)}
	}
	return Token{Kind: ILLEGAL, Text: text, Pos: Pos(start)}
}

// string scans a double-quoted string with \" \\ \n \t escapes. An unterminated
// string is ILLEGAL.
func (s *scanner) string() Token {
	start := s.off
	var b strings.Builder
	s.off++
	for s.off < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.off:])
		s.off += n
		switch r {
		case '"':
			return Token{Kind: STRING, Text: b.String(), Pos: Pos(start)}
		case '\\':
			e, m := utf8.DecodeRuneInString(s.src[s.off:])
			s.off += m
			switch e {
			case 'n':
				b.WriteRune('\n')
			case 't':
				b.WriteRune('\t')
			default:
				b.WriteRune(e)
			}
		case '\n':
			return Token{Kind: ILLEGAL, Text: s.src[start : s.off-1], Pos: Pos(start)}
		default:
			b.WriteRune(r)
		}
	}
	return Token{Kind: ILLEGAL, Text: s.src[start:], Pos: Pos(start)}
}
