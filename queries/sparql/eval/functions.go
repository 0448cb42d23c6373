package eval

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/big"
	mrand "math/rand/v2"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/internal/rdfsyntax"
	"github.com/factgraph/factgraph/queries/sparql/algebra"
)

// compileCall compiles an operator or function call.
func (p *planner) compileCall(c *algebra.Call) expr {
	args := make([]expr, len(c.Args))
	for i, a := range c.Args {
		args[i] = p.compileExpr(a)
	}
	switch c.Op {
	case "||", "&&":
		return logical(c.Op == "||", args[0], args[1])
	case "!":
		return func(x *exec, r row) (quad.Value, bool) {
			v, ok := args[0](x, r)
			if !ok {
				return nil, false
			}
			b, ok := ebv(v)
			return boolean(!b), ok
		}
	case "bound":
		return func(x *exec, r row) (quad.Value, bool) {
			_, ok := args[0](x, r)
			return boolean(ok), true
		}
	case "if":
		return func(x *exec, r row) (quad.Value, bool) {
			v, ok := args[0](x, r)
			if !ok {
				return nil, false
			}
			b, ok := ebv(v)
			if !ok {
				return nil, false
			}
			if b {
				return args[1](x, r)
			}
			return args[2](x, r)
		}
	case "coalesce":
		return func(x *exec, r row) (quad.Value, bool) {
			for _, a := range args {
				if v, ok := a(x, r); ok {
					return v, true
				}
			}
			return nil, false
		}
	case "bnode":
		return p.bnodeFunc(args)
	case "iri", "uri":
		base := p.base
		return strict1(args, func(v quad.Value) (quad.Value, bool) {
			switch x := v.(type) {
			case quad.IRI:
				return x, true
			case quad.String:
				return quad.IRI(rdfsyntax.ResolveIRI(base, string(x))), true
			}
			return nil, false
		})
	}
	if f, ok := simpleFuncs[c.Op]; ok {
		return func(x *exec, r row) (quad.Value, bool) {
			vals := make([]quad.Value, len(args))
			for i, a := range args {
				v, ok := a(x, r)
				if !ok {
					return nil, false
				}
				vals[i] = v
			}
			return f(x, vals)
		}
	}
	if cast, ok := casts[quad.IRI(c.Op)]; ok && len(args) == 1 {
		return strict1(args, cast)
	}
	return func(*exec, row) (quad.Value, bool) { return nil, false } // unknown functions are errors
}

func strict1(args []expr, f func(quad.Value) (quad.Value, bool)) expr {
	return func(x *exec, r row) (quad.Value, bool) {
		v, ok := args[0](x, r)
		if !ok {
			return nil, false
		}
		return f(v)
	}
}

// logical is || and && with SPARQL's treatment of errors: an error and true
// is true for ||, an error and false is false for &&.
func logical(or bool, a, b expr) expr {
	return func(x *exec, r row) (quad.Value, bool) {
		va, oka := a(x, r)
		var ba bool
		if oka {
			ba, oka = ebv(va)
		}
		if oka && ba == or {
			return boolean(or), true
		}
		vb, okb := b(x, r)
		var bb bool
		if okb {
			bb, okb = ebv(vb)
		}
		switch {
		case okb && bb == or:
			return boolean(or), true
		case oka && okb:
			return boolean(!or), true
		}
		return nil, false
	}
}

func (p *planner) bnodeFunc(args []expr) expr {
	return func(x *exec, r row) (quad.Value, bool) {
		if len(args) == 0 {
			x.bnode++
			return quad.BNode(fmt.Sprintf("q%sb%d", x.runID, x.bnode)), true
		}
		v, ok := args[0](x, r)
		s, isStr := v.(quad.String)
		if !ok || !isStr {
			return nil, false
		}
		// The same string makes the same blank node within one solution:
		// the solution is told by its bindings, less the blank nodes this
		// run made (BIND adds those to it).
		id := x.solutionID(r)
		if x.rowBNodes == nil || x.rowID != id {
			x.rowID, x.rowBNodes = id, map[string]quad.Value{}
		}
		if b, ok := x.rowBNodes[string(s)]; ok {
			return b, true
		}
		x.bnode++
		b := quad.BNode(fmt.Sprintf("q%sb%d", x.runID, x.bnode))
		x.rowBNodes[string(s)] = b
		return b, true
	}
}

