package eval

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

const (
	xsd        = "http://www.w3.org/2001/XMLSchema#"
	rdfNS      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	xsdString  = quad.IRI(xsd + "string")
	xsdInteger = quad.IRI(xsd + "integer")
	xsdDecimal = quad.IRI(xsd + "decimal")
	xsdFloat   = quad.IRI(xsd + "float")
	xsdDouble  = quad.IRI(xsd + "double")
	xsdBoolean = quad.IRI(xsd + "boolean")
	xsdDate    = quad.IRI(xsd + "date")
	xsdTime    = quad.IRI(xsd + "dateTime")
	langString = quad.IRI(rdfNS + "langString")
)

// normalize turns the native values some stores hold (Cayley's N-Quads
// reader makes quad.Int of "5"^^xsd:integer) into the literals SPARQL sees.
func normalize(v quad.Value) quad.Value {
	switch x := v.(type) {
	case nil, quad.IRI, quad.BNode, quad.String, quad.LangString:
		return v
	case quad.TypedString:
		if x.Type == xsdString {
			return x.Value
		}
		return v
	case quad.TypedStringer:
		return x.TypedString()
	}
	return quad.String(v.String())
}

// literal is the parts of a literal: its lexical form, datatype and language.
type literal struct {
	lex  string
	dt   quad.IRI
	lang string
}

func asLiteral(v quad.Value) (literal, bool) {
	switch x := v.(type) {
	case quad.String:
		return literal{lex: string(x), dt: xsdString}, true
	case quad.LangString:
		return literal{lex: string(x.Value), dt: langString, lang: x.Lang}, true
	case quad.TypedString:
		return literal{lex: string(x.Value), dt: x.Type}, true
	}
	return literal{}, false
}

func isLiteral(v quad.Value) bool { _, ok := asLiteral(v); return ok }

// simpleOrString reports a literal without language whose datatype is
// xsd:string (a "simple literal" in SPARQL 1.1 is the same).
func isString(v quad.Value) bool { _, ok := v.(quad.String); return ok }

// stringArg is a string literal argument of a string function: a simple
// literal or a literal with a language.
func stringArg(v quad.Value) (lex, lang string, ok bool) {
	switch x := v.(type) {
	case quad.String:
		return string(x), "", true
	case quad.LangString:
		return string(x.Value), x.Lang, true
	}
	return "", "", false
}

func typed(lex string, dt quad.IRI) quad.Value {
	if dt == xsdString {
		return quad.String(lex)
	}
	return quad.TypedString{Value: quad.String(lex), Type: dt}
}

func boolean(b bool) quad.Value {
	if b {
		return quad.TypedString{Value: "true", Type: xsdBoolean}
	}
	return quad.TypedString{Value: "false", Type: xsdBoolean}
}

// numeric kinds in the order of type promotion.
type numKind int

const (
	kInteger numKind = iota
	kDecimal
	kFloat
	kDouble
)

// number is a numeric value.
type number struct {
	kind numKind
	i    *big.Int
	r    *big.Rat
	f    float64
}

var integerTypes = map[quad.IRI]bool{
	xsdInteger: true, xsd + "int": true, xsd + "long": true, xsd + "short": true, xsd + "byte": true,
	xsd + "nonNegativeInteger": true, xsd + "positiveInteger": true, xsd + "negativeInteger": true,
	xsd + "nonPositiveInteger": true, xsd + "unsignedInt": true, xsd + "unsignedLong": true,
	xsd + "unsignedShort": true, xsd + "unsignedByte": true,
}

func isNumericType(dt quad.IRI) bool {
	return integerTypes[dt] || dt == xsdDecimal || dt == xsdFloat || dt == xsdDouble
}

// asNumber reads a numeric literal; ok is false for anything else, and for
// an ill-formed lexical form.
func asNumber(v quad.Value) (number, bool) {
	t, ok := v.(quad.TypedString)
	if !ok {
		return number{}, false
	}
	lex := strings.TrimSpace(string(t.Value))
	switch {
	case integerTypes[t.Type]:
		if !validInteger(lex) {
			return number{}, false
		}
		i, ok := new(big.Int).SetString(strings.TrimPrefix(lex, "+"), 10)
		return number{kind: kInteger, i: i}, ok
	case t.Type == xsdDecimal:
		if !validDecimal(lex) {
			return number{}, false
		}
		r, ok := new(big.Rat).SetString(strings.TrimPrefix(lex, "+"))
		return number{kind: kDecimal, r: r}, ok
	case t.Type == xsdFloat || t.Type == xsdDouble:
		f, ok := parseDouble(lex)
		k := kDouble
		if t.Type == xsdFloat {
			k = kFloat
			f = float64(float32(f))
		}
		return number{kind: k, f: f}, ok
	}
	return number{}, false
}

func validInteger(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return hasDot || intPart != ""
}

func parseDouble(s string) (float64, bool) {
	switch s {
	case "INF", "+INF":
		return math.Inf(1), true
	case "-INF":
		return math.Inf(-1), true
	case "NaN":
		return math.NaN(), true
	}
	if s == "" || strings.ContainsAny(s, "xXpP_") || strings.EqualFold(strings.TrimLeft(s, "+-"), "inf") || strings.EqualFold(strings.TrimLeft(s, "+-"), "infinity") || strings.EqualFold(s, "nan") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func (n number) float() float64 {
	switch n.kind {
	case kInteger:
		f, _ := new(big.Float).SetInt(n.i).Float64()
		return f
	case kDecimal:
		f, _ := n.r.Float64()
		return f
	}
	return n.f
}

func (n number) rat() *big.Rat {
	if n.kind == kInteger {
		return new(big.Rat).SetInt(n.i)
	}
	return n.r
}

// promote brings two numbers to their common kind.
func promote(a, b number) (number, number, numKind) {
	k := max(a.kind, b.kind)
	return a.as(k), b.as(k), k
}

func (n number) as(k numKind) number {
	if n.kind == k {
		return n
	}
	switch k {
	case kDecimal:
		return number{kind: kDecimal, r: n.rat()}
	case kFloat:
		return number{kind: kFloat, f: float64(float32(n.float()))}
	case kDouble:
		return number{kind: kDouble, f: n.float()}
	}
	return n
}

// value renders a number as a literal in canonical form.
func (n number) value() quad.Value {
	switch n.kind {
	case kInteger:
		return quad.TypedString{Value: quad.String(n.i.String()), Type: xsdInteger}
	case kDecimal:
		return quad.TypedString{Value: quad.String(decimalString(n.r)), Type: xsdDecimal}
	case kFloat:
		return quad.TypedString{Value: quad.String(doubleString(float64(float32(n.f)), 32)), Type: xsdFloat}
	}
	return quad.TypedString{Value: quad.String(doubleString(n.f, 64)), Type: xsdDouble}
}

func decimalString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String() + ".0"
	}
	// Enough digits for any terminating decimal of reasonable size.
	s := r.FloatString(30)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

func doubleString(f float64, bits int) string {
	switch {
	case math.IsInf(f, 1):
		return "INF"
	case math.IsInf(f, -1):
		return "-INF"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

func cmpNumbers(a, b number) int {
	a, b, k := promote(a, b)
	switch k {
	case kInteger:
		return a.i.Cmp(b.i)
	case kDecimal:
		return a.r.Cmp(b.r)
	}
	switch {
	case a.f < b.f:
		return -1
	case a.f > b.f:
		return 1
	case a.f == b.f:
		return 0
	}
	return 2 // NaN: unordered
}
