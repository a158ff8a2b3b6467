package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"casusnet/graph"
	"casusnet/internal/auth"
	"casusnet/internal/casus"
)

// websocketTransport serves GraphQL subscriptions over gorilla/websocket, in
// both subprotocols (wsprotocol.go). A connection costs one goroutine, its
// reader; a writer runs only while frames wait to go out, and writes each
// within writeTimeout; keep-alives and token expiry are timers. Every
// subscription on a connection ends when the connection does.
type websocketTransport struct {
	upgrader  websocket.Upgrader
	verifier  auth.Verifier
	keepAlive time.Duration
	// writeTimeout bounds one frame's write: a client that stops reading
	// is disconnected instead of holding its connection's writer forever.
	writeTimeout time.Duration
	readLimit    int64

	// feed serves the caseEvents subscriptions it handles, without a
	// goroutine each; streams counts the subscriptions in flight.
	feed    *graph.Feed
	streams *streams

	mu    sync.Mutex
	conns map[*wsConn]struct{}
}

var _ graphql.Transport = (*websocketTransport)(nil)

// writeBuffers are the websocket write buffers, shared by all connections.
var writeBuffers = &sync.Pool{}

const (
	// initTimeout is how long a new connection has to sign in.
	initTimeout = 10 * time.Second
	// outboxLimit is how many bytes may wait to be written to one
	// connection before its subscriptions wait for the client to read:
	// the server paces what it sends by what the client takes.
	outboxLimit = 256 << 10
)

// newWebsocketTransport accepts connections whose Origin is allowed: any
// origin in allowed, or, when allowed is empty, only the server's own host.
// A connection signs in with a token verifier accepts, in connection_init.
func newWebsocketTransport(allowed []string, verifier auth.Verifier, feed *graph.Feed, inFlight *streams, keepAlive, writeTimeout time.Duration, readLimit int64) *websocketTransport {
	if writeTimeout <= 0 {
		writeTimeout = 10 * time.Second
	}
	return &websocketTransport{verifier: verifier, feed: feed, streams: inFlight, keepAlive: keepAlive, writeTimeout: writeTimeout, readLimit: readLimit,
		conns: map[*wsConn]struct{}{},
		upgrader: websocket.Upgrader{
			HandshakeTimeout: 10 * time.Second,
			Subprotocols:     []string{transportWS, legacyWS},
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

// Supports reports whether r asks for a websocket.
func (t *websocketTransport) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

// Do upgrades the request and serves the connection until it ends.
func (t *websocketTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ws, err := t.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered with the HTTP error
	}
	proto, ok := protocols[ws.Subprotocol()]
	if !ok {
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseProtocolError,
			"speak graphql-transport-ws or graphql-ws"), time.Now().Add(time.Second))
		_ = ws.Close()
		return
	}
	// The connection outlives the request: the handler returns, and with
	// it the request's memory, while a goroutine of its own reads.
	ctx, cancel := context.WithCancel(context.WithValue(context.WithoutCancel(r.Context()), websocketKey{}, true))
	c := &wsConn{t: t, ws: ws, proto: proto, exec: exec, ctx: ctx, cancel: cancel,
		subs: map[string]context.CancelFunc{}, space: make(chan struct{})}
	t.mu.Lock()
	t.conns[c] = struct{}{}
	t.mu.Unlock()
	go func() {
		defer func() {
			t.mu.Lock()
			delete(t.conns, c)
			t.mu.Unlock()
		}()
		c.serve()
	}()
}

// closeAll sends every open connection a close frame with code and reason,
// ends their subscriptions, and returns how many it told.
func (t *websocketTransport) closeAll(code int, reason string) int {
	t.mu.Lock()
	conns := make([]*wsConn, 0, len(t.conns))
	for c := range t.conns {
		conns = append(conns, c)
	}
	t.mu.Unlock()
	for _, c := range conns {
		c.closeWith(code, reason)
	}
	return len(conns)
}

// websocketKey marks the context of an operation that came over a websocket.
type websocketKey struct{}