type fn func(x *exec, args []quad.Value) (quad.Value, bool)

var simpleFuncs map[string]fn

func init() {
	simpleFuncs = map[string]fn{
		"=": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			eq, ok := equal(a[0], a[1])
			return boolean(eq), ok
		},
		"!=": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			eq, ok := equal(a[0], a[1])
			return boolean(!eq), ok
		},
		"<":  order(func(c int) bool { return c < 0 }),
		">":  order(func(c int) bool { return c > 0 }),
		"<=": order(func(c int) bool { return c <= 0 }),
		">=": order(func(c int) bool { return c >= 0 }),
		"+":  arith('+'), "-": arith('-'), "*": arith('*'), "/": arith('/'),
		"u+": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			n, ok := asNumber(a[0])
			return n.value(), ok
		},
		"u-": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			n, ok := asNumber(a[0])
			if !ok {
				return nil, false
			}
			switch n.kind {
			case kInteger:
				n.i = new(big.Int).Neg(n.i)
			case kDecimal:
				n.r = new(big.Rat).Neg(n.r)
			default:
				n.f = -n.f
			}
			return n.value(), true
		},
		"str": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			switch v := a[0].(type) {
			case quad.IRI:
				return quad.String(v), true
			case quad.BNode:
				return nil, false
			}
			l, ok := asLiteral(a[0])
			return quad.String(l.lex), ok
		},
		"lang": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			l, ok := asLiteral(a[0])
			return quad.String(l.lang), ok
		},
		"datatype": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			l, ok := asLiteral(a[0])
			return l.dt, ok
		},
		"langmatches": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			tag, ok1 := a[0].(quad.String)
			rng, ok2 := a[1].(quad.String)
			if !ok1 || !ok2 {
				return nil, false
			}
			t, g := strings.ToLower(string(tag)), strings.ToLower(string(rng))
			switch {
			case g == "*":
				return boolean(t != ""), true
			case t == g, strings.HasPrefix(t, g+"-"):
				return boolean(true), true
			}
			return boolean(false), true
		},
		"sameterm": func(_ *exec, a []quad.Value) (quad.Value, bool) { return boolean(a[0] == a[1]), true },
		"isiri":    func(_ *exec, a []quad.Value) (quad.Value, bool) { _, ok := a[0].(quad.IRI); return boolean(ok), true },
		"isuri":    func(_ *exec, a []quad.Value) (quad.Value, bool) { _, ok := a[0].(quad.IRI); return boolean(ok), true },
		"isblank":  func(_ *exec, a []quad.Value) (quad.Value, bool) { _, ok := a[0].(quad.BNode); return boolean(ok), true },
		"isliteral": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			return boolean(isLiteral(a[0])), true
		},
		"isnumeric": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			_, ok := asNumber(a[0])
			return boolean(ok), true
		},
		"abs":   numeric1(func(f float64) float64 { return math.Abs(f) }, func(r *big.Rat) *big.Rat { return new(big.Rat).Abs(r) }),
		"ceil":  numeric1(math.Ceil, func(r *big.Rat) *big.Rat { return ratFloor(new(big.Rat).Neg(r), true) }),
		"floor": numeric1(math.Floor, func(r *big.Rat) *big.Rat { return ratFloor(r, false) }),
		"round": numeric1(func(f float64) float64 { return math.Floor(f + 0.5) }, func(r *big.Rat) *big.Rat {
			return ratFloor(new(big.Rat).Add(r, big.NewRat(1, 2)), false)
		}),
		"rand": func(*exec, []quad.Value) (quad.Value, bool) {
			return number{kind: kDouble, f: mrand.Float64()}.value(), true
		},
		"strlen": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			s, _, ok := stringArg(a[0])
			return integer(int64(utf8.RuneCountInString(s))), ok
		},
		"ucase": mapString(strings.ToUpper),
		"lcase": mapString(strings.ToLower),
		"encode_for_uri": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			s, _, ok := stringArg(a[0])
			return quad.String(strings.ReplaceAll(url.QueryEscape(s), "+", "%20")), ok
		},
		"concat": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			var b strings.Builder
			lang, same := "", true
			for i, v := range a {
				s, l, ok := stringArg(v)
				if !ok {
					return nil, false
				}
				if i == 0 {
					lang = l
				} else if l != lang {
					same = false
				}
				b.WriteString(s)
			}
			if same && lang != "" {
				return quad.LangString{Value: quad.String(b.String()), Lang: lang}, true
			}
			return quad.String(b.String()), true
		},
		"contains":  stringTest(strings.Contains),
		"strstarts": stringTest(strings.HasPrefix),
		"strends":   stringTest(strings.HasSuffix),
		"strbefore": stringSplit(true),
		"strafter":  stringSplit(false),
		"substr": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			s, lang, ok := stringArg(a[0])
			start, ok2 := asNumber(a[1])
			if !ok || !ok2 {
				return nil, false
			}
			runes := []rune(s)
			from := math.Round(start.float())
			to := math.Inf(1)
			if len(a) == 3 {
				n, ok := asNumber(a[2])
				if !ok {
					return nil, false
				}
				to = from + math.Round(n.float())
			}
			var out []rune
			for i := range runes {
				if p := float64(i + 1); p >= from && p < to {
					out = append(out, runes[i])
				}
			}
			return withLang(string(out), lang), true
		},
		"strlang": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			s, ok1 := a[0].(quad.String)
			l, ok2 := a[1].(quad.String)
			if !ok1 || !ok2 || l == "" {
				return nil, false
			}
			return quad.LangString{Value: s, Lang: string(l)}, true
		},
		"strdt": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			s, ok1 := a[0].(quad.String)
			dt, ok2 := a[1].(quad.IRI)
			if !ok1 || !ok2 {
				return nil, false
			}
			return typed(string(s), dt), true
		},
		"regex": func(x *exec, a []quad.Value) (quad.Value, bool) {
			s, _, ok := stringArg(a[0])
			if !ok {
				return nil, false
			}
			rx, ok := x.regex(a[1:])
			if !ok {
				return nil, false
			}
			return boolean(rx.MatchString(s)), true
		},
		"replace": func(x *exec, a []quad.Value) (quad.Value, bool) {
			s, lang, ok := stringArg(a[0])
			repl, ok2 := a[2].(quad.String)
			if !ok || !ok2 {
				return nil, false
			}
			rx, ok := x.regex(append([]quad.Value{a[1]}, a[3:]...))
			if !ok || rx.MatchString("") {
				return nil, false
			}
			return withLang(rx.ReplaceAllString(s, goReplacement(string(repl))), lang), true
		},
		"md5":    hashFunc(md5.New),
		"sha1":   hashFunc(sha1.New),
		"sha256": hashFunc(sha256.New),
		"sha384": hashFunc(sha512.New384),
		"sha512": hashFunc(sha512.New),
		"now": func(x *exec, _ []quad.Value) (quad.Value, bool) {
			return quad.TypedString{Value: quad.String(x.now.Format("2006-01-02T15:04:05.000000000Z07:00")), Type: xsdTime}, true
		},
		"uuid": func(*exec, []quad.Value) (quad.Value, bool) { return quad.IRI("urn:uuid:" + newUUID()), true },
		"struuid": func(*exec, []quad.Value) (quad.Value, bool) {
			return quad.String(newUUID()), true
		},
		"year":    timePart(func(t time.Time) quad.Value { return integer(int64(t.Year())) }),
		"month":   timePart(func(t time.Time) quad.Value { return integer(int64(t.Month())) }),
		"day":     timePart(func(t time.Time) quad.Value { return integer(int64(t.Day())) }),
		"hours":   timePart(func(t time.Time) quad.Value { return integer(int64(t.Hour())) }),
		"minutes": timePart(func(t time.Time) quad.Value { return integer(int64(t.Minute())) }),
		"seconds": timePart(func(t time.Time) quad.Value {
			r := new(big.Rat).SetFrac64(int64(t.Second())*1e9+int64(t.Nanosecond()), 1e9)
			return number{kind: kDecimal, r: r}.value()
		}),
		"timezone": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			t, tz, ok := asTime(a[0])
			if !ok || !tz {
				return nil, false
			}
			_, off := t.Zone()
			return quad.TypedString{Value: quad.String(dayTimeDuration(off)), Type: xsd + "dayTimeDuration"}, true
		},
		"tz": func(_ *exec, a []quad.Value) (quad.Value, bool) {
			t, tz, ok := asTime(a[0])
			if !ok {
				return nil, false
			}
			if !tz {
				return quad.String(""), true
			}
			lex, _ := asLiteral(a[0])
			if strings.HasSuffix(lex.lex, "Z") {
				return quad.String("Z"), true
			}
			return quad.String(t.Format("-07:00")), true
		},
	}
}

