package loaders

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/factgraph/factgraph/graph/errs"
)

// JSON-LD isolation. A JSON-LD document may name its @context (and, in JSON-LD
// 1.1, an @import) by URL or by file name, and a JSON-LD processor would fetch
// or read it. Loaders never reach outside on behalf of the data: a named
// context is refused with its position before any processing (findContextRefs),
// and the document loader given to the processor refuses too, so that nothing
// the scan might miss is fetched either (noFetchLoader). The one exception is
// a directory the user names (ReadOptions.ContextDir, `load --context-dir`):
// context files below it may be named relative to it.

// contextRef is a context named by reference: where its string stands in the
// document, and what it says.
type contextRef struct {
	off int    // byte offset of the string's opening quote
	key string // "@context" or "@import"
	ref string
}

// findContextRefs returns every string that stands as the value of an
// @context or @import key, or as an element of such a value's array, anywhere
// in the JSON document b (which is valid JSON).
func findContextRefs(b []byte) ([]contextRef, error) {
	var refs []contextRef
	err := walkJSON(b, func(v jsonValue) {
		s, ok := v.tok.(string)
		if ok && (v.key == "@context" || v.key == "@import") {
			refs = append(refs, contextRef{off: v.off, key: v.key, ref: s})
		}
	})
	return refs, err
}

// jsonValue is one value of a JSON document as walkJSON visits it.
type jsonValue struct {
	tok       json.Token // a scalar, or the opening delimiter of an object or array
	off       int        // byte offset of its first byte
	key       string     // the key it is the value of (for array elements, the array's)
	inArray   bool       // it is an element of an array
	depth     int        // 0 for the document itself
	inContext bool       // it is, or is inside, the value of an @context key
}

// walkJSON calls visit with every value of the JSON document b, in order.
func walkJSON(b []byte, visit func(jsonValue)) error {
	type frame struct {
		object    bool
		key       string // the key of this container in its parent
		inContext bool
		next      string // in an object: the key whose value comes next
		haveKey   bool   // next is set
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []frame
	for {
		off := tokenStart(b, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.object && !top.haveKey {
			top.next, top.haveKey = tok.(string), true // a key
			continue
		}
		v := jsonValue{tok: tok, off: off, depth: len(stack)}
		if top != nil {
			v.inContext = top.inContext
			if top.object {
				v.key, top.haveKey = top.next, false
			} else {
				v.key, v.inArray = top.key, true
			}
			v.inContext = v.inContext || v.key == "@context" && !v.inArray
		}
		visit(v)
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, frame{object: d == '{', key: v.key, inContext: v.inContext || v.key == "@context"})
		}
	}
}

// tokenStart skips the white space and separators that the JSON decoder's
// offset leaves before the next token.
func tokenStart(b []byte, off int) int {
	for off < len(b) && strings.IndexByte(" \t\r\n,:", b[off]) >= 0 {
		off++
	}
	return off
}

// contextErrors turns the context references of a document into positioned
// errors, but for local files below dir when dir is set.
func contextErrors(name string, b []byte, refs []contextRef, dir string) errs.List {
	var list errs.List
	for _, r := range refs {
		line, col := lineCol(b, int64(r.off)+1)
		if isRemote(r.ref) {
			list.Add(errs.At(errs.Invalid, name, line, col,
				"%s %s is a remote context: factgraph fetches nothing on behalf of the data; inline the context (put its JSON object in place of the URL)",
				r.key, excerpt(r.ref)))
			continue
		}
		if dir == "" {
			list.Add(errs.At(errs.Invalid, name, line, col,
				"%s %s names a file: factgraph reads no file on behalf of the data; inline the context, or name a directory that may hold contexts with --context-dir DIR",
				r.key, excerpt(r.ref)))
			continue
		}
		if _, err := contextPath(dir, r.ref); err != nil {
			list.Add(errs.At(errs.Invalid, name, line, col, "%s %s: %v", r.key, excerpt(r.ref), err))
		}
	}
	return list
}

// isRemote reports a reference with a URL scheme other than file.
func isRemote(ref string) bool {
	u, err := url.Parse(ref)
	if err != nil {
		return strings.Contains(ref, "://")
	}
	return u.Scheme != "" && u.Scheme != "file" && len(u.Scheme) > 1 // "C:" is a drive
}

// contextPath maps a context reference to a name below dir: a relative name
// as it is, an absolute one (or a file: URL) if it lies below dir.
func contextPath(dir, ref string) (string, error) {
	p := strings.TrimPrefix(ref, "file://")
	if filepath.IsAbs(p) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", err
		}
		rel, err := filepath.Rel(abs, p)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", fmt.Errorf("the file is outside the --context-dir %s", dir)
		}
		p = rel
	}
	p = filepath.ToSlash(filepath.Clean(p))
	if !fs.ValidPath(p) {
		return "", fmt.Errorf("the file is outside the --context-dir %s", dir)
	}
	return p, nil
}

// noFetchLoader is the JSON-LD processor's document loader: it reads context
// files below dir (through an os.Root, so that no name or link leads out of
// it) and refuses everything else.
type noFetchLoader struct {
	dir  string
	root *os.Root // nil without dir
}

func newNoFetchLoader(dir string) (*noFetchLoader, error) {
	l := &noFetchLoader{dir: dir}
	if dir != "" {
		root, err := os.OpenRoot(dir)
		if err != nil {
			return nil, errs.Errorf(errs.Invalid, "--context-dir: %w", err)
		}
		l.root = root
	}
	return l, nil
}

func (l *noFetchLoader) close() {
	if l.root != nil {
		l.root.Close()
	}
}

// errNoFetch is what the processor hears for a context it may not load.
var errNoFetch = errors.New("factgraph loads no remote or local documents on behalf of the data; inline the context")

// LoadDocument implements ld.DocumentLoader.
func (l *noFetchLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if l.root == nil || isRemote(u) {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, errNoFetch)
	}
	p, err := contextPath(l.dir, u)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	f, err := l.root.Open(p)
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	defer f.Close()
	// A context file is bounded like the data that names it.
	doc, err := ld.DocumentFromReader(io.LimitReader(f, DefaultMaxLine))
	if err != nil {
		return nil, err
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}
