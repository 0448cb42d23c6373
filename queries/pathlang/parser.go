package pathlang

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/factgraph/factgraph/graph/errs"
)

// Parse parses one query. On errors it returns an errs.List (at most MaxErrors,
// sorted by position) together with whatever it could parse.
func Parse(src string) (*Query, error) {
	p := &parser{sc: scanner{src: src}, src: src}
	p.advance()
	q := p.query(EOF)
	if p.tok.Kind != EOF {
		p.expected("step ('->', '<-', '<->', '[', as, back, and, or, except, unique, order, count, limit, skip, in source, as of) or end of query")
	}
	return q, p.errlist.Err()
}

type parser struct {
	sc      scanner
	src     string
	tok     Token
	prev    Token // the token before tok
	errlist errs.List
	// bail is set once MaxErrors errors were reported; parsing then ends.
	bail bool
}

func (p *parser) advance() { p.prev, p.tok = p.tok, p.sc.next() }

// PositionOf converts a byte offset of src into a line and column.
func PositionOf(src string, pos Pos) Position {
	if int(pos) > len(src) {
		pos = Pos(len(src))
	}
	before := src[:pos]
	line := strings.Count(before, "\n") + 1
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return Position{Line: line, Column: utf8.RuneCountInString(before[lineStart:]) + 1}
}

func (p *parser) errorAt(pos Pos, msg string) {
	if p.bail {
		return
	}
	e := errorAt(p.src, pos, errs.Invalid, msg)
	for _, old := range p.errlist {
		if positionOf(old) == positionOf(e) {
			return // one error per position: the first says it best
		}
	}
	p.errlist.Add(e)
	if len(p.errlist) >= MaxErrors {
		p.bail = true
	}
}

// expected reports "expected what, found TOKEN" at the current token.
func (p *parser) expected(what string) {
	if p.tok.Kind == ILLEGAL && strings.HasPrefix(p.tok.Text, `"`) {
		// Unterminated string: say so where the closing quote is missing.
		p.errorAt(p.tok.Pos+Pos(len(p.tok.Text)), "expected closing '\"' of string, found end of line")
		return
	}
	msg := "expected " + what + ", found " + p.tok.describe()
	if p.tok.Kind == PIPE {
		msg += "; to follow any of several predicates, put them in parentheses: -> (hasRAAWith | negotiatingRAAWith)"
	}
	p.errorAt(p.tok.Pos, msg)
}

// keyword reports whether the current token is the bare word kw.
func (p *parser) keyword(kw string) bool { return p.tok.Kind == IDENT && p.tok.Text == kw }

// query parses start and steps until the token end (EOF or RPAREN).
func (p *parser) query(end Kind) *Query {
	q := &Query{Start: p.start()}
	asOfAt := -1 // index in Steps where an "as of" stood
	for !p.bail && p.tok.Kind != end && p.tok.Kind != EOF {
		st := p.step()
		if st == nil {
			p.sync(end)
			continue
		}
		if a, ok := st.(*AsOf); ok {
			p.placeAsOf(q, a, end)
			asOfAt = len(q.Steps)
			continue
		}
		q.Steps = append(q.Steps, st)
	}
	if asOfAt >= 0 {
		p.checkAsOfLast(q, q.Steps[asOfAt:])
	}
	for i, st := range q.Steps {
		if m, ok := st.(*Modifier); ok && m.Name == "count" && i != len(q.Steps)-1 {
			p.errorAt(m.At, "count must be the last step")
		}
	}
	return q
}

// sync skips to a token that can begin a step, after an error.
func (p *parser) sync(end Kind) {
	for {
		switch p.tok.Kind {
		case EOF, OUT, IN, BOTH, LBRACK, end:
			return
		case IDENT:
			if isKeyword(p.tok.Text) {
				return
			}
		}
		p.advance()
	}
}

var keywords = map[string]bool{
	"as": true, "back": true, "and": true, "or": true, "except": true, "unique": true,
	"order": true, "count": true, "limit": true, "skip": true, "in": true,
}

func isKeyword(s string) bool { return keywords[s] }

// list parses item { sep item } close; item reports whether it parsed. It
// consumes close and reports whether the whole list parsed.
func (p *parser) list(sep, close Kind, expected string, item func() bool) bool {
	for {
		if !item() {
			return false
		}
		if p.tok.Kind != sep {
			break
		}
		p.advance()
	}
	if p.tok.Kind != close {
		p.expected(expected)
		return false
	}
	p.advance()
	return true
}

func (p *parser) start() Start {
	s := Start{At: p.tok.Pos}
	switch p.tok.Kind {
	case STAR:
		s.All = true
		p.advance()
	case LBRACE:
		p.advance()
		p.list(COMMA, RBRACE, "',' or '}'", func() bool {
			n, ok := p.node("node name")
			if ok {
				s.Nodes = append(s.Nodes, n)
			}
			return ok
		})
	default:
		n, ok := p.node("start node (a name, \"quoted name\", <IRI>, prefix:name, {a, b} or *)")
		if ok {
			s.Nodes = []Node{n}
		}
	}
	return s
}

// node parses a name, string, IRI or prefixed name.
func (p *parser) node(what string) (Node, bool) {
	switch p.tok.Kind {
	case IDENT, PNAME, IRI, STRING:
		n := Node{At: p.tok.Pos, Kind: p.tok.Kind, Text: p.tok.Text}
		p.advance()
		return n, true
	}
	p.expected(what)
	return Node{}, false
}

