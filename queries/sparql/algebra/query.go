package algebra

// Form is the kind of a query.
type Form int

// Query forms.
const (
	Select Form = iota
	Construct
	Ask
	Describe
)

func (f Form) String() string {
	return [...]string{"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}[f]
}

// Query is a parsed and translated query.
type Query struct {
	Form    Form
	Pattern Pattern // with its solution modifiers
	// Vars are the result columns of a SELECT (and the variables of DESCRIBE).
	Vars []string
	// Template is CONSTRUCT's template.
	Template []Triple
	// Describe are the resources DESCRIBE names (variables or IRIs).
	Describe []Term
	// Dataset is FROM and FROM NAMED, nil when the query has neither.
	Dataset *Dataset
	// Base is the base IRI in force at the end of the prologue.
	Base string
}

// Dataset is the RDF dataset a query names.
type Dataset struct {
	Default []string // FROM
	Named   []string // FROM NAMED
}
