package queries

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/graph/timeline"
)

// History is the record of one node over time: for a happening with a status,
// every statement of its status; for any other node, every statement about
// it (as subject or object) that a sentence makes. Entries are in date order,
// then by document and sentence.
type History struct {
	Node quad.Value
	Name string
	// Statuses is set when the entries are the status statements of a
	// happening; Current then holds its status (two values when the latest
	// statements disagree, Contradicted).
	Statuses     bool
	Current      []string
	Contradicted bool
	Entries      []Entry
}

// Entry is one statement of a history: the fact, with the one statement
// (sentence, source, date) that makes it.
type Entry struct {
	Fact Fact
	// Superseded is set for a status, or a shortcut edge it stood for, that
	// a later statement replaced; it stays as history and evidence.
	Superseded bool
}

// Statement returns the entry's statement.
func (e Entry) Statement() Statement { return e.Fact.Statements[0] }

// HistoryOf returns the history of the node a user names (as in path
// expressions), as the documents published up to asOf ("" for all) state it.
func HistoryOf(ctx context.Context, qs cgraph.QuadStore, name, asOf string) (*History, error) {
	qs = graph.Inner(qs)
	if asOf != "" {
		if _, err := timeline.ParseDate(asOf); err != nil {
			return nil, err
		}
	}
	node, err := graph.Resolve(ctx, qs, name)
	if err != nil {
		return nil, err
	}
	h := &History{Node: node}
	if h.Name, err = graph.NameOf(ctx, qs, node); err != nil {
		return nil, err
	}
	ef := newEvidenceFinder(qs)
	hs, err := timeline.Statuses(ctx, qs, node, asOf)
	if err != nil {
		return nil, err
	}
	if len(hs) == 1 {
		h.Statuses, h.Current, h.Contradicted = true, hs[0].Current, hs[0].Contradicted
		for _, s := range hs[0].Statements {
			e, err := ef.entry(ctx, s.Quad, s.Superseded)
			if err != nil {
				return nil, err
			}
			h.Entries = append(h.Entries, e)
		}
		return h, nil
	}
	if err := h.statements(ctx, qs, ef, asOf); err != nil {
		return nil, err
	}
	return h, nil
}

// statements fills in the statements about the node that sentences make,
// marking those the latest view hides as superseded.
func (h *History) statements(ctx context.Context, qs cgraph.QuadStore, ef *evidenceFinder, asOf string) error {
	view, err := timeline.Open(ctx, qs, asOf)
	if err != nil {
		return err
	}
	current := map[quad.Quad]bool{}
	for _, d := range []quad.Direction{quad.Subject, quad.Object} {
		err := graph.EachQuad(ctx, view, d, h.Node, func(q quad.Quad) error {
			current[q] = true
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, d := range []quad.Direction{quad.Subject, quad.Object} {
		err := graph.EachQuad(ctx, qs, d, h.Node, func(q quad.Quad) error {
			if d == quad.Object && q.Subject == h.Node {
				return nil // listed as subject already
			}
			e, err := ef.entry(ctx, q, !current[q])
			if err != nil {
				return err
			}
			st := e.Statement()
			if st.Sentence == "" || (asOf != "" && st.Date > asOf) {
				return nil // not a sentence's statement, or later
			}
			h.Entries = append(h.Entries, e)
			return nil
		})
		if err != nil {
			return err
		}
	}
	sort.SliceStable(h.Entries, func(i, j int) bool {
		a, b := h.Entries[i].Statement(), h.Entries[j].Statement()
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		if da, db := graph.Plain(a.Document), graph.Plain(b.Document); da != db {
			return da < db
		}
		return a.Position < b.Position
	})
	return nil
}

// entry resolves one quad into a history entry.
func (ef *evidenceFinder) entry(ctx context.Context, q quad.Quad, superseded bool) (Entry, error) {
	facts, err := ef.resolve(ctx, quadFacts([]quad.Quad{q}))
	if err != nil {
		return Entry{}, err
	}
	return Entry{Fact: facts[0], Superseded: superseded}, nil
}

// WriteText writes the history for a terminal: a heading, then each entry's
// date, status or fact, and sentence.
func (h *History) WriteText(w io.Writer) error {
	var b strings.Builder
	node := graph.CompactTerm(graph.Plain(h.Node))
	switch {
	case h.Statuses && h.Contradicted:
		fmt.Fprintf(&b, "%s (%s): %s — the latest statements disagree\n", h.Name, node, strings.Join(h.Current, " or "))
	case h.Statuses:
		since := ""
		for _, e := range h.Entries {
			if !e.Superseded && since == "" {
				since = e.Statement().Date
			}
		}
		fmt.Fprintf(&b, "%s (%s): %s", h.Name, node, strings.Join(h.Current, ", "))
		if since != "" {
			fmt.Fprintf(&b, " since %s", since)
		}
		b.WriteString("\n")
	case len(h.Entries) == 0:
		fmt.Fprintf(&b, "%s (%s): no sentence states anything about it\n", h.Name, node)
	default:
		fmt.Fprintf(&b, "%s (%s): %d statements\n", h.Name, node, len(h.Entries))
	}
	for _, e := range h.Entries {
		st := e.Statement()
		date := st.Date
		if date == "" {
			date = "(undated)"
		}
		what := e.Fact.String()
		if h.Statuses {
			what = graph.Plain(e.Fact.Object)
		}
		mark := ""
		if e.Superseded {
			mark = " (superseded)"
		}
		fmt.Fprintf(&b, "%s  %s%s\n    %s\n", date, what, mark, st.Cite())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// HistoryJSON is the JSON form of a History. Current and Contradicted are
// set for the status history of a happening only.
type HistoryJSON struct {
	Node         string             `json:"node"`
	Name         string             `json:"name"`
	Kind         string             `json:"kind"` // "statuses" or "statements"
	Current      []string           `json:"current,omitempty"`
	Contradicted *bool              `json:"contradicted,omitempty"`
	Entries      []HistoryEntryJSON `json:"entries"`
}

// HistoryEntryJSON is one entry of a history: its date, whether a later
// statement superseded it, and the fact with its statement.
type HistoryEntryJSON struct {
	Date       string `json:"date"`
	Superseded bool   `json:"superseded"`
	FactJSON
}

// JSON returns the JSON form of h.
func (h *History) JSON() HistoryJSON {
	out := HistoryJSON{Node: compactValue(h.Node), Name: h.Name, Kind: "statements", Entries: make([]HistoryEntryJSON, 0, len(h.Entries))}
	if h.Statuses {
		contradicted := h.Contradicted
		out.Kind, out.Current, out.Contradicted = "statuses", slices.Clone(h.Current), &contradicted
	}
	for _, e := range h.Entries {
		out.Entries = append(out.Entries, HistoryEntryJSON{Date: e.Statement().Date, Superseded: e.Superseded, FactJSON: FactsJSON([]Fact{e.Fact})[0]})
	}
	return out
}
