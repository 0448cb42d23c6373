package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/internal/testkit"
)

// storyDB ingests the article and the example sheets into a new disk store.
func storyDB(t *testing.T) string {
	t.Helper()
	db := "disk://" + filepath.Join(t.TempDir(), "kg")
	mustRun(t, "ingest", "-q", "--db", db, kyodoSheet, signedSheet, inForceFile)
	return db
}

// TestStoriesOverTime asks the questions of the issue of a disk store that
// holds the article and the later sheets: now, as of a day (flag and clause),
// with evidence, and the history of the RAA.
func TestStoriesOverTime(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a disk store")
	}
	db := storyDB(t)
	for _, tc := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"query", "Japan -> hasRAAWith"}, []string{"Australia", "United Kingdom", "Philippines"}, nil},
		{[]string{"query", "Japan -> negotiatingRAAWith"}, []string{"France"}, []string{"Philippines"}},
		{[]string{"query", "Japan -> hasRAAWith as of 2024-06-01"}, []string{"Australia", "United Kingdom"}, []string{"Philippines"}},
		{[]string{"query", "--as-of", "2024-06-01", "Japan -> negotiatingRAAWith"}, []string{"France", "Philippines"}, nil},
		{[]string{"query", "--evidence", "Japan -> hasRAAWith [name = Philippines]"},
			[]string{`"The reciprocal access agreement between Japan and the Philippines entered into force on Thursday, after both parliaments ratified it." (Example Wire, 2025-09-11)`}, nil},
		{[]string{"history", "RAA-Japan-Philippines"}, []string{"in-force since 2025-09-11", "2024-05-02  talks-agreed (superseded)", "2024-07-08  signed (superseded)"}, nil},
		{[]string{"history", "--format", "json", "RAA-Japan-Philippines"}, []string{`"kind": "statuses"`, `"superseded": true`}, nil},
	} {
		o := mustRun(t, append(tc.args, "--db", db)...)
		for _, w := range tc.want {
			if !strings.Contains(o.stdout, w) {
				t.Errorf("%q: no %q in\n%s", tc.args, w, o.stdout)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(o.stdout, n) {
				t.Errorf("%q: %q in\n%s", tc.args, n, o.stdout)
			}
		}
	}
	o := run(t, "", "history", "--db", db, "--as-of", "soon", "Japan")
	if o.code != 1 || !strings.Contains(o.stderr, `as of "soon": expected a day, YYYY-MM-DD`) {
		t.Errorf("exit %d, stderr %q", o.code, o.stderr)
	}
}

// TestContradictionWarning ingests a sheet of the same day as the in-force
// one that says the RAA is only signed: the query prints both and warns.
func TestContradictionWarning(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a disk store")
	}
	db := storyDB(t)
	other := writeFile(t, t.TempDir(), "other.yaml", testkit.ContradictingSheet)
	mustRun(t, "ingest", "-q", "--db", db, other)
	o := mustRun(t, "query", "--db", db, "RAA-Japan-Philippines -> status")
	if !strings.Contains(o.stdout, "in-force") || !strings.Contains(o.stdout, "signed") {
		t.Errorf("expected both statuses, found\n%s", o.stdout)
	}
	if want := "factgraph: warning: Japan-Philippines reciprocal access agreement (fg:RAA-Japan-Philippines): statements of 2025-09-11 disagree on its status (in-force, signed)"; !strings.Contains(o.stderr, want) {
		t.Errorf("expected %q on stderr, found %q", want, o.stderr)
	}
	o = mustRun(t, "history", "--db", db, "RAA-Japan-Philippines")
	if !strings.Contains(o.stdout, "in-force or signed — the latest statements disagree") {
		t.Errorf("history:\n%s", o.stdout)
	}
}
