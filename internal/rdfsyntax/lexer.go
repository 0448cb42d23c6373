package rdfsyntax

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Lexer splits a document into tokens. It never fails: text that is no token
// comes back as an Illegal token whose Text says what is wrong, and the lexer
// goes on after it.
type Lexer struct {
	src string
	off int
}

// NewLexer returns a lexer on src.
func NewLexer(src string) *Lexer { return &Lexer{src: src} }

// Source returns the text being lexed.
func (l *Lexer) Source() string { return l.src }

// Next returns the next token, EOF at the end (and for ever after).
func (l *Lexer) Next() Token {
	l.skipSpace()
	start := l.off
	if l.off >= len(l.src) {
		return Token{Kind: EOF, Pos: start, End: start}
	}
	tok := l.scan()
	tok.Pos, tok.End = start, l.off
	return tok
}

func (l *Lexer) skipSpace() {
	for l.off < len(l.src) {
		switch c := l.src[l.off]; c {
		case ' ', '\t', '\r', '\n':
			l.off++
		case '#':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.off++
			}
		default:
			return
		}
	}
}

func (l *Lexer) peek(n int) byte {
	if l.off+n < len(l.src) {
		return l.src[l.off+n]
	}
	return 0
}

func (l *Lexer) rune() (rune, int) {
	if l.off >= len(l.src) {
		return -1, 0
	}
	return utf8.DecodeRuneInString(l.src[l.off:])
}

func illegal(msg string) Token { return Token{Kind: Illegal, Text: msg} }

func (l *Lexer) scan() Token {
	c := l.src[l.off]
	switch {
	case c == '<':
		if t, ok := l.iri(); ok {
			return t
		}
		l.off++
		if l.peek(0) == '=' {
			l.off++
			return Token{Kind: Punct, Text: "<="}
		}
		return Token{Kind: Punct, Text: "<"}
	case c == '"' || c == '\'':
		return l.str(c)
	case c == '?' || c == '$':
		l.off++
		if n := l.varName(); n != "" {
			return Token{Kind: Var, Text: n}
		}
		if c == '$' {
			return illegal("'$' without a variable name")
		}
		return Token{Kind: Punct, Text: "?"}
	case c == '@':
		l.off++
		s := l.off
		for l.off < len(l.src) && isAlpha(l.src[l.off]) {
			l.off++
		}
		if l.off == s {
			return illegal("'@' without a language tag")
		}
		for l.peek(0) == '-' && (isAlpha(l.peek(1)) || isDigit(l.peek(1))) {
			l.off++
			for l.off < len(l.src) && (isAlpha(l.src[l.off]) || isDigit(l.src[l.off])) {
				l.off++
			}
		}
		return Token{Kind: LangTag, Text: l.src[s:l.off]}
	case c == '_' && l.peek(1) == ':':
		l.off += 2
		return l.blank()
	case isDigit(c) || c == '.' && isDigit(l.peek(1)):
		return l.number()
	}
	for _, p := range []string{"^^", "!=", ">=", "&&", "||"} {
		if strings.HasPrefix(l.src[l.off:], p) {
			l.off += 2
			return Token{Kind: Punct, Text: p}
		}
	}
	if strings.IndexByte("{}()[].,;^*/|+-!=>", c) >= 0 {
		l.off++
		return Token{Kind: Punct, Text: string(c)}
	}
	if t, ok := l.pname(); ok {
		return t
	}
	r, n := l.rune()
	if isPNCharsBase(r) {
		s := l.off
		for l.off < len(l.src) {
			r, n := l.rune()
			if !isPNCharsBase(r) && r != '_' && !(r >= '0' && r <= '9') {
				break
			}
			l.off += n
		}
		return Token{Kind: Word, Text: l.src[s:l.off]}
	}
	l.off += max(n, 1)
	if r == utf8.RuneError {
		return illegal("invalid UTF-8")
	}
	return illegal(strconv.QuoteRune(r))
}

