//go:build unix

package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests send SIGINT and SIGTERM to the test process itself. Each first
// registers a channel of its own for both (guard), so that a signal can never
// take the default action and kill the test binary, and sends a signal only
// once a hook shows the REPL's own handler is registered.

func guardSignals(t *testing.T) {
	t.Helper()
	c := make(chan os.Signal, 16)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	t.Cleanup(func() { signal.Stop(c) })
}

func kill(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

// TestInterruptCause pins the cause text by which the REPL tells a root
// context cancelled by SIGINT from one cancelled otherwise.
func TestInterruptCause(t *testing.T) {
	guardSignals(t)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	kill(t, syscall.SIGINT)
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGINT did not cancel the context")
	}
	if got := context.Cause(ctx).Error(); got != interruptCause {
		t.Errorf("cause %q, want %q", got, interruptCause)
	}
}

type replRun struct {
	in          *io.PipeWriter
	out, errOut bytes.Buffer // read only after done
	done        chan int
	prompting   chan int
	started     chan struct{}
	interrupted chan bool
}

// startRepl runs the REPL under a root context made like main's, reading the
// lines the test writes to in.
func startRepl(t *testing.T, args ...string) *replRun {
	t.Helper()
	guardSignals(t)
	r := &replRun{
		done:        make(chan int, 1),
		prompting:   make(chan int, 100),
		started:     make(chan struct{}, 100),
		interrupted: make(chan bool, 100),
	}
	root, stop := signal.NotifyContext(withReplHooks(context.Background(), replHooks{
		Prompting:    func(pending int) { r.prompting <- pending },
		QueryStarted: func() { r.started <- struct{}{} },
		Interrupted:  func(duringQuery bool) { r.interrupted <- duringQuery },
	}), os.Interrupt, syscall.SIGTERM)
	t.Cleanup(stop)
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.Close() })
	r.in = pw
	go func() { r.done <- Main(root, append([]string{"repl"}, args...), pr, &r.out, &r.errOut) }()
	return r
}

func (r *replRun) write(t *testing.T, s string) {
	t.Helper()
	if _, err := io.WriteString(r.in, s); err != nil {
		t.Fatal(err)
	}
}

func (r *replRun) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-r.done:
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("the REPL did not end")
		return -1
	}
}

func TestReplCtrlCCancelsOnlyTheQuery(t *testing.T) {
	r := startRepl(t, "--lang", "gizmo", "--timeout", "20s")
	r.write(t, "while(true){}\n")
	select {
	case <-r.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the query did not start")
	}
	kill(t, syscall.SIGINT)
	waitFor(t, r.interrupted, true)
	r.write(t, ":lang path\nJapan -> hasRAAWith\n")
	// Prompts: before while(true), :lang, Japan, and after Japan has run.
	for range 4 {
		waitFor(t, r.prompting, 0)
	}
	// A later SIGTERM still ends the session, though SIGINT cancelled root.
	kill(t, syscall.SIGTERM)
	code := r.wait(t)
	if code != 1 || !strings.Contains(r.errOut.String(), "factgraph: terminated signal received") {
		t.Errorf("exit %d, want 1 for SIGTERM; stderr:\n%s", code, r.errOut.String())
	}
	if !strings.Contains(r.errOut.String(), "query cancelled\n") || strings.Contains(r.errOut.String(), "deadline") {
		t.Errorf("stderr lacks the cancelled query:\n%s", r.errOut.String())
	}
	if !strings.Contains(r.out.String(), "fg:Australia") {
		t.Errorf("the query after the cancelled one did not run:\n%s", r.out.String())
	}
}

func TestReplCtrlCAtPromptDropsPendingInput(t *testing.T) {
	r := startRepl(t)
	r.write(t, "Japan ->\n")
	waitFor(t, r.prompting, 1)
	kill(t, syscall.SIGINT)
	waitFor(t, r.interrupted, false)
	r.write(t, "France <- leads\n")
	r.in.Close()
	if code := r.wait(t); code != 0 {
		t.Errorf("exit %d: %s", code, r.errOut.String())
	}
	if strings.Contains(r.errOut.String(), "factgraph:") {
		t.Errorf("the dropped line was run:\n%s", r.errOut.String())
	}
	if !strings.Contains(r.out.String(), "fg:EmmanuelMacron") {
		t.Errorf("stdout lacks the answer:\n%s", r.out.String())
	}
}

func TestReplSIGTERMAtPromptEnds(t *testing.T) {
	r := startRepl(t)
	waitFor(t, r.prompting, 0)
	kill(t, syscall.SIGTERM)
	if code := r.wait(t); code != 1 || !strings.Contains(r.errOut.String(), "terminated") {
		t.Errorf("exit %d: %s", code, r.errOut.String())
	}
}
