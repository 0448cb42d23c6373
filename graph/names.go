package graph

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
)

// EachQuad calls fn for every quad whose direction d is v, in store order. It stops
// at the first error fn returns.
func EachQuad(ctx context.Context, qs cgraph.QuadStore, d quad.Direction, v quad.Value, fn func(quad.Quad) error) error {
	ref, err := valueOf(ctx, qs, v)
	if err != nil || ref == nil {
		return err
	}
	return iterator.Iterate(ctx, qs.QuadIterator(d, ref)).Each(func(r cgraph.Ref) error {
		q, err := qs.Quad(r)
		if err != nil {
			return err
		}
		return fn(q)
	})
}

// valueOf returns the store's ref of v, or nil (and no error) when the store
// does not hold v.
func valueOf(_ context.Context, qs cgraph.QuadStore, v quad.Value) (cgraph.Ref, error) {
	return qs.ValueOf(v)
}

// Exists reports whether v occurs in any quad of the store. (A ref alone does not
// tell: SQL backends derive refs from value hashes, and Cayley's bolt backend
// caches them, so ValueOf can answer for values no quad holds.)
func Exists(ctx context.Context, qs cgraph.QuadStore, v quad.Value) (bool, error) {
	for _, d := range []quad.Direction{quad.Subject, quad.Object, quad.Predicate, quad.Label} {
		if ok, err := occursAs(ctx, qs, d, v); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

// occursAs reports whether v is direction d of at least one quad.
func occursAs(ctx context.Context, qs cgraph.QuadStore, d quad.Direction, v quad.Value) (bool, error) {
	ref, err := valueOf(ctx, qs, v)
	if err != nil || ref == nil {
		return false, err
	}
	n, err := iterator.Iterate(ctx, qs.QuadIterator(d, ref)).Limit(1).Count()
	return n > 0, err
}

// NameOf returns the display name of a node: its schema:name (the smallest, when
// it has several), the text of a literal, or the compact IRI when it has no name.
func NameOf(ctx context.Context, qs cgraph.QuadStore, v quad.Value) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case quad.IRI, quad.BNode:
	default:
		return Plain(v), nil
	}
	names, err := namesOf(ctx, qs, v)
	if err != nil {
		return "", err
	}
	best, found := "", len(names) > 0
	for i, n := range names {
		if s := Plain(n); i == 0 || s < best {
			best = s
		}
	}
	if !found {
		if iri, ok := v.(quad.IRI); ok {
			return Compact(string(iri)), nil
		}
		return v.String(), nil
	}
	return best, nil
}

// Resolve returns the node a user means by s, trying in order: a full IRI given in
// angle brackets or a prefixed name ("fg:Japan"), a node of factgraph's namespace
// with that local name, then nodes whose schema:name and then whose
// schema:alternateName equals s, exactly first and then ignoring case. No match
// is a not-found error (with a suggestion when a name is close); several matches
// at the same step are an invalid error listing the candidates.
func Resolve(ctx context.Context, qs cgraph.QuadStore, s string) (quad.Value, error) {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		return quad.IRI(s[1 : len(s)-1]), nil
	}
	var candidates []quad.Value
	if full, ok := Expand(s); ok {
		candidates = append(candidates, quad.IRI(full))
	}
	if localName(s) {
		candidates = append(candidates, quad.IRI(NS+s))
	}
	for _, c := range candidates {
		ok, err := Exists(ctx, qs, c)
		if err != nil {
			return nil, err
		}
		if ok {
			return c, nil
		}
	}
	if len(candidates) > 0 && strings.Contains(s, ":") {
		// An explicit prefixed name means that IRI, whether or not the store has it.
		return candidates[0], nil
	}
	for _, pred := range []quad.IRI{Name, Alias} {
		nodes, err := nodesNamed(ctx, qs, pred, s)
		if err != nil {
			return nil, err
		}
		switch len(nodes) {
		case 0:
			continue
		case 1:
			return nodes[0], nil
		}
		list := make([]string, len(nodes))
		for i, n := range nodes {
			list[i] = CompactTerm(Plain(n))
		}
		sort.Strings(list)
		return nil, errs.Errorf(errs.Invalid, "%q is ambiguous: it names %s; write one of them instead", s, strings.Join(list, ", "))
	}
	err := errs.Errorf(errs.NotFound, "no node is named %q", s)
	if near, _ := closestName(ctx, qs, s); near != "" {
		err.Message += fmt.Sprintf("; did you mean %q?", near)
	} else if localName(s) {
		// A typo of an id (RAA-Japan-Philipines) rather than of a name.
		if id, _ := ClosestNode(ctx, qs, NS+s); id != "" {
			err.Message += fmt.Sprintf("; did you mean %s?", id)
		}
	}
	return nil, err
}