// iri scans <...>; ok is false when the text is no IRI (then it is '<').
func (l *Lexer) iri() (Token, bool) {
	i := l.off + 1
	var b strings.Builder
	for i < len(l.src) {
		c := l.src[i]
		switch {
		case c == '>':
			l.off = i + 1
			return Token{Kind: IRIRef, Text: b.String()}, true
		case c <= ' ' || strings.IndexByte("<\"{}|^`", c) >= 0:
			return Token{}, false
		case c == '\\':
			r, n, ok := unicodeEscape(l.src[i:])
			if !ok {
				return Token{}, false
			}
			if r <= ' ' || r < 128 && strings.IndexByte("<>\"{}|^`\\", byte(r)) >= 0 {
				return Token{}, false
			}
			b.WriteRune(r)
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return Token{}, false
}

// unicodeEscape decodes \uXXXX or \UXXXXXXXX at the start of s.
func unicodeEscape(s string) (rune, int, bool) {
	if len(s) < 2 || s[0] != '\\' {
		return 0, 0, false
	}
	n := 0
	switch s[1] {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, 0, false
	}
	if len(s) < 2+n {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(s[2:2+n], 16, 32)
	if err != nil || v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
		return 0, 0, false
	}
	return rune(v), 2 + n, true
}

func (l *Lexer) str(q byte) Token {
	long := strings.HasPrefix(l.src[l.off:], strings.Repeat(string(q), 3))
	if long {
		l.off += 3
	} else {
		l.off++
	}
	var b strings.Builder
	for {
		if l.off >= len(l.src) {
			return illegal("unterminated string")
		}
		c := l.src[l.off]
		switch {
		case c == q && !long:
			l.off++
			return Token{Kind: String, Text: b.String()}
		case c == q && long && strings.HasPrefix(l.src[l.off:], strings.Repeat(string(q), 3)):
			// A run of more than three quotes ends with the last three.
			for strings.HasPrefix(l.src[l.off+1:], strings.Repeat(string(q), 3)) {
				b.WriteByte(q)
				l.off++
			}
			l.off += 3
			return Token{Kind: String, Text: b.String(), Long: true}
		case (c == '\n' || c == '\r') && !long:
			return illegal("line break in a string (use \\n, or a string in triple quotes)")
		case c == '\\':
			if r, n, ok := unicodeEscape(l.src[l.off:]); ok {
				b.WriteRune(r)
				l.off += n
				continue
			}
			e, ok := escapes[l.peek(1)]
			if !ok {
				l.off++
				l.skipString(q, long)
				return illegal("bad escape in string")
			}
			b.WriteByte(e)
			l.off += 2
			continue
		}
		b.WriteByte(c)
		l.off++
	}
}

// skipString moves past the rest of a string after a bad escape, so that
// the lexer resumes after it.
func (l *Lexer) skipString(q byte, long bool) {
	for l.off < len(l.src) {
		if l.src[l.off] == '\\' {
			l.off += 2
			continue
		}
		if !long && (l.src[l.off] == q || l.src[l.off] == '\n') {
			l.off++
			return
		}
		if long && strings.HasPrefix(l.src[l.off:], strings.Repeat(string(q), 3)) {
			l.off += 3
			return
		}
		l.off++
	}
	l.off = min(l.off, len(l.src))
}

var escapes = map[byte]byte{'t': '\t', 'b': '\b', 'n': '\n', 'r': '\r', 'f': '\f', '"': '"', '\'': '\'', '\\': '\\'}

func (l *Lexer) varName() string {
	s := l.off
	for l.off < len(l.src) {
		r, n := l.rune()
		first := l.off == s
		if !(isPNCharsU(r) || r >= '0' && r <= '9' || !first && (r == 0xB7 || r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040)) {
			break
		}
		l.off += n
	}
	return l.src[s:l.off]
}

func (l *Lexer) blank() Token {
	s := l.off
	r, n := l.rune()
	if !(isPNCharsU(r) || r >= '0' && r <= '9') {
		return illegal("blank node label expected after '_:'")
	}
	l.off += n
	l.pnTail(false)
	return Token{Kind: BlankNode, Text: l.src[s:l.off]}
}

// pnTail scans (PN_CHARS | '.')* PN_CHARS after a first character; local
// allows the ':' and escapes of a local name. It returns the unescaped text of
// what it scanned.
func (l *Lexer) pnTail(local bool) string {
	var b strings.Builder
	lastGood := l.off
	goodLen := 0
	for l.off < len(l.src) {
		r, n := l.rune()
		switch {
		case r == '.':
			b.WriteByte('.')
			l.off++
			continue
		case isPNChars(r) || local && r == ':':
			b.WriteString(l.src[l.off : l.off+n])
			l.off += n
		case local && r == '%' && isHex(l.peek(1)) && isHex(l.peek(2)):
			b.WriteString(l.src[l.off : l.off+3])
			l.off += 3
		case local && r == '\\' && strings.IndexByte("_~.-!$&'()*+,;=/?#@%", l.peek(1)) >= 0 && l.peek(1) != 0:
			b.WriteByte(l.peek(1))
			l.off += 2
		default:
			l.off = lastGood
			return b.String()[:goodLen]
		}
		lastGood, goodLen = l.off, b.Len()
	}
	l.off = lastGood
	return b.String()[:goodLen]
}

// pname scans PNAME_NS or PNAME_LN.
func (l *Lexer) pname() (Token, bool) {
	s := l.off
	r, n := l.rune()
	prefix := ""
	if r != ':' {
		if !isPNCharsBase(r) {
			return Token{}, false
		}
		l.off += n
		prefix = l.src[s:l.off] + l.pnTail(false)
		if l.peek(0) != ':' {
			l.off = s
			return Token{}, false
		}
	}
	l.off++ // ':'
	r, n = l.rune()
	var local strings.Builder
	switch {
	case isPNCharsU(r) || r == ':' || r >= '0' && r <= '9':
		local.WriteString(l.src[l.off : l.off+n])
		l.off += n
	case r == '%' && isHex(l.peek(1)) && isHex(l.peek(2)):
		local.WriteString(l.src[l.off : l.off+3])
		l.off += 3
	case r == '\\' && l.peek(1) != 0 && strings.IndexByte("_~.-!$&'()*+,;=/?#@%", l.peek(1)) >= 0:
		local.WriteByte(l.peek(1))
		l.off += 2
	default:
		return Token{Kind: PNameNS, Text: prefix}, true
	}
	local.WriteString(l.pnTail(true))
	return Token{Kind: PNameLN, Text: prefix + ":" + local.String()}, true
}

func (l *Lexer) number() Token {
	s := l.off
	for isDigit(l.peek(0)) {
		l.off++
	}
	kind := Integer
	if l.peek(0) == '.' && isDigit(l.peek(1)) {
		kind = Decimal
		l.off++
		for isDigit(l.peek(0)) {
			l.off++
		}
	} else if l.peek(0) == '.' && (l.peek(1) == 'e' || l.peek(1) == 'E') && l.off > s {
		// 1.e5 is a double
		save := l.off
		l.off++
		if l.exponent() {
			return Token{Kind: Double, Text: l.src[s:l.off]}
		}
		l.off = save
	}
	if l.exponent() {
		kind = Double
	}
	return Token{Kind: kind, Text: l.src[s:l.off]}
}

func (l *Lexer) exponent() bool {
	if c := l.peek(0); c != 'e' && c != 'E' {
		return false
	}
	i := 1
	if c := l.peek(1); c == '+' || c == '-' {
		i = 2
	}
	if !isDigit(l.peek(i)) {
		return false
	}
	l.off += i
	for isDigit(l.peek(0)) {
		l.off++
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// isPNCharsBase is PNCharsBase but for U+FFFD, which the lexer reads where
// the input is not UTF-8.
func isPNCharsBase(r rune) bool { return r != utf8.RuneError && PNCharsBase(r) }

func isPNCharsU(r rune) bool { return isPNCharsBase(r) || r == '_' }

func isPNChars(r rune) bool { return isPNCharsU(r) || PNCharsExtra(r) }
