package cli

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// sparqlClientScript queries the endpoint given as its argument the way
// notebooks do: SPARQLWrapper for a SELECT into a pandas DataFrame, a
// CONSTRUCT into an rdflib Graph (SPARQLWrapper's default RDF/XML, and
// Turtle) and an ASK; and rdflib's own SPARQLStore for a SELECT. It prints
// what it got as JSON.
const sparqlClientScript = `
import json, sys
import pandas as pd
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import SPARQLWrapper, JSON, TURTLE

endpoint = sys.argv[1]
out = {}

sw = SPARQLWrapper(endpoint)
sw.setQuery("""SELECT ?x ?g WHERE { GRAPH ?g { fg:Japan fg:hasRAAWith ?x } } ORDER BY ?x""")
sw.setReturnFormat(JSON)
res = sw.query().convert()
df = pd.DataFrame([{k: v["value"] for k, v in b.items()} for b in res["results"]["bindings"]],
                  columns=res["head"]["vars"])
out["select_columns"] = list(df.columns)
out["select_x"] = list(df["x"])
out["select_g"] = sorted(set(df["g"]))

sw = SPARQLWrapper(endpoint)
sw.setQuery("CONSTRUCT { ?x fg:hasRAAWith fg:Japan } WHERE { fg:Japan fg:hasRAAWith ?x }")
g = sw.query().convert()
out["construct_is_graph"] = isinstance(g, rdflib.Graph)
out["construct_xml"] = sorted(str(s) for s, p, o in g)
sw.setReturnFormat(TURTLE)
data = sw.query().convert()
g2 = rdflib.Graph().parse(data=data, format="turtle")
out["construct_turtle"] = len(g2)

sw = SPARQLWrapper(endpoint)
sw.setQuery("ASK { fg:Japan fg:negotiatingRAAWith fg:France }")
sw.setReturnFormat(JSON)
out["ask"] = sw.query().convert()["boolean"]

store = SPARQLStore(endpoint)
rows = rdflib.Graph(store=store).query("SELECT ?name WHERE { <https://w3id.org/factgraph/France> <https://schema.org/name> ?name }")
out["rdflib_select"] = [str(r[0]) for r in rows]

print(json.dumps(out))
`

// TestSPARQLClients runs Debian's SPARQLWrapper and rdflib against a real
// factgraph serve's /sparql. It skips without them, unless
// FACTGRAPH_REQUIRE_CLIENTS is set (as .ci/run sets it, and installs them).
func TestSPARQLClients(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python clients against a server")
	}
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import SPARQLWrapper, rdflib, pandas").Run() != nil {
		requireClients(t, "no /usr/bin/python3 with SPARQLWrapper, rdflib and pandas (Debian: python3-sparqlwrapper python3-rdflib python3-pandas)")
	}
	base, _, _, _ := startServe(t)
	out, err := exec.Command(py, "-c", sparqlClientScript, base+"/sparql").CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	var got struct {
		SelectColumns   []string `json:"select_columns"`
		SelectX         []string `json:"select_x"`
		SelectG         []string `json:"select_g"`
		ConstructGraph  bool     `json:"construct_is_graph"`
		ConstructXML    []string `json:"construct_xml"`
		ConstructTurtle int      `json:"construct_turtle"`
		Ask             bool     `json:"ask"`
		RdflibSelect    []string `json:"rdflib_select"`
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &got); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	const fg = "https://w3id.org/factgraph/"
	if strings.Join(got.SelectColumns, ",") != "x,g" || strings.Join(got.SelectX, ",") != fg+"Australia,"+fg+"UnitedKingdom" ||
		len(got.SelectG) != 1 || !strings.HasSuffix(got.SelectG[0], "#s2") {
		t.Errorf("SELECT into pandas: %+v", got)
	}
	if !got.ConstructGraph || strings.Join(got.ConstructXML, ",") != fg+"Australia,"+fg+"UnitedKingdom" || got.ConstructTurtle != 2 {
		t.Errorf("CONSTRUCT into rdflib: %+v", got)
	}
	if !got.Ask {
		t.Errorf("ASK: got false")
	}
	if strings.Join(got.RdflibSelect, ",") != "France" {
		t.Errorf("rdflib SPARQLStore SELECT: %v", got.RdflibSelect)
	}
}
