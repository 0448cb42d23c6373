package algebra

// InScope returns the variables a pattern may bind, in first-seen order
// (section 18.2.1), hidden ones included.
func InScope(p Pattern) []string {
	var out []string
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	var walk func(Pattern)
	walk = func(p Pattern) {
		switch p := p.(type) {
		case *BGP:
			for _, t := range p.Triples {
				for _, v := range t.Vars() {
					add(v)
				}
			}
		case *PathPattern:
			if p.S.IsVar() {
				add(p.S.Var)
			}
			if p.O.IsVar() {
				add(p.O.Var)
			}
		case *Join:
			walk(p.Left)
			walk(p.Right)
		case *LeftJoin:
			walk(p.Left)
			walk(p.Right)
		case *Union:
			walk(p.Left)
			walk(p.Right)
		case *Minus:
			walk(p.Left)
		case *Filter:
			walk(p.Inner)
		case *Graph:
			if p.Name.IsVar() {
				add(p.Name.Var)
			}
			walk(p.Inner)
		case *Extend:
			walk(p.Inner)
			add(p.Var)
		case *Table:
			for _, v := range p.Vars {
				add(v)
			}
		case *Group:
			for _, k := range p.Keys {
				if k.Var != "" {
					add(k.Var)
				}
			}
			for _, a := range p.Aggregates {
				add(a.Var)
			}
		case *OrderBy:
			walk(p.Inner)
		case *Project:
			for _, v := range p.Vars {
				add(v)
			}
		case *Distinct:
			walk(p.Inner)
		case *Reduced:
			walk(p.Inner)
		case *Slice:
			walk(p.Inner)
		case *Service:
			if p.Name.IsVar() {
				add(p.Name.Var)
			}
			walk(p.Inner)
		}
	}
	walk(p)
	return out
}

// ExprVars returns the variables an expression mentions, outside EXISTS.
func ExprVars(e Expr) []string {
	var out []string
	var walk func(Expr)
	walk = func(e Expr) {
		switch e := e.(type) {
		case *VarRef:
			if !Contains(out, e.Name) {
				out = append(out, e.Name)
			}
		case *Call:
			for _, a := range e.Args {
				walk(a)
			}
		case *In:
			walk(e.Expr)
			for _, a := range e.List {
				walk(a)
			}
		case *Aggregate:
			if e.Arg != nil {
				walk(e.Arg)
			}
		}
	}
	walk(e)
	return out
}
