// Package factsheet reads fact sheets — one human-writable file per article,
// in YAML, JSON or JSON Lines — and turns them into the labeled quads of
// docs/vocabulary.md: the document and its numbered sentences, the entities
// the sheet declares, and every fact, labeled with the sentence that states
// it, together with the shortcut edges its statuses stand for.
//
// # Reading and building
//
// [Read] parses sheets, keeping the line and column of every value. [Build]
// checks them against the text and the vocabulary and resolves their names —
// through the sheets' own declarations, then through the names and aliases
// of a store — and returns the quads for one atomic batch (loaders.Apply).
// Every error is positioned in its sheet ("sheet.yaml:14:9: quote not found
// in the text; closest sentence 3: ...") and collected into an errs.List;
// any error means no quads. A sheet's quads depend only on the sheet and the
// store's names, so building a sheet again makes the same quads, which the
// store then skips as duplicates.
//
// # Sentences
//
// [Split] cuts the text into sentences by documented rules (paragraph
// breaks, sentence-final punctuation, abbreviations, initials, quotes).
// Each fact gives the words that state it (quote), a sentence number, or
// both; its label is that sentence.
//
// The format is described, with a complete example, in docs/fact-sheets.md.
package factsheet
