package factsheet

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Span is one sentence of a text: its text, exactly as the text has it, and
// its byte offsets there.
type Span struct {
	Text       string
	Start, End int
}

// Split cuts text into sentences, leaving out the passages of skip (every
// place each occurs). The rules, in order:
//
//   - A blank line (a paragraph break) always ends a sentence, and so does a
//     skipped passage.
//   - Within a paragraph a sentence ends after '.', '!', '?' or '…', with any
//     closing quotes or brackets after it ('"', '”', '’', '\”, ')', ']'),
//     when white space follows and then, after any opening quotes or brackets,
//     an upper-case letter or a digit. So `"Is it?" he asked.` is one
//     sentence, and `He said, "We agree." Then...` two.
//   - A '.' does not end a sentence after an abbreviation that usually comes
//     before more words (Mr., Dr., Gen., Jan., Sept., No., vs., e.g., Inc.,
//     ...; see abbreviations), after an initial (the F. of John F. Kennedy), or
//     after letters and dots such as U.S., U.K. and a.m. — so "the U.S. The
//     talks" stays one sentence; write such a sentence's end differently or
//     take the facts from its neighbour.
//
// A sentence's text is trimmed of white space at its ends; inside, it is as
// the text has it.
func Split(text string, skip []string) []Span {
	cuts := skipRanges(text, skip)
	var out []Span
	start := 0
	for _, c := range cuts {
		out = append(out, splitParagraphs(text, start, c[0])...)
		start = c[1]
	}
	return append(out, splitParagraphs(text, start, len(text))...)
}

// skipRanges returns the byte ranges of every occurrence of every skip
// passage, sorted and merged.
func skipRanges(text string, skip []string) [][2]int {
	var rs [][2]int
	for _, s := range skip {
		if s == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(text[i:], s)
			if j < 0 {
				break
			}
			rs = append(rs, [2]int{i + j, i + j + len(s)})
			i += j + len(s)
		}
	}
	sort.Slice(rs, func(a, b int) bool { return rs[a][0] < rs[b][0] })
	var merged [][2]int
	for _, r := range rs {
		if n := len(merged); n > 0 && r[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], r[1])
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

var paragraphBreak = regexp.MustCompile(`\n[ \t\r]*\n`)

// splitParagraphs splits text[from:to] at paragraph breaks, then each
// paragraph into sentences.
func splitParagraphs(text string, from, to int) []Span {
	var out []Span
	seg := text[from:to]
	start := 0
	for _, br := range paragraphBreak.FindAllStringIndex(seg, -1) {
		out = append(out, splitSentences(text, from+start, from+br[0])...)
		start = br[1]
	}
	return append(out, splitSentences(text, from+start, to)...)
}

// splitSentences splits one paragraph, text[from:to], at sentence ends.
func splitSentences(text string, from, to int) []Span {
	var out []Span
	start := from
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(text[i:to])
		if !strings.ContainsRune(".!?…", r) {
			i += size
			continue
		}
		end := i + size
		for end < to {
			c, n := utf8.DecodeRuneInString(text[end:to])
			if !strings.ContainsRune(".!?…\"”’')]", c) {
				break
			}
			end += n
		}
		if endsSentence(text, from, i, end, to, r) {
			out = appendSpan(out, text, start, end)
			start = end
		}
		i = end
	}
	return appendSpan(out, text, start, to)
}

// endsSentence reports whether the punctuation r at text[at:] (with closing
// marks up to end) ends a sentence of the paragraph text[from:to].
func endsSentence(text string, from, at, end, to int, r rune) bool {
	next := end
	if next >= to {
		return true
	}
	c, _ := utf8.DecodeRuneInString(text[next:to])
	if !unicode.IsSpace(c) {
		return false // 3.5, U.S.-Japan, "..."word
	}
	next = skipFunc(text, next, to, unicode.IsSpace)
	next = skipFunc(text, next, to, func(c rune) bool { return strings.ContainsRune("\"“‘'([", c) })
	if next >= to {
		return true
	}
	c, _ = utf8.DecodeRuneInString(text[next:to])
	if !unicode.IsUpper(c) && !unicode.IsDigit(c) {
		return false
	}
	if r == '.' && end == at+1 {
		return !abbreviated(wordBefore(text, from, at+1))
	}
	return true
}

func skipFunc(text string, i, to int, f func(rune) bool) int {
	for i < to {
		c, n := utf8.DecodeRuneInString(text[i:to])
		if !f(c) {
			break
		}
		i += n
	}
	return i
}

// wordBefore returns the word that ends at text[end-1] (a '.'), without
// opening quotes or brackets.
func wordBefore(text string, from, end int) string {
	i := end
	for i > from {
		c, n := utf8.DecodeLastRuneInString(text[from:i])
		if unicode.IsSpace(c) {
			break
		}
		i -= n
	}
	return strings.TrimLeft(text[i:end], "\"“‘'([")
}

// abbreviations are words with a period that usually come before more words.
// "etc." is not among them: it ends sentences more often than not.
var abbreviations = map[string]bool{
	"mr.": true, "mrs.": true, "ms.": true, "dr.": true, "prof.": true, "sr.": true, "jr.": true,
	"st.": true, "mt.": true, "gen.": true, "lt.": true, "col.": true, "maj.": true, "capt.": true,
	"sgt.": true, "adm.": true, "gov.": true, "sen.": true, "rep.": true, "rev.": true, "hon.": true,
	"pres.": true, "amb.": true, "jan.": true, "feb.": true, "mar.": true, "apr.": true, "jun.": true,
	"jul.": true, "aug.": true, "sep.": true, "sept.": true, "oct.": true, "nov.": true, "dec.": true,
	"no.": true, "nos.": true, "vs.": true, "v.": true, "inc.": true, "corp.": true, "co.": true,
	"ltd.": true, "bros.": true, "dept.": true, "univ.": true, "ave.": true, "blvd.": true,
	"fig.": true, "approx.": true, "est.": true, "p.": true, "pp.": true, "vol.": true,
}

// lettersAndDots matches U.S., U.K., e.g., a.m.: single letters each followed
// by a dot, at least two of them; an initial is one upper-case letter and a dot.
var (
	lettersAndDots = regexp.MustCompile(`^(\pL\.){2,}$`)
	initial        = regexp.MustCompile(`^\p{Lu}\.$`)
)

func abbreviated(word string) bool {
	return abbreviations[strings.ToLower(word)] || lettersAndDots.MatchString(word) || initial.MatchString(word)
}

// appendSpan appends text[start:end], trimmed, unless it is empty.
func appendSpan(out []Span, text string, start, end int) []Span {
	for start < end {
		c, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(c) {
			break
		}
		start += n
	}
	for end > start {
		c, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(c) {
			break
		}
		end -= n
	}
	if start == end {
		return out
	}
	return append(out, Span{Text: text[start:end], Start: start, End: end})
}