func integer(n int64) quad.Value {
	return quad.TypedString{Value: quad.String(strconv.FormatInt(n, 10)), Type: xsdInteger}
}

func withLang(s, lang string) quad.Value {
	if lang != "" {
		return quad.LangString{Value: quad.String(s), Lang: lang}
	}
	return quad.String(s)
}

func order(ok func(int) bool) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		c, valid := compare(a[0], a[1])
		if !valid {
			if eq, eqOK := equal(a[0], a[1]); eqOK && eq && a[0] == a[1] {
				return boolean(ok(0)), true
			}
			return nil, false
		}
		return boolean(ok(c)), true
	}
}

func arith(op byte) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		x, ok1 := asNumber(a[0])
		y, ok2 := asNumber(a[1])
		if !ok1 || !ok2 {
			return nil, false
		}
		x, y, k := promote(x, y)
		if op == '/' && k == kInteger {
			x, y, k = x.as(kDecimal), y.as(kDecimal), kDecimal
		}
		out := number{kind: k}
		switch k {
		case kInteger:
			out.i = new(big.Int)
			switch op {
			case '+':
				out.i.Add(x.i, y.i)
			case '-':
				out.i.Sub(x.i, y.i)
			case '*':
				out.i.Mul(x.i, y.i)
			}
		case kDecimal:
			out.r = new(big.Rat)
			switch op {
			case '+':
				out.r.Add(x.r, y.r)
			case '-':
				out.r.Sub(x.r, y.r)
			case '*':
				out.r.Mul(x.r, y.r)
			case '/':
				if y.r.Sign() == 0 {
					return nil, false
				}
				out.r.Quo(x.r, y.r)
			}
		default:
			switch op {
			case '+':
				out.f = x.f + y.f
			case '-':
				out.f = x.f - y.f
			case '*':
				out.f = x.f * y.f
			case '/':
				out.f = x.f / y.f
			}
			if k == kFloat {
				out.f = float64(float32(out.f))
			}
		}
		return out.value(), true
	}
}

