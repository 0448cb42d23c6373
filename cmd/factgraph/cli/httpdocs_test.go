package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// docURL is the server address the HTTP docs write; the test swaps in the
// address of the server it started.
const docURL = "http://127.0.0.1:8475"

// The files the examples of docs/http-api.md name (curl's @file, Python's open).
var httpDocFixtures = map[string]string{
	"facts.nq": "<https://w3id.org/factgraph/Japan> <https://w3id.org/factgraph/hasRAAWith> " +
		"<https://w3id.org/factgraph/France> <https://example.org/later-news> .\n",
	"facts.jsonld": `{"@id": "https://w3id.org/factgraph/Japan",
  "https://w3id.org/factgraph/negotiatingRAAWith": {"@id": "https://w3id.org/factgraph/Germany"}}` + "\n",
	"query.js": `g.V("<https://w3id.org/factgraph/Japan>").Out("<https://w3id.org/factgraph/hasRAAWith>").All()` + "\n",
}

// requireClients skips the test, unless FACTGRAPH_REQUIRE_CLIENTS is set (as
// in CI), where a missing client fails it.
func requireClients(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("FACTGRAPH_REQUIRE_CLIENTS") != "" {
		t.Fatalf("%s (FACTGRAPH_REQUIRE_CLIENTS is set)", why)
	}
	t.Skip(why + "; set FACTGRAPH_REQUIRE_CLIENTS=1 to make this a failure")
}

// TestHTTPDocs runs the HTTP examples of docs/http-api.md and README.md with
// the real clients against a real `factgraph serve` on a loopback port: every
// block with a curl command runs with curl (a ```sh block as one script, each
// curl failing on an HTTP error; each "$ curl" line of a ```text block with its
// output compared to the lines shown under it, where "..." stands for any
// text), and every ```python block runs with a Python that has requests and
// pandas. A block that shows "factgraph serve FLAGS" runs against a server
// started with those flags; the others get a writable server
// (--write-token-env FACTGRAPH_TOKEN).
func TestHTTPDocs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs curl and Python against servers")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		requireClients(t, "curl not found")
	}
	t.Setenv("FACTGRAPH_TOKEN", "docs-example-token")
	ran := 0
	for _, file := range []string{"docs/http-api.md", "README.md"} {
		md, err := os.ReadFile("../../../" + file)
		if err != nil {
			t.Fatal(err)
		}
		for _, blk := range fencedBlocks(string(md)) {
			blk.file = filepath.Base(file)
			switch {
			case blk.lang == "python":
				t.Run(blk.name(), func(t *testing.T) { runPythonDoc(t, blk) })
				ran++
			case (blk.lang == "sh" || blk.lang == "text") && strings.Contains(blk.body, "curl "):
				t.Run(blk.name(), func(t *testing.T) { runCurlDoc(t, blk) })
				ran++
			}
		}
	}
	if ran < 8 {
		t.Fatalf("ran %d example blocks; expected more", ran)
	}
}

// fencedBlock is one ``` block of a Markdown file.
type fencedBlock struct {
	file string
	lang string
	line int // of the opening fence
	body string
}

func (b fencedBlock) name() string { return b.file + ":" + strconv.Itoa(b.line) }

func fencedBlocks(md string) []fencedBlock {
	var (
		out []fencedBlock
		cur *fencedBlock
	)
	for i, line := range strings.Split(md, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			cur = &fencedBlock{lang: strings.TrimPrefix(trimmed, "```"), line: i + 1}
		case cur != nil && trimmed == "```":
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line + "\n"
		}
	}
	return out
}

