package loaders_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/internal/testkit"
	"github.com/factgraph/factgraph/loaders"
)

// TestCompressionBombs: a megabyte of gzip that unpacks to a gigabyte is cut
// by the decompressed-size or line-length limit, which the error names, and
// the read's memory stays small.
func TestCompressionBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("makes gigabyte bombs")
	}
	const gib = 1 << 30
	for _, tc := range []struct {
		name, file, unit string
		opt              loaders.ReadOptions
		line, col        int
		want             string
	}{
		{"NUL as CSV, line limit", "bomb.csv", "\x00", loaders.ReadOptions{}, 1, loaders.DefaultMaxLine + 1, "--max-line"},
		{"NUL as N-Quads, line limit", "bomb.nq", "\x00", loaders.ReadOptions{}, 1, loaders.DefaultMaxLine + 1, "--max-line"},
		{"NUL as JSON-LD, size limit", "bomb.jsonld", "\x00", loaders.ReadOptions{MaxInput: 8 << 20}, 1, 8<<20 + 1, "--max-input"},
		{"valid N-Quads, size limit", "bomb.nq", "<urn:a> <urn:p> <urn:o> .\n", loaders.ReadOptions{MaxInput: 8 << 20}, 8<<20/26 + 1, 8<<20%26 + 1, "--max-input"},
		{"one CSV field, line limit", "bomb.csv", "x", loaders.ReadOptions{MaxLine: 4096}, 1, 4097, "--max-line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := testkit.GzipBomb(t, gib, tc.unit)
			var err error
			peak, _ := testkit.PeakHeap(t, func() {
				tc.opt.Format = ""
				if strings.HasSuffix(tc.file, ".csv") {
					tc.opt.Format = "csv"
				} else if strings.HasSuffix(tc.file, ".jsonld") {
					tc.opt.Format = "jsonld"
				}
				_, err = loaders.Read(tc.file, bytes.NewReader(bomb), tc.opt)
			})
			e := firstError(t, err)
			if e.Code != errs.TooLarge || e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Message, tc.want) {
				t.Errorf("error %v (code %s), want too_large at %d:%d naming %s", e, e.Code, tc.line, tc.col, tc.want)
			}
			if len(err.Error()) > 300 {
				t.Errorf("the message is %d bytes long", len(err.Error()))
			}
			// What is read is held as quads or text: a few times the limit.
			limit := tc.opt.MaxInput
			if limit == 0 {
				limit = loaders.DefaultMaxLine
			}
			if bound := uint64(16*limit + 32<<20); peak > bound {
				t.Errorf("peak heap %d MiB, want at most %d MiB", peak>>20, bound>>20)
			}
			t.Logf("peak heap %.1f MiB for %d bytes of gzip", float64(peak)/(1<<20), len(bomb))
		})
	}
}

func TestLimitsHoldAtTheirBound(t *testing.T) {
	line := "<urn:a> <urn:p> <urn:o> .\n" // 26 bytes
	in := strings.Repeat(line, 4)
	if qs, err := loaders.Read("t.nq", strings.NewReader(in), loaders.ReadOptions{MaxInput: int64(len(in)), MaxLine: 25}); err != nil || len(qs) != 4 {
		t.Errorf("input of exactly the limits: %d quads, %v", len(qs), err)
	}
	_, err := loaders.Read("t.nq", strings.NewReader(in), loaders.ReadOptions{MaxInput: int64(len(in)) - 1})
	if e := firstError(t, err); e.Code != errs.TooLarge || e.Line != 4 || e.Column != 26 {
		t.Errorf("one byte over --max-input: %v", e)
	}
	_, err = loaders.Read("t.nq", strings.NewReader(in), loaders.ReadOptions{MaxLine: 24})
	if e := firstError(t, err); e.Code != errs.TooLarge || e.Line != 1 || e.Column != 25 {
		t.Errorf("one byte over --max-line: %v", e)
	}
}
