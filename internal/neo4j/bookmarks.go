package neo4j

import (
	"context"
	"errors"
	"sync"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"casusnet/internal/casus"
)

// Bookmarks carry causal consistency across casusnet instances on a Neo4j
// cluster: a client that wrote through one instance and reads through
// another sends the bookmarks the write answered with, and the read waits
// until the cluster member serving it has caught up. Within one instance
// the driver's bookmark manager does this by itself.
type Bookmarks struct {
	mu   sync.Mutex
	in   []string
	last []string
}

type bookmarksKey struct{}

// WithBookmarks returns ctx whose transactions wait for the bookmarks in,
// and the Bookmarks that collect those of its writes.
func WithBookmarks(ctx context.Context, in []string) (context.Context, *Bookmarks) {
	b := &Bookmarks{in: in}
	return context.WithValue(ctx, bookmarksKey{}, b), b
}

// Last returns the bookmarks of the last write, or those the context came
// with if it wrote nothing: what the client should send next time.
func (b *Bookmarks) Last() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last != nil {
		return b.last
	}
	return b.in
}

func bookmarksFrom(ctx context.Context) *Bookmarks {
	b, _ := ctx.Value(bookmarksKey{}).(*Bookmarks)
	return b
}

// noteWrite records the bookmarks of session s after a write.
func (b *Bookmarks) noteWrite(s driver.SessionWithContext) {
	if b == nil {
		return
	}
	last := s.LastBookmarks()
	b.mu.Lock()
	b.last = last
	b.mu.Unlock()
}

// badBookmark turns the server's refusal of a client's bookmark into
// INVALID.
func badBookmark(err error) error {
	var ne *driver.Neo4jError
	if errors.As(err, &ne) && (ne.Code == "Neo.ClientError.Transaction.InvalidBookmark" || ne.Code == "Neo.ClientError.Transaction.InvalidBookmarkMixture") {
		return casus.Invalid("Casusnet-Bookmark", "not a bookmark of this database; send back the Casusnet-Bookmark header as it was answered")
	}
	return err
}
