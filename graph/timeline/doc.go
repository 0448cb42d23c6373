// Package timeline reads a store as of a date: what the documents published
// up to that day state, with each happening at its latest status.
//
// # Statements and dates
//
// Every quad is labeled with the sentence that states it, and a sentence is
// part of a dated document (schema:isPartOf, schema:datePublished), so every
// statement has the date of its document. Quads whose label is no dated
// sentence or document (curated names, quads loaded without labels) have no
// date; they hold at every date.
//
// # Latest status
//
// A happening's fg:status may be stated by several documents: talks agreed on
// 2 May, signed on 8 July, in force a year later. Its current status is the
// value stated by its latest-dated statements. Earlier statements of another
// value are superseded: a view hides them, and with them the shortcut edges
// (graph.Shortcuts) that they stood for — the quads of the shortcut's
// predicate, between two members of the happening, with the superseded
// statement's label. Nothing else of that sentence is hidden: the sentence
// that said talks were agreed still says when and by whom. A statement that
// repeats the current value, earlier, is not superseded; it is more evidence.
// Undated statements count as the earliest.
//
// When the latest statements disagree (two documents of the same date, or one
// document, give two values), both stay and a view warns of the
// contradiction when a query reads them.
//
// # Views
//
// [Open] returns a store that answers as of a date (or as of now), which
// every query language can run on. A store with no status history and no
// date asked for is returned as it is, so ordinary queries pay nothing.
// The superseded statements stay in the store: [Statuses] lists them, with
// their dates, for histories.
package timeline
