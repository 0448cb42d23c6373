package graph

import (
	"slices"
	"strings"

	"github.com/cayleygraph/quad"
)

// The project vocabulary of docs/vocabulary.md as data: the classes nodes
// have, the properties facts use, the status values of each happening class
// and the shortcut edges a status stands for. Fact sheets are checked against
// it and built from it, and the status history of a happening
// (graph/timeline) reads its shortcuts.

// More well-known terms of the vocabulary.
var (
	Status          = quad.IRI(NS + "status")
	Party           = quad.IRI(NS + "party")
	Participant     = quad.IRI(NS + "participant")
	InLanguage      = quad.IRI(SchemaNS + "inLanguage")
	URL             = quad.IRI(SchemaNS + "url")
	Description     = quad.IRI(SchemaNS + "description")
	NewsArticle     = quad.IRI(SchemaNS + "NewsArticle")
	Curation        = quad.IRI(NS + "Curation")
	ExampleDocument = quad.IRI(NS + "ExampleDocument")
)

// Class is a class of the vocabulary.
type Class struct {
	IRI       quad.IRI
	Name      string   // its schema:name, which queries and sheets use
	Aliases   []string // its schema:alternateName values
	Happening bool     // a happening (has parties, a status...) rather than an entity
	// Statuses are the values fg:status takes for the class, for happenings
	// that have a status.
	Statuses []string
}

// Classes are the classes of entities, happenings and sentences.
var Classes = []Class{
	{IRI: NS + "Country", Name: "country"},
	{IRI: NS + "Person", Name: "person"},
	{IRI: NS + "Organization", Name: "organization"},
	{IRI: NS + "City", Name: "city"},
	{IRI: NS + "Building", Name: "building"},
	{IRI: NS + "Region", Name: "region"},
	{IRI: NS + "Sea", Name: "sea"},
	{IRI: NS + "Territory", Name: "territory"},
	{IRI: NS + "ReciprocalAccessAgreement", Name: "reciprocal access agreement", Aliases: []string{"RAA"},
		Happening: true, Statuses: []string{"talks-agreed", "negotiation-agreed", "signed", "in-force"}},
	{IRI: NS + "AcquisitionAndCrossServicingAgreement", Name: "acquisition and cross-servicing agreement", Aliases: []string{"ACSA"},
		Happening: true, Statuses: []string{"talks-agreed", "negotiation-agreed", "signed", "in-force"}},
	{IRI: NS + "CooperationAgreement", Name: "cooperation agreement", Happening: true, Statuses: []string{"agreed"}},
	{IRI: NS + "Meeting", Name: "meeting", Happening: true, Statuses: []string{"planned", "held", "cancelled"}},
	{IRI: NS + "Visit", Name: "visit", Happening: true, Statuses: []string{"planned", "held", "cancelled"}},
	{IRI: NS + "Event", Name: "event", Happening: true, Statuses: []string{"planned", "held", "cancelled"}},
	{IRI: NS + "Dispute", Name: "dispute", Happening: true},
	{IRI: NS + "Policy", Name: "policy", Happening: true},
	{IRI: NS + "Trend", Name: "trend", Happening: true},
	{IRI: Sentence, Name: "sentence"},
	{IRI: ExampleDocument, Name: "example document"},
}

// ClassByIRI returns the class with that IRI.
func ClassByIRI(iri quad.Value) (Class, bool) {
	for _, c := range Classes {
		if c.IRI == iri {
			return c, true
		}
	}
	return Class{}, false
}

// ClassNamed returns the class a user means by name: its name or an alias
// (ignoring case), its local name (Country) or its prefixed name (fg:Country).
func ClassNamed(name string) (Class, bool) {
	for _, c := range Classes {
		if strings.EqualFold(c.Name, name) || strings.EqualFold(LocalName(string(c.IRI)), name) || Compact(string(c.IRI)) == name {
			return c, true
		}
		for _, a := range c.Aliases {
			if strings.EqualFold(a, name) {
				return c, true
			}
		}
	}
	return Class{}, false
}

// Range is what the object of a property is.
type Range int

