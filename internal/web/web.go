// Package web serves casusnet's web client: the single-page application
// built by Vite from internal/web/app into internal/web/dist and embedded
// in the binary, so that it is served offline from the server's own origin.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"
)

//go:embed all:dist
var dist embed.FS

// Files returns the built client: the directory dir on disk if it is not
// empty (for developing the client against a running server), else the
// files embedded at build time.
func Files(dir string) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Policy is the Content-Security-Policy of the client's pages: scripts only
// from the server's own origin (no inline script, no eval), connections
// only to it and to the OIDC issuer, nothing framed.
func Policy(issuer string) string {
	connect := "'self'"
	if issuer != "" {
		connect += " " + issuer
	}
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
		"font-src 'self' data:; connect-src " + connect + "; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}

// Handler serves files and, for any other path without a file extension,
// the client's index.html, so that the client's own routes (/cases/…) load
// it. Hashed assets may be cached for a year; pages are not cached.
func Handler(files fs.FS, issuer string) http.Handler {
	policy := Policy(issuer)
	static := http.FileServerFS(files)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h.Set("Content-Security-Policy", policy)
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if name != "" && name != "index.html" {
			if st, err := fs.Stat(files, name); err == nil && !st.IsDir() {
				if strings.HasPrefix(name, "assets/") {
					h.Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				static.ServeHTTP(w, r)
				return
			}
			if path.Ext(name) != "" {
				http.NotFound(w, r)
				return
			}
		}
		index, err := fs.ReadFile(files, "index.html")
		if err != nil {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("The web client is not built into this binary: run `make web`, then build the server again.\n"))
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(index)
	})
}