// localName reports whether s can be the local name of a node of
// factgraph's namespace (fg:s).
func localName(s string) bool { return s != "" && !strings.ContainsAny(s, " :/#<>\"") }

// nodesNamed returns the distinct subjects of pred quads whose object is s,
// matching exactly and, when nothing matches exactly, ignoring case.
func nodesNamed(ctx context.Context, qs cgraph.QuadStore, pred quad.IRI, s string) ([]quad.Value, error) {
	exact, err := path.StartPath(qs, quad.String(s)).In(pred).Iterate(ctx).AllValues(qs)
	if err != nil || len(exact) > 0 {
		return uniqueValues(exact), err
	}
	var folded []quad.Value
	err = EachQuad(ctx, qs, quad.Predicate, pred, func(q quad.Quad) error {
		if strings.EqualFold(Plain(q.Object), s) {
			folded = append(folded, q.Subject)
		}
		return nil
	})
	return uniqueValues(folded), err
}

func uniqueValues(vs []quad.Value) []quad.Value {
	seen := make(map[quad.Value]bool, len(vs))
	out := vs[:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// closestName returns the name or alias closest to s (see Closest).
func closestName(ctx context.Context, qs cgraph.QuadStore, s string) (string, error) {
	names, err := KnownNames(ctx, qs)
	return Closest(s, names), err
}

// KnownNames returns every schema:name and schema:alternateName of the store,
// the names Resolve finds nodes by, for suggesting one close to a typo.
func KnownNames(ctx context.Context, qs cgraph.QuadStore) ([]string, error) {
	var names []string
	for _, pred := range []quad.IRI{Name, Alias} {
		err := EachQuad(ctx, qs, quad.Predicate, pred, func(q quad.Quad) error {
			names = append(names, Plain(q.Object))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return names, nil
}

// ClosestNode returns, in compact form, the IRI of a named node (a subject of a
// name or alias) closest to iri if it is close enough to be a likely typo, or "".
func ClosestNode(ctx context.Context, qs cgraph.QuadStore, iri string) (string, error) {
	seen := map[string]bool{}
	var iris []string
	for _, pred := range []quad.IRI{Name, Alias} {
		err := EachQuad(ctx, qs, quad.Predicate, pred, func(q quad.Quad) error {
			if s, ok := q.Subject.(quad.IRI); ok && !seen[string(s)] {
				seen[string(s)] = true
				iris = append(iris, string(s))
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	// Within a namespace only local names are compared, so that the shared
	// prefix does not make every IRI look close.
	want := CompactTerm(iri)
	if prefix, local, ok := strings.Cut(want, ":"); ok && want != iri {
		var locals []string
		for _, c := range iris {
			if p, l, ok := strings.Cut(CompactTerm(c), ":"); ok && p == prefix {
				locals = append(locals, l)
			}
		}
		if near := Closest(local, locals); near != "" {
			return prefix + ":" + near, nil
		}
		return "", nil
	}
	if near := Closest(iri, iris); near != "" {
		return CompactTerm(near), nil
	}
	return "", nil
}

// namesOf returns the schema:name values of v. NameOf runs for every cell and
// every fact, so a node's own quads are scanned directly, which costs less than
// a path query; a hub with more than a few is left to the path's index join.
// (Scanning, rather than asking the store for a size first, keeps it to one
// round trip on SQL backends.)
func namesOf(ctx context.Context, qs cgraph.QuadStore, v quad.Value) ([]quad.Value, error) {
	const scanUpTo = 64
	errHub := errors.New("hub")
	var names []quad.Value
	n := 0
	err := EachQuad(ctx, qs, quad.Subject, v, func(q quad.Quad) error {
		if n++; n > scanUpTo {
			return errHub
		}
		if q.Predicate == Name {
			names = append(names, q.Object)
		}
		return nil
	})
	if err == errHub {
		return path.StartPath(qs, v).Out(Name).Iterate(ctx).AllValues(qs)
	}
	return names, err
}

// Closest returns the candidate closest to s by edit distance if it is close
// enough to be a likely typo, or else the shortest candidate that s begins
// (ignoring case; s of three characters or more), or "".
func Closest(s string, candidates []string) string {
	best, bestD := "", len(s)/3+1
	for _, c := range candidates {
		if d := EditDistance(strings.ToLower(c), strings.ToLower(s)); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" || len([]rune(s)) < 3 {
		return best
	}
	for _, c := range candidates {
		if len(c) > len(s) && strings.HasPrefix(strings.ToLower(c), strings.ToLower(s)) && (best == "" || len(c) < len(best)) {
			best = c
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, in runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
