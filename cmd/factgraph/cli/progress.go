package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// showProgress reports whether progress bars belong on w: a terminal, and not
// --quiet. Pipes and files get none.
func (g *globalOptions) showProgress(w io.Writer) bool {
	f, ok := w.(*os.File)
	return !g.quiet && ok && term.IsTerminal(int(f.Fd()))
}

// loadProgress shows, for each file being read, a bar of bytes with ETA and a
// count of quads with their rate.
type loadProgress struct {
	stderr io.Writer
	bar    *progressbar.ProgressBar
	name   string
	start  time.Time
}

// reader wraps a file being read (loaders.ReadOptions.Progress).
func (p *loadProgress) reader(r io.Reader, name string, size int64) io.Reader {
	p.name, p.start = filepath.Base(name), time.Now()
	p.bar = progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(p.stderr),
		progressbar.OptionSetDescription("loading "+p.name),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	return io.TeeReader(r, p.bar)
}

// quads hears how many quads the current file has given (loaders.ReadOptions.Quads).
func (p *loadProgress) quads(n int) {
	if p.bar == nil {
		return
	}
	rate := float64(n) / max(time.Since(p.start).Seconds(), 1e-9)
	p.bar.Describe(fmt.Sprintf("loading %s: %d quads, %.0f quads/s", p.name, n, rate))
}

// progressWriter counts bytes written, for dumps of unknown length.
func progressWriter(stderr io.Writer, w io.Writer) io.Writer {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("dumping"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return io.MultiWriter(w, bar)
}