func ratFloor(r *big.Rat, negate bool) *big.Rat {
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for a positive denominator
	out := new(big.Rat).SetInt(q)
	if negate {
		out.Neg(out)
	}
	return out
}

func numeric1(f func(float64) float64, d func(*big.Rat) *big.Rat) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		n, ok := asNumber(a[0])
		if !ok {
			return nil, false
		}
		switch n.kind {
		case kInteger:
			r := d(n.rat())
			return number{kind: kInteger, i: new(big.Int).Set(r.Num())}.value(), true
		case kDecimal:
			return number{kind: kDecimal, r: d(n.r)}.value(), true
		}
		n.f = f(n.f)
		return n.value(), true
	}
}

func mapString(f func(string) string) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		s, lang, ok := stringArg(a[0])
		return withLang(f(s), lang), ok
	}
}

// compatibleArgs checks the argument rule of the string functions: the
// second is simple, or has the first's language.
func compatibleArgs(a []quad.Value) (s1, lang1, s2 string, ok bool) {
	s1, lang1, ok1 := stringArg(a[0])
	s2, lang2, ok2 := stringArg(a[1])
	if !ok1 || !ok2 || lang2 != "" && lang2 != lang1 {
		return "", "", "", false
	}
	return s1, lang1, s2, true
}

