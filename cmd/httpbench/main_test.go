package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRunBrief runs the article scenarios for a moment: the tool works and the
// server answers every request.
func TestRunBrief(t *testing.T) {
	results, err := run(context.Background(), 4, 300*time.Millisecond, "none", &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("ran %d scenarios, want the 2 article ones", len(results))
	}
	for _, r := range results {
		if r.requests == 0 || r.errors != 0 {
			t.Errorf("%s: %d requests, %d errors (%s)", r.name, r.requests, r.errors, r.firstError)
		}
	}
	var out bytes.Buffer
	report(&out, results, 4, 300*time.Millisecond)
	if !strings.Contains(out.String(), "RESULT scenarios=2 errors=0") {
		t.Errorf("report:\n%s", out.String())
	}
}

// TestSoakBrief soaks a bolt store holding the article for a moment, reading
// from a copy in memory and from the file: no errors, no lost write.
func TestSoakBrief(t *testing.T) {
	for _, copy := range []bool{true, false} {
		db := "bolt://" + t.TempDir() + "/kg"
		res, err := soak(context.Background(), soakOptions{db: db, clients: 4, duration: time.Second,
			data: "../../data/kyodo-2024-05-02-japan-france-raa.nq", copy: copy}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		res.report(&out)
		if res.reads.requests == 0 || res.acked == 0 || !strings.Contains(out.String(), "RESULT errors=0 lost=0 ") {
			t.Errorf("copy=%v: %d reads, %d batches acknowledged:\n%s", copy, res.reads.requests, res.acked, out.String())
		}
	}
}
