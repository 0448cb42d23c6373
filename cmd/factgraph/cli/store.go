package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/factgraph/factgraph/graph"
	"github.com/factgraph/factgraph/loaders"
)

// openStore opens the --db store; a memory store gets the embedded article unless
// --empty; then every --load file is added in one atomic batch.
func (g *globalOptions) openStore(ctx context.Context, stdin io.Reader, stderr io.Writer) (*graph.Store, error) {
	st, err := graph.Open(ctx, g.db)
	if err != nil {
		return nil, err
	}
	if st.IsMemory() && !g.empty {
		if err := loadArticle(ctx, st); err != nil {
			st.Close()
			return nil, err
		}
	}
	if len(g.loads) > 0 {
		stats, err := loadFiles(ctx, st, g.loads, loaders.ReadOptions{Stdin: stdin}, stderr)
		if err != nil {
			st.Close()
			return nil, err
		}
		if !g.quiet {
			fmt.Fprintln(stderr, stats.summary())
		}
	}
	return st, nil
}

func loadArticle(ctx context.Context, st *graph.Store) error {
	quads, err := loaders.ReadArticle()
	if err != nil {
		return fmt.Errorf("embedded article: %w", err)
	}
	_, err = loaders.Apply(ctx, st, quads)
	return err
}

type loadSummary struct {
	files   int
	elapsed time.Duration
	loaders.Stats
}

func (s loadSummary) summary() string {
	return fmt.Sprintf("loaded %s from %s: %s", plural(s.Read, "quad"), plural(s.files, "file"), s.counts())
}

// counts renders what the batch did: "3 added, 1 duplicate skipped (...)".
func (s loadSummary) counts() string {
	rate := float64(s.Read) / max(s.elapsed.Seconds(), 1e-9)
	return fmt.Sprintf("%d added, %s skipped (%s, %.0f quads/s)",
		s.Added, plural(s.Duplicates, "duplicate"), s.elapsed.Round(time.Millisecond), rate)
}

// loadFiles reads every file before touching the store, then applies all quads
// in one batch: a bad line anywhere leaves the store as it was.
// With opt.Progress set, it also says when the write begins, since a large
// batch takes a while to commit.
func loadFiles(ctx context.Context, st *graph.Store, files []string, opt loaders.ReadOptions, stderr io.Writer) (loadSummary, error) {
	start := time.Now()
	files, err := loaders.DataFiles(files)
	if err != nil {
		return loadSummary{}, err
	}
	all, err := loaders.ReadFiles(files, opt)
	if err != nil {
		return loadSummary{}, err
	}
	if opt.Progress != nil {
		fmt.Fprintf(stderr, "writing %d quads to %s in one transaction...\n", len(all), st.URL)
	}
	stats, err := loaders.Apply(ctx, st, all)
	return loadSummary{files: len(files), elapsed: time.Since(start), Stats: stats}, err
}
