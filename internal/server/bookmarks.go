package server

import (
	"context"
	"net/http"
	"strings"

	"casusnet/internal/casus"
)

// BookmarkHeader carries causal consistency between a client and casusnet
// instances on a database cluster: every answer has the bookmarks of the
// database state it saw or wrote, and a client that sends them back (to any
// instance) reads at least that state.
const BookmarkHeader = "Casusnet-Bookmark"

// Bookmarks attaches the bookmarks a client sent to ctx, and returns the
// bookmarks to answer with once the request is done.
type Bookmarks func(ctx context.Context, in []string) (context.Context, func() []string)

// Limits of the bookmark header.
const (
	maxBookmarks     = 16
	maxBookmarkBytes = 1024
)

// withBookmarks reads the client's bookmarks and answers with the latest.
// Websockets are left alone: a stream has no single answer.
func withBookmarks(b Bookmarks, next http.Handler) http.Handler {
	if b == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		var in []string
		for _, v := range r.Header.Values(BookmarkHeader) {
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					in = append(in, s)
				}
			}
		}
		if len(in) > maxBookmarks || len(strings.Join(in, ",")) > maxBookmarkBytes {
			writeAppError(w, casus.Invalid(BookmarkHeader, "at most %d bookmarks of %d bytes in all", maxBookmarks, maxBookmarkBytes))
			return
		}
		ctx, last := b(r.Context(), in)
		next.ServeHTTP(&bookmarkWriter{ResponseWriter: w, last: last}, r.WithContext(ctx))
	})
}

// bookmarkWriter sets the bookmark header just before the answer starts.
type bookmarkWriter struct {
	http.ResponseWriter
	last    func() []string
	started bool
}

func (w *bookmarkWriter) WriteHeader(status int) {
	if !w.started {
		w.started = true
		if bs := w.last(); len(bs) > 0 {
			w.Header().Set(BookmarkHeader, strings.Join(bs, ", "))
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *bookmarkWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *bookmarkWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
