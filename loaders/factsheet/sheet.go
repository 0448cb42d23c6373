package factsheet

// Sheet is one article's fact sheet as read: its document, text, entities and
// facts, each part with where it stands in the file.
type Sheet struct {
	File     string // the file it was read from, for error positions
	At       Pos    // the sheet's own position (its first line)
	Document Document
	Text     Scalar   // the article's text, paragraphs separated by blank lines
	Skip     []Scalar // passages of the text that are not sentences (credits, bylines)
	Entities []Entity
	Facts    []Fact
}

// Pos is a 1-based line and column of a sheet's file.
type Pos struct {
	Line, Column int
}

// Scalar is one value of a sheet and where it is. A scalar the sheet does not
// give has Set false.
type Scalar struct {
	Value string
	At    Pos
	Set   bool
}

// Document is the metadata of the sheet's article.
type Document struct {
	At        Pos
	ID        Scalar // the document's slug: its IRI is fg:news/ID
	Publisher Scalar
	Date      Scalar // of publication, YYYY-MM-DD
	Title     Scalar
	Language  Scalar // a language tag: en, ja, fr
	URL       Scalar // optional
	Note      Scalar // optional description
	// Example marks a document written for tests and docs, not a published
	// report.
	Example bool
}

// Entity is a new entity the sheet declares: a country, person, place or
// organization its facts name.
type Entity struct {
	At      Pos
	Name    Scalar
	Class   Scalar
	Aliases []Scalar
	ID      Scalar // optional local name of its IRI (default: the name in CamelCase)
}

// Fact is one statement of the text about one entity or happening: its
// subject, where the text states it (a quote, a sentence number or both),
// and its properties.
type Fact struct {
	At        Pos
	Entity    Scalar // the subject, when it is an entity (one of Entity and Happening)
	Happening Scalar // the subject, when it is a happening: its id or name
	Quote     Scalar
	Sentence  Scalar // a 1-based sentence number
	// Class and Name introduce a new happening.
	Class, Name Scalar
	// NoShortcuts, set by "shortcuts: false", keeps a status statement from
	// making the shortcut edges it stands for (a sentence that mentions the
	// status only in passing).
	NoShortcuts bool
	Props       []Prop // in the order the sheet gives them
}

// Prop is one property of a fact: a vocabulary predicate and its values.
type Prop struct {
	Key    Scalar
	Values []Value
}

// Value is one value of a property: a name or a literal's text, or, written
// {node: NAME}, explicitly a node.
type Value struct {
	Scalar
	Node bool
}