// wsConn is one websocket connection and its subscriptions.
type wsConn struct {
	t     *websocketTransport
	ws    *websocket.Conn
	proto protocol
	exec  graphql.GraphExecutor
	// ctx is the connection's: the request's, then the signed-in
	// caller's; cancel ends it and every subscription on it.
	ctx    context.Context
	cancel context.CancelFunc
	// seen is when the client last sent anything (UnixNano).
	seen atomic.Int64

	mu    sync.Mutex
	acked bool
	// timers sign-in, token expiry and keep-alive, one each.
	initTimer, expiry, ping *time.Timer
	subs                    map[string]context.CancelFunc
	// out holds the frames waiting for the writer; outSize their bytes.
	out     [][]byte
	outSize int
	writing bool
	// space is closed, and replaced, whenever a frame has been written.
	space  chan struct{}
	closed bool
}

// serve reads the client's messages until the connection ends.
func (c *wsConn) serve() {
	defer c.shut()
	c.ws.SetReadLimit(c.t.readLimit)
	c.touch()
	c.ws.SetPongHandler(func(string) error { c.touch(); return nil })
	c.ws.SetPingHandler(func(data string) error {
		c.touch()
		err := c.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	c.after(&c.initTimer, initTimeout, func() {
		c.mu.Lock()
		acked := c.acked
		c.mu.Unlock()
		if !acked {
			c.closeWith(closeInitTimeout, "connection initialisation timeout")
		}
	})
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		c.touch()
		var m inMessage
		if json.Unmarshal(data, &m) != nil || m.Type == "" {
			c.closeWith(closeBadMessage, "invalid message")
			return
		}
		if !c.handleShallow(m) {
			return
		}
	}
}

// context returns the connection's context.
func (c *wsConn) context() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctx
}

func (c *wsConn) touch() { c.seen.Store(time.Now().UnixNano()) }

// handleShallow is handle, for the messages that need deep work — signing
// in (verifying a token), subscribing (parsing, validating) — on a
// goroutine of its own: the reader, which lives as long as the
// connection, keeps a small stack.
func (c *wsConn) handleShallow(m inMessage) bool {
	if m.Type != "connection_init" && m.Type != c.proto.start {
		return c.handle(m)
	}
	done := make(chan bool)
	go func() { done <- c.handle(m) }()
	return <-done
}

// handle acts on one message; it reports false when the connection ends.
func (c *wsConn) handle(m inMessage) bool {
	c.mu.Lock()
	acked := c.acked
	c.mu.Unlock()
	switch m.Type {
	case "connection_init":
		if acked {
			c.closeWith(closeTooManyInits, "too many initialisation requests")
			return false
		}
		return c.signIn(m.Payload)
	case "ping":
		c.push(frame("pong", "", m.Payload))
	case "pong":
	case c.proto.start:
		if !acked {
			c.closeWith(CloseUnauthorized, "unauthorized: send connection_init first")
			return false
		}
		if m.ID == "" {
			c.closeWith(closeBadMessage, "a subscription needs an id")
			return false
		}
		c.mu.Lock()
		_, exists := c.subs[m.ID]
		c.mu.Unlock()
		if exists {
			c.closeWith(closeDuplicateID, "subscriber for "+m.ID+" already exists")
			return false
		}
		c.subscribe(m.ID, m.Payload)
	case c.proto.stop:
		c.mu.Lock()
		cancel := c.subs[m.ID]
		delete(c.subs, m.ID)
		c.mu.Unlock()
		if cancel != nil {
			cancel()
		}
	case c.proto.terminate:
		c.closeWith(websocket.CloseNormalClosure, "")
		return false
	default:
		c.closeWith(closeBadMessage, "unknown message type")
		return false
	}
	return true
}

