package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
)

// gorillaWebsocket plugs gorilla/websocket into gqlgen's websocket transport.
type gorillaWebsocket struct {
	upgrader websocket.Upgrader

	mu    sync.Mutex
	conns map[*websocket.Conn]struct{}
}

// writeBuffers are the websocket write buffers, shared by all connections.
var writeBuffers = &sync.Pool{}

// newGorillaWebsocket accepts connections whose Origin is allowed: any origin
// in allowed, or, when allowed is empty, only the server's own host.
func newGorillaWebsocket(allowed []string) *gorillaWebsocket {
	return &gorillaWebsocket{conns: map[*websocket.Conn]struct{}{}, upgrader: websocket.Upgrader{
		HandshakeTimeout: 10 * time.Second,
		// Reads reuse the HTTP server's buffer; writes borrow one from a
		// pool only while they write, so an idle connection holds none.
		WriteBufferPool:   writeBuffers,
		EnableCompression: true,
		CheckOrigin: func(r *http.Request) bool {
			origin := r.Header.Get("Origin")
			if origin == "" {
				return true // not a browser: no cross-site risk
			}
			if len(allowed) == 0 {
				return sameHost(origin, r.Host)
			}
			return slices.Contains(allowed, origin)
		},
	}}
}

func sameHost(origin, host string) bool {
	for _, scheme := range []string{"http://", "https://"} {
		if origin == scheme+host {
			return true
		}
	}
	return false
}

// closingWebsocket is gqlgen's websocket transport, but the connection is
// closed when the transport is done with it. gqlgen returns without closing
// it on some refusals (a connection_init whose payload is not an object, an
// unsupported subprotocol), which would leave the hijacked connection open
// for as long as the client likes.
type closingWebsocket struct{ transport.Websocket }

type acceptedKey struct{}

// Do serves the websocket and closes its connection afterwards.
func (t closingWebsocket) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	var accepted *websocket.Conn
	r = r.WithContext(context.WithValue(r.Context(), acceptedKey{}, &accepted))
	t.Websocket.Do(w, r, exec)
	if accepted != nil {
		_ = gorillaConn{Conn: accepted, owner: t.Implementation.(*gorillaWebsocket)}.Close()
	}
}

// Accept upgrades the request, offering gqlgen's subprotocols.
func (g *gorillaWebsocket) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	u := g.upgrader
	u.Subprotocols = opts.Subprotocols
	c, err := u.Upgrade(w, r, opts.ResponseHeader)
	if err != nil {
		return nil, err
	}
	if slot, ok := r.Context().Value(acceptedKey{}).(**websocket.Conn); ok {
		*slot = c
	}
	g.mu.Lock()
	g.conns[c] = struct{}{}
	g.mu.Unlock()
	return gorillaConn{Conn: c, owner: g}, nil
}

// closeAll sends every open connection a close frame with code and reason,
// and returns how many it told.
func (g *gorillaWebsocket) closeAll(code int, reason string) int {
	g.mu.Lock()
	conns := make([]*websocket.Conn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		_ = gorillaConn{Conn: c}.WriteClose(code, reason)
	}
	return len(conns)
}

// gorillaConn is a gorilla connection as gqlgen's transport expects it.
type gorillaConn struct {
	*websocket.Conn
	owner *gorillaWebsocket
}

// Close closes the connection and forgets it.
func (c gorillaConn) Close() error {
	if c.owner != nil {
		c.owner.mu.Lock()
		delete(c.owner.conns, c.Conn)
		c.owner.mu.Unlock()
	}
	return c.Conn.Close()
}

var (
	_ transport.WebsocketReadLimiter   = gorillaConn{}
	_ transport.WebsocketReadDeadliner = gorillaConn{}
)

// NextReader returns the next message, and transport.ErrWebsocketClosed when
// the peer closed the connection normally.
func (c gorillaConn) NextReader() (int, io.Reader, error) {
	t, r, err := c.Conn.NextReader()
	if err != nil && websocket.IsCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived) {
		return t, r, transport.ErrWebsocketClosed
	}
	return t, r, err
}

// writeTimeout bounds one message write: a client that stops reading is
// disconnected instead of holding its connection's writer forever.
const writeTimeout = 10 * time.Second

// WriteJSON writes one message, within writeTimeout.
func (c gorillaConn) WriteJSON(v any) error {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
		return err
	}
	return c.Conn.WriteJSON(v)
}

// WriteClose sends a close frame with code and message.
func (c gorillaConn) WriteClose(code int, message string) error {
	err := c.Conn.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(code, message), time.Now().Add(time.Second))
	if errors.Is(err, websocket.ErrCloseSent) {
		return nil
	}
	return err
}
