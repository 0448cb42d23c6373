package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// The web page: a query console, a result table, a graph view and evidence.
// Plain HTML, CSS and JavaScript written for factgraph (the graph layout is a
// small force simulation in app.js), embedded in the binary; it loads nothing
// from other hosts and needs no build step.
//
//go:embed web
var webFiles embed.FS

// pages are the routes of the web page; they are not part of the API and so
// not in openapi.json.
func (s *Server) pages() map[string]http.Handler {
	static, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	index := func(w http.ResponseWriter, r *http.Request) {
		// The page's state lives in its URL (?q=&lang=): no caching of it, and
		// no framing by other sites (the embed view is for same-origin iframes
		// and notebooks that open it directly).
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
		http.ServeFileFS(w, r, static, "index.html")
	}
	return map[string]http.Handler{
		"GET /{$}":     http.HandlerFunc(index),
		"GET /embed":   http.HandlerFunc(index),
		"GET /static/": http.StripPrefix("/static/", http.FileServerFS(static)),
	}
}
