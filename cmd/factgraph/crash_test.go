package main

// Robustness: a load killed with SIGKILL must leave a bolt or disk store with all of
// the load or none of it, and a server killed so must keep every write it
// answered. These tests exec the real binary, built without the race detector
// so that it runs at its real speed.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/factgraph/factgraph/internal/testkit"
)

const (
	moviesQuads  = 471705
	articleQuads = 232
)

// buildBinary builds factgraph once for the test (or uses $FACTGRAPH_BIN).
func buildBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("FACTGRAPH_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "factgraph")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func quadCount(t *testing.T, bin, db string) int {
	t.Helper()
	out, err := exec.Command(bin, "stats", "--db", db).CombinedOutput()
	if err != nil {
		t.Fatalf("stats: %v\n%s", err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "quads" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	t.Fatalf("no quad count in:\n%s", out)
	return 0
}

// storeURL returns a new store URL of the backend in a temporary directory.
func storeURL(t *testing.T, scheme string) string {
	return scheme + "://" + filepath.Join(t.TempDir(), "kg.db")
}

func TestKillDuringLoadLeavesAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("robustness test: loads the 30k-movie set several times")
	}
	moviesFile := testkit.Movies(t)
	bin := buildBinary(t)
	// A bolt load takes about 30 s, a disk load about 1 s.
	kills := map[string][]time.Duration{
		"bolt": {500 * time.Millisecond, 15 * time.Second, 30 * time.Second},
		"disk": {300 * time.Millisecond, 900 * time.Millisecond, 1200 * time.Millisecond, 1400 * time.Millisecond},
	}
	for _, scheme := range []string{"bolt", "disk"} {
		t.Run(scheme, func(t *testing.T) { killDuringLoad(t, bin, moviesFile, scheme, kills[scheme]) })
	}
}

func killDuringLoad(t *testing.T, bin, moviesFile, scheme string, kills []time.Duration) {
	killed, completed := 0, 0
	for _, after := range kills {
		t.Run(fmt.Sprintf("kill after %s", after), func(t *testing.T) {
			db := storeURL(t, scheme)
			// Some quads first, so "nothing" is not simply an empty store.
			if out, err := exec.Command(bin, "load", "--db", db, "../../data/kyodo-2024-05-02-japan-france-raa.nq").CombinedOutput(); err != nil {
				t.Fatalf("first load: %v\n%s", err, out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			load := exec.CommandContext(ctx, bin, "load", "--quiet", "--db", db, moviesFile)
			if err := load.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- load.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("load failed on its own: %v", err)
				}
				completed++
			case <-time.After(after):
				load.Process.Signal(syscall.SIGKILL)
				<-done
				killed++
			}
			switch n := quadCount(t, bin, db); n {
			case articleQuads, articleQuads + moviesQuads:
				t.Logf("after SIGKILL at %s the store holds %d quads", after, n)
			default:
				t.Fatalf("store holds %d quads: neither none (%d) nor all (%d) of the load", n, articleQuads, articleQuads+moviesQuads)
			}
		})
	}
	if killed == 0 {
		t.Errorf("every load finished before its kill: the test proved nothing (completed %d)", completed)
	}
	t.Run("complete load", func(t *testing.T) {
		db := storeURL(t, scheme)
		if out, err := exec.Command(bin, "load", "--db", db, moviesFile).CombinedOutput(); err != nil {
			t.Fatalf("load: %v\n%s", err, out)
		}
		if n := quadCount(t, bin, db); n != moviesQuads {
			t.Errorf("store holds %d quads, want %d", n, moviesQuads)
		}
	})
}