// signIn verifies the token in a connection_init payload and acknowledges
// it; a missing, forged or expired token closes the connection with 4401.
// The connection closes when the token expires.
func (c *wsConn) signIn(payload json.RawMessage) bool {
	var init transport.InitPayload
	if len(payload) > 0 && string(payload) != "null" && json.Unmarshal(payload, &init) != nil {
		c.closeWith(closeBadMessage, "the connection_init payload is not an object")
		return false
	}
	id, err := c.t.verifier.Verify(c.ctx, auth.TokenFromInitPayload(init))
	if err != nil {
		if c.proto.name == legacyWS {
			b, _ := json.Marshal(map[string]string{"message": casus.ErrorMessage(err)})
			c.push(frame("connection_error", "", b))
		}
		c.closeWith(CloseUnauthorized, casus.ErrorMessage(err))
		return false
	}
	ctx, cancel := context.WithDeadline(auth.WithIdentity(c.ctx, id), id.ExpiresAt)
	c.mu.Lock()
	c.acked = true
	stop := c.cancel
	c.ctx, c.cancel = ctx, func() { cancel(); stop() }
	c.mu.Unlock()
	c.after(&c.expiry, time.Until(id.ExpiresAt), func() { c.closeWith(CloseUnauthorized, "the token has expired: sign in again") })
	c.push(frame("connection_ack", "", nil))
	if c.proto.name == legacyWS {
		c.push(frame("ka", "", nil))
	}
	c.after(&c.ping, c.t.keepAlive, c.keepAlive)
	return true
}

// keepAlive pings a quiet client, and takes a client that has not answered
// anything for two intervals for gone.
func (c *wsConn) keepAlive() {
	if c.context().Err() != nil {
		return
	}
	if time.Since(time.Unix(0, c.seen.Load())) > 2*c.t.keepAlive {
		c.closeWith(websocket.CloseGoingAway, "no answer to pings")
		return
	}
	c.push(frame(c.proto.keepAlive, "", nil))
	_ = c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
	c.after(&c.ping, c.t.keepAlive, c.keepAlive)
}

// after runs f after d in timer slot t, unless the connection ends first.
func (c *wsConn) after(t **time.Timer, d time.Duration, f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		*t = time.AfterFunc(d, f)
	}
}

// subscribe starts the subscription id: its operation is checked and
// executed as any other, and each result goes to the client as it comes.
func (c *wsConn) subscribe(id string, payload json.RawMessage) {
	var params graphql.RawParams
	if json.Unmarshal(payload, &params) != nil {
		c.endWith(id, errorsPayload(casus.EINVALID, "the subscription's payload is not a GraphQL request", nil))
		return
	}
	ctx := graphql.StartOperationTrace(c.context())
	params.ReadTime = graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}
	rc, errs := c.exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		b, _ := json.Marshal(resp.Errors)
		c.endWith(id, b)
		return
	}
	if c.t.feed != nil && c.t.feed.Handles(rc) {
		c.t.streams.start()
		c.mu.Lock()
		c.subs[id] = func() {} // until the feed has it
		c.mu.Unlock()
		stop, err := c.t.feed.Subscribe(graphql.WithOperationContext(ctx, rc), rc, feedSink{c, id})
		if err != nil {
			c.mu.Lock()
			delete(c.subs, id)
			c.mu.Unlock()
			c.t.streams.end()
			b, _ := json.Marshal([]any{err})
			c.endWith(id, b)
			return
		}
		c.mu.Lock()
		if _, ok := c.subs[id]; ok {
			c.subs[id] = stop
		}
		c.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(graphql.WithOperationContext(ctx, rc))
	c.mu.Lock()
	c.subs[id] = cancel
	c.mu.Unlock()
	go c.run(ctx, cancel, id, rc)
}

// feedSink is a subscription of the feed on connection c.
type feedSink struct {
	c  *wsConn
	id string
}

func (s feedSink) Send(ctx context.Context, payload []byte) bool {
	return s.c.send(ctx, frame(s.c.proto.data, s.id, payload))
}

func (s feedSink) Offer(payload []byte) bool { return s.c.offer(frame(s.c.proto.data, s.id, payload)) }

func (s feedSink) End(err *gqlerror.Error) {
	s.c.finish(s.id, err)
	s.c.t.streams.end()
}

