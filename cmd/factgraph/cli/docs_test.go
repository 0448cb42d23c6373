package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocs runs every "$ factgraph ..." line of the ```console blocks in README.md
// and docs/*.md and checks that it prints exactly the lines shown under it. Each
// block runs in a fresh temporary directory, so blocks can create stores; it
// holds the example fact sheets and the article's sheet at their paths in the
// repository, and the files of the document's "```LANG file=PATH" blocks
// (see docFiles).
func TestDocs(t *testing.T) {
	files, _ := filepath.Glob("../../../docs/*.md")
	files = append(files, "../../../README.md")
	ran := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		extra := docFiles(t, f, string(b))
		for _, blk := range consoleBlocks(string(b)) {
			t.Run(fmt.Sprintf("%s:%d", filepath.Base(f), blk.line), func(t *testing.T) {
				dir := t.TempDir()
				writeDocFiles(t, dir, extra)
				t.Chdir(dir)
				for _, c := range blk.commands {
					args, err := splitArgs(c.cmd)
					if err != nil || len(args) == 0 || args[0] != "factgraph" {
						t.Fatalf("line %d: cannot run %q: %v", c.line, c.cmd, err)
					}
					var out bytes.Buffer
					Main(context.Background(), args[1:], strings.NewReader(""), &out, &out)
					got, want := normalize(out.String()), normalize(c.want)
					if got != want {
						t.Errorf("line %d: $ %s\n--- got\n%s\n--- want\n%s", c.line, c.cmd, got, want)
					}
					ran++
				}
			})
		}
	}
	if ran == 0 {
		t.Fatal("no console examples found")
	}
}

type docCommand struct {
	line int
	cmd  string
	want string
}

type docBlock struct {
	line     int
	commands []docCommand
}

func consoleBlocks(md string) []docBlock {
	var blocks []docBlock
	var cur *docBlock
	for i, line := range strings.Split(md, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(line) == "```console":
			cur = &docBlock{line: i + 1}
		case cur != nil && strings.TrimSpace(line) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil && strings.HasPrefix(line, "$ "):
			cur.commands = append(cur.commands, docCommand{line: i + 1, cmd: line[2:]})
		case cur != nil && len(cur.commands) > 0:
			c := &cur.commands[len(cur.commands)-1]
			c.want += line + "\n"
		}
	}
	return blocks
}

var (
	elapsed = regexp.MustCompile(`"elapsed_ms": ?[0-9.e+-]+`)
	// loadRate is the time and rate of a load or ingest summary.
	loadRate = regexp.MustCompile(`\([0-9.]+(ns|µs|ms|s|m[0-9.]+s), [0-9]+ quads/s\)`)
)

// normalize drops trailing white space and the varying values: elapsed
// times, and the time and rate of load summaries.
func normalize(s string) string {
	s = elapsed.ReplaceAllString(s, `"elapsed_ms": 0`)
	s = loadRate.ReplaceAllString(s, "(TIME, RATE quads/s)")
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// splitArgs splits a command line as a POSIX shell would for plain words,
// 'single' and "double" quotes, and backslash escapes.
func splitArgs(s string) ([]string, error) {
	var (
		args  []string
		cur   strings.Builder
		inArg bool
		quote rune
	)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[i+1]):
				i++
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inArg = r, true
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			inArg = true
		case r == ' ' || r == '\t':
			if inArg {
				args = append(args, cur.String())
				cur.Reset()
				inArg = false
			}
		default:
			cur.WriteRune(r)
			inArg = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if inArg {
		args = append(args, cur.String())
	}
	return args, nil
}

// repoFiles are the files of the repository that doc examples may name.
var repoFiles = []string{
	"data/kyodo-2024-05-02-japan-france-raa.yaml",
	"examples/sheets/example-2024-07-08-japan-philippines-raa-signed.yaml",
	"examples/sheets/example-2025-09-11-japan-philippines-raa-in-force.json",
}

// fileBlock matches the opening of a fenced block that shows a file.
var fileBlock = regexp.MustCompile("^```[a-z]* file=(\\S+)$")

// docFiles returns the files a document's examples run with: the repository's
// (repoFiles) and those the document shows in "```LANG file=PATH" blocks. A
// block that shows a repository file must show it exactly, so that the
// docs cannot drift from the examples they run.
func docFiles(t *testing.T, doc, md string) map[string]string {
	t.Helper()
	files := repoFileTexts(t)
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		m := fileBlock.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			continue
		}
		start := i + 1
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
		}
		text := strings.Join(lines[start:i], "\n") + "\n"
		if repo, ok := files[m[1]]; ok && strings.TrimRight(repo, "\n") != strings.TrimRight(text, "\n") {
			t.Errorf("%s:%d shows %s, but not as the repository has it", filepath.Base(doc), start, m[1])
		}
		files[m[1]] = text
	}
	return files
}

// repoFileTexts returns the text of each of repoFiles, by its path.
func repoFileTexts(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, f := range repoFiles {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	return files
}

func writeDocFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