// Ranges.
const (
	NodeRange          Range = iota // a node: an entity or happening
	LiteralRange                    // a plain string
	DateRange                       // xsd:date, xsd:gYearMonth or xsd:gYear
	NodeOrLiteralRange              // a plain string, or a node written {node: NAME}
)

// Property is a predicate that facts state.
type Property struct {
	IRI quad.IRI
	// Key is how fact sheets and docs write it: the local name (party, startDate).
	Key   string
	Range Range
	// OfHappenings is set for properties of happenings, unset for those of
	// entities.
	OfHappenings bool
}

// Properties are the predicates of happenings and entities that facts state
// (names, types and shortcuts aside).
var Properties = []Property{
	{IRI: Party, Key: "party", OfHappenings: true},
	{IRI: Participant, Key: "participant", OfHappenings: true},
	{IRI: Status, Key: "status", Range: LiteralRange, OfHappenings: true},
	{IRI: NS + "agreedOn", Key: "agreedOn", Range: DateRange, OfHappenings: true},
	{IRI: NS + "agreedAt", Key: "agreedAt", OfHappenings: true},
	{IRI: NS + "purpose", Key: "purpose", Range: LiteralRange, OfHappenings: true},
	{IRI: NS + "covers", Key: "covers", Range: LiteralRange, OfHappenings: true},
	{IRI: NS + "topic", Key: "topic", Range: NodeOrLiteralRange, OfHappenings: true},
	{IRI: NS + "visitor", Key: "visitor", OfHappenings: true},
	{IRI: NS + "destination", Key: "destination", OfHappenings: true},
	{IRI: NS + "reportedBy", Key: "reportedBy", OfHappenings: true},
	{IRI: NS + "actor", Key: "actor", OfHappenings: true},
	{IRI: NS + "region", Key: "region", OfHappenings: true},
	{IRI: NS + "respondsTo", Key: "respondsTo", OfHappenings: true},
	{IRI: NS + "about", Key: "about", OfHappenings: true},
	{IRI: SchemaNS + "startDate", Key: "startDate", Range: DateRange, OfHappenings: true},
	{IRI: SchemaNS + "location", Key: "location", OfHappenings: true},
	{IRI: NS + "leads", Key: "leads"},
	{IRI: NS + "office", Key: "office", Range: LiteralRange},
	{IRI: NS + "locatedIn", Key: "locatedIn"},
	{IRI: NS + "overseasTerritoryOf", Key: "overseasTerritoryOf"},
	{IRI: NS + "strategicInterestIn", Key: "strategicInterestIn"},
	{IRI: NS + "claimedBy", Key: "claimedBy"},
	{IRI: NS + "controlledBy", Key: "controlledBy"},
}

// Shortcut is a direct edge between two members of a happening that stands
// for the happening in certain statuses: hasRAAWith between the parties of a
// reciprocal access agreement in force. Shortcuts are symmetric: each is
// stored in both directions, with the label of the status statement.
type Shortcut struct {
	Predicate quad.IRI
	Class     quad.IRI // of the happening
	Statuses  []string // the statuses it stands for
	Members   quad.IRI // the predicate from the happening to the two ends
}

// Shortcuts are the shortcut edges of the vocabulary.
var Shortcuts = []Shortcut{
	{Predicate: NS + "hasRAAWith", Class: NS + "ReciprocalAccessAgreement", Statuses: []string{"in-force"}, Members: Party},
	{Predicate: NS + "negotiatingRAAWith", Class: NS + "ReciprocalAccessAgreement", Statuses: []string{"talks-agreed", "negotiation-agreed"}, Members: Party},
	{Predicate: NS + "met", Class: NS + "Meeting", Statuses: []string{"held"}, Members: Participant},
}

// ShortcutsOf returns the shortcuts a happening of class c in status stands for.
func ShortcutsOf(c quad.Value, status string) []Shortcut {
	var out []Shortcut
	for _, s := range Shortcuts {
		if s.Class == c && slices.Contains(s.Statuses, status) {
			out = append(out, s)
		}
	}
	return out
}
