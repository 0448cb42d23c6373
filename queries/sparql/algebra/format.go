package algebra

import (
	"fmt"
	"strings"
)

// Format renders a query's algebra as an S-expression, one operator a line,
// in the style of the recommendation's examples.
func Format(q *Query) string {
	var b strings.Builder
	fmt.Fprintf(&b, "(%s", strings.ToLower(q.Form.String()))
	if q.Dataset != nil {
		for _, g := range q.Dataset.Default {
			fmt.Fprintf(&b, " (from <%s>)", g)
		}
		for _, g := range q.Dataset.Named {
			fmt.Fprintf(&b, " (from-named <%s>)", g)
		}
	}
	b.WriteString("\n")
	formatPattern(&b, q.Pattern, 1)
	b.WriteString(")\n")
	return b.String()
}

func line(b *strings.Builder, depth int, format string, args ...any) {
	b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(b, format, args...)
	b.WriteString("\n")
}

func formatPattern(b *strings.Builder, p Pattern, d int) {
	two := func(name string, l, r Pattern, extra string) {
		line(b, d, "(%s%s", name, extra)
		formatPattern(b, l, d+1)
		formatPattern(b, r, d+1)
		line(b, d, ")")
	}
	one := func(head string, inner Pattern) {
		line(b, d, "(%s", head)
		formatPattern(b, inner, d+1)
		line(b, d, ")")
	}
	switch p := p.(type) {
	case *BGP:
		if len(p.Triples) == 0 {
			line(b, d, "(bgp)")
			return
		}
		line(b, d, "(bgp")
		for _, t := range p.Triples {
			line(b, d+1, "(triple %s)", t)
		}
		line(b, d, ")")
	case *PathPattern:
		line(b, d, "(path %s %s %s)", p.S, FormatPath(p.Path), p.O)
	case *Join:
		two("join", p.Left, p.Right, "")
	case *LeftJoin:
		extra := ""
		if p.Expr != nil {
			extra = " " + FormatExpr(p.Expr)
		}
		two("leftjoin", p.Left, p.Right, extra)
	case *Union:
		two("union", p.Left, p.Right, "")
	case *Minus:
		two("minus", p.Left, p.Right, "")
	case *Filter:
		var es []string
		for _, e := range p.Exprs {
			es = append(es, FormatExpr(e))
		}
		one("filter "+strings.Join(es, " "), p.Inner)
	case *Graph:
		one("graph "+p.Name.String(), p.Inner)
	case *Service:
		one("service "+p.Name.String(), p.Inner)
	case *Extend:
		one(fmt.Sprintf("extend (%s %s)", V(p.Var), FormatExpr(p.Expr)), p.Inner)
	case *Table:
		var vs []string
		for _, v := range p.Vars {
			vs = append(vs, V(v).String())
		}
		line(b, d, "(table (vars %s) %d rows)", strings.Join(vs, " "), len(p.Rows))
	case *Group:
		var ks, as []string
		for _, k := range p.Keys {
			ks = append(ks, FormatExpr(k.Expr))
		}
		for _, a := range p.Aggregates {
			as = append(as, fmt.Sprintf("(%s %s)", V(a.Var), FormatExpr(a.Agg)))
		}
		one(fmt.Sprintf("group (%s) (%s)", strings.Join(ks, " "), strings.Join(as, " ")), p.Inner)
	case *OrderBy:
		var cs []string
		for _, c := range p.Conds {
			if c.Desc {
				cs = append(cs, "(desc "+FormatExpr(c.Expr)+")")
			} else {
				cs = append(cs, FormatExpr(c.Expr))
			}
		}
		one("order "+strings.Join(cs, " "), p.Inner)
	case *Project:
		var vs []string
		for _, v := range p.Vars {
			vs = append(vs, V(v).String())
		}
		one("project ("+strings.Join(vs, " ")+")", p.Inner)
	case *Distinct:
		one("distinct", p.Inner)
	case *Reduced:
		one("reduced", p.Inner)
	case *Slice:
		lim := "_"
		if p.Limit >= 0 {
			lim = fmt.Sprint(p.Limit)
		}
		one(fmt.Sprintf("slice %d %s", p.Offset, lim), p.Inner)
	default:
		line(b, d, "(?)")
	}
}

// FormatPath renders a property path.
func FormatPath(p Path) string {
	switch x := p.(type) {
	case *Link:
		return x.IRI.String()
	case *Inverse:
		return "^" + FormatPath(x.Path)
	case *Sequence:
		return "(" + FormatPath(x.Left) + "/" + FormatPath(x.Right) + ")"
	case *Alternative:
		return "(" + FormatPath(x.Left) + "|" + FormatPath(x.Right) + ")"
	case *ZeroOrMore:
		return FormatPath(x.Path) + "*"
	case *OneOrMore:
		return FormatPath(x.Path) + "+"
	case *ZeroOrOne:
		return FormatPath(x.Path) + "?"
	case *NegatedSet:
		var parts []string
		for _, f := range x.Forward {
			parts = append(parts, f.String())
		}
		for _, f := range x.Backward {
			parts = append(parts, "^"+f.String())
		}
		return "!(" + strings.Join(parts, "|") + ")"
	}
	return "?"
}

// FormatExpr renders an expression in prefix form.
func FormatExpr(e Expr) string {
	switch e := e.(type) {
	case *Const:
		return e.Value.String()
	case *VarRef:
		return V(e.Name).String()
	case *Call:
		var args []string
		for _, a := range e.Args {
			args = append(args, FormatExpr(a))
		}
		op := e.Op
		if strings.Contains(op, ":") {
			op = "<" + op + ">"
		}
		return "(" + strings.Join(append([]string{op}, args...), " ") + ")"
	case *Exists:
		if e.Not {
			return "(notexists ...)"
		}
		return "(exists ...)"
	case *In:
		var args []string
		for _, a := range e.List {
			args = append(args, FormatExpr(a))
		}
		op := "in"
		if e.Not {
			op = "notin"
		}
		return "(" + op + " " + FormatExpr(e.Expr) + " " + strings.Join(args, " ") + ")"
	case *Aggregate:
		arg := "*"
		if e.Arg != nil {
			arg = FormatExpr(e.Arg)
		}
		if e.Distinct {
			arg = "distinct " + arg
		}
		return "(" + e.Name + " " + arg + ")"
	}
	return "?"
}
