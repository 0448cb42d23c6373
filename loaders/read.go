package loaders

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/factgraph/factgraph/graph/errs"
	"github.com/factgraph/factgraph/graph/format"
)

// DefaultMaxErrors bounds how many malformed lines one read reports.
const DefaultMaxErrors = 10

// ReadOptions control how sources are read.
type ReadOptions struct {
	// Format forces an input format by name (a load format of the format
	// table: nquads, csv, tsv, jsonld, pquads); empty picks it by file
	// extension, defaulting to N-Quads.
	Format string
	// MaxErrors bounds the errors collected before reading stops (default
	// DefaultMaxErrors).
	MaxErrors int
	// Stdin is read for the file name "-".
	Stdin io.Reader
	// Columns maps CSV/TSV header columns to quad parts (default: by name).
	Columns CSVColumns
	// Progress, if set, wraps each opened file (not stdin) before reading, for
	// a progress display; size is the file's size in bytes.
	Progress func(r io.Reader, name string, size int64) io.Reader
	// Quads, if set, is told the number of quads read so far, every
	// QuadsEvery quads and at the end of each source, for a progress display.
	Quads func(n int)
	// MaxInput bounds the bytes of one source once decompressed (default
	// DefaultMaxInput): a small gzip file can unpack to gigabytes.
	MaxInput int64
	// MaxLine bounds one line of N-Quads, CSV or TSV (default DefaultMaxLine).
	MaxLine int64
	// ContextDir, if set, is a directory from which JSON-LD documents may
	// take @context files by relative name. Without it a JSON-LD document
	// must carry its contexts inline: loaders never fetch a URL or read a
	// file on behalf of the data.
	ContextDir string
}

func (o ReadOptions) withDefaults() ReadOptions {
	if o.MaxErrors <= 0 {
		o.MaxErrors = DefaultMaxErrors
	}
	if o.MaxInput <= 0 {
		o.MaxInput = DefaultMaxInput
	}
	if o.MaxLine <= 0 {
		o.MaxLine = DefaultMaxLine
	}
	return o
}

// QuadsEvery is how often ReadOptions.Quads hears of progress.
const QuadsEvery = 10000

// ReadFiles reads every quad of every named file, in order. Any error in any
// file means no quads are returned.
func ReadFiles(paths []string, opt ReadOptions) ([]quad.Quad, error) {
	var all []quad.Quad
	for _, p := range paths {
		qs, err := ReadFile(p, opt)
		if err != nil {
			return nil, err
		}
		all = append(all, qs...)
	}
	return all, nil
}

// DataFiles returns the files that ReadFiles reads for paths: each path as it
// is, but a directory stands for its data files, in name order.
func DataFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			out = append(out, p)
			continue
		}
		files, err := dataFiles(p)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, &errs.Error{Code: errs.Invalid, File: p, Message: "directory holds no data files (" + strings.Join(format.Extensions(format.Load), ", ") + ", optionally .gz)"}
		}
		out = append(out, files...)
	}
	return out, nil
}

// ReadFile reads every quad of the named file ("-" for standard input), or of
// every file with a known extension below the named directory, in name order.
// Gzip input is detected by its content, not its name.
func ReadFile(path string, opt ReadOptions) ([]quad.Quad, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		files, err := DataFiles([]string{path})
		if err != nil {
			return nil, err
		}
		return ReadFiles(files, opt)
	}
	name := path
	var r io.Reader
	if path == "-" {
		name = "<stdin>"
		if opt.Stdin == nil {
			opt.Stdin = os.Stdin
		}
		r = opt.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err // "open PATH: no such file or directory"
		}
		defer f.Close()
		r = f
		if opt.Progress != nil {
			if fi, err := f.Stat(); err == nil {
				r = opt.Progress(f, path, fi.Size())
			}
		}
	}
	if opt.Format == "" {
		opt.Format = formatOf(path)
	}
	return Read(name, r, opt)
}