// TestMalformedLoadChangesNothing checks the user's view of a failed load: the
// binary exits non-zero with FILE:3:COL and the bolt store is as it was.
func TestMalformedLoadChangesNothing(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := "bolt://" + filepath.Join(dir, "kg.db")
	if out, err := exec.Command(bin, "load", "--db", db, "../../data/kyodo-2024-05-02-japan-france-raa.nq").CombinedOutput(); err != nil {
		t.Fatalf("first load: %v\n%s", err, out)
	}
	bad := filepath.Join(dir, "bad.nq")
	os.WriteFile(bad, []byte("<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> .\n<urn:a> <urn:p> .\n"), 0o644)
	out, err := exec.Command(bin, "load", "--db", db, bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), bad+":3:") {
		t.Fatalf("load of a bad file: err=%v, output:\n%s", err, out)
	}
	if n := quadCount(t, bin, db); n != articleQuads {
		t.Errorf("store holds %d quads after a failed load, want %d", n, articleQuads)
	}
}

// TestKilledServerKeepsCommittedWrites kills a server on a bolt or disk store with
// SIGKILL while a client writes to it, batch after batch. Every write the
// server answered with 200 must be in the store when it is reopened; the one
// it was busy with must be there whole or not at all.
func TestKilledServerKeepsCommittedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	bin := buildBinary(t)
	for _, scheme := range []string{"bolt", "disk"} {
		t.Run(scheme, func(t *testing.T) { killServer(t, bin, storeURL(t, scheme)) })
	}
}

func killServer(t *testing.T, bin, db string) {
	srv := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--write-token-env", "FG_TEST_TOKEN")
	srv.Env = append(os.Environ(), "FG_TEST_TOKEN=secret")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			srv.Process.Kill()
			srv.Wait()
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no URL: %v", err)
	}
	f := strings.Fields(line) // serving bolt://... at http://127.0.0.1:PORT (...)
	if len(f) < 4 || f[2] != "at" {
		t.Fatalf("serve printed %q", line)
	}
	base := f[3]

	const perBatch = 50
	batch := func(i int) string {
		var b strings.Builder
		for j := range perBatch {
			fmt.Fprintf(&b, "<urn:batch:%d> <urn:item> <urn:item:%d:%d> .\n", i, i, j)
		}
		return b.String()
	}
	type result struct {
		committed int // batches answered 200, in order
		inFlight  int // the batch sent when the server died, or -1
		err       error
	}
	enough := make(chan struct{})
	done := make(chan result, 1)
	go func() {
		client := &http.Client{Timeout: 30 * time.Second}
		r := result{inFlight: -1}
		for i := 0; ; i++ {
			if i == 20 {
				close(enough)
			}
			req, _ := http.NewRequest("POST", base+"/api/v1/load", strings.NewReader(batch(i)))
			req.Header.Set("Authorization", "Bearer secret")
			req.Header.Set("Content-Type", "application/n-quads")
			resp, err := client.Do(req)
			if err != nil {
				r.inFlight = i
				done <- r
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				r.err = fmt.Errorf("batch %d: status %d", i, resp.StatusCode)
				done <- r
				return
			}
			r.committed = i + 1
		}
	}()
	select {
	case <-enough:
	case r := <-done:
		t.Fatalf("the client stopped before the kill: %+v", r)
	case <-time.After(60 * time.Second):
		t.Fatal("20 batches took over a minute")
	}
	srv.Process.Signal(syscall.SIGKILL)
	srv.Wait()
	killed = true
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}

	out, err := exec.Command(bin, "dump", "--db", db).Output()
	if err != nil {
		t.Fatalf("dump after the kill: %v", err)
	}
	have := map[string]bool{}
	for l := range strings.Lines(string(out)) {
		have[strings.TrimSpace(l)] = true
	}
	for i := 0; i < r.committed; i++ {
		for l := range strings.Lines(batch(i)) {
			if !have[strings.TrimSpace(l)] {
				t.Fatalf("batch %d was answered 200 but %s is not in the store", i, strings.TrimSpace(l))
			}
		}
	}
	want := r.committed * perBatch
	if r.inFlight >= 0 && have[strings.TrimSpace(strings.SplitAfter(batch(r.inFlight), "\n")[0])] {
		want += perBatch // the unanswered batch landed: all of it must have
	}
	if len(have) != want {
		t.Errorf("store holds %d quads after the kill; %d committed batches (+ the one in flight, if it landed) make %d", len(have), r.committed, want)
	}
	t.Logf("killed after %d committed batches; batch in flight: %d", r.committed, r.inFlight)
}
