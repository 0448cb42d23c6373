package factsheet

import (
	"fmt"
	"strings"
	"unicode"
)

// normalizeSpace collapses every run of white space into one space and trims
// the ends, so that a quote matches a sentence however either is wrapped.
func normalizeSpace(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// located is a text split into sentences, with their white space normalized
// once for every quote to be found in them.
type located struct {
	text  string
	sents []Span
	norm  []string // normalizeSpace of each sentence
}

func newLocated(text string, sents []Span) *located {
	l := &located{text: text, sents: sents, norm: make([]string, len(sents))}
	for i, s := range sents {
		l.norm[i] = normalizeSpace(s.Text)
	}
	return l
}

// locate finds the sentence (0-based) that a quote is in. A quote in no
// sentence, in several, or across two is an error message, which names the
// closest sentence when there is no match at all.
func (l *located) locate(quote string) (int, string) {
	q := normalizeSpace(quote)
	var in []int
	for i, s := range l.norm {
		if strings.Contains(s, q) {
			in = append(in, i)
		}
	}
	switch len(in) {
	case 1:
		return in[0], ""
	case 0:
		if i, ok := l.spanning(q); ok {
			return -1, fmt.Sprintf("the quote runs from sentence %d into sentence %d; quote words of one sentence", i+1, i+2)
		}
		if strings.Contains(normalizeSpace(l.text), q) {
			return -1, "the quote is in a passage the sheet skips (skip:), which is no sentence"
		}
		i := closest(l.sents, q)
		return -1, fmt.Sprintf("quote not found in the text; closest sentence %d: %q", i+1, abbreviate(l.sents[i].Text, 100))
	}
	nums := make([]string, len(in))
	for i, n := range in {
		nums[i] = fmt.Sprint(n + 1)
	}
	return -1, fmt.Sprintf("the quote is in sentences %s; quote more of the one you mean, or add sentence: N", strings.Join(nums, ", "))
}

// in reports whether the quote is in sentence i (0-based).
func (l *located) in(i int, quote string) bool {
	return strings.Contains(l.norm[i], normalizeSpace(quote))
}

// spanning reports the first sentence whose end and the next one's start
// together hold q.
func (l *located) spanning(q string) (int, bool) {
	for i := 0; i+1 < len(l.norm); i++ {
		if strings.Contains(l.norm[i]+" "+l.norm[i+1], q) {
			return i, true
		}
	}
	return 0, false
}

// closest returns the sentence that shares the most words with q (the first,
// on a tie).
func closest(sents []Span, q string) int {
	want := words(q)
	best, bestN := 0, -1
	for i, s := range sents {
		n := 0
		have := words(s.Text)
		for w := range want {
			if have[w] {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return best
}

func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out[w] = true
	}
	return out
}

// abbreviate cuts s to about n characters, ending in "…".
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n]), " ") + "…"
}
