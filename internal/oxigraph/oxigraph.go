// Package oxigraph runs Oxigraph, the SPARQL database of the npm package
// oxigraph, in a Node.js process, as the peer that factgraph's differential
// test and benchmark compare against. Nothing of it ships in factgraph: the
// package is installed with npm at test time (Install) or by .ci/run.
package oxigraph

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Version is the npm package version factgraph is compared with.
const Version = "0.5.11"

//go:embed driver.js
var driver []byte

// Install installs the npm package into dir (dir/node_modules/oxigraph) and
// returns the package's path.
func Install(ctx context.Context, dir string) (string, error) {
	pkg := filepath.Join(dir, "node_modules", "oxigraph")
	if _, err := os.Stat(filepath.Join(pkg, "package.json")); err == nil {
		return pkg, nil
	}
	cmd := exec.CommandContext(ctx, "npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", dir, "oxigraph@"+Version)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install oxigraph@%s: %v\n%s", Version, err, out)
	}
	return pkg, nil
}

// Proc is a running Oxigraph with one in-memory store.
type Proc struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	done chan struct{} // closed once the process has ended
}

// Start starts Node.js with the driver on the package at pkg.
func Start(ctx context.Context, pkg string) (*Proc, error) {
	dir, err := os.MkdirTemp("", "factgraph-oxigraph")
	if err != nil {
		return nil, err
	}
	script := filepath.Join(dir, "driver.js")
	if err := os.WriteFile(script, driver, 0o644); err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(pkg)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", "--max-old-space-size=8192", script, abs)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start node: %w", err)
	}
	p := &Proc{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<20), done: make(chan struct{})}
	go func() {
		cmd.Wait()
		os.RemoveAll(dir)
		close(p.done)
	}()
	return p, nil
}

type answer struct {
	Result string    `json:"result"`
	MS     []float64 `json:"ms"`
}

func (p *Proc) call(req map[string]any, into any) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if _, err := p.in.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("oxigraph: %w", err)
	}
	line, err := p.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("oxigraph: %w", err)
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(line, &e) == nil && e.Error != "" {
		return errors.New("oxigraph: " + e.Error)
	}
	return json.Unmarshal(line, into)
}

// Load loads an N-Quads file (gzip or plain) into the store; base, if set,
// resolves the file's relative IRIs. It returns the quads the store
// then holds and the time Oxigraph took.
func (p *Proc) Load(path, base string) (int, time.Duration, error) {
	var a struct {
		MS    float64 `json:"ms"`
		Quads int     `json:"quads"`
	}
	err := p.call(map[string]any{"op": "load", "path": path, "format": "nq", "base": base}, &a)
	return a.Quads, time.Duration(a.MS * float64(time.Millisecond)), err
}

// Query runs a query runs times and returns its answer as SPARQL JSON
// results and the time of each run, measured inside Node.js.
func (p *Proc) Query(q string, runs int) (string, []time.Duration, error) {
	var a answer
	if err := p.call(map[string]any{"op": "query", "q": q, "runs": runs}, &a); err != nil {
		return "", nil, err
	}
	times := make([]time.Duration, len(a.MS))
	for i, ms := range a.MS {
		times[i] = time.Duration(ms * float64(time.Millisecond))
	}
	return a.Result, times, nil
}

// Close ends the process.
func (p *Proc) Close() error {
	p.in.Close() // the driver ends at the end of its input
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
	return nil
}