// docCommands splits a ```text block into its "$ " commands (joining lines
// that end in a backslash) and the output shown under each.
func docCommands(body string) []docCommand {
	var cmds []docCommand
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if cmd, ok := strings.CutPrefix(line, "$ "); ok {
			for strings.HasSuffix(cmd, `\`) && i+1 < len(lines) {
				i++
				cmd = strings.TrimSuffix(cmd, `\`) + " " + strings.TrimSpace(lines[i])
			}
			cmds = append(cmds, docCommand{line: i + 1, cmd: cmd})
			continue
		}
		if len(cmds) > 0 {
			cmds[len(cmds)-1].want += line + "\n"
		}
	}
	return cmds
}

// serveCommands are the ways the docs start the server.
var serveCommands = []string{"factgraph serve", "go run ./cmd/factgraph serve"}

// serveLine reports whether a line of a block (without its "$ ") starts the
// server, and with which flags.
func serveLine(line string) (flags string, ok bool) {
	line, _, _ = strings.Cut(line, " #") // a shell comment
	for _, c := range serveCommands {
		if rest, found := strings.CutPrefix(strings.TrimSpace(line), c); found && (rest == "" || rest[0] == ' ') {
			return rest, true
		}
	}
	return "", false
}

// startDocServer starts the server a block asks for ("factgraph serve
// FLAGS"), or a writable one, in a fresh directory holding the fixtures.
func startDocServer(t *testing.T, blk fencedBlock) (base, dir string) {
	t.Helper()
	args := []string{"--write-token-env", "FACTGRAPH_TOKEN"}
	var want string
	for _, c := range docCommands(blk.body) {
		if rest, ok := serveLine(c.cmd); ok {
			a, err := splitArgs(rest)
			if err != nil {
				t.Fatalf("line %d: %v", blk.line+c.line, err)
			}
			args, want = a, c.want
		}
	}
	if blk.lang == "sh" {
		for line := range strings.Lines(blk.body) {
			if rest, ok := serveLine(line); ok {
				a, err := splitArgs(strings.TrimSpace(rest))
				if err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				args = a
			}
		}
	}
	dir = t.TempDir()
	for name, text := range httpDocFixtures {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeDocFiles(t, dir, repoFileTexts(t)) // the example fact sheets, at their paths
	t.Chdir(dir)                            // a bolt:// store in the flags lands here
	base, stdout, _, stop := startServe(t, args...)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	if want != "" {
		if got := strings.ReplaceAll(stdout.String(), base, docURL); !docMatch(want, got) {
			t.Errorf("factgraph serve printed\n%s\nthe docs show\n%s", got, want)
		}
	}
	return base, dir
}

func runCurlDoc(t *testing.T, blk fencedBlock) {
	base, dir := startDocServer(t, blk)
	run := func(script string, failOnHTTPError bool) (string, error) {
		flags := "-sS"
		if failOnHTTPError {
			flags += " --fail-with-body"
		}
		prelude := "set -euo pipefail\ncurl() { command curl " + flags + ` "$@"; }` + "\n"
		cmd := exec.Command("bash", "-c", prelude+strings.ReplaceAll(script, docURL, base))
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return strings.ReplaceAll(string(out), base, docURL), err
	}
	if blk.lang == "sh" {
		var script strings.Builder // the block, but for the server the test started
		for line := range strings.Lines(blk.body) {
			if _, ok := serveLine(line); !ok {
				script.WriteString(line)
			}
		}
		if out, err := run(script.String(), true); err != nil {
			t.Fatalf("%v\n--- script\n%s--- output\n%s", err, script.String(), out)
		}
		return
	}
	for _, c := range docCommands(blk.body) {
		if !strings.HasPrefix(c.cmd, "curl ") {
			continue
		}
		out, err := run(c.cmd, strings.TrimSpace(c.want) == "")
		if err != nil {
			t.Errorf("%s:%d: $ %s: %v\n%s", blk.file, blk.line+c.line, c.cmd, err, out)
			continue
		}
		if strings.TrimSpace(c.want) != "" && !docMatch(c.want, out) {
			t.Errorf("%s:%d: $ %s\n--- got\n%s\n--- the docs show\n%s", blk.file, blk.line+c.line, c.cmd, out, c.want)
		}
	}
}

// docMatch reports whether got is what the docs show, white space aside, with
// "..." in want standing for any text.
func docMatch(want, got string) bool {
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	parts := strings.Split(squeeze(want), "...")
	g := squeeze(got)
	if !strings.HasPrefix(g, parts[0]) {
		return false
	}
	g = g[len(parts[0]):]
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(g, p)
		}
		j := strings.Index(g, p)
		if j < 0 {
			return false
		}
		g = g[j+len(p):]
	}
	return g == ""
}

// pythonWithPackages finds a Python that imports requests and pandas:
// Debian's (where .ci/notebook.sh installs them) or the first on PATH.
func pythonWithPackages() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import requests, pandas").Run() == nil {
			return py
		}
	}
	return ""
}

func runPythonDoc(t *testing.T, blk fencedBlock) {
	py := pythonWithPackages()
	if py == "" {
		requireClients(t, "no python3 with requests and pandas")
	}
	base, dir := startDocServer(t, blk)
	cmd := exec.Command(py, "-c", strings.ReplaceAll(blk.body, docURL, base))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FACTGRAPH_URL="+base)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	// What the examples do, beyond running without an error:
	if strings.Contains(blk.body, "evidence") {
		// the evidence loop prints the sentence behind Kishida's meeting;
		if !strings.Contains(string(out), "Emmanuel Macron | ") || !strings.Contains(string(out), "Kishida met with Macron") {
			t.Errorf("the evidence example printed:\n%s", out)
		}
	}
	if strings.Contains(blk.body, "/api/v1/load") {
		// the write added the fact of facts.nq.
		status, body, _ := httpDo(t, "GET", base+"/api/v1/query?format=csv&q=Japan+->+hasRAAWith", "")
		if status != 200 || !strings.Contains(body, "fg:France") {
			t.Errorf("after the example's load, Japan -> hasRAAWith answers %d:\n%s", status, body)
		}
	}
}
