package eval

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// casts are the XSD constructor functions (section 17.5).
var casts = map[quad.IRI]func(quad.Value) (quad.Value, bool){
	xsdString: func(v quad.Value) (quad.Value, bool) {
		switch x := v.(type) {
		case quad.IRI:
			return quad.String(x), true
		case quad.BNode:
			return nil, false
		}
		l, ok := asLiteral(v)
		if n, isNum := asNumber(v); isNum {
			return quad.String(xpathString(n)), true
		}
		if b, isBool := asBool(v); isBool {
			return quad.String(strconv.FormatBool(b)), true
		}
		return quad.String(l.lex), ok
	},
	xsdInteger: func(v quad.Value) (quad.Value, bool) {
		if n, ok := castNumber(v); ok {
			switch n.kind {
			case kInteger:
				return n.value(), true
			case kDecimal:
				return number{kind: kInteger, i: new(big.Int).Quo(n.r.Num(), n.r.Denom())}.value(), true
			}
			if math.IsInf(n.f, 0) || math.IsNaN(n.f) {
				return nil, false
			}
			i, _ := big.NewFloat(math.Trunc(n.f)).Int(nil)
			return number{kind: kInteger, i: i}.value(), true
		}
		s, ok := lexOf(v)
		if !ok || !validInteger(s) {
			return nil, false
		}
		return typed(s, xsdInteger), true
	},
	xsdDecimal: func(v quad.Value) (quad.Value, bool) {
		if n, ok := castNumber(v); ok {
			if (n.kind == kFloat || n.kind == kDouble) && (math.IsInf(n.f, 0) || math.IsNaN(n.f)) {
				return nil, false
			}
			if n.kind == kFloat || n.kind == kDouble {
				r, _ := new(big.Rat).SetString(strings.TrimSuffix(big.NewFloat(n.f).Text('f', -1), "."))
				return number{kind: kDecimal, r: r}.value(), true
			}
			return n.as(kDecimal).value(), true
		}
		s, ok := lexOf(v)
		if !ok || !validDecimal(s) {
			return nil, false
		}
		return typed(s, xsdDecimal), true
	},
	xsdFloat:  castFloat(kFloat),
	xsdDouble: castFloat(kDouble),
	xsdBoolean: func(v quad.Value) (quad.Value, bool) {
		if n, ok := castNumber(v); ok {
			b, _ := ebv(n.value())
			return boolean(b), true
		}
		s, ok := lexOf(v)
		switch {
		case !ok:
			return nil, false
		case s == "true" || s == "1":
			return boolean(true), true
		case s == "false" || s == "0":
			return boolean(false), true
		}
		return nil, false
	},
	xsdTime: func(v quad.Value) (quad.Value, bool) {
		s, ok := lexOf(v)
		if !ok {
			return nil, false
		}
		out := typed(s, xsdTime)
		if _, _, ok := asTime(out); !ok {
			return nil, false
		}
		return out, true
	},
}

// castNumber reads a numeric or boolean argument of a cast.
func castNumber(v quad.Value) (number, bool) {
	if n, ok := asNumber(v); ok {
		return n, true
	}
	if b, ok := asBool(v); ok {
		i := int64(0)
		if b {
			i = 1
		}
		return number{kind: kInteger, i: big.NewInt(i)}, true
	}
	return number{}, false
}

// lexOf is the lexical form a cast reads from a string literal (or a literal
// of the target type itself).
func lexOf(v quad.Value) (string, bool) {
	switch x := v.(type) {
	case quad.String:
		return strings.TrimSpace(string(x)), true
	case quad.TypedString:
		return strings.TrimSpace(string(x.Value)), true
	}
	return "", false
}

func castFloat(k numKind) func(quad.Value) (quad.Value, bool) {
	return func(v quad.Value) (quad.Value, bool) {
		if n, ok := castNumber(v); ok {
			return n.as(k).value(), true
		}
		s, ok := lexOf(v)
		if !ok {
			return nil, false
		}
		f, ok := parseDouble(s)
		if !ok {
			return nil, false
		}
		return number{kind: k, f: f}.value(), true
	}
}

// xpathString is the string a number casts to (XPath's fn:string): plain
// decimals for integral decimals and for doubles between 1e-6 and 1e6.
func xpathString(n number) string {
	switch n.kind {
	case kInteger:
		return n.i.String()
	case kDecimal:
		if n.r.IsInt() {
			return n.r.Num().String()
		}
		return decimalString(n.r)
	}
	if a := math.Abs(n.f); a == 0 || a >= 1e-6 && a < 1e6 {
		bits := 64
		if n.kind == kFloat {
			bits = 32
		}
		return strconv.FormatFloat(n.f, 'f', -1, bits)
	}
	return string(n.value().(quad.TypedString).Value)
}