// Read reads every quad from r, which may be gzip-compressed. name is used in
// error messages. Malformed lines are collected into an errs.List (at most
// opt.MaxErrors); any error means no quads are returned. The input must be
// UTF-8 (binary formats aside) and within opt.MaxInput and opt.MaxLine.
func Read(name string, r io.Reader, opt ReadOptions) ([]quad.Quad, error) {
	opt = opt.withDefaults()
	r, err := Decompressed(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	f := nquadsFormat
	if opt.Format != "" {
		var ok bool
		if f, ok = format.Lookup(opt.Format, format.Load); !ok {
			return nil, &errs.Error{Code: errs.Invalid, File: name, Message: fmt.Sprintf("unknown input format %q (known: %s)", opt.Format, strings.Join(format.Names(format.Load), ", "))}
		}
	}
	var (
		qr    quad.ReadCloser
		g     *guard
		lines = func() { g = newGuard(r, name, opt.MaxInput, opt.MaxLine, true) }
	)
	switch f.Name {
	case "nquads":
		lines()
		qr = NewNQuadsReader(name, g)
	case "csv":
		lines()
		qr = NewCSVReader(name, g, ',', opt.Columns)
	case "tsv":
		lines()
		qr = NewCSVReader(name, g, '\t', opt.Columns)
	case "jsonld":
		// One line may hold a whole document.
		return readJSONLD(name, newGuard(r, name, opt.MaxInput, 0, true), opt)
	case "turtle", "trig":
		return readTurtle(name, newGuard(r, name, opt.MaxInput, 0, true), f.Name == "trig")
	default:
		cf := quad.FormatByName(f.Cayley)
		g = newGuard(r, name, opt.MaxInput, 0, !cf.Binary)
		qr = cf.Reader(g)
	}
	defer qr.Close()
	return readAll(name, qr, g, opt.MaxErrors, opt.Quads)
}

// readAll collects the quads of qr, and its malformed lines up to maxErrors.
// A failure of the guard g (nil for none) ends the read.
func readAll(name string, qr quad.Reader, g *guard, maxErrors int, progress func(int)) ([]quad.Quad, error) {
	var (
		quads []quad.Quad
		list  errs.List
	)
	for {
		q, err := qr.ReadQuad()
		if err == io.EOF {
			break
		}
		if err == nil {
			if msg := checkQuad(q); msg != "" {
				err = &errs.Error{Code: errs.Invalid, File: name, Message: fmt.Sprintf("quad %d: %s", len(quads)+len(list)+1, msg)}
			}
		}
		var perr *errs.Error
		switch {
		case g.fatal(err):
			list.Add(g.err)
			return nil, list.Err()
		case errors.As(err, &perr):
			if perr.File == "" {
				perr.File = name // readers registered with Cayley do not know it
			}
			list.Add(perr)
			if len(list) >= maxErrors {
				return nil, list.Err()
			}
			continue
		case errors.Is(err, io.ErrUnexpectedEOF):
			list.Add(&errs.Error{Code: errs.Invalid, File: name, Message: "the input ends inside a quad: is the file complete?", Err: err})
			return nil, list.Err()
		case err != nil:
			list.Add(&errs.Error{Code: errs.Invalid, File: name, Message: err.Error(), Err: err})
			return nil, list.Err()
		}
		if len(list) == 0 {
			quads = append(quads, q)
			if progress != nil && len(quads)%QuadsEvery == 0 {
				progress(len(quads))
			}
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(len(quads))
	}
	return quads, nil
}

// dataFiles lists the files below dir with a data extension, sorted.
func dataFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(strings.TrimSuffix(strings.ToLower(p), ".gz")))
		if !d.IsDir() && slices.Contains(format.Extensions(format.Load), ext) {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// Decompressed returns r's text: r itself or, when it starts with gzip's
// magic number, a reader of what it decompresses to.
func Decompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err == nil && bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		return gzip.NewReader(br)
	}
	return br, nil
}

// nquadsFormat is the format of input that names none.
var nquadsFormat, _ = format.Lookup("nquads", format.Load)

// formatOf picks a load format by file extension (through .gz), N-Quads for
// any other.
func formatOf(path string) string {
	if f, ok := format.ByExtension(path, format.Load); ok {
		return f.Name
	}
	return nquadsFormat.Name
}