func (p *parser) step() Step {
	at := p.tok.Pos
	switch p.tok.Kind {
	case OUT, IN, BOTH:
		return p.traverse()
	case LBRACK:
		return p.filter()
	case IDENT:
		switch kw := p.tok.Text; kw {
		case "as", "back":
			p.advance()
			if kw == "as" && p.keyword("of") {
				return p.asOf(at)
			}
			if p.tok.Kind != IDENT || isKeyword(p.tok.Text) {
				p.expected("tag name after " + kw)
				return nil
			}
			name := p.tok.Text
			p.advance()
			if kw == "as" {
				return &As{At: at, Name: name}
			}
			return &Back{At: at, Name: name}
		case "and", "or", "except":
			p.advance()
			if p.tok.Kind != LPAREN {
				p.expected("'(' after " + kw)
				return nil
			}
			p.advance()
			sub := p.query(RPAREN)
			if p.tok.Kind != RPAREN {
				p.expected("')' to close " + kw)
				return nil
			}
			p.advance()
			return &SetOp{At: at, Op: kw, Sub: sub}
		case "unique", "order", "count":
			p.advance()
			return &Modifier{At: at, Name: kw}
		case "limit", "skip":
			p.advance()
			if p.tok.Kind != NUMBER {
				p.expected("number after " + kw)
				return nil
			}
			n, err := strconv.ParseInt(p.tok.Text, 10, 64)
			if err != nil || n < 0 {
				p.errorAt(p.tok.Pos, kw+" takes a whole number ≥ 0, found "+p.tok.Text)
				p.advance()
				return nil
			}
			p.advance()
			return &Slice{At: at, Name: kw, N: n}
		case "in":
			p.advance()
			if !p.keyword("source") {
				p.expected("'source' after in")
				return nil
			}
			p.advance()
			n, ok := p.node("source (a sentence or document: name, <IRI> or prefix:name)")
			if !ok {
				return nil
			}
			return &InSource{At: at, Source: n}
		}
		if p.prev.Kind == IDENT && p.prev.Pos+Pos(len(p.prev.Text)) < p.tok.Pos {
			p.errorAt(p.tok.Pos, fmt.Sprintf("expected step ('->', '<-', '<->', '[' or a keyword), found %s; to name a node with spaces, quote it: %q",
				p.tok.describe(), p.prev.Text+" "+p.tok.Text))
			return nil
		}
	}
	p.expected("step ('->', '<-', '<->', '[', as, back, and, or, except, unique, order, count, limit, skip, in source)")
	return nil
}

func directionOf(k Kind) Direction {
	switch k {
	case IN:
		return In
	case BOTH:
		return Both
	}
	return Out
}

func (p *parser) traverse() Step {
	t := &Traverse{At: p.tok.Pos, Dir: directionOf(p.tok.Kind)}
	p.advance()
	switch p.tok.Kind {
	case STAR:
		p.advance()
	case LPAREN:
		p.advance()
		ok := p.list(PIPE, RPAREN, "'|' or ')'", func() bool {
			n, ok := p.predicate()
			t.Preds = append(t.Preds, n)
			return ok
		})
		if !ok {
			return nil
		}
	default:
		n, ok := p.predicate()
		if !ok {
			return nil
		}
		t.Preds = []Node{n}
	}
	if p.tok.Kind == PLUS || p.tok.Kind == STAR {
		t.Repeat = p.tok.Kind
		p.advance()
	}
	return t
}

func (p *parser) predicate() (Node, bool) {
	switch p.tok.Kind {
	case IDENT, PNAME, IRI:
		n := Node{At: p.tok.Pos, Kind: p.tok.Kind, Text: p.tok.Text}
		p.advance()
		return n, true
	}
	p.expected("predicate")
	return Node{}, false
}

func (p *parser) filter() Step {
	f := &Filter{At: p.tok.Pos}
	p.advance()
	ok := p.list(COMMA, RBRACK, "',' or ']'", func() bool {
		c, ok := p.cond()
		f.Conds = append(f.Conds, c)
		return ok
	})
	if !ok {
		return nil
	}
	return f
}

func (p *parser) cond() (Cond, bool) {
	c := Cond{At: p.tok.Pos}
	if p.tok.Kind == OUT || p.tok.Kind == IN {
		c.Op = p.tok.Kind
		p.advance()
		n, ok := p.predicate()
		c.Pred = n
		return c, ok
	}
	n, ok := p.predicate()
	if !ok {
		return c, false
	}
	c.Pred = n
	switch p.tok.Kind {
	case EQ, NEQ, LT, LTE, GT, GTE, MATCH:
		c.Op = p.tok.Kind
		p.advance()
	default:
		p.expected("comparison ('=', '!=', '<', '<=', '>', '>=', '~')")
		return c, false
	}
	switch p.tok.Kind {
	case IDENT, PNAME, IRI, STRING, NUMBER, DATE:
		c.Value = Node{At: p.tok.Pos, Kind: p.tok.Kind, Text: p.tok.Text}
		p.advance()
	default:
		p.expected("value (name, \"string\", number, date, <IRI> or prefix:name)")
		return c, false
	}
	if c.Op == MATCH && c.Value.Kind != STRING {
		p.errorAt(c.Value.At, "expected \"regular expression\" after '~', found "+c.Value.Kind.String())
		return c, false
	}
	return c, true
}
