package graph

import "github.com/cayleygraph/quad"

// Portable returns q with typed values (Cayley's native ints, floats, booleans
// and times, and typed strings) written with full datatype IRIs, as N-Quads
// requires; Cayley's own writer abbreviates them (<xsd:integer>).
func Portable(q quad.Quad) quad.Quad {
	for _, d := range quad.Directions {
		q.Set(d, portableValue(q.Get(d)))
	}
	return q
}

func portableValue(v quad.Value) quad.Value {
	var ts quad.TypedString
	switch v := v.(type) {
	case quad.Int:
		ts = v.TypedString()
	case quad.Float:
		ts = v.TypedString()
	case quad.Bool:
		ts = v.TypedString()
	case quad.Time:
		ts = v.TypedString()
	case quad.TypedString:
		ts = v
	default:
		return v
	}
	ts.Type = ts.Type.Full()
	return ts
}