// run executes one subscription until its stream, the client or the
// connection ends it.
func (c *wsConn) run(ctx context.Context, cancel context.CancelFunc, id string, rc *graphql.OperationContext) {
	ctx, ended := graph.WithStreamEnd(ctx)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err := rc.Recover(ctx, r)
			zerolog.Ctx(ctx).Error().Err(err).Msg("subscription panicked")
			c.endWith(id, errorsPayload(casus.EINTERNAL, "internal error", nil))
		}
	}()
	responses, ctx := c.exec.DispatchOperation(ctx, rc)
	for {
		resp := responses(ctx)
		if resp == nil {
			break
		}
		b, err := json.Marshal(resp)
		if err != nil {
			panic(err)
		}
		if !c.send(ctx, frame(c.proto.data, id, b)) {
			// Drain the stream, so that it ends and logs what it delivered.
			cancel()
			for responses(ctx) != nil {
			}
			break
		}
	}
	c.finish(id, ended())
}

// finish tells the client that subscription id has ended, with err or
// complete, unless the client stopped it or the connection is ending.
func (c *wsConn) finish(id string, err *gqlerror.Error) {
	c.mu.Lock()
	_, active := c.subs[id]
	delete(c.subs, id)
	c.mu.Unlock()
	switch {
	case !active || c.context().Err() != nil:
	case err != nil:
		b, _ := json.Marshal([]any{err})
		c.push(frame("error", id, b))
	default:
		c.push(frame("complete", id, nil))
	}
}

// endWith ends subscription id before it started, with an error.
func (c *wsConn) endWith(id string, errs []byte) {
	c.push(frame("error", id, errs))
	if c.proto.name == legacyWS {
		c.push(frame("complete", id, nil))
	}
}

// send queues a result for the client. When more than outboxLimit bytes
// wait already, it waits until the client has read some, or ctx ends (it
// then reports false).
func (c *wsConn) send(ctx context.Context, b []byte) bool {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return false
		}
		if c.outSize == 0 || c.outSize+len(b) <= outboxLimit {
			c.queue(b)
			c.mu.Unlock()
			return true
		}
		space := c.space
		c.mu.Unlock()
		select {
		case <-space:
		case <-ctx.Done():
			return false
		}
	}
}

// offer queues a result unless more than outboxLimit bytes wait already,
// and reports whether it did.
func (c *wsConn) offer(b []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.outSize > 0 && c.outSize+len(b) > outboxLimit {
		return false
	}
	c.queue(b)
	return true
}

// push queues a protocol message, which never waits.
func (c *wsConn) push(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.queue(b)
	}
}

// queue adds b to the outbox and starts a writer when none runs; c.mu is
// held.
func (c *wsConn) queue(b []byte) {
	c.out = append(c.out, b)
	c.outSize += len(b)
	if !c.writing {
		c.writing = true
		go c.write()
	}
}

// write writes queued frames, each within the write timeout, until none is
// left. A client that does not take a frame in time is disconnected.
func (c *wsConn) write() {
	for {
		c.mu.Lock()
		if len(c.out) == 0 || c.closed {
			c.writing, c.out, c.outSize = false, nil, 0
			c.mu.Unlock()
			return
		}
		b := c.out[0]
		c.out[0], c.out = nil, c.out[1:]
		c.outSize -= len(b)
		close(c.space)
		c.space = make(chan struct{})
		c.mu.Unlock()
		err := c.ws.SetWriteDeadline(time.Now().Add(c.t.writeTimeout))
		if err == nil {
			err = c.ws.WriteMessage(websocket.TextMessage, b)
		}
		if err != nil {
			c.mu.Lock()
			c.writing = false
			c.mu.Unlock()
			c.shut()
			return
		}
	}
}

// closeWith sends the client a close frame with code and reason and ends
// the connection's subscriptions; the reader ends when the client answers,
// or a second later.
func (c *wsConn) closeWith(code int, reason string) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	_ = c.ws.SetReadDeadline(time.Now().Add(time.Second))
	c.mu.Lock()
	cancel := c.cancel
	c.mu.Unlock()
	cancel()
}

// shut ends the connection: its subscriptions, timers and socket.
func (c *wsConn) shut() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.out, c.outSize = nil, 0
	for _, t := range []*time.Timer{c.initTimer, c.expiry, c.ping} {
		if t != nil {
			t.Stop()
		}
	}
	close(c.space)
	cancel := c.cancel
	c.mu.Unlock()
	cancel()
	_ = c.ws.Close()
}
