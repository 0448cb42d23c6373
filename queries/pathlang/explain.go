package pathlang

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/cayleygraph/cayley/query/shape"
)

// describeShape renders a Cayley shape tree, one node per line, indented by
// depth: the plan the query will run, before Cayley's optimizer.
func describeShape(s shape.Shape) string {
	var b strings.Builder
	writeShape(&b, reflect.ValueOf(s), 0, "")
	return b.String()
}

func writeShape(b *strings.Builder, v reflect.Value, depth int, field string) {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	indent := strings.Repeat("  ", depth)
	label := field
	if label != "" {
		label += ": "
	}
	if st, ok := v.Interface().(fmt.Stringer); ok && v.Kind() == reflect.Struct {
		fmt.Fprintf(b, "%s%s%s\n", indent, label, st)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		fmt.Fprintf(b, "%s%s%s\n", indent, label, v.Type().Name())
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || isZero(v.Field(i)) {
				continue
			}
			writeShape(b, v.Field(i), depth+1, f.Name)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Interface || v.Type().Elem().Kind() == reflect.Struct {
			if _, ok := v.Interface().(fmt.Stringer); !ok && !isValueList(v) {
				fmt.Fprintf(b, "%s%s[%d]\n", indent, label, v.Len())
				for i := 0; i < v.Len(); i++ {
					writeShape(b, v.Index(i), depth+1, "")
				}
				return
			}
		}
		fmt.Fprintf(b, "%s%s%v\n", indent, label, v.Interface())
	default:
		fmt.Fprintf(b, "%s%s%v\n", indent, label, v.Interface())
	}
}

// isValueList reports whether v is a list of quad values (printed inline).
func isValueList(v reflect.Value) bool {
	return v.Len() > 0 && v.Index(0).Kind() == reflect.Interface && v.Index(0).Elem().Kind() == reflect.String
}

func isZero(v reflect.Value) bool { return v.IsZero() }
