package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCheck loads the article into a disk store, checks it clean, then
// damages the segment and checks that the verdict and the exit code say so.
func TestCheck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kg")
	db := "disk://" + dir
	if o := run(t, "", "check", "--db", "memory"); o.code == 0 || !strings.Contains(o.stderr, "verifies disk:// stores") {
		t.Errorf("check of a memory store: exit %d, %s", o.code, o.stderr)
	}
	dumped := mustRun(t, "dump").stdout
	// A log limit of one byte makes the load end in a checkpoint: a segment.
	if o := run(t, dumped, "load", "--db", db+"?checkpoint=1", "-"); o.code != 0 {
		t.Fatalf("load: %s", o.stderr)
	}
	o := mustRun(t, "check", "--db", db)
	n := statsQuads(t, "--db", db)
	for _, want := range []string{"verdict\tclean", "checksums, indexes and dictionary ok", "quads\t" + strconv.Itoa(n)} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, o.stdout)
		}
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "seg-*.fgs"))
	if len(segs) != 1 {
		t.Fatalf("segments: %v", segs)
	}
	b, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	b[4096+8] ^= 1 // a quad's object id
	if err := os.WriteFile(segs[0], b, 0o644); err != nil {
		t.Fatal(err)
	}
	o = run(t, "", "check", "--db", db)
	if o.code == 0 || !strings.Contains(o.stdout, "verdict\tdamaged") || !strings.Contains(o.stderr, segs[0]+": offset 4096: quads section") {
		t.Errorf("check of a damaged store: exit %d\n%s%s", o.code, o.stdout, o.stderr)
	}
}
