package results

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

var sample = &Set{
	Vars: []string{"x", "name"},
	Rows: []Row{
		{"x": quad.IRI("https://w3id.org/factgraph/Japan"), "name": quad.LangString{Value: "Japan", Lang: "en"}},
		{"x": quad.BNode("b1"), "name": quad.TypedString{Value: "7", Type: "http://www.w3.org/2001/XMLSchema#integer"}},
		{"x": quad.IRI("https://e/a"), "name": quad.String("tab\there \"q\" <&>")},
		{"name": quad.String("x unbound")},
	},
}

func TestJSONRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewJSONWriter(&buf, sample.Vars)
	for _, r := range sample.Rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Vars, sample.Vars) || !reflect.DeepEqual(got.Rows, sample.Rows) {
		t.Errorf("got %v, want %v", got, sample)
	}
}

func TestXMLRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := NewXMLWriter(&buf, sample.Vars)
	for _, r := range sample.Rows {
		if err := w.Write(r, sample.Vars); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := ReadXML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Vars, sample.Vars) || !reflect.DeepEqual(got.Rows, sample.Rows) {
		t.Errorf("got %v, want %v", got, sample)
	}
}

func TestBooleans(t *testing.T) {
	for _, b := range []bool{true, false} {
		var j, x bytes.Buffer
		WriteJSONBoolean(&j, b)
		WriteXMLBoolean(&x, b)
		sj, err1 := ReadJSON(&j)
		sx, err2 := ReadXML(&x)
		if err1 != nil || err2 != nil || sj.Boolean == nil || *sj.Boolean != b || sx.Boolean == nil || *sx.Boolean != b {
			t.Errorf("%v: json %v %v, xml %v %v", b, sj, err1, sx, err2)
		}
	}
}

func TestTSVRoundTripAndCSV(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, sample.Vars, true)
	for _, r := range sample.Rows[:2] {
		w.Write(r)
	}
	w.Close()
	got, err := ReadTSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Rows, sample.Rows[:2]) {
		t.Errorf("tsv: got %v", got.Rows)
	}
	buf.Reset()
	w = NewCSVWriter(&buf, sample.Vars, false)
	for _, r := range sample.Rows {
		w.Write(r)
	}
	w.Close()
	want := "x,name\r\nhttps://w3id.org/factgraph/Japan,Japan\r\n_:b1,7\r\nhttps://e/a,\"tab\there \"\"q\"\" <&>\"\r\n,x unbound\r\n"
	if buf.String() != want {
		t.Errorf("csv = %q, want %q", buf.String(), want)
	}
	if _, err := ParseTerm("nonsense"); err == nil || !strings.Contains(err.Error(), "expected a term") {
		t.Errorf("ParseTerm(nonsense) = %v", err)
	}
}

// TestAppendString reads back what appendString writes with encoding/json:
// every control byte, quote and backslash, among plain and multi-byte runs.
func TestAppendString(t *testing.T) {
	var all []byte
	for c := 0; c < 0x80; c++ {
		all = append(all, byte(c), 'a')
	}
	for _, s := range []string{"", "plain", `"\`, "tab\there\nnew\r", string(all), "日本 \x01 é\"", "end\\"} {
		var back string
		if err := json.Unmarshal(appendString(nil, s), &back); err != nil || back != s {
			t.Errorf("appendString(%q) = %s, reads back as %q (%v)", s, appendString(nil, s), back, err)
		}
	}
}
