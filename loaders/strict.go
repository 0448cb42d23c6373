package loaders

import (
	"fmt"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
)

// Strict input: what every reader hands on is checked against the grammar of
// N-Quads, whichever format it came in, so that a store only ever holds terms
// that every export writes back readably.

// ValidBlankLabel reports whether s is a blank node label as the N-Quads
// grammar has it (the part after "_:"):
//
//	BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
func ValidBlankLabel(s string) bool {
	return badBlankLabel(s) < 0
}

// badBlankLabel returns the byte offset of the first character of s that the
// blank node label grammar does not allow there, len(s) for a label that ends
// in '.', or -1 for a valid label. An empty label is bad at 0.
func badBlankLabel(s string) int {
	if s == "" {
		return 0
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return i
		case i == 0:
			if !pnCharsU(r) && !isDigit(r) {
				return i
			}
		case r != '.' && !pnChars(r):
			return i
		}
		i += size
	}
	if s[len(s)-1] == '.' {
		return len(s) - 1
	}
	return -1
}

// blankLabelBytesOK is ValidBlankLabel for the bytes of the fast N-Quads
// path, without a conversion for the common ASCII labels.
func blankLabelBytesOK(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return ValidBlankLabel(string(b))
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == ':':
		case (c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return b[len(b)-1] != '.'
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// pnCharsU is N-Quads' PN_CHARS_U, which unlike Turtle's includes ':'.
func pnCharsU(r rune) bool { return rdfsyntax.PNCharsBase(r) || r == '_' || r == ':' }

func pnChars(r rune) bool { return pnCharsU(r) || rdfsyntax.PNCharsExtra(r) }

// checkQuad checks the terms of a quad that a reader gave: blank node labels
// by the grammar, and text that is valid UTF-8 (binary formats carry strings
// unchecked). It returns a message, or "" for a good quad.
func checkQuad(q quad.Quad) string {
	for _, d := range quad.Directions {
		if msg := checkValue(q.Get(d)); msg != "" {
			return d.String() + ": " + msg
		}
	}
	return ""
}

func checkValue(v quad.Value) string {
	var text string
	switch v := v.(type) {
	case nil:
		return ""
	case quad.BNode:
		if !ValidBlankLabel(string(v)) {
			return "invalid blank node label " + excerpt(string(v)) + " (a label starts with a letter, digit or '_' and holds letters, digits, '_', '-', '.' and ':')"
		}
		return ""
	case quad.IRI:
		text = string(v)
	case quad.String:
		text = string(v)
	case quad.LangString:
		text = string(v.Value) + v.Lang
	case quad.TypedString:
		text = string(v.Value) + string(v.Type)
	default:
		return ""
	}
	if !utf8.ValidString(text) {
		return fmt.Sprintf("invalid UTF-8 in %s", excerpt(text))
	}
	return ""
}