func stringTest(f func(string, string) bool) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		s1, _, s2, ok := compatibleArgs(a)
		return boolean(f(s1, s2)), ok
	}
}

func stringSplit(before bool) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		s1, lang, s2, ok := compatibleArgs(a)
		if !ok {
			return nil, false
		}
		i := strings.Index(s1, s2)
		switch {
		case i < 0:
			return quad.String(""), true
		case before:
			return withLang(s1[:i], lang), true
		}
		return withLang(s1[i+len(s2):], lang), true
	}
}

func hashFunc(h func() hash.Hash) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		s, ok := a[0].(quad.String)
		if !ok {
			return nil, false
		}
		w := h()
		w.Write([]byte(s))
		return quad.String(hex.EncodeToString(w.Sum(nil))), true
	}
}

func timePart(f func(time.Time) quad.Value) fn {
	return func(_ *exec, a []quad.Value) (quad.Value, bool) {
		t, _, ok := asTime(a[0])
		if !ok {
			return nil, false
		}
		return f(t), true
	}
}

func dayTimeDuration(off int) string {
	if off == 0 {
		return "PT0S"
	}
	sign := ""
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	s := sign + "PT"
	if h > 0 {
		s += strconv.Itoa(h) + "H"
	}
	if m > 0 {
		s += strconv.Itoa(m) + "M"
	}
	return s
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// regex compiles an XPath regular expression with its flags, cached.
func (x *exec) regex(a []quad.Value) (*regexp.Regexp, bool) {
	pat, ok := a[0].(quad.String)
	if !ok {
		return nil, false
	}
	flags := ""
	if len(a) > 1 {
		f, ok := a[1].(quad.String)
		if !ok {
			return nil, false
		}
		flags = string(f)
	}
	key := string(pat) + "\x00" + flags
	if rx, ok := x.regexps[key]; ok {
		return rx, rx != nil
	}
	src, goFlags := string(pat), ""
	for _, f := range flags {
		switch f {
		case 'i', 's', 'm':
			goFlags += string(f)
		case 'x':
			src = strings.Map(func(r rune) rune {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
					return -1
				}
				return r
			}, src)
		case 'q':
			src = regexp.QuoteMeta(src)
		default:
			x.regexps[key] = nil
			return nil, false
		}
	}
	if goFlags != "" {
		src = "(?" + goFlags + ")" + src
	}
	rx, err := regexp.Compile(src)
	if err != nil {
		rx = nil
	}
	x.regexps[key] = rx
	return rx, rx != nil
}

// goReplacement turns XPath's $1 into Go's ${1}.
func goReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			if s[i] == '$' {
				b.WriteString("$$")
			} else {
				b.WriteByte(s[i])
			}
		case s[i] == '$':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString("${" + s[i+1:j] + "}")
			i = j - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// solutionID identifies a solution by its bindings, leaving out the blank
// nodes the run made.
func (x *exec) solutionID(r row) string {
	var b strings.Builder
	mine := "q" + x.runID + "b"
	for i, v := range r.b {
		if !v.bound() {
			continue
		}
		val := x.value(v)
		if bn, ok := val.(quad.BNode); ok && strings.HasPrefix(string(bn), mine) {
			continue
		}
		fmt.Fprintf(&b, "%d=%s;", i, val)
	}
	return b.String()
}
