package loaders

import (
	"strconv"
	"unicode/utf8"
)

// excerptLen bounds how many characters of offending input an error message
// quotes: a message must stay short however long the input it points at.
const excerptLen = 40

// excerpt quotes s for a message, cut to its first excerptLen characters
// ("..." marks the cut) so that a huge header or cell does not become a huge
// message.
func excerpt(s string) string {
	if utf8.RuneCountInString(s) <= excerptLen {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == excerptLen {
			return strconv.Quote(s[:i]) + "..."
		}
		n++
	}
	return strconv.Quote(s)
}
