package rdfsyntax

import "strings"

// ResolveIRI resolves ref against base as RFC 3986 section 5.2 says. A ref
// with a scheme, or an empty base, is returned as it is (less dot segments).
func ResolveIRI(base, ref string) string {
	if base == "" || hasScheme(ref) {
		return ref
	}
	bs, ba, bp, bq := splitIRI(base)
	if strings.HasPrefix(ref, "//") {
		_, ra, rp, rq, rf := splitRef(ref)
		return join(bs, ra, removeDots(rp), rq, rf)
	}
	_, _, rp, rq, rf := splitRef(ref)
	switch {
	case rp == "" && rq == nil:
		return join(bs, ba, bp, bq, rf)
	case rp == "":
		return join(bs, ba, bp, rq, rf)
	case strings.HasPrefix(rp, "/"):
		return join(bs, ba, removeDots(rp), rq, rf)
	}
	var merged string
	if ba != nil && bp == "" {
		merged = "/" + rp
	} else if i := strings.LastIndexByte(bp, '/'); i >= 0 {
		merged = bp[:i+1] + rp
	} else {
		merged = rp
	}
	return join(bs, ba, removeDots(merged), rq, rf)
}

func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return i > 0
		case isAlpha(c), i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// splitIRI splits an absolute IRI into scheme, authority (nil if none), path
// and query (nil if none); the fragment is dropped.
func splitIRI(s string) (scheme string, auth *string, path string, query *string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 && hasScheme(s) {
		scheme, s = s[:i], s[i+1:]
	}
	if strings.HasPrefix(s, "//") {
		s = s[2:]
		i := strings.IndexAny(s, "/?")
		if i < 0 {
			i = len(s)
		}
		a := s[:i]
		auth, s = &a, s[i:]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		q := s[i+1:]
		query, s = &q, s[:i]
	}
	return scheme, auth, s, query
}

func splitRef(s string) (scheme string, auth *string, path string, query, frag *string) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		f := s[i+1:]
		frag, s = &f, s[:i]
	}
	scheme, auth, path, query = splitIRI(s)
	return scheme, auth, path, query, frag
}

func join(scheme string, auth *string, path string, query, frag *string) string {
	var b strings.Builder
	if scheme != "" {
		b.WriteString(scheme + ":")
	}
	if auth != nil {
		b.WriteString("//" + *auth)
	}
	b.WriteString(path)
	if query != nil {
		b.WriteString("?" + *query)
	}
	if frag != nil {
		b.WriteString("#" + *frag)
	}
	return b.String()
}

// removeDots removes the . and .. segments of a path (RFC 3986 5.2.4).
func removeDots(p string) string {
	var out []string
	in := p
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			i := strings.IndexByte(in[1:], '/')
			if i < 0 {
				out = append(out, in)
				in = ""
			} else {
				out = append(out, in[:i+1])
				in = in[i+1:]
			}
		}
	}
	return strings.Join(out, "")
}
