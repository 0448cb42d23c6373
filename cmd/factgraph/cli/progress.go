package cli

import (
	"io"
	"os"
	"path/filepath"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// showProgress reports whether progress bars belong on w: a terminal, and not
// --quiet. Pipes and files get none.
func (g *globalOptions) showProgress(w io.Writer) bool {
	f, ok := w.(*os.File)
	return !g.quiet && ok && term.IsTerminal(int(f.Fd()))
}

// progressReader wraps a file being read with a bar of bytes, quads/s and ETA.
func progressReader(stderr io.Writer) func(r io.Reader, name string, size int64) io.Reader {
	return func(r io.Reader, name string, size int64) io.Reader {
		bar := progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("loading "+filepath.Base(name)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100_000_000),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionFullWidth(),
		)
		return io.TeeReader(r, bar)
	}
}

// progressWriter counts bytes written, for dumps of unknown length.
func progressWriter(stderr io.Writer, w io.Writer) io.Writer {
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription("dumping"),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
	return io.MultiWriter(w, bar)
}
