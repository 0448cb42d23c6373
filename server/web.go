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
	page := func(embed bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			// The page's state lives in its URL (?q=&lang=): no caching of it.
			// Who may frame it: see headers.go.
			h := w.Header()
			h.Set("Cache-Control", "no-cache")
			h.Set("Content-Security-Policy", pagePolicy())
			if embed {
				h.Set("Content-Security-Policy", s.embedPolicy())
				h.Del("X-Frame-Options")
			}
			http.ServeFileFS(w, r, static, "index.html")
		}
	}
	return map[string]http.Handler{
		"GET /{$}":     page(false),
		"GET /embed":   page(true),
		"GET /static/": http.StripPrefix("/static/", http.FileServerFS(static)),
	}
}
