package rdfsyntax

// The character classes of the names of Turtle, TriG, N-Triples and N-Quads
// (blank node labels, prefixes, local names), one definition for the
// lexer here and the loaders' checks of labels other readers gave.

// PNCharsBase reports whether r is in PN_CHARS_BASE.
func PNCharsBase(r rune) bool {
	switch {
	case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z',
		r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

// PNCharsExtra reports whether r is one of the characters PN_CHARS adds to
// PN_CHARS_U: '-', the digits, U+00B7 and the combining marks. (PN_CHARS_U
// is PN_CHARS_BASE and '_', and in N-Triples and N-Quads ':' too.)
func PNCharsExtra(r rune) bool {
	return r == '-' || r >= '0' && r <= '9' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}
