package eval

import (
	"strings"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// expr is a compiled expression: its value on a row, or ok false for an
// error (which FILTER takes as false and BIND as unbound).
type expr func(x *exec, r row) (v quad.Value, ok bool)

// compileExpr compiles an expression; patterns of EXISTS are planned with p.
func (p *planner) compileExpr(e algebra.Expr) expr {
	switch e := e.(type) {
	case *algebra.Const:
		v := normalize(e.Value)
		return func(*exec, row) (quad.Value, bool) { return v, true }
	case *algebra.VarRef:
		slot := p.slot(e.Name)
		return func(x *exec, r row) (quad.Value, bool) {
			b := r.b[slot]
			if !b.bound() {
				return nil, false
			}
			v := x.value(b)
			return v, v != nil
		}
	case *algebra.Exists:
		n := p.plan(e.Pattern, p.graph)
		not := e.Not
		return func(x *exec, r row) (quad.Value, bool) {
			found := false
			n.run(x, r, func(row) bool { found = true; return false })
			if x.err != nil {
				return nil, false
			}
			return boolean(found != not), true
		}
	case *algebra.In:
		lhs := p.compileExpr(e.Expr)
		var list []expr
		for _, a := range e.List {
			list = append(list, p.compileExpr(a))
		}
		not := e.Not
		return func(x *exec, r row) (quad.Value, bool) {
			l, ok := lhs(x, r)
			if !ok {
				return nil, false
			}
			erred := false
			for _, f := range list {
				v, ok := f(x, r)
				if !ok {
					erred = true
					continue
				}
				if eq, ok := equal(l, v); !ok {
					erred = true
				} else if eq {
					return boolean(!not), true
				}
			}
			if erred {
				return nil, false
			}
			return boolean(not), true
		}
	case *algebra.Call:
		return p.compileCall(e)
	}
	return func(*exec, row) (quad.Value, bool) { return nil, false }
}

// ebv is the effective boolean value of a value (section 17.2.2).
func ebv(v quad.Value) (bool, bool) {
	switch x := v.(type) {
	case quad.String:
		return x != "", true
	case quad.TypedString:
		switch {
		case x.Type == xsdBoolean:
			switch strings.TrimSpace(string(x.Value)) {
			case "true", "1":
				return true, true
			case "false", "0":
				return false, true
			}
			return false, true
		case isNumericType(x.Type):
			n, ok := asNumber(v)
			if !ok {
				return false, true
			}
			switch n.kind {
			case kInteger:
				return n.i.Sign() != 0, true
			case kDecimal:
				return n.r.Sign() != 0, true
			}
			return n.f != 0 && n.f == n.f, true
		}
	}
	return false, false
}

func asBool(v quad.Value) (bool, bool) {
	t, ok := v.(quad.TypedString)
	if !ok || t.Type != xsdBoolean {
		return false, false
	}
	switch string(t.Value) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// asTime reads an xsd:dateTime or xsd:date; tz reports an explicit zone.
func asTime(v quad.Value) (t time.Time, tz bool, ok bool) {
	l, isLit := v.(quad.TypedString)
	if !isLit || l.Type != xsdTime && l.Type != xsdDate {
		return time.Time{}, false, false
	}
	s := strings.TrimSpace(string(l.Value))
	day24 := false
	if i := strings.Index(s, "T24:00:00"); i > 0 {
		// 24:00:00 is midnight at the end of the day.
		s, day24 = s[:i]+"T00:00:00"+s[i+len("T24:00:00"):], true
	}
	layouts := []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999"}
	if l.Type == xsdDate {
		layouts = []string{"2006-01-02Z07:00", "2006-01-02"}
	}
	for i, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			if day24 {
				t = t.AddDate(0, 0, 1)
			}
			return t, i == 0, true
		}
	}
	return time.Time{}, false, false
}

// wellFormed reports a literal of a type SPARQL operators know, with a
// valid lexical form: two of those with different types differ.
func wellFormed(v quad.Value, l literal) bool {
	switch {
	case l.dt == xsdString || l.dt == langString:
		return true
	case l.dt == xsdBoolean:
		_, ok := asBool(v)
		return ok
	case l.dt == xsdTime || l.dt == xsdDate:
		_, _, ok := asTime(v)
		return ok
	case isNumericType(l.dt):
		_, ok := asNumber(v)
		return ok
	}
	return false
}

// equal is the = operator: value equality where SPARQL knows the types,
// term equality else; ok is false for a type error.
func equal(a, b quad.Value) (bool, bool) {
	if na, ok := asNumber(a); ok {
		if nb, ok := asNumber(b); ok {
			return cmpNumbers(na, nb) == 0, true
		}
	}
	la, aLit := asLiteral(a)
	lb, bLit := asLiteral(b)
	if !aLit || !bLit {
		return a == b, true
	}
	switch {
	case la.dt == xsdString && lb.dt == xsdString:
		return la.lex == lb.lex, true
	case la.dt == langString && lb.dt == langString:
		return la.lex == lb.lex && strings.EqualFold(la.lang, lb.lang), true
	case la.dt == xsdBoolean && lb.dt == xsdBoolean:
		x, ok1 := asBool(a)
		y, ok2 := asBool(b)
		if ok1 && ok2 {
			return x == y, true
		}
	case (la.dt == xsdTime || la.dt == xsdDate) && la.dt == lb.dt:
		if c, ok := cmpTimes(a, b); ok {
			return c == 0, true
		}
		if _, _, ok := asTime(a); ok {
			if _, _, ok := asTime(b); ok {
				return false, false
			}
		}
	}
	if a == b {
		return true, true
	}
	if (la.dt == langString) != (lb.dt == langString) {
		return false, true // a literal with a language equals none without
	}
	if la.dt != lb.dt && wellFormed(a, la) && wellFormed(b, lb) && !(isNumericType(la.dt) && isNumericType(lb.dt)) {
		return false, true
	}
	return false, false
}

// compare is the < operator's order of two values; ok is false where SPARQL
// defines none (a type error).
func compare(a, b quad.Value) (int, bool) {
	if na, ok := asNumber(a); ok {
		if nb, ok := asNumber(b); ok {
			c := cmpNumbers(na, nb)
			return c, c != 2
		}
		return 0, false
	}
	la, aLit := asLiteral(a)
	lb, bLit := asLiteral(b)
	if !aLit || !bLit {
		return 0, false
	}
	switch {
	case la.dt == xsdString && lb.dt == xsdString:
		return strings.Compare(la.lex, lb.lex), true
	case la.dt == xsdBoolean && lb.dt == xsdBoolean:
		x, ok1 := asBool(a)
		y, ok2 := asBool(b)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case (la.dt == xsdTime || la.dt == xsdDate) && la.dt == lb.dt:
		return cmpTimes(a, b)
	}
	return 0, false
}

// cmpTimes orders two dates or dateTimes. A value without a zone stands for
// any time within 14 hours of it (XML Schema's rule), so it compares with a
// zoned one only when they are further apart than that.
func cmpTimes(a, b quad.Value) (int, bool) {
	x, tz1, ok1 := asTime(a)
	y, tz2, ok2 := asTime(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	if tz1 == tz2 {
		return x.Compare(y), true
	}
	const slack = 14 * time.Hour
	switch {
	case x.Add(slack).Before(y):
		return -1, true
	case y.Add(slack).Before(x):
		return 1, true
	}
	return 0, false
}
