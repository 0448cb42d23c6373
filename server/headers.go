package server

import (
	"net/http"
	"strings"
)

// Security headers. Every response says nosniff, so that a browser never
// takes a JSON error or an export for HTML or script. No page may be framed by
// another site (clickjacking): the page and the API say so both ways,
// Content-Security-Policy's frame-ancestors and, for older browsers,
// X-Frame-Options. /embed, the view for notebooks, may be framed by pages on
// loopback (a Jupyter server on the same machine) and by Config.EmbedOrigins.

// pageCSP is the page's content policy, without frame-ancestors.
const pageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"

// loopbackAncestors are the origins on this machine that may frame /embed,
// on any port.
var loopbackAncestors = []string{"'self'", "http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*"}

// setSecurityHeaders sets the headers every response carries; a page that may
// be framed replaces the framing ones (see embedPolicy).
func setSecurityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
}

// pagePolicy is the content policy of the page at / (framed by no one).
func pagePolicy() string { return pageCSP + "; frame-ancestors 'none'" }

// embedPolicy is the content policy of /embed: framed by loopback pages and
// the configured origins. X-Frame-Options cannot name them, so /embed goes
// without it (browsers that know frame-ancestors ignore it anyway).
func (s *Server) embedPolicy() string {
	return pageCSP + "; frame-ancestors " + strings.Join(append(append([]string(nil), loopbackAncestors...), s.cfg.EmbedOrigins...), " ")
}
